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

// A collated key's chunks are ordered by their order keys, not their keys:
// the check reads Chunk::order_keys where a chunk has them.
TEST(CoverageTest, OrderKeysOtherThanTheKeysDecideTheOrder) {
  // The first chunk reads a, b at order keys "1", `b_at`; the second reads c
  // at "3", after the cursor the first left.
  auto collated = [](const std::string& b_at) {
    History h = three_keys()
                    .chunk(std::nullopt, {"a", "b"}, 100, 1, false)
                    .txn({})
                    .chunk(b_at, {"c"}, 200, 2, true)
                    .txn({}, {kState})
                    .build();
    h.chunks[0].order_keys = {"1", b_at};
    h.chunks[1].order_keys = {"3"};
    return h;
  };
  const History holds = collated("2");
  EXPECT_EQ(holds.chunks[1].order_key(0), "3");
  EXPECT_EQ(holds.chunks[1].rows[0].key, "c");
  EXPECT_TRUE(Holds(check_coverage(holds)));
  const Verdict v = check_coverage(collated("4"));
  EXPECT_TRUE(Violated(v));
  EXPECT_TRUE(AboutKey(v, "c"));
  EXPECT_NE(v.explanation.find("\"3\" (key \"c\""), std::string::npos) << v.explanation;
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

// max_backfill_xid and the snapshot xmax term: "a" (xid 100) may be filtered
// out only when 100 follows the maximum or the snapshot xmax, modulo 2^32.
History bounded_a(std::optional<Xid> min, std::optional<Xid> max,
                  std::optional<Xid> xmax = std::nullopt) {
  History h = filtered_a(Xid(3));
  h.chunks[0].min_backfill_xid = min;
  h.chunks[0].max_backfill_xid = max;
  h.chunks[0].snapshot_xmax = xmax;
  return h;
}

TEST(CoverageTest, HoldsWhenMaxBackfillXidFiltersANewerWriter) {
  EXPECT_TRUE(Holds(check_coverage(bounded_a(std::nullopt, Xid(99)))));
  // Across the wrap: 4294967000 precedes 100 modulo 2^32, so 100 follows it.
  EXPECT_TRUE(Holds(check_coverage(bounded_a(std::nullopt, Xid(4294967000u)))));
  // A range that holds the wrap keeps out what lies outside it.
  EXPECT_TRUE(Holds(check_coverage(bounded_a(Xid(4294967000u), Xid(50)))));
}

TEST(CoverageTest, ViolatedWhenMaxBackfillXidFiltersAWriterInRange) {
  const Verdict v = check_coverage(bounded_a(std::nullopt, Xid(100)));  // inclusive
  EXPECT_TRUE(Violated(v));
  EXPECT_NE(v.explanation.find("max_backfill_xid 100"), std::string::npos) << v.explanation;
  EXPECT_NE(v.explanation.find("written by xid 100"), std::string::npos) << v.explanation;
  // Raw, 2^31 + 99 is above 100 too, and modulo 2^32 100 still precedes it.
  EXPECT_TRUE(Violated(check_coverage(bounded_a(std::nullopt, Xid(2147483747u)))));
  // [4294967000, 500] holds the wrap and 100 with it.
  EXPECT_TRUE(Violated(check_coverage(bounded_a(Xid(4294967000u), Xid(500)))));
}

// Xid 100 is more than 2^31 older than the snapshot xmax 2^31 + 105: modulo
// 2^32 it looks newer than the minimum 2^31 + 102, which keeps it, but it
// follows the xmax, which keeps it out.
TEST(CoverageTest, TheSnapshotXmaxTermExcusesOnlyRowsPastIt) {
  const Xid min(2147483750u);
  EXPECT_TRUE(Violated(check_coverage(bounded_a(min, std::nullopt))));
  EXPECT_TRUE(Holds(check_coverage(bounded_a(min, std::nullopt, Xid(2147483753u)))));
  // An xmax within 2^31 of the writer excuses nothing.
  EXPECT_TRUE(Violated(check_coverage(bounded_a(min, std::nullopt, Xid(2147483700u)))));
}

// A subtransaction wrote "a": its xmin (102) is not the commit's xid (100).
TEST(CoverageTest, TheWriterIsTheVersionsXminNotTheCommitsXid) {
  History h = bounded_a(std::nullopt, Xid(101));
  EXPECT_TRUE(Violated(check_coverage(h)));
  h.source_commits[0].changes[0].after_xmin = Xid(102);
  EXPECT_TRUE(Holds(check_coverage(h)));
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
