#include <gtest/gtest.h>

#include "properties/checkers.h"
#include "tests/properties/history_builder.h"

namespace cdc::properties::testing {
namespace {

TEST(ExactlyOnceTest, HoldsWithoutDuplicateChanges) {
  // A re-read snapshot row and the same change in another binding are fine.
  const History h = HistoryBuilder()
                        .binding()
                        .binding(2, 8)
                        .txn({doc_snap("k1", 1, 100), doc_c("k2", 1, 110)})
                        .txn({doc_snap("k1", 1, 100), of_binding(doc_c("k2", 1, 110), 2)})
                        .txn({doc_u("k2", 2, 120), doc_u("k2", 3, 120, 1)})
                        .build();
  const Verdict v = check_exactly_once(h);
  EXPECT_EQ(v.property, "exactly_once");
  EXPECT_TRUE(Holds(v));
  EXPECT_TRUE(Holds(check_exactly_once(HistoryBuilder().build())));
}

TEST(ExactlyOnceTest, ViolatedByAChangeReplayedAfterACrash) {
  const History h = HistoryBuilder()
                        .binding()
                        .txn({doc_c("k1", 1, 100)})
                        .txn({doc_u("k1", 2, 200)})
                        .txn({doc_u("k1", 2, 200), doc_u("k1", 3, 300)})
                        .build();
  const Verdict v = check_exactly_once(h);
  EXPECT_TRUE(Violated(v));
  EXPECT_TRUE(AboutKey(v, "k1"));
  EXPECT_TRUE(mentions(v, "seq 2"));
  EXPECT_TRUE(mentions(v, "seq 3"));
}

}  // namespace
}  // namespace cdc::properties::testing
