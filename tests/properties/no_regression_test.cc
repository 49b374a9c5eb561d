#include <gtest/gtest.h>

#include "properties/checkers.h"
#include "tests/properties/history_builder.h"

namespace cdc::properties::testing {
namespace {

// k1 is inserted at 100 and updated at 200 and 300.
HistoryBuilder three_versions() {
  HistoryBuilder b;
  b.binding()
      .instance(ResolvedMode::kNormal)
      .commit(100, {ins("k1", 1)})
      .commit(200, {upd("k1", 1, 2)})
      .commit(300, {upd("k1", 2, 3)});
  return b;
}

TEST(NoRegressionTest, HoldsWhenVersionsMoveForward) {
  const Verdict v = check_no_regression(clean_normal().build());
  EXPECT_EQ(v.property, "no_regression");
  EXPECT_TRUE(Holds(v));
}

TEST(NoRegressionTest, OrderInsideOneTransactionDoesNotMatter) {
  // Inside one transaction the snapshot row (lsn 200) follows the update at
  // 300; a reader never saw 300, and 200 is newer than the 100 it saw before.
  const History h = three_versions()
                        .txn({doc_c("k1", 1, 100)})
                        .txn({doc_u("k1", 3, 300), doc_snap("k1", 2, 200)})
                        .build();
  EXPECT_TRUE(Holds(check_no_regression(h)));
}

TEST(NoRegressionTest, ViolatedByAStaleSnapshotRowInALaterTransaction) {
  const History h = three_versions()
                        .txn({doc_c("k1", 1, 100)})
                        .txn({doc_u("k1", 3, 300)})
                        .txn({doc_snap("k1", 2, 200)})
                        .build();
  const Verdict v = check_no_regression(h);
  EXPECT_TRUE(Violated(v));
  EXPECT_TRUE(AboutKey(v, "k1"));
  EXPECT_TRUE(mentions(v, "seq 2"));
  EXPECT_TRUE(mentions(v, "seq 3"));
}

TEST(NoRegressionTest, UnknownWithOnlyKeylessBindings) {
  const History h = HistoryBuilder().binding(kBinding, kTable, true).build();
  EXPECT_TRUE(Unknown(check_no_regression(h)));
}

}  // namespace
}  // namespace cdc::properties::testing
