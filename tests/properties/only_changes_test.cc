#include <gtest/gtest.h>

#include "properties/checkers.h"
#include "tests/properties/history_builder.h"

namespace cdc::properties::testing {
namespace {

// Only Changes from lsn 150: k1 exists before; k1 is updated at 200, k2
// inserted at 300, and k2 rewritten with the same value at 350 (a change that
// changes nothing need not be emitted).
HistoryBuilder only_changes_run() {
  HistoryBuilder b;
  b.binding()
      .instance(ResolvedMode::kOnlyChanges, 150)
      .commit(100, {ins("k1", 1)})
      .commit(200, {upd("k1", 1, 2)})
      .commit(300, {ins("k2", 2)})
      .commit(350, {upd("k2", 2, 2)})
      .drained(350);
  return b;
}

TEST(OnlyChangesTest, HoldsWhenEveryChangeIsThereOnce) {
  const History h =
      only_changes_run().txn({doc_u("k1", 2, 200)}).txn({doc_c("k2", 2, 300)}).build();
  const Verdict v = check_only_changes(h);
  EXPECT_EQ(v.property, "only_changes");
  EXPECT_TRUE(Holds(v));
}

TEST(OnlyChangesTest, ViolatedByABackfillDocument) {
  const History h = only_changes_run()
                        .txn({doc_snap("k1", 1, 150)})
                        .txn({doc_u("k1", 2, 200)})
                        .txn({doc_c("k2", 2, 300)})
                        .build();
  const Verdict v = check_only_changes(h);
  EXPECT_TRUE(Violated(v));
  EXPECT_TRUE(AboutKey(v, "k1"));
  EXPECT_TRUE(mentions(v, "snapshot"));
}

TEST(OnlyChangesTest, ViolatedByAMissingChange) {
  const History h = only_changes_run().txn({doc_u("k1", 2, 200)}).build();
  const Verdict v = check_only_changes(h);
  EXPECT_TRUE(Violated(v));
  EXPECT_TRUE(AboutKey(v, "k2"));
  EXPECT_TRUE(mentions(v, "\"k2\""));
}

TEST(OnlyChangesTest, ViolatedByAChangeWrittenTwice) {
  const History h = only_changes_run()
                        .txn({doc_u("k1", 2, 200)})
                        .txn({doc_u("k1", 2, 200), doc_c("k2", 2, 300)})
                        .build();
  const Verdict v = check_only_changes(h);
  EXPECT_TRUE(Violated(v));
  EXPECT_TRUE(AboutKey(v, "k1"));
  EXPECT_TRUE(mentions(v, "seq 1"));
  EXPECT_TRUE(mentions(v, "seq 2"));
}

TEST(OnlyChangesTest, UnknownWithoutDrain) {
  History h = only_changes_run().txn({doc_u("k1", 2, 200)}).build();
  h.drain.reached = false;
  EXPECT_TRUE(Unknown(check_only_changes(h)));
}

TEST(OnlyChangesTest, UnknownWhenTheLatestInstanceIsNotOnlyChanges) {
  const History h = only_changes_run().instance(ResolvedMode::kNormal, 400, "items.v2").build();
  EXPECT_TRUE(Unknown(check_only_changes(h)));
}

}  // namespace
}  // namespace cdc::properties::testing
