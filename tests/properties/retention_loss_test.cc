#include <gtest/gtest.h>

#include "properties/checkers.h"
#include "tests/properties/destination_builder.h"

namespace cdc::properties::testing {
namespace {

bool says(const Verdict& v, const std::string& part) {
  return v.explanation.find(part) != std::string::npos;
}

// clean_merge(), then retention drops the documents of collection seq 1 and 2
// (k1's snapshot and update, k2's snapshot) at tick 25.
DestinationBuilder expired_merge() {
  DestinationBuilder d = clean_merge();
  d.expiry(25, {"k1", "k2", "k1"});
  return d;
}

TEST(RetentionLossTest, ViolatedByAMaterializationBackfillAfterExpiry) {
  const History h = expired_merge()
                        .op(BackfillOp::Type::kMaterialization, 35)
                        .rebuild(36, {}, {"k2"})  // all the collection still holds
                        .build();
  const Verdict v = check_retention_loss(h);
  EXPECT_EQ(v.property, "retention_loss");
  EXPECT_TRUE(Violated(v));
  EXPECT_TRUE(AboutKey(v, "k1"));
  EXPECT_TRUE(says(v,
                   "expired k's documents at tick 25, before the materialization backfill at "
                   "tick 35, so the rebuilt table could not restore it"));
  EXPECT_TRUE(mentions(v, "key \"k1\""));
  EXPECT_TRUE(mentions(v, "expiry at tick 25 of c7: 3 documents"));
  EXPECT_TRUE(mentions(v, "materialization backfill requested at tick 35"));
}

TEST(RetentionLossTest, ViolatedInADeltaDestination) {
  const History h = clean_delta()
                        .expiry(25, {"k1", "k2", "k1"})
                        .op(BackfillOp::Type::kMaterialization, 35)
                        .rebuild(36, {drow_d("k2", 400, 3)})
                        .build();
  const Verdict v = check_retention_loss(h);
  EXPECT_TRUE(Violated(v));
  EXPECT_TRUE(AboutKey(v, "k1"));
  EXPECT_TRUE(mentions(v, "key \"k1\""));
}

TEST(RetentionLossTest, HoldsWhenADataFlowBackfillRestoresTheTable) {
  const History h = expired_merge()
                        .op(BackfillOp::Type::kDataFlow, 35)
                        .rebuild(41, {drow_snap("k1", 3, 450, 4)})
                        .build();
  const Verdict v = check_retention_loss(h);
  EXPECT_TRUE(Holds(v));
  EXPECT_TRUE(Holds(check_destination_convergence(h)));
}

TEST(RetentionLossTest, AMissingKeyNoExpiryNamedIsLeftToConvergence) {
  const History h = clean_merge()
                        .expiry(25, {"k2"})
                        .op(BackfillOp::Type::kMaterialization, 35)
                        .rebuild(36, {}, {"k2"})
                        .build();
  EXPECT_TRUE(Holds(check_retention_loss(h)));
  EXPECT_TRUE(Violated(check_destination_convergence(h)));
}

TEST(RetentionLossTest, UnknownWithoutARebuildAfterAnExpiry) {
  EXPECT_TRUE(Unknown(check_retention_loss(clean_merge().build())));
  EXPECT_TRUE(Unknown(check_retention_loss(expired_merge().build())));  // never rebuilt
  const History before = clean_merge()
                             .op(BackfillOp::Type::kMaterialization, 35)
                             .rebuild(36, {}, {"k2"})
                             .expiry(45, {"k1"})
                             .build();
  EXPECT_TRUE(Unknown(check_retention_loss(before)));
  History undrained =
      expired_merge().op(BackfillOp::Type::kMaterialization, 35).rebuild(36, {}, {"k2"}).build();
  undrained.drain.reached = false;
  EXPECT_TRUE(Unknown(check_retention_loss(undrained)));
}

}  // namespace
}  // namespace cdc::properties::testing
