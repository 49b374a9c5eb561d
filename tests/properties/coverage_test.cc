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

// min_backfill_xid: a row may be filtered out only when the xid that wrote
// its version precedes the bound (modulo 2^32). "a" is written by xid 100.
History filtered_a(Xid bound) {
  History h = three_keys()
                  .chunk(std::nullopt, {"a", "b"}, 100, 1, false)
                  .txn({})
                  .chunk("b", {"c"}, 200, 2, true)
                  .txn({}, {kState})
                  .build();
  h.chunks[0].min_backfill_xid = bound;
  h.chunks[0].rows[0].emitted = false;
  return h;
}

TEST(CoverageTest, HoldsWhenMinBackfillXidFiltersAnOlderWriter) {
  EXPECT_TRUE(Holds(check_coverage(filtered_a(Xid(101)))));
  // Across the wrap: 100 precedes 2^31 + 99 modulo 2^32.
  EXPECT_TRUE(Holds(check_coverage(filtered_a(Xid(2147483747u)))));
}

TEST(CoverageTest, ViolatedWhenMinBackfillXidFiltersANewerWriter) {
  const Verdict v = check_coverage(filtered_a(Xid(100)));  // the bound itself is kept
  EXPECT_TRUE(Violated(v));
  EXPECT_NE(v.explanation.find("written by xid 100"), std::string::npos) << v.explanation;
  // A raw comparison would keep 100 under 4294967000; modulo 2^32, 4294967000 precedes 100.
  EXPECT_TRUE(Violated(check_coverage(filtered_a(Xid(4294967000u)))));
}

// A Without Primary Key scan: ranges of two blocks each, from block 0.
History ctid_scan(uint32_t second_first_block, uint16_t first_end_offset) {
  HistoryBuilder b;
  b.binding(kBinding, kTable, /*keyless=*/true).instance(ResolvedMode::kWithoutPrimaryKey);
  History h = b.chunk(std::nullopt, {}, 100, 1, false)
                  .txn({})
                  .chunk(std::nullopt, {}, 200, 2, true)
                  .txn({}, {kState})
                  .build();
  h.chunks[0].blocks = {0, 1};
  h.chunks[0].range_end = Ctid{1, first_end_offset};
  h.chunks[1].blocks = {second_first_block, second_first_block + 1};
  h.chunks[1].range_end = Ctid{second_first_block + 1, 0xffff};
  return h;
}

TEST(CoverageTest, HoldsWhenCtidRangesTileWholeBlocks) {
  EXPECT_TRUE(Holds(check_coverage(ctid_scan(2, 0xffff))));
}

TEST(CoverageTest, ViolatedByACtidRangeEndingInsideItsLastBlock) {
  const Verdict v = check_coverage(ctid_scan(2, 0));
  EXPECT_TRUE(Violated(v));
  EXPECT_NE(v.explanation.find("rows of block 1 after that offset"), std::string::npos)
      << v.explanation;
}

TEST(CoverageTest, ViolatedByASkippedBlockBetweenCtidRanges) {
  const Verdict v = check_coverage(ctid_scan(3, 0xffff));
  EXPECT_TRUE(Violated(v));
  EXPECT_NE(v.explanation.find("block 2"), std::string::npos) << v.explanation;
}

}  // namespace
}  // namespace cdc::properties::testing
