// The one parallel runner: work items 0..n-1 on `jobs` threads, handed out
// in increasing order, results stored by index, so that what ran and what it
// found do not depend on the number of threads.
//
// Stop rules:
// - a time budget: no item starts after `budget_s` seconds (0: none); the
//   set of items run then depends on time, and the result says so;
// - stop at the first failure: no item starts past the lowest failing item
//   found so far, so when the workers stop every item below it has run and
//   the lowest failing item is known exactly (unless the budget ended first);
// - at most `max_items` items.
//
// The only clock read in the campaign library is here (budgets) and in the
// shrinker's budget; neither reaches a history.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <vector>

namespace cdc::campaign {

struct RunnerOptions {
  uint32_t jobs = 1;
  double budget_s = 0;  // 0: no time budget
  bool stop_at_first_failure = false;
  size_t max_items = std::numeric_limits<size_t>::max();
  // Called about every 200 ms from a thread of its own with (done, failed,
  // elapsed seconds); may be empty.
  std::function<void(size_t, size_t, double)> progress;
};

struct RunnerResult {
  std::vector<uint8_t> ran;             // per item: 1 when it ran
  std::optional<size_t> first_failure;  // the lowest failing item that ran
  size_t clean_prefix = 0;              // items [0, clean_prefix) all ran and passed
  uint64_t runs = 0;
  double seconds = 0;
  bool budget_spent = false;         // the time budget stopped items from starting
  double first_failure_seconds = 0;  // when the lowest failure was found
};

// Runs `work(i)` for the items the rules allow; work returns true when item
// i failed. REQUIRES: work is safe to call concurrently for distinct i.
RunnerResult run_items(size_t n, const RunnerOptions& options,
                       const std::function<bool(size_t)>& work);

}  // namespace cdc::campaign
