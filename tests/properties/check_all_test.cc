#include <gtest/gtest.h>

#include "properties/checkers.h"
#include "tests/properties/history_builder.h"

namespace cdc::properties::testing {
namespace {

TEST(CheckAllTest, NamesAndOrderAreFixed) {
  const std::vector<std::string> expected = {
      "convergence",     "no_loss",  "no_resurrection", "no_regression", "per_key_commit_order",
      "precise_history", "coverage", "only_changes",    "exactly_once",  "liveness"};
  EXPECT_EQ(property_names(), expected);
  const std::vector<Verdict> all = check_all(clean_normal().build());
  ASSERT_EQ(all.size(), expected.size());
  for (size_t i = 0; i < all.size(); ++i)
    EXPECT_EQ(all[i].property, expected[i]);
}

TEST(CheckAllTest, ACleanNormalRunHoldsWhereverItApplies) {
  for (const Verdict& v : check_all(clean_normal().build())) {
    if (v.property == "precise_history" || v.property == "only_changes") {
      EXPECT_TRUE(Unknown(v));
    } else {
      EXPECT_TRUE(Holds(v));
    }
  }
}

TEST(CheckAllTest, VerdictsAreDeterministic) {
  History h = clean_normal().build();
  h.collection_txns.pop_back();
  const std::vector<Verdict> a = check_all(h);
  const std::vector<Verdict> b = check_all(h);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].outcome, b[i].outcome);
    EXPECT_EQ(a[i].explanation, b[i].explanation);
    EXPECT_EQ(a[i].witness, b[i].witness);
  }
}

TEST(CheckAllTest, AnEmptyHistoryIsJudgedWithoutCrashing) {
  const std::vector<Verdict> all = check_all(History{});
  EXPECT_EQ(all.size(), property_names().size());
}

}  // namespace
}  // namespace cdc::properties::testing
