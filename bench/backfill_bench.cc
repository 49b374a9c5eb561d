// How a backfill's cost grows with the table.
//
//   BM_Backfill/N: one world over one integer-keyed table loaded with about N
//     rows (initial_rows = N over a key space of 2N, so some loader steps
//     update or delete), a Normal capture binding into a merge
//     materialization, concurrent writes every tick while the backfill
//     runs, then the liveness phase drains; every checker runs on the
//     history. Per size it reports the seconds of one run (and, of them,
//     check_seconds: the checkers'), the destination's rows, the peak resident set per row (getrusage; sizes run smallest
//     first, so each peak is this size's) and the growth exponent of the
//     seconds against the previous size: log(t2/t1) / log(n2/n1), 1.0 for
//     linear cost, 2.0 for quadratic.
//
//   BM_CheckerSeconds/N: the seconds of each checker on BM_Backfill/N's history.
//
// Run: build/default/bench/backfill_bench           (10k and 100k rows)
//      CDCSIM_BENCH_LARGE=1 build/default/bench/backfill_bench   (also 1M, 10M)
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <map>
#include <string>

#include "properties/checkers.h"
#include "sim/configurations.h"
#include "sim/source_workload.h"

namespace cdc::sim {
namespace {

double peak_rss_bytes() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) * 1024.0;  // Linux reports KiB
}

WorldOptions backfill_world(uint32_t rows) {
  WorldOptions o;
  o.seed = 1;
  o.tables = {demo_schemas().front()};
  CaptureBinding b;
  b.table = o.tables.front().name;
  b.collection = "acme/" + b.table;
  b.mode = BackfillMode::kNormal;
  o.bindings = {b};
  o.initial_rows = rows;
  o.workload.key_space = 2 * static_cast<int64_t>(rows);
  o.workload.truncate = Ratio{0, 1};
  o.write_per_tick = {1, 1};
  o.faults = FaultWeights{};
  o.capture.chunk_size = 4096;
  o.safety_ticks = 200;
  o.liveness_ticks_max = 1'000'000;
  return o;
}

void BM_Backfill(benchmark::State& state) {
  static std::map<int64_t, double> seconds_by_rows;
  const int64_t n = state.range(0);
  double seconds = 0;
  double check_seconds = 0;
  size_t dest_rows = 0;
  for (auto _ : state) {
    // The wall clock measures the benchmark only; nothing simulated reads it.
    const auto start = std::chrono::steady_clock::now();
    const RunResult r = run_world(backfill_world(static_cast<uint32_t>(n)));
    const auto checks = std::chrono::steady_clock::now();
    const std::vector<properties::Verdict> verdicts = properties::check_all(r.history);
    benchmark::DoNotOptimize(verdicts.data());
    const auto end = std::chrono::steady_clock::now();
    seconds = std::chrono::duration<double>(end - start).count();
    check_seconds = std::chrono::duration<double>(end - checks).count();
    dest_rows = r.history.final_state.destinations.empty()
                    ? 0
                    : r.history.final_state.destinations.front().size();
  }
  state.counters["seconds"] = seconds;
  state.counters["check_seconds"] = check_seconds;
  state.counters["dest_rows"] = static_cast<double>(dest_rows);
  state.counters["peak_bytes_per_row"] = peak_rss_bytes() / static_cast<double>(n);
  auto prev = seconds_by_rows.lower_bound(n);
  if (prev != seconds_by_rows.begin()) {
    --prev;
    state.counters["growth_exponent"] =
        std::log(seconds / prev->second) /
        std::log(static_cast<double>(n) / static_cast<double>(prev->first));
  }
  seconds_by_rows[n] = seconds;
}

// Where the checkers' time goes: one 100k-row run as BM_Backfill, then the
// seconds of each checker inside check_all (shared timelines included in the
// first checker that builds them), as counters named after the properties.
void BM_CheckerSeconds(benchmark::State& state) {
  const RunResult r = run_world(backfill_world(static_cast<uint32_t>(state.range(0))));
  std::map<std::string, double> seconds;
  for (auto _ : state) {
    std::string running;
    auto since = std::chrono::steady_clock::now();
    const std::vector<properties::Verdict> verdicts =
        properties::check_all(r.history, [&](std::string_view next) {
          const auto now = std::chrono::steady_clock::now();
          if (!running.empty()) seconds[running] += std::chrono::duration<double>(now - since).count();
          running = std::string(next);
          since = now;
        });
    benchmark::DoNotOptimize(verdicts.data());
  }
  for (const auto& [name, s] : seconds)
    state.counters[name] = s;
}
BENCHMARK(BM_CheckerSeconds)->Arg(100'000)->Iterations(1)->Unit(benchmark::kSecond);

void sizes(benchmark::internal::Benchmark* b) {
  b->Arg(10'000)->Arg(100'000);
  const char* large = std::getenv("CDCSIM_BENCH_LARGE");
  if (large && std::string(large) == "1") b->Arg(1'000'000)->Arg(10'000'000);
}
BENCHMARK(BM_Backfill)->Apply(sizes)->Iterations(1)->Unit(benchmark::kSecond);

}  // namespace
}  // namespace cdc::sim

BENCHMARK_MAIN();
