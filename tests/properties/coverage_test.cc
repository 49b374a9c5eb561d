#include <gtest/gtest.h>

#include "properties/checkers.h"
#include "tests/properties/history_builder.h"

namespace cdc::properties::testing {
namespace {

// Keys a, b, c exist before the backfill, which reads [a b] then [c].
HistoryBuilder three_keys(ResolvedMode mode = ResolvedMode::kPrecise) {
  HistoryBuilder b;
  b.binding().instance(mode).commit(50, {ins("a", 1), ins("b", 2), ins("c", 3)});
  return b;
}

TEST(CoverageTest, HoldsForAChainedCompleteBackfill) {
  const History h = three_keys()
                        .chunk(std::nullopt, {"a", "b"}, 100, 1, false)
                        .txn({})
                        .chunk("b", {"c"}, 200, 2, true)
                        .txn({}, {kState})
                        .build();
  const Verdict v = check_coverage(h);
  EXPECT_EQ(v.property, "coverage");
  EXPECT_TRUE(Holds(v));
}

TEST(CoverageTest, IgnoresUncommittedChunksAndAcceptsAnEmptyFinalChunk) {
  const History h = three_keys(ResolvedMode::kNormal)
                        .chunk(std::nullopt, {"a", "b"}, 100, 1, false)
                        .txn({})
                        .chunk("b", {"c"}, 150, std::nullopt, false)  // lost in a crash
                        .chunk("b", {"c"}, 200, 2, false)
                        .txn({})
                        .chunk("c", {}, 300, 3, true)
                        .txn({}, {kState})
                        .build();
  EXPECT_TRUE(Holds(check_coverage(h)));
}

TEST(CoverageTest, KeysChangedDuringTheBackfillNeedNotBeRead) {
  const History h = three_keys()
                        .chunk(std::nullopt, {"a", "b"}, 100, 1, false)
                        .txn({})
                        .commit(150, {del("c", 3)})
                        .chunk("b", {}, 200, 2, true)
                        .txn({}, {kState})
                        .build();
  EXPECT_TRUE(Holds(check_coverage(h)));
}

TEST(CoverageTest, ViolatedWhenTheFirstChunkDoesNotStartAtTheBeginning) {
  const History h = three_keys().chunk("a", {"b", "c"}, 100, 1, true).txn({}).build();
  const Verdict v = check_coverage(h);
  EXPECT_TRUE(Violated(v));
  EXPECT_TRUE(NoSubject(v));
}

TEST(CoverageTest, ViolatedByASkippedRange) {
  const History h = three_keys()
                        .chunk(std::nullopt, {"a"}, 100, 1, false)
                        .txn({})
                        .chunk("b", {"c"}, 200, 2, true)
                        .txn({})
                        .build();
  const Verdict v = check_coverage(h);
  EXPECT_TRUE(Violated(v));
  EXPECT_TRUE(NoSubject(v));
  EXPECT_TRUE(mentions(v, "after \"b\""));
}

TEST(CoverageTest, ViolatedByOverlappingChunks) {
  History h = three_keys()
                  .chunk(std::nullopt, {"a", "b"}, 100, 1, false)
                  .txn({})
                  .chunk("b", {"b", "c"}, 200, 2, true)
                  .txn({})
                  .build();
  const Verdict v = check_coverage(h);
  EXPECT_TRUE(Violated(v));
  EXPECT_TRUE(AboutKey(v, "b"));
  EXPECT_NE(v.explanation.find("strictly increase"), std::string::npos) << v.explanation;
}

TEST(CoverageTest, ViolatedWhenCompleteWithoutAFinalChunk) {
  const History h =
      three_keys().chunk(std::nullopt, {"a", "b"}, 100, 1, false).txn({}, {kState}).build();
  const Verdict v = check_coverage(h);
  EXPECT_TRUE(Violated(v));
  EXPECT_TRUE(NoSubject(v));
}

TEST(CoverageTest, ViolatedByAKeyNoChunkRead) {
  // "bb" is in the table throughout but no committed chunk holds it.
  const History h = three_keys()
                        .commit(60, {ins("bb", 4)})
                        .chunk(std::nullopt, {"a", "b"}, 100, 1, false)
                        .txn({})
                        .chunk("b", {"c"}, 200, 2, true)
                        .txn({}, {kState})
                        .build();
  const Verdict v = check_coverage(h);
  EXPECT_TRUE(Violated(v));
  EXPECT_TRUE(AboutKey(v, "bb"));
  EXPECT_TRUE(mentions(v, "\"bb\""));
}

TEST(CoverageTest, UnknownWithoutAKeyedScan) {
  const History h = HistoryBuilder().binding().instance(ResolvedMode::kOnlyChanges).build();
  EXPECT_TRUE(Unknown(check_coverage(h)));
}

}  // namespace
}  // namespace cdc::properties::testing
