#include <gtest/gtest.h>

#include "properties/checkers.h"
#include "tests/properties/history_builder.h"

namespace cdc::properties::testing {
namespace {

TEST(PerKeyCommitOrderTest, HoldsInCommitOrder) {
  // Snapshot documents are not judged, and other keys and bindings are
  // independent of k1.
  const History h = HistoryBuilder()
                        .binding()
                        .binding(2, 8)
                        .txn({doc_c("k1", 1, 100, 0), doc_u("k1", 2, 100, 1)})
                        .txn({doc_snap("k1", 2, 50), of_binding(doc_c("k1", 1, 90), 2)})
                        .txn({doc_c("k2", 1, 80), doc_d("k1", 200)})
                        .build();
  const Verdict v = check_per_key_commit_order(h);
  EXPECT_EQ(v.property, "per_key_commit_order");
  EXPECT_TRUE(Holds(v));
}

TEST(PerKeyCommitOrderTest, HoldsVacuouslyWithoutDocuments) {
  EXPECT_TRUE(Holds(check_per_key_commit_order(HistoryBuilder().binding().build())));
}

TEST(PerKeyCommitOrderTest, ViolatedByAnOlderCommitAfterANewerOne) {
  const History h = HistoryBuilder()
                        .binding()
                        .txn({doc_c("k1", 1, 100)})
                        .txn({doc_u("k1", 3, 300)})
                        .txn({doc_u("k1", 2, 200)})
                        .build();
  const Verdict v = check_per_key_commit_order(h);
  EXPECT_TRUE(Violated(v));
  EXPECT_TRUE(AboutKey(v, "k1"));
  EXPECT_TRUE(mentions(v, "seq 2"));
  EXPECT_TRUE(mentions(v, "seq 3"));
}

TEST(PerKeyCommitOrderTest, ViolatedByARepeatedChangeIndexWithinACommit) {
  const History h =
      HistoryBuilder().binding().txn({doc_c("k1", 1, 100, 1), doc_u("k1", 2, 100, 1)}).build();
  const Verdict v = check_per_key_commit_order(h);
  EXPECT_TRUE(Violated(v));
  EXPECT_TRUE(AboutKey(v, "k1"));
}

TEST(PerKeyCommitOrderTest, KeylessBindingsAreJudgedToo) {
  const History h = HistoryBuilder()
                        .binding(kBinding, kTable, true)
                        .txn({doc_c("r1", 1, 200), doc_d("r1", 100)})
                        .build();
  const Verdict v = check_per_key_commit_order(h);
  EXPECT_TRUE(Violated(v));
  EXPECT_TRUE(AboutKey(v, "r1"));
}

}  // namespace
}  // namespace cdc::properties::testing
