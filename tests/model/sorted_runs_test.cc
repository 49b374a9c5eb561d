// merge_appended_run against std::sort: runs in order, out of order, empty,
// and runs that interleave with what is already there.
#include "model/sorted_runs.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace cdc {
namespace {

TEST(SortedRunsTest, MergesARunThatInterleaves) {
  std::vector<int> v = {1, 4, 9};
  v.insert(v.end(), {2, 3, 10});
  merge_appended_run(&v, 3);
  EXPECT_EQ(v, (std::vector<int>{1, 2, 3, 4, 9, 10}));
}

TEST(SortedRunsTest, SortsARunThatArrivesOutOfOrder) {
  std::vector<int> v = {5};
  v.insert(v.end(), {7, 0, 6});
  merge_appended_run(&v, 1);
  EXPECT_EQ(v, (std::vector<int>{0, 5, 6, 7}));
}

TEST(SortedRunsTest, EmptyRunsChangeNothing) {
  std::vector<int> v;
  merge_appended_run(&v, 0);
  EXPECT_TRUE(v.empty());
  v = {1, 2};
  merge_appended_run(&v, 2);
  EXPECT_EQ(v, (std::vector<int>{1, 2}));
}

RC_GTEST_PROP(SortedRunsProps, RunsMergedOneByOneEqualOneSort,
              (const std::vector<std::vector<int64_t>>& runs)) {
  std::vector<int64_t> merged;
  std::vector<int64_t> all;
  for (const std::vector<int64_t>& run : runs) {
    const size_t start = merged.size();
    merged.insert(merged.end(), run.begin(), run.end());
    all.insert(all.end(), run.begin(), run.end());
    merge_appended_run(&merged, start);
    RC_ASSERT(std::is_sorted(merged.begin(), merged.end()));
  }
  std::sort(all.begin(), all.end());
  RC_ASSERT(merged == all);
}

}  // namespace
}  // namespace cdc
