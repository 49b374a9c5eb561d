#include <gtest/gtest.h>

#include "properties/checkers.h"
#include "tests/properties/history_builder.h"

namespace cdc::properties::testing {
namespace {

TEST(NoResurrectionTest, HoldsOnACleanRun) {
  const Verdict v = check_no_resurrection(clean_normal().build());
  EXPECT_EQ(v.property, "no_resurrection");
  EXPECT_TRUE(Holds(v));
}

TEST(NoResurrectionTest, ReinsertionAtTheSourceIsNotResurrection) {
  const History h = HistoryBuilder()
                        .binding()
                        .commit(100, {ins("k1", 1)})
                        .commit(200, {del("k1", 1)})
                        .commit(300, {ins("k1", 5)})
                        .txn({doc_c("k1", 1, 100)})
                        .txn({doc_d("k1", 200)})
                        .txn({doc_c("k1", 5, 300)})
                        .build();
  EXPECT_TRUE(Holds(check_no_resurrection(h)));
}

TEST(NoResurrectionTest, ARegressionBetweenPresentVersionsIsNotResurrection) {
  const History h = HistoryBuilder()
                        .binding()
                        .commit(100, {ins("k1", 1)})
                        .commit(200, {upd("k1", 1, 2)})
                        .txn({doc_u("k1", 2, 200)})
                        .txn({doc_snap("k1", 1, 100)})
                        .build();
  EXPECT_TRUE(Holds(check_no_resurrection(h)));
  EXPECT_TRUE(Violated(check_no_regression(h)));
}

TEST(NoResurrectionTest, ViolatedByASnapshotRowReadBeforeTheDelete) {
  // The backfill read k1 at 150, but its rows commit after the delete at 200.
  const History h = HistoryBuilder()
                        .binding()
                        .instance(ResolvedMode::kNormal)
                        .commit(100, {ins("k1", 1)})
                        .commit(200, {del("k1", 1)})
                        .txn({doc_d("k1", 200)})
                        .txn({doc_snap("k1", 1, 150)})
                        .build();
  const Verdict v = check_no_resurrection(h);
  EXPECT_TRUE(Violated(v));
  EXPECT_TRUE(AboutKey(v, "k1"));
  EXPECT_TRUE(mentions(v, "\"k1\""));
  EXPECT_TRUE(mentions(v, "seq 2"));
}

TEST(NoResurrectionTest, UnknownWithOnlyKeylessBindings) {
  const History h = HistoryBuilder().binding(kBinding, kTable, true).build();
  EXPECT_TRUE(Unknown(check_no_resurrection(h)));
}

}  // namespace
}  // namespace cdc::properties::testing
