// How a backfill's cost grows with the table.
//
//   BM_Backfill/rows:N/table:T/bulk:B: one world over one demo table (T = 0:
//     the integer-keyed accounts; 1: tags, a text key under the locale
//     collation; 2: events, no primary key) loaded with about N rows
//     (initial_rows = N over a key space of 2N: with B = 0 by 3N workload
//     steps, so some update or delete; with B = 1 in bulk, N inserts of
//     distinct keys), a Normal capture binding into a merge materialization,
//     concurrent writes every tick while the backfill runs (Without Primary
//     Key for the keyless table), then the liveness phase drains; every
//     checker runs on the history. Per size it reports the seconds of one
//     run (and, of them, check_seconds: the checkers'), the destination's
//     rows and their mean size in the row encoding (row_bytes: what one
//     copy of a row weighs), the heap in use per row when the run ends
//     (heap_in_use.h: the world is gone by then, so it is the history the
//     run returns), the peak resident set per row (the process's VmHWM,
//     reset before each run; run_peak_rss_bytes_per_row, the same read
//     before the checkers start; check_peak_rss_bytes_per_row, the peak
//     while they run, from the resident set the run left) and the growth
//     exponent of the seconds against the previous size of the same table
//     and load: log(t2/t1) / log(n2/n1), 1.0 for linear cost, 2.0 for
//     quadratic.
//     history_bytes_per_row estimates the history's own share (history_bytes.h), and h_source,
//     h_chunks, h_collections, h_destinations and h_final its parts.
//
//   BM_CheckerSeconds/rows:N/table:T: the seconds of each checker on the
//     history of BM_Backfill/rows:N/table:T/bulk:0 (1M rows with
//     CDCSIM_BENCH_LARGE=1), and as <checker>_peak the peak resident set
//     per row while it ran (the history and what earlier checkers left
//     shared included: the checker with the highest sets the run's peak).
//
//   BM_HistoryFingerprint/rows:N: the fingerprint of the history of
//     BM_Backfill/rows:N/table:0/bulk:1 alone, in nanoseconds per row (1M
//     rows with CDCSIM_BENCH_LARGE=1).
//
// Run: build/default/bench/backfill_bench           (10k and 100k rows)
//      CDCSIM_BENCH_LARGE=1 build/default/bench/backfill_bench   (also 1M, 10M)
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <string>
#include <tuple>

#include "bench/heap_in_use.h"
#include "bench/history_bytes.h"
#include "model/row_codec.h"
#include "properties/checkers.h"
#include "sim/configurations.h"
#include "sim/history_fingerprint.h"
#include "sim/source_workload.h"

namespace cdc::sim {
namespace {

// The peak resident set since the last reset_peak_rss(): Linux's VmHWM,
// which writing 5 to /proc/self/clear_refs resets, so each benchmark reads
// its own peak whatever ran before it in the process (the allocator first
// hands back what it keeps free).
void reset_peak_rss(bool release_first = true) {
  if (release_first) bench::release_free_memory();
  std::ofstream("/proc/self/clear_refs") << "5";
}
double peak_rss_bytes() {
  std::ifstream status("/proc/self/status");
  std::string line;
  for (int lines = 0; lines < 200 && std::getline(status, line); ++lines) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) * 1024.0;  // in kB
  }
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) * 1024.0;  // the process's peak, in KiB
}

// `table`: the demo table backfilled (0: accounts, integer key; 1: tags, a
// text key under the locale collation; 2: events, no primary key); `bulk`:
// the initial rows are loaded in bulk (WorldOptions::InitialLoad).
WorldOptions backfill_world(uint32_t rows, size_t table = 0, bool bulk = false) {
  WorldOptions o;
  o.seed = 1;
  o.tables = {demo_schemas().at(table)};
  CaptureBinding b;
  b.table = o.tables.front().name;
  b.collection = "acme/" + b.table;
  b.mode =
      o.tables.front().has_primary_key() ? BackfillMode::kNormal : BackfillMode::kWithoutPrimaryKey;
  o.bindings = {b};
  o.initial_rows = rows;
  if (bulk) o.initial_load = WorldOptions::InitialLoad::kBulk;
  o.workload.key_space = 2 * static_cast<int64_t>(rows);
  o.workload.truncate = Ratio{0, 1};
  o.write_per_tick = {1, 1};
  o.faults = FaultWeights{};
  o.capture.chunk_size = 4096;
  o.safety_ticks = 200;
  o.liveness_ticks_max = 1'000'000;
  return o;
}

