#include <gtest/gtest.h>

#include "properties/checkers.h"
#include "tests/properties/history_builder.h"

namespace cdc::properties::testing {
namespace {

TEST(PreciseHistoryTest, HoldsWhenEveryKeyOpensWithACreate) {
  const History h = HistoryBuilder()
                        .binding()
                        .instance(ResolvedMode::kPrecise)
                        .txn({doc_snap("k1", 1, 100), doc_u("k1", 2, 110)})
                        .txn({doc_c("k2", 1, 120), doc_d("k2", 130)})
                        .build();
  const Verdict v = check_precise_history(h);
  EXPECT_EQ(v.property, "precise_history");
  EXPECT_TRUE(Holds(v));
}

TEST(PreciseHistoryTest, DocumentsOfAnotherInstanceAreNotJudged) {
  const History h = HistoryBuilder()
                        .binding()
                        .instance(ResolvedMode::kPrecise)
                        .instance(ResolvedMode::kPrecise, 0, "items.v2")
                        .txn({doc_snap("k1", 1, 100)})
                        .txn({in_state(doc_u("k1", 2, 200), "items.v2"),
                              in_state(doc_snap("k1", 2, 210), "items.v2")})
                        .build();
  // items.v2's first document of k1 is an update: that one is a violation.
  const Verdict v = check_precise_history(h);
  EXPECT_TRUE(Violated(v));
  EXPECT_TRUE(AboutKey(v, "k1"));
  History only_v1 = h;
  only_v1.backfills.pop_back();
  EXPECT_TRUE(Holds(check_precise_history(only_v1)));
}

TEST(PreciseHistoryTest, ViolatedByAnUpdateBeforeTheBackfillRow) {
  const History h = HistoryBuilder()
                        .binding()
                        .instance(ResolvedMode::kPrecise)
                        .txn({doc_snap("k1", 1, 100)})
                        .txn({doc_u("k2", 5, 150)})
                        .txn({doc_snap("k2", 5, 160)})
                        .build();
  const Verdict v = check_precise_history(h);
  EXPECT_TRUE(Violated(v));
  EXPECT_TRUE(AboutKey(v, "k2"));
  EXPECT_TRUE(mentions(v, "\"k2\" op u"));
}

TEST(PreciseHistoryTest, UnknownWithoutAPreciseInstance) {
  EXPECT_TRUE(Unknown(check_precise_history(clean_normal().build())));
}

}  // namespace
}  // namespace cdc::properties::testing
