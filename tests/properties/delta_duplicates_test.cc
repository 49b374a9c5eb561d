#include <gtest/gtest.h>

#include "properties/checkers.h"
#include "tests/properties/destination_builder.h"

namespace cdc::properties::testing {
namespace {

// k1 = 1 and k2 = 2, backfilled at lsn 200 (collection seq 1) and, after a
// capture backfill of the binding, again at lsn 300 (seq 2).
History captured_twice() {
  const std::string v2 = "items.v2";
  return HistoryBuilder()
      .binding()
      .instance(ResolvedMode::kNormal, 0)
      .commit(100, {ins("k1", 1)})
      .commit(200, {ins("k2", 2)})
      .txn({doc_snap("k1", 1, 200), doc_snap("k2", 2, 200)}, {kState})
      .instance(ResolvedMode::kNormal, 300, v2)
      .txn({in_state(doc_snap("k1", 1, 300), v2), in_state(doc_snap("k2", 2, 300), v2)}, {v2})
      .drained(300)
      .build();
}

TEST(DeltaDuplicatesTest, HoldsWhenNoKeyWasBackfilledTwice) {
  const Verdict v = check_delta_duplicates(clean_delta().build());
  EXPECT_EQ(v.property, "delta_duplicates");
  EXPECT_TRUE(Holds(v));
  EXPECT_NE(v.explanation.find("0 duplicate rows"), std::string::npos);
}

TEST(DeltaDuplicatesTest, ViolatedByACaptureBackfillIntoADeltaDestination) {
  const History h = DestinationBuilder(captured_twice())
                        .materialization(UpdateStrategy::kDelta)
                        .dtxn(11, {drow_snap("k1", 1, 200, 1), drow_snap("k2", 2, 200, 1)})
                        .op(BackfillOp::Type::kCapture, 15, {})
                        .dtxn(21, {drow_snap("k1", 1, 300, 2), drow_snap("k2", 2, 300, 2)})
                        .build();
  const Verdict v = check_delta_duplicates(h);
  EXPECT_TRUE(Violated(v));
  EXPECT_TRUE(AboutKey(v, "k1"));
  EXPECT_TRUE(mentions(v, "first row \"k1\" op c lsn 0/C8 from collection seq 1 (snapshot)"));
  EXPECT_TRUE(mentions(v, "duplicate row \"k1\" op c lsn 0/12C from collection seq 2 (snapshot)"));
  EXPECT_NE(v.explanation.find("2 duplicate rows in total"), std::string::npos);
  EXPECT_NE(v.explanation.find("may result in duplicate rows"), std::string::npos);
}

TEST(DeltaDuplicatesTest, AChangedRowOrAChangeCreateIsNoDuplicate) {
  const History h = DestinationBuilder(captured_twice())
                        .materialization(UpdateStrategy::kDelta)
                        .dtxn(11, {drow_snap("k1", 1, 200, 1), drow_snap("k2", 2, 200, 1)})
                        .dtxn(21, {drow("k1", 1, 300, 2), drow_snap("k2", 5, 300, 2)})
                        .build();
  EXPECT_TRUE(Holds(check_delta_duplicates(h)));
}

TEST(DeltaDuplicatesTest, AMaterializationBackfillTruncatesFirst) {
  const History h = DestinationBuilder(captured_twice())
                        .materialization(UpdateStrategy::kDelta)
                        .dtxn(11, {drow_snap("k1", 1, 200, 1), drow_snap("k2", 2, 200, 1)})
                        .op(BackfillOp::Type::kMaterialization, 15)
                        .rebuild(21, {drow_snap("k1", 1, 300, 2), drow_snap("k2", 2, 300, 2)})
                        .build();
  EXPECT_TRUE(Holds(check_delta_duplicates(h)));
}

TEST(DeltaDuplicatesTest, UnknownWithoutADeltaBinding) {
  EXPECT_TRUE(Unknown(check_delta_duplicates(clean_merge().build())));
  EXPECT_TRUE(Unknown(check_delta_duplicates(clean_normal().build())));
}

}  // namespace
}  // namespace cdc::properties::testing
