#include <gtest/gtest.h>

#include "properties/checkers.h"
#include "tests/properties/destination_builder.h"

namespace cdc::properties::testing {
namespace {

TEST(DestinationNoResurrectionTest, HoldsForAFaithfulMergeDestination) {
  const Verdict v = check_destination_no_resurrection(clean_merge().build());
  EXPECT_EQ(v.property, "destination_no_resurrection");
  EXPECT_TRUE(Holds(v));
}

TEST(DestinationNoResurrectionTest, AReinsertAtTheSourceIsNoResurrection) {
  HistoryBuilder b = clean_normal();
  b.commit(500, {ins("k2", 5)}).txn({doc_c("k2", 5, 500)}).drained(500);
  const History h = DestinationBuilder(b.build())
                        .materialization(UpdateStrategy::kMerge)
                        .dtxn(11, {drow_snap("k1", 1, 200, 1), drow_snap("k2", 2, 200, 1)})
                        .dtxn(21, {drow("k1", 3, 300, 2)})
                        .dtxn(31, {}, {"k2"})
                        .dtxn(41, {drow("k2", 5, 500, 4)})
                        .build();
  EXPECT_TRUE(Holds(check_destination_no_resurrection(h)));
}

TEST(DestinationNoResurrectionTest, ViolatedByTheDeletedRowComingBack) {
  const History h = clean_merge().dtxn(41, {drow_snap("k2", 2, 200, 1)}).build();
  const Verdict v = check_destination_no_resurrection(h);
  EXPECT_TRUE(Violated(v));
  EXPECT_TRUE(AboutKey(v, "k2"));
  EXPECT_TRUE(mentions(v, "held before the delete: row \"k2\""));
  EXPECT_TRUE(mentions(v, "deleted by destination txn 3 of materialization 2 at tick 31"));
  EXPECT_TRUE(mentions(v, "resurrected as row \"k2\" op c lsn 0/C8"));
}

TEST(DestinationNoResurrectionTest, ViolatedByAnOlderRowComingBack) {
  const History h = DestinationBuilder(clean_normal().build())
                        .materialization(UpdateStrategy::kMerge)
                        .dtxn(11, {drow_snap("k1", 1, 200, 1), drow_snap("k2", 2, 200, 1)})
                        .dtxn(21, {drow("k2", 2, 250, 2)})
                        .dtxn(31, {}, {"k2"})
                        .dtxn(41, {drow_snap("k2", 2, 200, 1)})
                        .build();
  const Verdict v = check_destination_no_resurrection(h);
  EXPECT_TRUE(Violated(v));
  EXPECT_TRUE(AboutKey(v, "k2"));
}

TEST(DestinationNoResurrectionTest, ATruncationStartsAfresh) {
  const History h = clean_merge().rebuild(41, {drow_snap("k2", 2, 200, 1)}).build();
  EXPECT_TRUE(Holds(check_destination_no_resurrection(h)));
}

TEST(DestinationNoResurrectionTest, UnknownWithoutAKeyedMergeBinding) {
  EXPECT_TRUE(Unknown(check_destination_no_resurrection(clean_delta().build())));
  EXPECT_TRUE(Unknown(check_destination_no_resurrection(clean_normal().build())));
}

}  // namespace
}  // namespace cdc::properties::testing
