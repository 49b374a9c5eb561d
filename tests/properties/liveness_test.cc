#include <gtest/gtest.h>

#include "properties/checkers.h"
#include "tests/properties/history_builder.h"

namespace cdc::properties::testing {
namespace {

TEST(LivenessTest, HoldsWhenDrainedAndComplete) {
  const Verdict v = check_liveness(clean_normal().build());
  EXPECT_EQ(v.property, "liveness");
  EXPECT_TRUE(Holds(v));
}

TEST(LivenessTest, SupersededAndOnlyChangesInstancesNeedNotComplete) {
  const History h = HistoryBuilder()
                        .binding()
                        .binding(2, 8)
                        .instance(ResolvedMode::kPrecise, 0, "items.v1")
                        .instance(ResolvedMode::kNormal, 0, "items.v2")
                        .instance(ResolvedMode::kOnlyChanges, 0, "other.v1", 2)
                        .txn({}, {"items.v2"})
                        .drained(0)
                        .build();
  EXPECT_TRUE(Holds(check_liveness(h)));
}

TEST(LivenessTest, ViolatedWhenTheRunDoesNotDrain) {
  History h = clean_normal()
                  .event(history::Event::Kind::kFault, 5, "crash")
                  .event(history::Event::Kind::kCaptureError, 7, "slot invalidated")
                  .build();
  h.drain.reached = false;
  const Verdict v = check_liveness(h);
  EXPECT_TRUE(Violated(v));
  EXPECT_TRUE(NoSubject(v));  // about the run, not a key
  EXPECT_TRUE(mentions(v, "slot invalidated"));
  EXPECT_FALSE(mentions(v, "crash"));
  EXPECT_NE(v.explanation.find("(1 capture errors recorded)"), std::string::npos) << v.explanation;
}

TEST(LivenessTest, ViolatedByALatestBackfillThatNeverCompletes) {
  const History h =
      clean_normal().instance(ResolvedMode::kWithoutPrimaryKey, 0, "items.v2").build();
  const Verdict v = check_liveness(h);
  EXPECT_TRUE(Violated(v));
  EXPECT_TRUE(NoSubject(v));  // about the run, not a key
  EXPECT_TRUE(mentions(v, "items.v2"));
}

// A Without Primary Key instance, complete, whose committed chunks cover
// blocks 0..`last` of a table that had `pages` pages when the scan began.
History keyless_scan(uint32_t pages, const std::vector<std::pair<uint32_t, uint32_t>>& blocks) {
  HistoryBuilder b;
  b.binding().instance(ResolvedMode::kWithoutPrimaryKey, 0);
  for (size_t i = 0; i < blocks.size(); ++i) {
    b.chunk(std::nullopt, {}, 100 + i, i + 1, i + 1 == blocks.size());
  }
  b.txn({}, {kState}).drained(500);
  History h = b.build();
  for (size_t i = 0; i < blocks.size(); ++i) {
    h.chunks[i].blocks = blocks[i];
    h.chunks[i].table_pages = pages + static_cast<uint32_t>(i);  // the table grows meanwhile
  }
  return h;
}

TEST(LivenessTest, AKeylessScanCompletesOnlyPastTheTablesLastPage) {
  EXPECT_TRUE(Holds(check_liveness(keyless_scan(5, {{0, 1}, {2, 3}, {4, 5}}))));
  EXPECT_TRUE(Holds(check_liveness(keyless_scan(4, {{0, 1}, {2, 3}}))));
  // A chunk repeated after a restart changes nothing.
  EXPECT_TRUE(Holds(check_liveness(keyless_scan(4, {{0, 1}, {0, 1}, {2, 3}}))));
}

TEST(LivenessTest, ViolatedByAKeylessScanThatStopsBeforeTheEndOfTheTable) {
  const Verdict v = check_liveness(keyless_scan(6, {{0, 1}, {2, 3}}));
  EXPECT_TRUE(Violated(v));
  EXPECT_TRUE(NoSubject(v));  // about a scan, not a key
  EXPECT_NE(v.explanation.find("(6), but they stop before block 4"), std::string::npos)
      << v.explanation;
  EXPECT_TRUE(mentions(v, "blocks 2..3"));
  // A gap in the chain is a stop too: blocks 2..3 were never read.
  EXPECT_TRUE(Violated(check_liveness(keyless_scan(6, {{0, 1}, {4, 5}}))));
}

}  // namespace
}  // namespace cdc::properties::testing
