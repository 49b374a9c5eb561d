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

}  // namespace
}  // namespace cdc::properties::testing
