#include <gtest/gtest.h>

#include "properties/checkers.h"
#include "tests/properties/destination_builder.h"

namespace cdc::properties::testing {
namespace {

// clean_delta(), then a data flow backfill at tick 35: the collection is reset
// and re-filled by instance items.v2 (k1 = 3 read at lsn 400, collection seq
// 4 at tick 40); the destination is rebuilt at tick 41.
DestinationBuilder data_flow(std::vector<DestinationRow> rebuilt) {
  const std::string v2 = "items.v2";
  HistoryBuilder b = clean_normal();
  b.instance(ResolvedMode::kNormal, 400, v2).txn({in_state(doc_snap("k1", 3, 400), v2)}, {v2});
  DestinationBuilder d(b.build());
  d.materialization(UpdateStrategy::kDelta)
      .dtxn(11, {drow_snap("k1", 1, 200, 1), drow_snap("k2", 2, 200, 1)})
      .dtxn(21, {drow_u("k1", 3, 300, 2)})
      .dtxn(31, {drow_d("k2", 400, 3)})
      .op(BackfillOp::Type::kDataFlow, 35)
      .rebuild(41, std::move(rebuilt));
  return d;
}

TEST(DeltaNoPrebackfillRowsTest, HoldsWhenTheRebuildReadsOnlyTheNewGeneration) {
  const Verdict v =
      check_delta_no_prebackfill_rows(data_flow({drow_snap("k1", 3, 400, 4)}).build());
  EXPECT_EQ(v.property, "delta_no_prebackfill_rows");
  EXPECT_TRUE(Holds(v));
}

TEST(DeltaNoPrebackfillRowsTest, ViolatedByARebuildThatReSendsOldDocuments) {
  const History h = data_flow({drow_u("k1", 3, 300, 2), drow_snap("k1", 3, 400, 4)}).build();
  const Verdict v = check_delta_no_prebackfill_rows(h);
  EXPECT_TRUE(Violated(v));
  EXPECT_TRUE(AboutKey(v, "k1"));
  EXPECT_TRUE(mentions(v, "pre-backfill row \"k1\" op u lsn 0/12C from collection seq 2"));
  EXPECT_TRUE(mentions(v, "first collection txn of the new generation: seq 4"));
  EXPECT_TRUE(mentions(v, "data flow backfill requested at tick 35"));
  EXPECT_NE(v.explanation.find("but the rebuild itself appended the row for key \"k1\" from "
                               "collection seq 2"),
            std::string::npos);
}

TEST(DeltaNoPrebackfillRowsTest, ViolatedByAnOldRowAppendedAfterTheRebuild) {
  const History h =
      data_flow({drow_snap("k1", 3, 400, 4)}).dtxn(51, {drow_d("k2", 400, 3)}).build();
  const Verdict v = check_delta_no_prebackfill_rows(h);
  EXPECT_TRUE(Violated(v));
  EXPECT_TRUE(AboutKey(v, "k2"));
  EXPECT_NE(v.explanation.find("destination txn 5 of materialization 2"), std::string::npos);
}

TEST(DeltaNoPrebackfillRowsTest, UnknownWithoutADataFlowBackfillOfADeltaBindingOrItsRebuild) {
  EXPECT_TRUE(Unknown(check_delta_no_prebackfill_rows(clean_delta().build())));
  const History merge = clean_merge().op(BackfillOp::Type::kDataFlow, 35).build();
  EXPECT_TRUE(Unknown(check_delta_no_prebackfill_rows(merge)));
  const History capture_only = clean_delta().op(BackfillOp::Type::kCapture, 35).build();
  EXPECT_TRUE(Unknown(check_delta_no_prebackfill_rows(capture_only)));
  const History never_rebuilt = clean_delta().op(BackfillOp::Type::kDataFlow, 35).build();
  EXPECT_TRUE(Unknown(check_delta_no_prebackfill_rows(never_rebuilt)));
}

}  // namespace
}  // namespace cdc::properties::testing
