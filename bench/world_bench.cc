// End-to-end benchmarks of the simulation.
//
//   BM_EndToEndChanges: source row changes per second through source -> WAL
//     -> capture -> collection, with every checker run on the history.
//     One long world over the two keyed demo tables, no faults.
//   BM_SmallWorlds: complete small runs (<= 100 workload operations, crashes
//     and query failures on, a merge materialization, every checker) per
//     second, one seed each.
//
// Run: build/default/bench/world_bench
//      CDCSIM_BENCH_RUNS=N build/default/bench/world_bench   (BM_SmallWorlds:
//      exactly seeds 1..N, for instruction counts, instead of 2 s of runs)
#include <benchmark/benchmark.h>

#include <charconv>
#include <cstdlib>
#include <string_view>

#include "bench/heap_in_use.h"
#include "properties/checkers.h"
#include "sim/configurations.h"
#include "sim/source_workload.h"

namespace cdc::sim {
namespace {

void BM_EndToEndChanges(benchmark::State& state) {
  uint64_t changes = 0;
  uint64_t seed = 1;
  for (auto _ : state) {
    WorldOptions o =
        configured_world(seed++, BackfillMode::kAutomatic, properties::FaultClass::kNone);
    o.tables = demo_schemas();
    o.tables.pop_back();  // keyed tables only: the keyless workload scans its table per write
    o.bindings.pop_back();
    o.faults = FaultWeights{};
    o.materialize = false;  // the pipeline measured: source -> WAL -> capture -> collection
    o.write_per_tick = {1, 1};
    o.workload.key_space = 4096;
    o.workload.commit_after_statement = {1, 2};
    o.capture.stream_txns_per_step = 64;
    o.safety_ticks = static_cast<uint64_t>(state.range(0));
    const RunResult r = run_world(o);
    for (const auto& c : r.history.source_commits)
      changes += c.changes.size();
    const std::vector<properties::Verdict> verdicts = properties::check_all(r.history);
    benchmark::DoNotOptimize(verdicts.data());
  }
  state.SetLabel(bench::allocator_name());
  state.counters["changes_per_s"] =
      benchmark::Counter(static_cast<double>(changes), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_EndToEndChanges)->Arg(200'000)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_SmallWorlds(benchmark::State& state) {
  uint64_t seed = 1;
  for (auto _ : state) {
    WorldOptions o =
        configured_world(seed++, BackfillMode::kAutomatic, properties::FaultClass::kCrashes);
    o.materialize = state.range(0) != 0;
    o.safety_ticks = 100;  // at most 100 workload operations
    o.liveness_ticks_max = 2000;
    const RunResult r = run_world(o);
    const std::vector<properties::Verdict> verdicts = properties::check_all(r.history);
    benchmark::DoNotOptimize(verdicts.data());
  }
  state.SetLabel(bench::allocator_name());
  state.counters["runs_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
// Arg 0: source -> capture -> collections only (the pipeline of the capture
// issue); arg 1: with a merge materialization and its seven checkers.
// CDCSIM_BENCH_RUNS=N fixes the runs at seeds 1..N instead of timing for 2 s:
// the same work in every binary, for counting instructions under callgrind.
void small_world_runs(benchmark::internal::Benchmark* b) {
  b->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);
  const char* runs = std::getenv("CDCSIM_BENCH_RUNS");
  int64_t n = 0;
  const std::string_view text = runs == nullptr ? "" : runs;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec == std::errc() && end == text.data() + text.size() && n > 0) {
    b->Iterations(n);
  } else {
    b->MinTime(2.0);
  }
}
BENCHMARK(BM_SmallWorlds)->Apply(small_world_runs);

}  // namespace
}  // namespace cdc::sim

BENCHMARK_MAIN();
