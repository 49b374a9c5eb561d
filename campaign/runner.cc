#include "campaign/runner.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "model/assert.h"

namespace cdc::campaign {

namespace {

class Stopwatch {
 public:
  double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

// Shared state of one run_items call.
struct Shared {
  Shared(const RunnerOptions& options, const std::function<bool(size_t)>& w, size_t items)
      : o(options), work(w), n(items), ran(items, 0), failed(items, 0) {}

  const RunnerOptions& o;
  const std::function<bool(size_t)>& work;
  size_t n;
  Stopwatch clock;
  std::vector<uint8_t> ran, failed;  // per item; distinct items are distinct bytes
  std::atomic<size_t> next{0}, lowest_failure{std::numeric_limits<size_t>::max()};
  std::atomic<size_t> done{0}, failures{0};
  std::atomic<bool> budget_spent{false};
  std::mutex mu;
  double first_failure_seconds = 0;

  bool out_of_time() {
    if (o.budget_s <= 0 || clock.seconds() <= o.budget_s) return false;
    budget_spent = true;
    return true;
  }

  void note_failure(size_t i) {
    ++failures;
    const std::lock_guard<std::mutex> lock(mu);
    if (i < lowest_failure.load()) {
      lowest_failure = i;
      first_failure_seconds = clock.seconds();
    }
  }

  void worker() {
    for (size_t guard = 0; guard <= n; ++guard) {
      if (out_of_time()) return;
      const size_t i = next.fetch_add(1);
      if (i >= n) return;
      if (o.stop_at_first_failure && i > lowest_failure.load()) return;
      const bool f = work(i);
      ran[i] = 1;
      failed[i] = f ? 1 : 0;
      if (f) note_failure(i);
      ++done;
    }
  }
};

void report_progress(Shared* s, const std::atomic<bool>* finished) {
  for (;;) {
    for (int k = 0; k < 20 && !*finished; ++k)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (*finished) return;
    s->o.progress(s->done.load(), s->failures.load(), s->clock.seconds());
  }
}

}  // namespace

RunnerResult run_items(size_t n, const RunnerOptions& o, const std::function<bool(size_t)>& work) {
  CDC_ASSERT(o.jobs >= 1, "at least one worker");
  Shared s(o, work, std::min(n, o.max_items));
  std::atomic<bool> finished{false};
  std::thread progress;
  if (o.progress) progress = std::thread(report_progress, &s, &finished);
  std::vector<std::thread> threads;
  for (uint32_t j = 1; j < o.jobs; ++j)
    threads.emplace_back([&s] { s.worker(); });
  s.worker();
  for (std::thread& t : threads)
    t.join();
  finished = true;
  if (progress.joinable()) progress.join();
  RunnerResult r;
  r.runs = s.done.load();
  r.seconds = s.clock.seconds();
  r.budget_spent = s.budget_spent.load();
  r.first_failure_seconds = s.first_failure_seconds;
  for (size_t i = 0; i < s.n; ++i) {
    if (s.ran[i] && s.failed[i] && !r.first_failure) r.first_failure = i;
  }
  while (r.clean_prefix < s.n && s.ran[r.clean_prefix] && !s.failed[r.clean_prefix])
    ++r.clean_prefix;
  r.ran = std::move(s.ran);
  CDC_ASSERT(!r.first_failure || *r.first_failure >= r.clean_prefix,
             "the clean prefix ends at or before the first failure");
  return r;
}

}  // namespace cdc::campaign
