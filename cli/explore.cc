#include "cli/explore.h"

#include <fmt/core.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "properties/checkers.h"
#include "reports/atomic_file.h"
#include "scenarios/expect.h"
#include "scenarios/loader.h"
#include "sim/configurations.h"
#include "sim/matrix.h"

namespace cdc::cli {

namespace {

struct Item {
  size_t source = 0;  // index of the scenario file, or of the matrix cell
  uint64_t seed = 0;
};

struct Outcome {
  bool ran = false;
  std::string fingerprint;
  std::vector<std::string> failures;  // "property: explanation"
};

std::string reproduce(const ExploreArgs& a, const std::vector<sim::MatrixCell>& cells,
                      const Item& it) {
  if (!a.files.empty()) return fmt::format("cdcsim run {} --seed {}", a.files[it.source], it.seed);
  const sim::MatrixCell& c = cells[it.source];
  const char* backfill[] = {"none", "capture", "materialization", "dataflow"};
  const char* faults[] = {"none", "crashes", "slot-loss", "retention"};
  std::string mode = to_string(c.mode);
  std::erase(mode, ' ');
  return fmt::format(
      "cdcsim world --seed {} --mode {} --faults {} --backfill {} --strategy {} --ticks 120",
      it.seed, mode, faults[static_cast<int>(c.faults)], backfill[static_cast<int>(c.backfill)],
      to_string(c.strategy));
}

Outcome run_item(const std::vector<scenarios::Scenario>& scs,
                 const std::vector<sim::MatrixCell>& cells, const Item& it) {
  Outcome out;
  out.ran = true;
  if (!scs.empty()) {
    scenarios::Scenario sc = scs[it.source];
    // A "violated" expectation demonstrates a warned outcome on the file's own
    // seed; other seeds need not hit it. "holds" must hold on every seed.
    if (it.seed != sc.options.seed) sc.expect.violated.clear();
    sc.options.seed = it.seed;
    const sim::RunResult r = sim::run_world(sc.options);
    out.fingerprint = r.fingerprint;
    for (const properties::Verdict& v : properties::check_all(r.history)) {
      const scenarios::ExpectCheck c = scenarios::check_expectation(sc.expect, v);
      if (!c.met) out.failures.push_back(c.message);
    }
    return out;
  }
  const sim::MatrixCell& c = cells[it.source];
  sim::WorldOptions o = sim::configured_world(it.seed, c.mode, c.faults, c.backfill, c.strategy);
  o.safety_ticks = 120;
  const sim::RunResult r = sim::run_world(o);
  out.fingerprint = r.fingerprint;
  const auto seen = properties::situations(r.history);
  for (const properties::Verdict& v : properties::check_all(r.history)) {
    if (v.violated() && properties::expectation(c.mode, c.faults, v.property, seen).expect ==
                            properties::Expect::kHolds) {
      out.failures.push_back(v.property + ": " + v.explanation);
    }
  }
  return out;
}

bool parse_shard(const std::string& s, uint64_t* index, uint64_t* count) {
  const size_t slash = s.find('/');
  if (slash == std::string::npos) return false;
  try {
    *index = std::stoull(s.substr(0, slash));
    *count = std::stoull(s.substr(slash + 1));
  } catch (const std::logic_error&) {
    return false;
  }
  return *count > 0 && *index < *count;
}

}  // namespace

int run_explore(const ExploreArgs& a) {
  uint64_t shard = 0, shards = 1;
  if (!parse_shard(a.shard, &shard, &shards)) {
    fmt::print(stderr, "error: --shard must be I/N with 0 <= I < N, not \"{}\"\n", a.shard);
    return 2;
  }
  std::vector<scenarios::Scenario> scs;
  for (const std::string& f : a.files) {
    const scenarios::LoadResult r = scenarios::load_scenario_file(f);
    if (const auto* err = std::get_if<scenarios::LoadError>(&r)) {
      fmt::print(stderr, "error: {}\n", err->to_string());
      return 2;
    }
    scs.push_back(std::get<scenarios::Scenario>(r));
  }
  const std::vector<sim::MatrixCell> cells = sim::all_cells();
  const size_t sources = scs.empty() ? cells.size() : scs.size();
  std::vector<Item> items;  // every (source, seed), then this shard's share
  for (uint64_t seed = 1; seed <= a.seeds; ++seed) {
    for (size_t s = 0; s < sources; ++s)
      items.push_back({s, seed});
  }
  std::vector<Item> mine;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i % shards == shard) mine.push_back(items[i]);
  }
  fmt::print("cdcsim explore{} --seeds {} --jobs {} --shard {}/{}{}\n",
             a.files.empty() ? " (every matrix cell)" : fmt::format(" {} files", a.files.size()),
             a.seeds, a.jobs, shard, shards,
             a.budget_s > 0 ? fmt::format(" --budget-s {}", a.budget_s) : "");
  std::vector<Outcome> outcomes(mine.size());
  std::atomic<size_t> next{0}, done{0}, failed{0};
  const auto start = std::chrono::steady_clock::now();  // the CLI may read the clock
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  auto worker = [&] {
    for (;;) {
      if (a.budget_s > 0 && elapsed() > a.budget_s) return;
      const size_t i = next.fetch_add(1);
      if (i >= mine.size()) return;
      outcomes[i] = run_item(scs, cells, mine[i]);
      failed += !outcomes[i].failures.empty();
      ++done;
    }
  };
  std::vector<std::thread> threads;
  for (uint32_t j = 1; j < a.jobs; ++j)
    threads.emplace_back(worker);
  const bool tty = isatty(STDERR_FILENO);
  std::thread progress;
  std::atomic<bool> finished{false};
  if (tty) {
    progress = std::thread([&] {
      while (!finished) {
        const double t = elapsed();
        const size_t d = done;
        const double rate = t > 0 ? static_cast<double>(d) / t : 0;
        fmt::print(stderr, "\r{}/{} seeds, {} failures, {:.0f}/s, {:.0f}s left   ", d, mine.size(),
                   failed.load(), rate,
                   rate > 0 ? static_cast<double>(mine.size() - d) / rate : 0.0);
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
      }
      fmt::print(stderr, "\n");
    });
  }
  worker();
  for (std::thread& t : threads)
    t.join();
  finished = true;
  if (progress.joinable()) progress.join();

  nlohmann::json j;
  j["schema_version"] = 1;
  j["options"] = {
      {"files", a.files}, {"seeds", a.seeds}, {"shard", fmt::format("{}/{}", shard, shards)}};
  nlohmann::json failures = nlohmann::json::array();
  size_t ran = 0;
  for (size_t i = 0; i < mine.size(); ++i) {
    if (!outcomes[i].ran) continue;
    ++ran;
    if (outcomes[i].failures.empty()) continue;
    failures.push_back({{"seed", mine[i].seed},
                        {"reproduce", reproduce(a, cells, mine[i])},
                        {"fingerprint", outcomes[i].fingerprint},
                        {"failures", outcomes[i].failures}});
  }
  j["runs"] = ran;
  j["failed_runs"] = failures.size();
  j["failures"] = failures;
  std::error_code ec;
  std::filesystem::create_directories(a.out_dir, ec);
  const Status st = reports::write_file_atomically(a.out_dir + "/explore.json", j.dump(2) + "\n");
  if (!st.is_ok()) {
    fmt::print(stderr, "error: {}\n", st.message());
    return 2;
  }
  fmt::print("{} runs in {:.1f}s ({:.0f} runs/s), {} failed; wrote {}/explore.json\n", ran,
             elapsed(), elapsed() > 0 ? static_cast<double>(ran) / elapsed() : 0.0, failures.size(),
             a.out_dir);
  for (const auto& f : failures) {
    fmt::print("FAILED: {}\n  {}\n", f["reproduce"].get<std::string>(),
               f["failures"][0].get<std::string>());
  }
  return failures.empty() ? 0 : 1;
}

}  // namespace cdc::cli
