#include "cli/mutants.h"

#include <fmt/core.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <mutex>
#include <optional>
#include <thread>

#include "cli/shrink.h"
#include "cli/target.h"
#include "model/mutants.h"
#include "reports/atomic_file.h"
#include "reports/mutants_report.h"
#include "sim/matrix.h"

namespace cdc::cli {

namespace {

constexpr size_t kNoLimit = std::numeric_limits<size_t>::max();

struct Source {
  std::string file;                     // a scenario file
  std::optional<sim::MatrixCell> cell;  // or a matrix cell
};

// What every exploration runs: item i is seed i / sources.size() + 1 of
// source i % sources.size() (seed-major, as explore orders its items).
struct Plan {
  std::vector<Source> sources;
  uint64_t seeds = 0;
  size_t items() const { return sources.size() * seeds; }
};

Target target_of(const Plan& p, size_t item) {
  const Source& s = p.sources[item % p.sources.size()];
  const uint64_t seed = item / p.sources.size() + 1;
  if (s.cell) return std::get<Target>(cell_target(sim::cell_spec(*s.cell), seed));
  std::variant<Target, std::string> t = file_target(s.file, seed);
  CDC_ASSERT(std::holds_alternative<Target>(t), "a scenario file that loaded once loads again");
  return std::get<Target>(std::move(t));
}

struct FirstFailure {
  size_t item = 0;
  Target target;
  Finding finding;  // the run's first unexpected violation, else its first unexpected finding
  std::string shrink_property;  // the first unexpectedly violated property ("" if none)
  std::string fingerprint;
  double seconds = 0;  // since the exploration began
};

// One exploration until the first unexpected finding, the budget, or
// `max_items` items.
struct Hunt {
  uint64_t runs = 0;
  uint64_t clean_prefix = 0;  // items [0, clean_prefix) all ran and passed
  double seconds = 0;
  std::optional<FirstFailure> first;  // the lowest failing item found
};

// A violation says more than an unmet "holds" that could not be judged
// (e.g. convergence of a run that did not drain, next to its liveness
// violation), so the first unexpected violation is preferred.
std::optional<FirstFailure> failure_of(size_t item, const Target& t, const sim::RunResult& r) {
  const std::vector<Finding> findings = judge(t, r.history);
  std::optional<FirstFailure> f;
  for (const Finding& x : findings) {
    if (!x.unexpected) continue;
    if (!f) f = FirstFailure{item, t, x, "", r.fingerprint, 0};
    if (x.verdict.violated()) {
      f->finding = x;
      f->shrink_property = x.verdict.property;
      break;
    }
  }
  return f;
}

// Items are handed out in increasing order and nobody starts an item past
// the lowest failure found so far, so every item below it has run when the
// workers stop: the first failure does not depend on --jobs (unless the
// budget ends the exploration first).
Hunt hunt(const Plan& p, uint32_t jobs, double budget_s, size_t max_items) {
  const auto start = std::chrono::steady_clock::now();  // the CLI may read the clock
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  const size_t n = std::min(max_items, p.items());
  std::vector<uint8_t> passed(n, 0);  // per item: 1 when it ran without an unexpected finding
  std::atomic<size_t> next{0}, lowest_failure{kNoLimit};
  std::atomic<uint64_t> runs{0};
  std::mutex mu;
  std::optional<FirstFailure> first;
  auto worker = [&] {
    for (;;) {
      if (elapsed() > budget_s) return;
      const size_t i = next.fetch_add(1);
      if (i >= n || i > lowest_failure.load()) return;
      const Target t = target_of(p, i);
      const sim::RunResult r = sim::run_world(t.options);
      ++runs;
      std::optional<FirstFailure> f = failure_of(i, t, r);
      if (!f) {
        passed[i] = 1;  // distinct items are distinct bytes: no race
        continue;
      }
      const std::lock_guard<std::mutex> lock(mu);
      if (!first || i < first->item) {
        f->seconds = elapsed();
        first = std::move(f);
        lowest_failure = i;
      }
    }
  };
  std::vector<std::thread> threads;
  for (uint32_t j = 1; j < jobs; ++j)
    threads.emplace_back(worker);
  worker();
  for (std::thread& t : threads)
    t.join();
  Hunt h;
  h.runs = runs;
  h.seconds = elapsed();
  h.first = std::move(first);
  while (h.clean_prefix < n && passed[h.clean_prefix])
    ++h.clean_prefix;
  return h;
}

reports::MutantOutcome hunt_mutant(const Plan& p, const MutantInfo& m, const MutantsArgs& a) {
  set_active_mutant(m.mutant);
  const Hunt h = hunt(p, a.jobs, a.budget_s_per_mutant, kNoLimit);
  reports::MutantOutcome o;
  o.name = m.name;
  o.component = m.component;
  o.description = m.description;
  o.runs = h.runs;
  o.seconds = h.seconds;
  if (h.first) {
    const FirstFailure& f = *h.first;
    o.killed = true;
    o.property = f.finding.verdict.property;
    o.why = f.finding.why;
    o.target = f.target.name();
    o.seed = f.target.seed;
    o.runs_to_kill = f.item + 1;
    o.seconds_to_kill = f.seconds;
    o.reproduce = f.target.replay_command() + " --fingerprint " + f.fingerprint;
    if (!f.shrink_property.empty()) {
      const Shrunk s = shrink_target(f.target, f.shrink_property, a.shrink_budget_s);
      o.shrunk_steps_before = s.steps_before;
      o.shrunk_steps_after = s.steps_after;
      o.shrink_complete = s.complete;
      o.shrink_seconds = s.seconds;
    }
  }
  set_active_mutant(Mutant::kNone);
  return o;
}

// Without any mutant, over the runs that killed mutants (or, when none was
// killed, for one mutant's budget).
reports::BaselineOutcome run_baseline(const Plan& p, const MutantsArgs& a,
                                      std::vector<reports::MutantOutcome>* mutants) {
  uint64_t needed = 0;
  for (const reports::MutantOutcome& m : *mutants)
    needed = std::max(needed, m.killed ? m.runs_to_kill : 0);
  const Hunt h = hunt(p, a.jobs, needed ? 2 * a.budget_s_per_mutant + 30 : a.budget_s_per_mutant,
                      needed ? needed : kNoLimit);
  reports::BaselineOutcome b;
  b.runs = h.runs;
  b.clean_prefix_runs = h.clean_prefix;
  b.seconds = h.seconds;
  b.clean = !h.first;
  if (h.first) {
    b.failure =
        fmt::format("{} at {} ({}; {})", h.first->finding.verdict.property,
                    h.first->target.replay_command() + " --fingerprint " + h.first->fingerprint,
                    h.first->finding.why, h.first->finding.verdict.explanation);
  }
  for (reports::MutantOutcome& m : *mutants) {
    m.confirmed_by_baseline = m.killed && m.runs_to_kill <= h.clean_prefix;
    if (m.killed && !m.confirmed_by_baseline) b.covers_all = false;
  }
  return b;
}

// The mutants named in `names` (comma-separated; empty: all), or an error.
std::variant<std::vector<MutantInfo>, std::string> selected(const std::string& names) {
  std::vector<MutantInfo> out;
  if (names.empty()) return mutants();
  size_t from = 0;
  while (from <= names.size()) {
    const size_t comma = std::min(names.find(',', from), names.size());
    const std::string name = names.substr(from, comma - from);
    from = comma + 1;
    if (name.empty()) continue;
    const std::optional<Mutant> m = mutant_named(name);
    if (!m) return unknown_mutant_message(name);
    const bool seen =
        std::any_of(out.begin(), out.end(), [&](const MutantInfo& i) { return i.mutant == *m; });
    if (!seen) out.push_back(mutant_info(*m));
  }
  if (out.empty()) return std::string("error: --names lists no mutant");
  return out;
}

// Scenario files (the catalogue when none are given) and every matrix cell.
std::variant<Plan, std::string> plan_of(const MutantsArgs& a, std::vector<std::string>* files) {
  *files = a.files;
  const std::filesystem::path catalogue = "scenarios/catalogue";
  std::error_code ec;
  if (files->empty() && std::filesystem::is_directory(catalogue, ec)) {
    for (const auto& e : std::filesystem::directory_iterator(catalogue, ec)) {
      if (e.path().extension() == ".yaml") files->push_back(e.path().string());
    }
    std::sort(files->begin(), files->end());
  }
  Plan p;
  p.seeds = a.seeds;
  for (const std::string& f : *files) {
    std::variant<Target, std::string> t = file_target(f, std::nullopt);
    if (const auto* err = std::get_if<std::string>(&t)) return "error: " + *err;
    p.sources.push_back({f, std::nullopt});
  }
  for (const sim::MatrixCell& c : sim::all_cells())
    p.sources.push_back({"", c});
  return p;
}

std::string command_of(const MutantsArgs& a, bool default_files) {
  std::string c = "cdcsim mutants";
  if (!default_files) {
    for (const std::string& f : a.files)
      c += " " + f;
  }
  if (!a.names.empty()) c += " --names " + a.names;
  c += fmt::format(" --budget-s-per-mutant {} --shrink-budget-s {} --seeds {} --jobs {}",
                   a.budget_s_per_mutant, a.shrink_budget_s, a.seeds, a.jobs);
  return c;
}

void print_outcome(size_t i, size_t n, const reports::MutantOutcome& o) {
  if (!o.killed) {
    fmt::print("[{}/{}] {}: SURVIVED {} runs in {:.2f} s\n", i + 1, n, o.name, o.runs, o.seconds);
  } else {
    fmt::print("[{}/{}] {}: killed by {} at {} seed {} after {} runs, {:.2f} s{}\n", i + 1, n,
               o.name, o.property, o.target, o.seed, o.runs_to_kill, o.seconds_to_kill,
               o.shrunk_steps_after ? fmt::format("; shrunk {} -> {} steps", *o.shrunk_steps_before,
                                                  *o.shrunk_steps_after)
                                    : "");
  }
  std::fflush(stdout);
}

void print_table(const reports::MutantsReport& r) {
  fmt::print("\n{:<34} {:<17} {:<8} {:<28} {:>6} {:>8} {:>7}\n", "mutant", "component", "killed",
             "first caught by", "runs", "seconds", "shrunk");
  for (const reports::MutantOutcome& m : r.mutants) {
    fmt::print("{:<34} {:<17} {:<8} {:<28} {:>6} {:>8.2f} {:>7}\n", m.name, m.component,
               m.killed ? "yes" : "NO", m.killed ? m.property : "-",
               m.killed ? m.runs_to_kill : m.runs, m.killed ? m.seconds_to_kill : m.seconds,
               m.shrunk_steps_after ? std::to_string(*m.shrunk_steps_after) : "-");
  }
  const reports::MutantsSummary s = reports::summarize(r);
  auto sec = [](const std::optional<double>& x) {
    return x ? fmt::format("{:.2f} s", *x) : std::string("-");
  };
  fmt::print("{}/{} killed; seconds to kill: median {}, worst {}; median shrunk length {}\n",
             s.killed, s.total, sec(s.median_seconds_to_kill), sec(s.worst_seconds_to_kill),
             s.median_shrunk_steps ? fmt::format("{:.1f} steps", *s.median_shrunk_steps) : "-");
  if (!r.baseline.clean) {
    fmt::print("BASELINE FAILED: without any mutant: {}\n", r.baseline.failure);
  } else {
    fmt::print("baseline: no mutant, {} runs clean{}\n", r.baseline.runs,
               r.baseline.covers_all ? ", covering every kill"
                                     : "; some kills are beyond it (unconfirmed)");
  }
}

bool write_report(const reports::MutantsReport& r, const std::string& out_dir) {
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  for (const auto& [name, text] : {std::pair{"mutants.json", reports::mutants_json(r)},
                                   std::pair{"mutants.md", reports::mutants_markdown(r)}}) {
    const Status st = reports::write_file_atomically(out_dir + "/" + name, text);
    if (!st.is_ok()) {
      fmt::print(stderr, "error: {}\n", st.message());
      return false;
    }
  }
  return true;
}

}  // namespace

std::string unknown_mutant_message(const std::string& name) {
  std::string known;
  for (const MutantInfo& m : mutants())
    known += std::string(known.empty() ? "" : ", ") + m.name;
  return fmt::format("error: unknown mutant \"{}\"; known mutants: {}", name, known);
}

int run_mutants(const MutantsArgs& a) {
  const auto chosen = selected(a.names);
  if (const auto* err = std::get_if<std::string>(&chosen)) {
    fmt::print(stderr, "{}\n", *err);
    return 2;
  }
  std::vector<std::string> files;
  const auto planned = plan_of(a, &files);
  if (const auto* err = std::get_if<std::string>(&planned)) {
    fmt::print(stderr, "{}\n", *err);
    return 2;
  }
  const Plan& p = std::get<Plan>(planned);
  const std::vector<MutantInfo>& list = std::get<std::vector<MutantInfo>>(chosen);
  reports::MutantsReport r;
  r.command = command_of(a, a.files.empty());
  r.budget_s_per_mutant = a.budget_s_per_mutant;
  r.shrink_budget_s = a.shrink_budget_s;
  r.jobs = a.jobs;
  r.seeds_max = a.seeds;
  r.files = files;
  r.cells = p.sources.size() - files.size();
  fmt::print("{}: {} mutants; {} scenario files + {} matrix cells, seed-major\n", r.command,
             list.size(), r.files.size(), r.cells);
  std::fflush(stdout);
  for (size_t i = 0; i < list.size(); ++i) {
    r.mutants.push_back(hunt_mutant(p, list[i], a));
    print_outcome(i, list.size(), r.mutants.back());
  }
  r.baseline = run_baseline(p, a, &r.mutants);
  print_table(r);
  if (!write_report(r, a.out_dir)) return 2;
  fmt::print("wrote {}/mutants.json and {}/mutants.md\n", a.out_dir, a.out_dir);
  return 0;
}

}  // namespace cdc::cli
