#include "cli/explore.h"

#include <fmt/core.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <optional>
#include <set>
#include <thread>

#include "cli/shrink.h"
#include "cli/target.h"
#include "properties/checkers.h"
#include "properties/expectations.h"
#include "reports/atomic_file.h"
#include "reports/failure_report.h"
#include "scenarios/loader.h"
#include "sim/matrix.h"

namespace cdc::cli {

namespace {

struct Source {
  std::string file;                     // a scenario file
  std::optional<sim::MatrixCell> cell;  // or a matrix cell
};

struct Item {
  size_t source = 0;
  uint64_t seed = 0;
};

struct Outcome {
  bool ran = false;
  std::string fingerprint;
  std::vector<Finding> findings;
  std::vector<properties::Verdict> verdicts;  // matrix cells only (for the tallies)
  std::vector<properties::Situation> seen;    // matrix cells only
};

Target target_of(const Source& s, uint64_t seed) {
  if (s.cell) return std::get<Target>(cell_target(sim::cell_spec(*s.cell), seed));
  std::variant<Target, std::string> t = file_target(s.file, seed);
  CDC_ASSERT(std::holds_alternative<Target>(t), "a scenario file that loaded once loads again");
  return std::get<Target>(std::move(t));
}

Outcome run_item(const Source& s, const Item& it) {
  Outcome out;
  out.ran = true;
  const Target t = target_of(s, it.seed);
  const sim::RunResult r = sim::run_world(t.options);
  out.fingerprint = r.fingerprint;
  out.findings = judge(t, r.history);
  if (s.cell) {
    out.verdicts = properties::check_all(r.history);
    out.seen = properties::situations(r.history);
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

std::string file_name_part(std::string s) {
  for (char& c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') c = '-';
  }
  return s;
}

// Runs `work(i)` for i in [0, n) on `jobs` threads; `stop()` ends it early.
template <typename Work, typename Stop>
void parallel(size_t n, uint32_t jobs, Work work, Stop stop) {
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (;;) {
      if (stop()) return;
      const size_t i = next.fetch_add(1);
      if (i >= n) return;
      work(i);
    }
  };
  std::vector<std::thread> threads;
  for (uint32_t j = 1; j < jobs; ++j)
    threads.emplace_back(worker);
  worker();
  for (std::thread& t : threads)
    t.join();
}

struct CaseRef {
  size_t item = 0;  // index into this shard's items
  size_t finding = 0;
};

reports::ReportCase make_case(const Source& src, const Item& it, const Outcome& o, const Finding& f,
                              const std::string& out_dir, double budget_s) {
  reports::ReportCase c;
  const Target t = target_of(src, it.seed);
  c.title = fmt::format("{} seed {}: {}", t.name(), it.seed, f.verdict.property);
  c.unexpected = f.unexpected;
  c.expectation = f.unexpected ? "" : f.why;
  c.reproduce = t.replay_command() + " --fingerprint " + o.fingerprint;
  c.fingerprint = o.fingerprint;
  c.verdict = f.verdict;
  std::optional<history::History> shown;
  if (f.verdict.violated()) {
    const Shrunk s = shrink_target(t, f.verdict.property, budget_s);
    c.steps_before = s.steps_before;
    c.steps_after = s.steps_after;
    c.shrink_seconds = s.seconds;
    c.shrunk_yaml = s.yaml;
    const std::string stem = t.cell ? t.name() : std::filesystem::path(t.file).stem().string();
    c.shrunk_path =
        fmt::format("shrunk/{}-seed-{}-{}.yaml", file_name_part(stem), it.seed, f.verdict.property);
    std::error_code ec;
    std::filesystem::create_directories(out_dir + "/shrunk", ec);
    (void)reports::write_file_atomically(out_dir + "/" + c.shrunk_path, s.yaml);
    // Show the shrunk run: its explanation and timeline are the smallest.
    const scenarios::LoadResult back = scenarios::load_scenario_text(s.yaml, c.shrunk_path);
    if (const auto* sc = std::get_if<scenarios::Scenario>(&back)) {
      sim::RunResult r = sim::run_world(sc->options);
      for (const properties::Verdict& v : properties::check_all(r.history)) {
        if (v.property == f.verdict.property && v.violated()) c.verdict = v;
      }
      shown = std::move(r.history);
    }
  }
  if (!shown) shown = sim::run_world(t.options).history;
  if (c.verdict.subject) {
    c.timeline = reports::key_timeline(*shown, c.verdict.subject->binding, c.verdict.subject->key);
  }
  return c;
}

}  // namespace

int run_explore(const ExploreArgs& a) {
  uint64_t shard = 0, shards = 1;
  if (!parse_shard(a.shard, &shard, &shards)) {
    fmt::print(stderr, "error: --shard must be I/N with 0 <= I < N, not \"{}\"\n", a.shard);
    return 2;
  }
  std::vector<Source> sources;
  for (const std::string& f : a.files) {
    std::variant<Target, std::string> t = file_target(f, std::nullopt);
    if (const auto* err = std::get_if<std::string>(&t)) {
      fmt::print(stderr, "error: {}\n", *err);
      return 2;
    }
    sources.push_back({f, std::nullopt});
  }
  const bool cells = a.matrix || a.files.empty();
  std::optional<sim::Matrix> matrix;
  std::vector<size_t> matrix_row;  // per source: its row in the matrix
  if (cells) {
    matrix.emplace();
    matrix->options.seeds = a.seeds;
    matrix->property_names = properties::property_names();
    matrix_row.assign(sources.size(), 0);
    for (const sim::MatrixCell& c : sim::all_cells()) {
      matrix_row.push_back(matrix->rows.size());
      matrix->rows.emplace_back().cell = c;
      sources.push_back({"", c});
    }
  }
  std::vector<Item> mine;  // every (source, seed), seed-major; this shard's share
  size_t index = 0;
  for (uint64_t seed = 1; seed <= a.seeds; ++seed) {
    for (size_t s = 0; s < sources.size(); ++s, ++index) {
      if (index % shards == shard) mine.push_back({s, seed});
    }
  }
  fmt::print("cdcsim explore: {} files{} x {} seeds, --jobs {} --shard {}/{}{}\n", a.files.size(),
             cells ? " + every matrix cell" : "", a.seeds, a.jobs, shard, shards,
             a.budget_s > 0 ? fmt::format(" --budget-s {}", a.budget_s) : "");
  std::vector<Outcome> outcomes(mine.size());
  std::atomic<size_t> done{0}, failed{0};
  const auto start = std::chrono::steady_clock::now();  // the CLI may read the clock
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  std::atomic<bool> finished{false};
  std::thread progress;
  if (isatty(STDERR_FILENO)) {
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
  parallel(
      mine.size(), a.jobs,
      [&](size_t i) {
        outcomes[i] = run_item(sources[mine[i].source], mine[i]);
        failed += std::any_of(outcomes[i].findings.begin(), outcomes[i].findings.end(),
                              [](const Finding& f) { return f.unexpected; });
        ++done;
      },
      [&] { return a.budget_s > 0 && elapsed() > a.budget_s; });
  finished = true;
  if (progress.joinable()) progress.join();
  const double run_seconds = elapsed();

  reports::ExploreReport report;
  report.command = "cdcsim explore";
  for (const std::string& f : a.files)
    report.command += " " + f;
  report.command += fmt::format("{} --seeds {} --shard {}/{}", a.matrix ? " --matrix" : "", a.seeds,
                                shard, shards);
  report.files = a.files;
  report.seeds = a.seeds;
  std::vector<CaseRef> failures, demos;
  std::set<std::string> demo_seen;  // properties with an example
  for (size_t i = 0; i < mine.size(); ++i) {
    const Outcome& o = outcomes[i];
    if (!o.ran) continue;
    ++report.runs;
    if (matrix && sources[mine[i].source].cell)
      sim::tally_run(&*matrix, matrix_row[mine[i].source], mine[i].seed, o.verdicts, o.seen);
    bool run_failed = false;
    for (size_t k = 0; k < o.findings.size(); ++k) {
      const Finding& f = o.findings[k];
      if (f.verdict.violated()) ++report.violations_by_property[f.verdict.property];
      if (f.unexpected && !run_failed) {
        run_failed = true;
        failures.push_back({i, k});
      } else if (!f.unexpected && demos.size() < a.demos && f.verdict.violated() &&
                 demo_seen.insert(f.verdict.property).second) {
        demos.push_back({i, k});
      }
    }
    report.failed_runs += run_failed;
  }
  report.matrix = std::move(matrix);
  std::vector<CaseRef> shown(failures.begin(),
                             failures.begin() + std::min<size_t>(failures.size(), a.shrink));
  shown.insert(shown.end(), demos.begin(), demos.end());
  std::vector<reports::ReportCase> cases(shown.size());
  parallel(
      shown.size(), a.jobs,
      [&](size_t c) {
        const Item& it = mine[shown[c].item];
        const Outcome& o = outcomes[shown[c].item];
        cases[c] = make_case(sources[it.source], it, o, o.findings[shown[c].finding], a.out_dir,
                             a.shrink_budget_s);
      },
      [] { return false; });
  report.cases = std::move(cases);
  report.seconds = elapsed();

  std::error_code ec;
  std::filesystem::create_directories(a.out_dir, ec);
  for (const auto& [name, text] : {std::pair{"explore.json", reports::report_json(report)},
                                   std::pair{"explore.md", reports::report_markdown(report)},
                                   std::pair{"explore.html", reports::report_html(report)}}) {
    const Status st = reports::write_file_atomically(a.out_dir + "/" + name, text);
    if (!st.is_ok()) {
      fmt::print(stderr, "error: {}\n", st.message());
      return 2;
    }
  }
  fmt::print("{} runs in {:.1f}s ({:.0f} runs/s), {} failed; wrote {}/explore.{{json,md,html}}\n",
             report.runs, run_seconds,
             run_seconds > 0 ? static_cast<double>(report.runs) / run_seconds : 0.0,
             report.failed_runs, a.out_dir);
  for (const reports::ReportCase& c : report.cases) {
    fmt::print("{}: {}\n  {}\n", c.unexpected ? "FAILED" : "allowed", c.title, c.reproduce);
    if (!c.shrunk_path.empty()) {
      fmt::print("  shrunk {} -> {} steps in {:.2f}s: cdcsim run {}/{}\n", c.steps_before,
                 c.steps_after, c.shrink_seconds, a.out_dir, c.shrunk_path);
    }
  }
  for (size_t i = a.shrink; i < failures.size(); ++i) {
    const Item& it = mine[failures[i].item];
    fmt::print("FAILED: {} --fingerprint {}\n",
               target_of(sources[it.source], it.seed).replay_command(),
               outcomes[failures[i].item].fingerprint);
  }
  return report.failed_runs == 0 ? 0 : 1;
}

}  // namespace cdc::cli
