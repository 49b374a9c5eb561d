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
    Shrunk s = shrink_target(t, f.verdict.property, budget_s);
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
    // Show the shrunk run (its text replays to it: s.round_trip): its
    // explanation and timeline are the smallest.
    for (const properties::Verdict& v : properties::check_all(s.history)) {
      if (v.property == f.verdict.property && v.violated()) c.verdict = v;
    }
    shown = std::move(s.history);
  }
  if (!shown) shown = sim::run_world(t.options).history;
  if (c.verdict.subject) {
    c.timeline = reports::key_timeline(*shown, c.verdict.subject->binding, c.verdict.subject->key);
  }
  return c;
}

// What one explore invocation runs, then what it found.
class Exploration {
 public:
  explicit Exploration(const ExploreArgs& a) : a_(a) {}

  // Loads the files and lays out this shard's items; false (message
  // printed) on bad input.
  bool plan();
  void run();
  void summarize();
  void shrink_cases();
  bool write() const;  // explore.json, .md, .html; false (message printed) on failure
  void print() const;
  bool failed() const { return report_.failed_runs > 0; }

 private:
  double elapsed() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

  const ExploreArgs& a_;
  uint64_t shard_ = 0, shards_ = 1;
  std::vector<Source> sources_;
  std::optional<sim::Matrix> matrix_;
  std::vector<size_t> matrix_row_;  // per source: its row in the matrix
  std::vector<Item> items_;         // every (source, seed), seed-major; this shard's share
  std::vector<Outcome> outcomes_;   // per item
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  double run_seconds_ = 0;
  std::vector<CaseRef> failures_, demos_;
  reports::ExploreReport report_;
};

bool Exploration::plan() {
  if (!parse_shard(a_.shard, &shard_, &shards_)) {
    fmt::print(stderr, "error: --shard must be I/N with 0 <= I < N, not \"{}\"\n", a_.shard);
    return false;
  }
  for (const std::string& f : a_.files) {
    std::variant<Target, std::string> t = file_target(f, std::nullopt);
    if (const auto* err = std::get_if<std::string>(&t)) {
      fmt::print(stderr, "error: {}\n", *err);
      return false;
    }
    sources_.push_back({f, std::nullopt});
  }
  if (a_.matrix || a_.files.empty()) {
    matrix_.emplace();
    matrix_->options.seeds = a_.seeds;
    matrix_->property_names = properties::property_names();
    matrix_row_.assign(sources_.size(), 0);
    for (const sim::MatrixCell& c : sim::all_cells()) {
      matrix_row_.push_back(matrix_->rows.size());
      matrix_->rows.emplace_back().cell = c;
      sources_.push_back({"", c});
    }
  }
  size_t index = 0;
  for (uint64_t seed = 1; seed <= a_.seeds; ++seed) {
    for (size_t s = 0; s < sources_.size(); ++s, ++index) {
      if (index % shards_ == shard_) items_.push_back({s, seed});
    }
  }
  fmt::print("cdcsim explore: {} files{} x {} seeds, --jobs {} --shard {}/{}{}\n", a_.files.size(),
             matrix_ ? " + every matrix cell" : "", a_.seeds, a_.jobs, shard_, shards_,
             a_.budget_s > 0 ? fmt::format(" --budget-s {}", a_.budget_s) : "");
  return true;
}

// Every item on --jobs threads until the budget, with a progress line on a
// terminal (seeds done, failures, rate, time left).
void Exploration::run() {
  outcomes_.assign(items_.size(), {});
  std::atomic<size_t> done{0}, failed{0};
  std::atomic<bool> finished{false};
  std::thread progress;
  if (isatty(STDERR_FILENO)) {
    progress = std::thread([&] {
      while (!finished) {
        const double t = elapsed();
        const size_t d = done;
        const double rate = t > 0 ? static_cast<double>(d) / t : 0;
        fmt::print(stderr, "\r{}/{} seeds, {} failures, {:.0f}/s, {:.0f}s left   ", d,
                   items_.size(), failed.load(), rate,
                   rate > 0 ? static_cast<double>(items_.size() - d) / rate : 0.0);
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
      }
      fmt::print(stderr, "\n");
    });
  }
  parallel(
      items_.size(), a_.jobs,
      [&](size_t i) {
        outcomes_[i] = run_item(sources_[items_[i].source], items_[i]);
        failed += std::any_of(outcomes_[i].findings.begin(), outcomes_[i].findings.end(),
                              [](const Finding& f) { return f.unexpected; });
        ++done;
      },
      [&] { return a_.budget_s > 0 && elapsed() > a_.budget_s; });
  finished = true;
  if (progress.joinable()) progress.join();
  run_seconds_ = elapsed();
}

