// `cdcsim mutants [FILE…] [--names a,b] [--budget-s-per-mutant T] [--jobs J]
// [--out-dir D]`: the detection power of the checkers. For each seeded bug
// (model/mutants.h) it switches the mutant on and explores scenario files and
// every matrix cell seed by seed, as explore does (seed 1 of every source,
// then seed 2, ...), until the FIRST unexpected finding or the per-mutant
// budget; that run is shrunk. A baseline exploration without any mutant must
// find nothing over the same runs, or the kills mean nothing. Writes
// mutants.json and mutants.md (reports/mutants_report.h) atomically and
// prints the kill table.
//
// Exit codes: 0 when it ran (whatever it found: the report says), 2 on bad
// input (unknown mutant name, bad scenario file, bad number).
#include <fmt/core.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "campaign/hunt.h"
#include "campaign/shrink.h"
#include "cli/commands.h"
#include "model/mutants.h"
#include "reports/atomic_file.h"
#include "reports/mutants_report.h"

namespace cdc::cli {

namespace {

struct MutantsArgs {
  std::vector<std::string> files;  // scenario files; none: scenarios/catalogue/*.yaml if present
  std::string names;               // comma-separated mutant names; empty: every mutant
  double budget_s_per_mutant = 60;
  double shrink_budget_s = 10;
  uint32_t jobs = 2;
  uint64_t seeds = 1000;  // seeds per file or cell, at most
  std::string out_dir = "out/mutants";
};

reports::MutantOutcome hunt_mutant(const campaign::Plan& p, const MutantInfo& m,
                                   const MutantsArgs& a) {
  set_active_mutant(m.mutant);
  campaign::RunnerOptions ro;
  ro.jobs = a.jobs;
  ro.budget_s = a.budget_s_per_mutant;
  const campaign::Hunt h = campaign::hunt(p, ro);
  reports::MutantOutcome o;
  o.name = m.name;
  o.component = m.component;
  o.description = m.description;
  o.runs = h.runs;
  o.seconds = h.seconds;
  if (h.first) {
    const campaign::FirstFailure& f = *h.first;
    o.killed = true;
    o.property = f.finding.verdict.property;
    o.why = f.finding.why;
    o.target = f.target.name();
    o.seed = f.target.seed;
    o.runs_to_kill = f.item + 1;
    o.seconds_to_kill = f.seconds;
    o.reproduce = f.target.replay_command() + " --fingerprint " + f.fingerprint;
    if (f.finding.verdict.violated()) {
      const campaign::Shrunk s =
          campaign::shrink_target(f.target, f.finding.verdict.property, a.shrink_budget_s);
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
reports::BaselineOutcome run_baseline(const campaign::Plan& p, const MutantsArgs& a,
                                      std::vector<reports::MutantOutcome>* mutants) {
  uint64_t needed = 0;
  for (const reports::MutantOutcome& m : *mutants)
    needed = std::max(needed, m.killed ? m.runs_to_kill : 0);
  campaign::RunnerOptions ro;
  ro.jobs = a.jobs;
  ro.budget_s = needed ? 2 * a.budget_s_per_mutant + 30 : a.budget_s_per_mutant;
  if (needed) ro.max_items = needed;
  const campaign::Hunt h = campaign::hunt(p, ro);
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
std::variant<campaign::Plan, std::string> plan_of(const MutantsArgs& a,
                                                  std::vector<std::string>* files) {
  *files = a.files;
  const std::filesystem::path catalogue = "scenarios/catalogue";
  std::error_code ec;
  if (files->empty() && std::filesystem::is_directory(catalogue, ec)) {
    for (const auto& e : std::filesystem::directory_iterator(catalogue, ec)) {
      if (e.path().extension() == ".yaml") files->push_back(e.path().string());
    }
    std::sort(files->begin(), files->end());
  }
  std::variant<campaign::Plan, std::string> p =
      campaign::make_plan(*files, sim::all_cells(), a.seeds);
  if (const auto* err = std::get_if<std::string>(&p)) return "error: " + *err;
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
  const campaign::Plan& p = std::get<campaign::Plan>(planned);
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

}  // namespace

Command add_mutants(CLI::App& app) {
  auto a = std::make_shared<MutantsArgs>();
  CLI::App* c = app.add_subcommand(
      "mutants",
      "Explore the catalogue and the matrix with each seeded bug on; report what catches it");
  c->add_option("FILE", a->files,
                "Scenario files (default: scenarios/catalogue/*.yaml when present)");
  c->add_option("--names", a->names, "Comma-separated mutants (default: all)");
  c->add_option("--budget-s-per-mutant", a->budget_s_per_mutant,
                "Exploration time budget per mutant, in seconds")
      ->check(CLI::Range(0.001, 1e6))
      ->capture_default_str();
  c->add_option("--shrink-budget-s", a->shrink_budget_s, "Time budget per shrink")
      ->check(CLI::Range(0.001, 1e6))
      ->capture_default_str();
  c->add_option("--seeds", a->seeds, "Seeds per file or cell, at most")
      ->check(CLI::Range(uint64_t{1}, uint64_t{10000000}))
      ->capture_default_str();
  c->add_option("--jobs", a->jobs, "Threads")->check(CLI::Range(1u, 256u))->capture_default_str();
  c->add_option("--out-dir", a->out_dir, "Where mutants.json and mutants.md go")
      ->capture_default_str();
  return {c, [a] { return run_mutants(*a); }};
}

}  // namespace cdc::cli
