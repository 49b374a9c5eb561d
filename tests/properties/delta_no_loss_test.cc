#include <gtest/gtest.h>

#include "properties/checkers.h"
#include "tests/properties/destination_builder.h"

namespace cdc::properties::testing {
namespace {

bool says(const Verdict& v, const std::string& part) {
  return v.explanation.find(part) != std::string::npos;
}

TEST(DeltaNoLossTest, HoldsForAFaithfulDeltaDestination) {
  const Verdict v = check_delta_no_loss(clean_delta().build());
  EXPECT_EQ(v.property, "delta_no_loss");
  EXPECT_TRUE(Holds(v));
  EXPECT_TRUE(says(v, "0 duplicate rows"));
}

TEST(DeltaNoLossTest, CountsDuplicateRows) {
  const History h = clean_delta().dtxn(32, {drow_u("k1", 3, 300, 2)}).build();
  const Verdict v = check_delta_no_loss(h);
  EXPECT_TRUE(Holds(v));
  EXPECT_TRUE(says(v, "1 duplicate row"));
}

TEST(DeltaNoLossTest, AKeyThatCameAndWentUnseenIsNotLost) {
  HistoryBuilder b = clean_normal();
  b.commit(500, {ins("k3", 3)}).commit(600, {del("k3", 3)}).drained(600);
  const History h = DestinationBuilder(b.build())
                        .materialization(UpdateStrategy::kDelta)
                        .dtxn(11, {drow_snap("k1", 1, 200, 1), drow_snap("k2", 2, 200, 1)})
                        .dtxn(21, {drow_u("k1", 3, 300, 2)})
                        .dtxn(31, {drow_d("k2", 400, 3)})
                        .build();
  EXPECT_TRUE(Holds(check_delta_no_loss(h)));
}

TEST(DeltaNoLossTest, ViolatedByALostUpdate) {
  const History h = DestinationBuilder(clean_normal().build())
                        .materialization(UpdateStrategy::kDelta)
                        .dtxn(11, {drow_snap("k1", 1, 200, 1), drow_snap("k2", 2, 200, 1)})
                        .dtxn(31, {drow_d("k2", 400, 3)})
                        .build();
  const Verdict v = check_delta_no_loss(h);
  EXPECT_TRUE(Violated(v));
  EXPECT_TRUE(AboutKey(v, "k1"));
  EXPECT_TRUE(mentions(v, "0/12C"));  // lsn 300 of the lost commit
  EXPECT_TRUE(mentions(v, "newest destination row \"k1\""));
}

TEST(DeltaNoLossTest, ViolatedByALostDeleteOfAKeyTheDestinationHolds) {
  const History h = DestinationBuilder(clean_normal().build())
                        .materialization(UpdateStrategy::kDelta)
                        .dtxn(11, {drow_snap("k1", 1, 200, 1), drow_snap("k2", 2, 200, 1)})
                        .dtxn(21, {drow_u("k1", 3, 300, 2)})
                        .build();
  const Verdict v = check_delta_no_loss(h);
  EXPECT_TRUE(Violated(v));
  EXPECT_TRUE(AboutKey(v, "k2"));
  EXPECT_TRUE(mentions(v, "\"k2\""));
  EXPECT_TRUE(mentions(v, "0/190"));  // lsn 400 of the delete
}

TEST(DeltaNoLossTest, ViolatedByATruncationThatWasNotRefilled) {
  const History h = clean_delta().rebuild(41, {drow_d("k2", 400, 3)}).build();
  const Verdict v = check_delta_no_loss(h);
  EXPECT_TRUE(Violated(v));
  EXPECT_TRUE(AboutKey(v, "k1"));
}

TEST(DeltaNoLossTest, UnknownWithoutDrainDeltaBindingOrInstance) {
  History h = clean_delta().build();
  h.drain.reached = false;
  EXPECT_TRUE(Unknown(check_delta_no_loss(h)));
  EXPECT_TRUE(Unknown(check_delta_no_loss(clean_merge().build())));
  History none = clean_delta().build();
  none.backfills.clear();
  EXPECT_TRUE(Unknown(check_delta_no_loss(none)));
}

}  // namespace
}  // namespace cdc::properties::testing