// Counts, matrix tallies, and which findings become report cases, in item
// order (so independent of the threads).
void Exploration::summarize() {
  report_.command = "cdcsim explore";
  for (const std::string& f : a_.files)
    report_.command += " " + f;
  report_.command += fmt::format("{} --seeds {} --shard {}/{}", a_.matrix ? " --matrix" : "",
                                 a_.seeds, shard_, shards_);
  report_.files = a_.files;
  report_.seeds = a_.seeds;
  std::set<std::string> demo_seen;  // properties with an example
  for (size_t i = 0; i < items_.size(); ++i) {
    const Outcome& o = outcomes_[i];
    if (!o.ran) continue;
    ++report_.runs;
    if (matrix_ && sources_[items_[i].source].cell) {
      sim::tally_run(&*matrix_, matrix_row_[items_[i].source], items_[i].seed, o.verdicts, o.seen);
    }
    bool run_failed = false;
    for (size_t k = 0; k < o.findings.size(); ++k) {
      const Finding& f = o.findings[k];
      if (f.verdict.violated()) ++report_.violations_by_property[f.verdict.property];
      if (f.unexpected && !run_failed) {
        run_failed = true;
        failures_.push_back({i, k});
      } else if (!f.unexpected && demos_.size() < a_.demos && f.verdict.violated() &&
                 demo_seen.insert(f.verdict.property).second) {
        demos_.push_back({i, k});
      }
    }
    report_.failed_runs += run_failed;
  }
  report_.matrix = matrix_;
}

void Exploration::shrink_cases() {
  std::vector<CaseRef> shown(failures_.begin(),
                             failures_.begin() + std::min<size_t>(failures_.size(), a_.shrink));
  shown.insert(shown.end(), demos_.begin(), demos_.end());
  report_.cases.assign(shown.size(), {});
  parallel(
      shown.size(), a_.jobs,
      [&](size_t c) {
        const Item& it = items_[shown[c].item];
        const Outcome& o = outcomes_[shown[c].item];
        report_.cases[c] = make_case(sources_[it.source], it, o, o.findings[shown[c].finding],
                                     a_.out_dir, a_.shrink_budget_s);
      },
      [] { return false; });
  report_.seconds = elapsed();
}

bool Exploration::write() const {
  std::error_code ec;
  std::filesystem::create_directories(a_.out_dir, ec);
  for (const auto& [name, text] : {std::pair{"explore.json", reports::report_json(report_)},
                                   std::pair{"explore.md", reports::report_markdown(report_)},
                                   std::pair{"explore.html", reports::report_html(report_)}}) {
    const Status st = reports::write_file_atomically(a_.out_dir + "/" + name, text);
    if (!st.is_ok()) {
      fmt::print(stderr, "error: {}\n", st.message());
      return false;
    }
  }
  return true;
}

void Exploration::print() const {
  fmt::print("{} runs in {:.1f}s ({:.0f} runs/s), {} failed; wrote {}/explore.{{json,md,html}}\n",
             report_.runs, run_seconds_,
             run_seconds_ > 0 ? static_cast<double>(report_.runs) / run_seconds_ : 0.0,
             report_.failed_runs, a_.out_dir);
  for (const reports::ReportCase& c : report_.cases) {
    fmt::print("{}: {}\n  {}\n", c.unexpected ? "FAILED" : "allowed", c.title, c.reproduce);
    if (!c.shrunk_path.empty()) {
      fmt::print("  shrunk {} -> {} steps in {:.2f}s: cdcsim run {}/{}\n", c.steps_before,
                 c.steps_after, c.shrink_seconds, a_.out_dir, c.shrunk_path);
    }
  }
  for (size_t i = a_.shrink; i < failures_.size(); ++i) {
    const Item& it = items_[failures_[i].item];
    fmt::print("FAILED: {} --fingerprint {}\n",
               target_of(sources_[it.source], it.seed).replay_command(),
               outcomes_[failures_[i].item].fingerprint);
  }
}

}  // namespace

int run_explore(const ExploreArgs& a) {
  Exploration e(a);
  if (!e.plan()) return 2;
  e.run();
  e.summarize();
  e.shrink_cases();
  if (!e.write()) return 2;
  e.print();
  return e.failed() ? 1 : 0;
}

}  // namespace cdc::cli