// The mean size of the destination's final rows in the row encoding the WAL
// carries (model/row_codec.h): what one copy of a row weighs, against which
// the bytes per row read.
double mean_row_bytes(const history::History& h) {
  if (h.final_state.destinations.empty() || h.final_state.destinations.front().empty()) return 0;
  const history::FinalRows rows(h, 0);
  std::string buffer;
  double total = 0;
  for (const history::DestinationRow& r : rows) {
    buffer.clear();
    encode_row(r.fields.values(), &buffer);
    total += static_cast<double>(buffer.size());
  }
  return total / static_cast<double>(rows.size());
}

void BM_Backfill(benchmark::State& state) {
  static std::map<std::tuple<int64_t, int64_t, int64_t>, double> seconds_by_kind_rows;
  const int64_t n = state.range(0);
  const int64_t table = state.range(1);
  const int64_t bulk = state.range(2);
  double seconds = 0;
  double check_seconds = 0;
  double heap_bytes = 0;
  double run_peak_bytes = 0;
  double check_peak_bytes = 0;
  size_t dest_rows = 0;
  double row_bytes = 0;
  bench::HistoryBytes history;
  for (auto _ : state) {
    // The wall clock measures the benchmark only; nothing simulated reads it.
    reset_peak_rss();
    const auto start = std::chrono::steady_clock::now();
    const size_t heap_before = bench::heap_in_use_bytes();
    const RunResult r =
        run_world(backfill_world(static_cast<uint32_t>(n), static_cast<size_t>(table), bulk != 0));
    heap_bytes = static_cast<double>(bench::heap_in_use_bytes()) - static_cast<double>(heap_before);
    run_peak_bytes = peak_rss_bytes();
    reset_peak_rss(/*release_first=*/false);  // the checkers' own peak, from where the run left
    const auto checks = std::chrono::steady_clock::now();
    const std::vector<properties::Verdict> verdicts = properties::check_all(r.history);
    benchmark::DoNotOptimize(verdicts.data());
    const auto end = std::chrono::steady_clock::now();
    check_peak_bytes = peak_rss_bytes();
    seconds = std::chrono::duration<double>(end - start).count();
    check_seconds = std::chrono::duration<double>(end - checks).count();
    // A measurement, not part of the run: outside the seconds reported.
    history = bench::history_bytes(r.history);
    dest_rows = r.history.final_state.destinations.empty()
                    ? 0
                    : r.history.final_state.destinations.front().size();
    row_bytes = mean_row_bytes(r.history);
  }
  state.SetLabel(bench::allocator_name());
  state.counters["seconds"] = seconds;
  state.counters["check_seconds"] = check_seconds;
  state.counters["dest_rows"] = static_cast<double>(dest_rows);
  state.counters["row_bytes"] = row_bytes;
  state.counters["heap_bytes_per_row"] = heap_bytes / static_cast<double>(n);
  state.counters["peak_rss_bytes_per_row"] =
      std::max(run_peak_bytes, check_peak_bytes) / static_cast<double>(n);
  state.counters["run_peak_rss_bytes_per_row"] = run_peak_bytes / static_cast<double>(n);
  state.counters["check_peak_rss_bytes_per_row"] = check_peak_bytes / static_cast<double>(n);
  // The history's share of the heap, by part (bench/history_bytes.h).
  const auto per_row = [&](size_t bytes) {
    return static_cast<double>(bytes) / static_cast<double>(n);
  };
  state.counters["history_bytes_per_row"] = per_row(history.total());
  state.counters["h_source"] = per_row(history.source);
  state.counters["h_chunks"] = per_row(history.chunks);
  state.counters["h_collections"] = per_row(history.collections);
  state.counters["h_destinations"] = per_row(history.destinations);
  state.counters["h_final"] = per_row(history.final_state);
  auto prev = seconds_by_kind_rows.lower_bound({table, bulk, n});
  if (prev != seconds_by_kind_rows.begin() && std::get<0>(std::prev(prev)->first) == table &&
      std::get<1>(std::prev(prev)->first) == bulk) {
    --prev;
    state.counters["growth_exponent"] =
        std::log(seconds / prev->second) /
        std::log(static_cast<double>(n) / static_cast<double>(std::get<2>(prev->first)));
  }
  seconds_by_kind_rows[{table, bulk, n}] = seconds;
}

