#include <gtest/gtest.h>

#include "properties/checkers.h"
#include "tests/properties/history_builder.h"

namespace cdc::properties::testing {
namespace {

TEST(NoLossTest, HoldsWhenEveryChangeIsCovered) {
  const Verdict v = check_no_loss(clean_normal().build());
  EXPECT_EQ(v.property, "no_loss");
  EXPECT_TRUE(Holds(v));
}

TEST(NoLossTest, AKeyThatCameAndWentUnseenIsNotLost) {
  const History h =
      clean_normal().commit(500, {ins("k3", 3)}).commit(600, {del("k3", 3)}).drained(600).build();
  EXPECT_TRUE(Holds(check_no_loss(h)));
}

TEST(NoLossTest, ChangesBeforeTheStreamStartAreNotJudged) {
  const History h = HistoryBuilder()
                        .binding()
                        .instance(ResolvedMode::kOnlyChanges, 150)
                        .commit(100, {ins("k1", 1)})
                        .commit(200, {ins("k2", 2)})
                        .txn({doc_c("k2", 2, 200)})
                        .drained(200)
                        .build();
  EXPECT_TRUE(Holds(check_no_loss(h)));
}

TEST(NoLossTest, ViolatedByALostUpdate) {
  History h = clean_normal().build();
  h.collection_txns.erase(h.collection_txns.begin() + 1);  // the update of k1 at 300
  const Verdict v = check_no_loss(h);
  EXPECT_TRUE(Violated(v));
  EXPECT_TRUE(AboutKey(v, "k1"));
  EXPECT_TRUE(mentions(v, "0/12C"));  // lsn 300 of the lost commit
}

TEST(NoLossTest, ViolatedByALostDeleteOfAKeyTheInstanceWrote) {
  const History h = clean_normal()
                        .commit(500, {ins("k3", 3)})
                        .txn({doc_c("k3", 3, 500)})
                        .commit(600, {del("k3", 3)})
                        .drained(600)
                        .build();
  const Verdict v = check_no_loss(h);
  EXPECT_TRUE(Violated(v));
  EXPECT_TRUE(AboutKey(v, "k3"));
  EXPECT_TRUE(mentions(v, "\"k3\""));
}

TEST(NoLossTest, UnknownWithoutDrainOrInstance) {
  History h = clean_normal().build();
  h.drain.reached = false;
  EXPECT_TRUE(Unknown(check_no_loss(h)));
  const History none = HistoryBuilder().binding().drained(0).build();
  EXPECT_TRUE(Unknown(check_no_loss(none)));
}

}  // namespace
}  // namespace cdc::properties::testing
