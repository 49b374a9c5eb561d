#include <gtest/gtest.h>

#include <algorithm>

#include "properties/checkers.h"
#include "tests/properties/history_builder.h"

namespace cdc::properties::testing {
namespace {

TEST(CheckAllTest, NamesAndOrderAreFixed) {
  const std::vector<std::string> expected = {
      "convergence", "no_loss", "no_resurrection", "no_regression", "per_key_commit_order",
      "precise_history", "coverage", "only_changes", "exactly_once", "liveness", "retention_period",
      // Keyless bindings, judged by bags of row values.
      "keyless_convergence", "keyless_no_loss", "keyless_duplicates",
      // Destination properties, judged only when the history has materializations.
      "destination_convergence", "delta_no_loss", "delta_duplicates", "delta_no_prebackfill_rows",
      "destination_no_regression", "destination_no_resurrection", "retention_loss",
      // Across keys, tables and readers.
      "transaction_order",
      // The capture's restarts.
      "resume_state"};
  EXPECT_EQ(property_names(), expected);
  const std::vector<Verdict> all = check_all(clean_normal().build());
  ASSERT_EQ(all.size(), expected.size());
  for (size_t i = 0; i < all.size(); ++i)
    EXPECT_EQ(all[i].property, expected[i]);
}

// The capture-side properties that a Normal run without materializations
// (and without restarts) cannot be judged by.
bool not_applicable_to_clean_normal(const std::string& property) {
  static const std::vector<std::string> kNames = {"precise_history",
                                                  "only_changes",
                                                  "destination_convergence",
                                                  "delta_no_loss",
                                                  "delta_duplicates",
                                                  "delta_no_prebackfill_rows",
                                                  "destination_no_regression",
                                                  "destination_no_resurrection",
                                                  "retention_loss",
                                                  "retention_period",
                                                  "resume_state",
                                                  "keyless_convergence",
                                                  "keyless_no_loss",
                                                  "keyless_duplicates"};
  return std::find(kNames.begin(), kNames.end(), property) != kNames.end();
}

TEST(CheckAllTest, ACleanNormalRunHoldsWhereverItApplies) {
  for (const Verdict& v : check_all(clean_normal().build())) {
    if (not_applicable_to_clean_normal(v.property)) {
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