// Where the checkers' time goes: one 100k-row run as BM_Backfill, then the
// seconds of each checker inside check_all (shared timelines included in the
// first checker that builds them), as counters named after the properties.
void BM_CheckerSeconds(benchmark::State& state) {
  const RunResult r = run_world(
      backfill_world(static_cast<uint32_t>(state.range(0)), static_cast<size_t>(state.range(1))));
  std::map<std::string, double> seconds;
  std::map<std::string, double> peak;
  const double rows = static_cast<double>(state.range(0));
  for (auto _ : state) {
    std::string running;
    auto since = std::chrono::steady_clock::now();
    const auto done = [&] {
      const auto now = std::chrono::steady_clock::now();
      if (!running.empty()) {
        seconds[running] += std::chrono::duration<double>(now - since).count();
        peak[running] = std::max(peak[running], peak_rss_bytes() / rows);
      }
      since = now;
    };
    const std::vector<properties::Verdict> verdicts =
        properties::check_all(r.history, [&](std::string_view next) {
          done();
          running = std::string(next);
          reset_peak_rss();
        });
    done();
    benchmark::DoNotOptimize(verdicts.data());
  }
  for (const auto& [name, s] : seconds)
    state.counters[name] = s;
  for (const auto& [name, bytes] : peak)
    state.counters[name + "_peak"] = bytes;
}

// The fingerprint of a bulk run's history (BM_Backfill/rows:N/table:0/bulk:1),
// alone: a walk over every row the history holds, whose rows lie wherever
// their first holder made them, so its time is mostly waiting on memory.
void BM_HistoryFingerprint(benchmark::State& state) {
  const RunResult r =
      run_world(backfill_world(static_cast<uint32_t>(state.range(0)), 0, /*bulk=*/true));
  double seconds = 0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    const std::string fp = fingerprint(r.history);
    benchmark::DoNotOptimize(fp.data());
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  state.counters["ns_per_row"] =
      seconds * 1e9 / static_cast<double>(state.range(0)) / static_cast<double>(state.iterations());
}
void fingerprint_sizes(benchmark::internal::Benchmark* b) {
  b->ArgNames({"rows"})->Arg(100'000);
  const char* large = std::getenv("CDCSIM_BENCH_LARGE");
  if (large && std::string(large) == "1") b->Arg(1'000'000);
}
BENCHMARK(BM_HistoryFingerprint)->Apply(fingerprint_sizes)->Unit(benchmark::kMillisecond);

// The integer-keyed table at every size; the locale-keyed and keyless ones
// at the two small sizes (their chunks walk another index, or ctid ranges).
// Each also with the initial rows loaded in bulk.
void sizes(benchmark::internal::Benchmark* b) {
  b->ArgNames({"rows", "table", "bulk"});
  const char* large = std::getenv("CDCSIM_BENCH_LARGE");
  for (int64_t bulk : {0, 1}) {
    b->Args({10'000, 0, bulk})->Args({100'000, 0, bulk});
    if (large && std::string(large) == "1")
      b->Args({1'000'000, 0, bulk})->Args({10'000'000, 0, bulk});
    for (int64_t table : {1, 2})
      b->Args({10'000, table, bulk})->Args({100'000, table, bulk});
  }
}
BENCHMARK(BM_Backfill)->Apply(sizes)->Iterations(1)->Unit(benchmark::kSecond);
void checker_sizes(benchmark::internal::Benchmark* b) {
  b->ArgNames({"rows", "table"})->Args({100'000, 0})->Args({100'000, 2});
  const char* large = std::getenv("CDCSIM_BENCH_LARGE");
  if (large && std::string(large) == "1") b->Args({1'000'000, 0});
}
BENCHMARK(BM_CheckerSeconds)->Apply(checker_sizes)->Iterations(1)->Unit(benchmark::kSecond);

}  // namespace
}  // namespace cdc::sim

BENCHMARK_MAIN();
