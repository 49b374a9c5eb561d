#include <gtest/gtest.h>

#include "properties/checkers.h"
#include "tests/properties/destination_builder.h"

namespace cdc::properties::testing {
namespace {

TEST(DestinationNoRegressionTest, HoldsForAFaithfulMergeDestination) {
  const Verdict v = check_destination_no_regression(clean_merge().build());
  EXPECT_EQ(v.property, "destination_no_regression");
  EXPECT_TRUE(Holds(v));
}

TEST(DestinationNoRegressionTest, ALaterSnapshotOfTheSameStateIsNoRegression) {
  const History h = clean_merge().dtxn(41, {drow_snap("k1", 3, 350, 4)}).build();
  EXPECT_TRUE(Holds(check_destination_no_regression(h)));
}

TEST(DestinationNoRegressionTest, ViolatedByAStaleRowOverANewerOne) {
  const History h = clean_merge().dtxn(41, {drow_snap("k1", 1, 200, 4)}).build();
  const Verdict v = check_destination_no_regression(h);
  EXPECT_TRUE(Violated(v));
  EXPECT_TRUE(AboutKey(v, "k1"));
  EXPECT_TRUE(mentions(v, "seen before: row \"k1\" op c lsn 0/12C from collection seq 2"));
  EXPECT_TRUE(mentions(v, "seen after: row \"k1\" op c lsn 0/C8 from collection seq 4"));
  EXPECT_NE(v.explanation.find("(state 2 of its timeline)"), std::string::npos);
  EXPECT_NE(v.explanation.find("(state 1 of its timeline), an older state"), std::string::npos);
}

TEST(DestinationNoRegressionTest, ATruncationStartsAfresh) {
  const History h = clean_merge()
                        .rebuild(41, {drow_snap("k1", 1, 200, 1)})
                        .dtxn(42, {drow("k1", 3, 300, 2)})
                        .build();
  EXPECT_TRUE(Holds(check_destination_no_regression(h)));
}

TEST(DestinationNoRegressionTest, UnknownWithoutAKeyedMergeBinding) {
  EXPECT_TRUE(Unknown(check_destination_no_regression(clean_delta().build())));
  EXPECT_TRUE(Unknown(check_destination_no_regression(clean_normal().build())));
  History keyless = clean_merge().build();
  keyless.bindings[0].keyless = true;
  EXPECT_TRUE(Unknown(check_destination_no_regression(keyless)));
}

}  // namespace
}  // namespace cdc::properties::testing
