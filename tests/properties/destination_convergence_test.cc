#include <gtest/gtest.h>

#include "properties/checkers.h"
#include "tests/properties/destination_builder.h"

namespace cdc::properties::testing {
namespace {

TEST(DestinationConvergenceTest, HoldsForAFaithfulMergeDestination) {
  const Verdict v = check_destination_convergence(clean_merge().build());
  EXPECT_EQ(v.property, "destination_convergence");
  EXPECT_TRUE(Holds(v));
}

TEST(DestinationConvergenceTest, HoldsAfterARebuildThatRestoresTheTable) {
  const History h = clean_merge().rebuild(41, {drow("k1", 3, 300, 2)}).build();
  EXPECT_TRUE(Holds(check_destination_convergence(h)));
}

TEST(DestinationConvergenceTest, ViolatedByAStaleValue) {
  const History h = DestinationBuilder(clean_normal().build())
                        .materialization(UpdateStrategy::kMerge)
                        .dtxn(11, {drow_snap("k1", 1, 200, 1), drow_snap("k2", 2, 200, 1)})
                        .dtxn(31, {}, {"k2"})
                        .build();
  const Verdict v = check_destination_convergence(h);
  EXPECT_TRUE(Violated(v));
  EXPECT_TRUE(AboutKey(v, "k1"));
  EXPECT_TRUE(mentions(v, "key \"k1\""));
  EXPECT_TRUE(mentions(v, "('k1',3)"));                                // the source row
  EXPECT_TRUE(mentions(v, "destination txn 1 of materialization 2"));  // last to touch k1
  EXPECT_NE(v.explanation.find("field 1 is 1 while the source has 3"), std::string::npos);
}

TEST(DestinationConvergenceTest, ViolatedByAKeyTheSourceDeleted) {
  const History h = DestinationBuilder(clean_normal().build())
                        .materialization(UpdateStrategy::kMerge)
                        .dtxn(11, {drow_snap("k1", 1, 200, 1), drow_snap("k2", 2, 200, 1)})
                        .dtxn(21, {drow("k1", 3, 300, 2)})
                        .build();
  const Verdict v = check_destination_convergence(h);
  EXPECT_TRUE(Violated(v));
  EXPECT_TRUE(AboutKey(v, "k2"));
  EXPECT_TRUE(mentions(v, "key \"k2\""));
  EXPECT_NE(v.explanation.find("which the source does not"), std::string::npos);
}

TEST(DestinationConvergenceTest, ViolatedByAnAbsentField) {
  History h = clean_merge().build();
  h.destination_txns[1].upserts[0].present_mask = 0b01;
  const Verdict v = check_destination_convergence(h);
  EXPECT_TRUE(Violated(v));
  EXPECT_TRUE(AboutKey(v, "k1"));
  EXPECT_NE(v.explanation.find("field 1 is absent"), std::string::npos);
}

TEST(DestinationConvergenceTest, ViolatedByARebuildThatLostTheTable) {
  const History h = clean_merge().rebuild(41, {}).build();
  const Verdict v = check_destination_convergence(h);
  EXPECT_TRUE(Violated(v));
  EXPECT_TRUE(AboutKey(v, "k1"));
  EXPECT_TRUE(mentions(v, "destination row: absent"));
  EXPECT_TRUE(mentions(v, "destination txn 2 of materialization 2"));
}

TEST(DestinationConvergenceTest, UnknownWithoutDrainOrMergeBinding) {
  History h = clean_merge().build();
  h.drain.reached = false;
  EXPECT_TRUE(Unknown(check_destination_convergence(h)));
  EXPECT_TRUE(Unknown(check_destination_convergence(clean_delta().build())));
  EXPECT_TRUE(Unknown(check_destination_convergence(clean_normal().build())));
  History keyless = clean_merge().build();
  keyless.bindings[0].keyless = true;
  EXPECT_TRUE(Unknown(check_destination_convergence(keyless)));
}

}  // namespace
}  // namespace cdc::properties::testing
