// The parallel runner: every item runs once, results do not depend on the
// number of threads, and the stop rules stop where they say.
#include "campaign/runner.h"

#include <gtest/gtest.h>

#include <atomic>

namespace cdc::campaign {
namespace {

TEST(RunnerTest, RunsEveryItemOnceWhateverTheThreads) {
  for (uint32_t jobs : {1u, 2u, 4u}) {
    std::vector<std::atomic<int>> count(100);
    RunnerOptions o;
    o.jobs = jobs;
    const RunnerResult r = run_items(100, o, [&](size_t i) {
      ++count[i];
      return i % 7 == 3;
    });
    EXPECT_EQ(r.runs, 100u);
    ASSERT_TRUE(r.first_failure.has_value());
    EXPECT_EQ(*r.first_failure, 3u);
    EXPECT_EQ(r.clean_prefix, 3u);
    for (const auto& c : count)
      EXPECT_EQ(c.load(), 1);
  }
}

TEST(RunnerTest, StopsAtTheLowestFailureWithEveryItemBelowItRun) {
  for (uint32_t jobs : {1u, 2u, 3u}) {
    RunnerOptions o;
    o.jobs = jobs;
    o.stop_at_first_failure = true;
    const RunnerResult r = run_items(1000, o, [](size_t i) { return i == 40 || i == 41; });
    ASSERT_TRUE(r.first_failure.has_value());
    EXPECT_EQ(*r.first_failure, 40u) << jobs << " jobs";
    EXPECT_EQ(r.clean_prefix, 40u);
    for (size_t i = 0; i <= 40; ++i)
      EXPECT_TRUE(r.ran[i]) << i;
    EXPECT_LT(r.runs, 1000u);  // it stopped
  }
}

TEST(RunnerTest, MaxItemsAndTimeBudgetStopIt) {
  RunnerOptions o;
  o.max_items = 10;
  EXPECT_EQ(run_items(100, o, [](size_t) { return false; }).runs, 10u);
  RunnerOptions b;
  b.budget_s = 1e-9;  // spent before the first item
  const RunnerResult r = run_items(100, b, [](size_t) { return false; });
  EXPECT_TRUE(r.budget_spent);
  EXPECT_LT(r.runs, 100u);
  EXPECT_FALSE(r.first_failure.has_value());
}

}  // namespace
}  // namespace cdc::campaign
