// The destination checkers in check_all(): appended after the collection
// checkers, in a fixed order, and each one accepts a faithful pipeline or
// says it cannot judge it.

#include <gtest/gtest.h>

#include <algorithm>

#include "properties/checkers.h"
#include "tests/properties/destination_builder.h"

namespace cdc::properties::testing {
namespace {

const std::vector<std::string> kDestinationNames = {"destination_convergence",
                                                    "delta_no_loss",
                                                    "delta_duplicates",
                                                    "delta_no_prebackfill_rows",
                                                    "destination_no_regression",
                                                    "destination_no_resurrection",
                                                    "retention_loss"};

// After them come transaction_order, which judges collections and
// destinations alike, and resume_state, which judges the capture's restarts.
TEST(DestinationCheckAllTest, TheDestinationCheckersComeAfterTheCollectionCheckersInAFixedOrder) {
  const std::vector<std::string>& names = property_names();
  ASSERT_GE(names.size(), kDestinationNames.size() + 2);
  EXPECT_EQ(names.end()[-2], "transaction_order");
  EXPECT_EQ(names.back(), "resume_state");
  const std::vector<std::string> tail(names.end() - static_cast<long>(kDestinationNames.size()) - 2,
                                      names.end() - 2);
  EXPECT_EQ(tail, kDestinationNames);
}

Verdict find(const std::vector<Verdict>& all, const std::string& name) {
  const auto it =
      std::find_if(all.begin(), all.end(), [&](const Verdict& v) { return v.property == name; });
  EXPECT_NE(it, all.end()) << name;
  return it == all.end() ? Verdict{} : *it;
}

TEST(DestinationCheckAllTest, AFaithfulMergePipelineHoldsWhereverItApplies) {
  const std::vector<Verdict> all = check_all(clean_merge().build());
  for (const char* name : {"destination_convergence", "destination_no_regression",
                           "destination_no_resurrection", "transaction_order"}) {
    EXPECT_TRUE(Holds(find(all, name)));
  }
  for (const char* name :
       {"delta_no_loss", "delta_duplicates", "delta_no_prebackfill_rows", "retention_loss"}) {
    EXPECT_TRUE(Unknown(find(all, name)));
  }
}

TEST(DestinationCheckAllTest, AFaithfulDeltaPipelineHoldsWhereverItApplies) {
  const std::vector<Verdict> all = check_all(clean_delta().build());
  for (const char* name : {"delta_no_loss", "delta_duplicates", "transaction_order"}) {
    EXPECT_TRUE(Holds(find(all, name)));
  }
  for (const char* name :
       {"destination_convergence", "delta_no_prebackfill_rows", "destination_no_regression",
        "destination_no_resurrection", "retention_loss"}) {
    EXPECT_TRUE(Unknown(find(all, name)));
  }
}

TEST(DestinationCheckAllTest, WithoutMaterializationsEveryDestinationCheckerIsUnknown) {
  const std::vector<Verdict> all = check_all(clean_normal().build());
  for (const std::string& name : kDestinationNames)
    EXPECT_TRUE(Unknown(find(all, name)));
}

}  // namespace
}  // namespace cdc::properties::testing
