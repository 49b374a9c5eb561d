// `cdcsim mutants [FILE…] [--names a,b] [--budget-s-per-mutant T] [--jobs J]
// [--unaided-only] [--out-dir D]`: the detection power of the checkers. For
// each seeded bug (model/mutants.h) it switches the mutant on and hunts twice,
// seed by seed as explore does (seed 1 of every source, then seed 2, ...),
// until the FIRST unexpected finding or the per-mutant budget:
// - unaided: over every matrix cell alone, no scenario file — what the
//   harness's generic generation catches by itself;
// - aided: over the scenario files (FILE…, the catalogue by default) and
//   every matrix cell; skipped with --unaided-only.
// The two hunts are not the same runs (seed-major order interleaves the
// files with the cells), so both run. The unaided kill, or else the aided
// one, is shrunk. Per plan, a baseline without any mutant must find nothing
// over the runs that killed, or the kills mean nothing. Writes mutants.json
// and mutants.md (reports/mutants_report.h) atomically and prints the kill
// table.
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
  std::vector<std::string> files;   // the aided plan's files; none: scenarios/catalogue/*.yaml
  std::string names;                // comma-separated mutant names; empty: every mutant
  double budget_s_per_mutant = 60;  // per hunt
  double shrink_budget_s = 10;
  uint32_t jobs = 2;
  uint64_t seeds = 1000;  // seeds per file or cell, at most
  bool unaided_only = false;
  std::string out_dir = "out/mutants";
};

// What the mutants are hunted over: the matrix cells alone, and (unless
// --unaided-only) the scenario files followed by the cells.
struct Plans {
  campaign::Plan unaided;
  std::optional<campaign::Plan> aided;
  std::vector<std::string> files;  // the aided plan's
};

// One hunt of the active mutant over `p`; its kill, if any, goes to `kill`
// for shrinking.
reports::HuntOutcome hunt_plan(const campaign::Plan& p, const MutantsArgs& a,
                               std::optional<campaign::FirstFailure>* kill) {
  campaign::RunnerOptions ro;
  ro.jobs = a.jobs;
  ro.budget_s = a.budget_s_per_mutant;
  campaign::Hunt h = campaign::hunt(p, ro);
  reports::HuntOutcome o;
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
  }
  *kill = std::move(h.first);
  return o;
}

void print_hunt(size_t i, size_t n, const std::string& name, const char* hunt,
                const reports::HuntOutcome& o) {
  if (!o.killed) {
    fmt::print("[{}/{}] {} {}: SURVIVED {} runs in {:.2f} s\n", i + 1, n, name, hunt, o.runs,
               o.seconds);
  } else {
    fmt::print("[{}/{}] {} {}: killed by {} at {} seed {} after {} runs, {:.2f} s\n", i + 1, n,
               name, hunt, o.property, o.target, o.seed, o.runs_to_kill, o.seconds_to_kill);
  }
  std::fflush(stdout);
}

// Shrinks the mutant's kill: the unaided one when there is one, else the
// aided one (a kill by an unmet expectation alone has nothing to shrink).
void shrink_kill(const std::optional<campaign::FirstFailure>& unaided,
                 const std::optional<campaign::FirstFailure>& aided, const MutantsArgs& a,
                 reports::MutantOutcome* o) {
  const std::optional<campaign::FirstFailure>& kill = unaided ? unaided : aided;
  if (!kill || !kill->finding.verdict.violated()) return;
  const campaign::Shrunk s =
      campaign::shrink_target(kill->target, kill->finding.verdict.property, a.shrink_budget_s);
  o->shrunk_from = unaided ? reports::ShrunkHunt::kUnaided : reports::ShrunkHunt::kAided;
  o->shrunk_steps_before = s.steps_before;
  o->shrunk_steps_after = s.steps_after;
  o->shrink_complete = s.complete;
  o->shrink_seconds = s.seconds;
}

// Both hunts of mutant `m` (the i-th of n), each printed as it ends, and
// the shrink of its kill.
reports::MutantOutcome hunt_mutant(const Plans& p, const MutantInfo& m, const MutantsArgs& a,
                                   size_t i, size_t n) {
  set_active_mutant(m.mutant);
  reports::MutantOutcome o;
  o.name = m.name;
  o.component = m.component;
  o.description = m.description;
  std::optional<campaign::FirstFailure> unaided_kill, aided_kill;
  o.unaided = hunt_plan(p.unaided, a, &unaided_kill);
  print_hunt(i, n, o.name, "unaided", o.unaided);
  if (p.aided) {
    o.aided = hunt_plan(*p.aided, a, &aided_kill);
    print_hunt(i, n, o.name, "aided", *o.aided);
  }
  shrink_kill(unaided_kill, aided_kill, a, &o);
  if (o.shrunk_from) {
    fmt::print("[{}/{}] {} shrunk ({} kill): {} -> {} steps\n", i + 1, n, o.name,
               reports::hunt_name(*o.shrunk_from), *o.shrunk_steps_before, *o.shrunk_steps_after);
    std::fflush(stdout);
  }
  set_active_mutant(Mutant::kNone);
  return o;
}

// Without any mutant, over the runs of `p` that killed mutants (`hunts`,
// the outcomes of one column), or, when none was killed, for one hunt's
// budget. Marks the kills it confirms.
reports::BaselineOutcome run_baseline(const campaign::Plan& p, const MutantsArgs& a,
                                      const std::vector<reports::HuntOutcome*>& hunts) {
  uint64_t needed = 0;
  for (const reports::HuntOutcome* m : hunts)
    needed = std::max(needed, m->killed ? m->runs_to_kill : 0);
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
  for (reports::HuntOutcome* m : hunts) {
    m->confirmed_by_baseline = m->killed && m->runs_to_kill <= h.clean_prefix;
    if (m->killed && !m->confirmed_by_baseline) b.covers_all = false;
  }
  return b;
}

// One baseline per plan, each confirming the kills of its own column.
void run_baselines(const Plans& p, const MutantsArgs& a, reports::MutantsReport* r) {
  std::vector<reports::HuntOutcome*> unaided, aided;
  for (reports::MutantOutcome& m : r->mutants) {
    unaided.push_back(&m.unaided);
    if (m.aided) aided.push_back(&*m.aided);
  }
  r->unaided_baseline = run_baseline(p.unaided, a, unaided);
  if (p.aided) r->aided_baseline = run_baseline(*p.aided, a, aided);
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

// The unaided plan (every matrix cell) and, unless --unaided-only, the
// aided one: the scenario files (the catalogue when none are given) and
// every matrix cell.
std::variant<Plans, std::string> plans_of(const MutantsArgs& a) {
  std::variant<campaign::Plan, std::string> unaided =
      campaign::make_plan({}, sim::all_cells(), a.seeds);
  if (const auto* err = std::get_if<std::string>(&unaided)) return "error: " + *err;
  Plans p{std::get<campaign::Plan>(std::move(unaided)), std::nullopt, a.files};
  if (a.unaided_only) return p;
  const std::filesystem::path catalogue = "scenarios/catalogue";
  std::error_code ec;
  if (p.files.empty() && std::filesystem::is_directory(catalogue, ec)) {
    for (const auto& e : std::filesystem::directory_iterator(catalogue, ec)) {
      if (e.path().extension() == ".yaml") p.files.push_back(e.path().string());
    }
    std::sort(p.files.begin(), p.files.end());
  }
  std::variant<campaign::Plan, std::string> aided =
      campaign::make_plan(p.files, sim::all_cells(), a.seeds);
  if (const auto* err = std::get_if<std::string>(&aided)) return "error: " + *err;
  p.aided = std::get<campaign::Plan>(std::move(aided));
  return p;
}

std::string command_of(const MutantsArgs& a) {
  std::string c = "cdcsim mutants";
  for (const std::string& f : a.files)
    c += " " + f;
  if (!a.names.empty()) c += " --names " + a.names;
  c += fmt::format(" --budget-s-per-mutant {} --shrink-budget-s {} --seeds {} --jobs {}",
                   a.budget_s_per_mutant, a.shrink_budget_s, a.seeds, a.jobs);
  if (a.unaided_only) c += " --unaided-only";
  return c;
}

std::string where_of(const reports::HuntOutcome& h) {
  return h.killed ? fmt::format("{} ({})", h.target, h.seed) : "-";
}

// One row of the printed table: one hunt of one mutant, its "where" column
// `width` wide; the shrunk length goes on the row of the hunt whose kill was
// shrunk.
void print_row(const std::string& name, const std::string& component, reports::ShrunkHunt which,
               const reports::HuntOutcome& h, const reports::MutantOutcome& m, size_t width) {
  const bool shrunk = m.shrunk_from == which && m.shrunk_steps_after;
  fmt::print("{:<34} {:<17} {:<8} {:<6} {:<26} {:<{}} {:>6} {:>8.2f} {:>7}\n", name, component,
             reports::hunt_name(which), h.killed ? "yes" : "NO", h.killed ? h.property : "-",
             where_of(h), width, h.killed ? h.runs_to_kill : h.runs,
             h.killed ? h.seconds_to_kill : h.seconds,
             shrunk ? std::to_string(*m.shrunk_steps_after) : "-");
}

void print_summary(const char* hunt, const reports::HuntSummary& s) {
  auto sec = [](const std::optional<double>& x) {
    return x ? fmt::format("{:.2f} s", *x) : std::string("-");
  };
  fmt::print("{}: {}/{} killed; seconds to kill: median {}, worst {}\n", hunt, s.killed, s.total,
             sec(s.median_seconds_to_kill), sec(s.worst_seconds_to_kill));
}

void print_baseline(const char* hunt, const reports::BaselineOutcome& b) {
  if (!b.clean) {
    fmt::print("BASELINE FAILED ({}): without any mutant: {}\n", hunt, b.failure);
  } else {
    fmt::print("baseline ({}): no mutant, {} runs clean{}\n", hunt, b.runs,
               b.covers_all ? ", covering every kill" : "; some kills are beyond it (unconfirmed)");
  }
}

void print_table(const reports::MutantsReport& r) {
  size_t width = std::string("where (seed)").size();
  for (const reports::MutantOutcome& m : r.mutants) {
    width = std::max(width, where_of(m.unaided).size());
    if (m.aided) width = std::max(width, where_of(*m.aided).size());
  }
  fmt::print("\n{:<34} {:<17} {:<8} {:<6} {:<26} {:<{}} {:>6} {:>8} {:>7}\n", "mutant", "component",
             "hunt", "killed", "first caught by", "where (seed)", width, "runs", "seconds",
             "shrunk");
  for (const reports::MutantOutcome& m : r.mutants) {
    print_row(m.name, m.component, reports::ShrunkHunt::kUnaided, m.unaided, m, width);
    if (m.aided) print_row("", "", reports::ShrunkHunt::kAided, *m.aided, m, width);
  }
  const reports::MutantsSummary s = reports::summarize(r);
  print_summary("unaided", s.unaided);
  if (s.aided) print_summary("aided", *s.aided);
  fmt::print("killed by either hunt: {}/{}; median shrunk length {}\n", s.killed, s.total,
             s.median_shrunk_steps ? fmt::format("{:.1f} steps", *s.median_shrunk_steps) : "-");
  print_baseline("unaided", r.unaided_baseline);
  if (r.aided_baseline) print_baseline("aided", *r.aided_baseline);
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
  const auto planned = plans_of(a);
  if (const auto* err = std::get_if<std::string>(&planned)) {
    fmt::print(stderr, "{}\n", *err);
    return 2;
  }
  const Plans& p = std::get<Plans>(planned);
  const std::vector<MutantInfo>& list = std::get<std::vector<MutantInfo>>(chosen);
  reports::MutantsReport r;
  r.command = command_of(a);
  r.budget_s_per_mutant = a.budget_s_per_mutant;
  r.shrink_budget_s = a.shrink_budget_s;
  r.jobs = a.jobs;
  r.seeds_max = a.seeds;
  r.aided = p.aided.has_value();
  r.files = p.files;
  r.cells = p.unaided.sources.size();
  fmt::print(
      "{}: {} mutants; unaided: {} matrix cells{}; seed-major\n", r.command, list.size(), r.cells,
      r.aided ? fmt::format("; aided: {} scenario files + {} matrix cells", r.files.size(), r.cells)
              : "");
  std::fflush(stdout);
  for (size_t i = 0; i < list.size(); ++i)
    r.mutants.push_back(hunt_mutant(p, list[i], a, i, list.size()));
  run_baselines(p, a, &r);
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
      "Hunt each seeded bug over the matrix alone (unaided) and with the catalogue (aided); "
      "report what catches it");
  CLI::Option* files =
      c->add_option("FILE", a->files,
                    "Scenario files of the aided hunt (default: scenarios/catalogue/*.yaml when "
                    "present)");
  c->add_option("--names", a->names, "Comma-separated mutants (default: all)");
  c->add_option("--budget-s-per-mutant", a->budget_s_per_mutant,
                "Time budget of each hunt (unaided, aided) per mutant, in seconds")
      ->check(CLI::Range(0.001, 1e6))
      ->capture_default_str();
  c->add_option("--shrink-budget-s", a->shrink_budget_s, "Time budget per shrink")
      ->check(CLI::Range(0.001, 1e6))
      ->capture_default_str();
  c->add_option("--seeds", a->seeds, "Seeds per file or cell, at most")
      ->check(CLI::Range(uint64_t{1}, uint64_t{10000000}))
      ->capture_default_str();
  c->add_flag("--unaided-only", a->unaided_only,
              "Hunt over the matrix cells alone; skip the aided hunt over scenario files")
      ->excludes(files);
  c->add_option("--jobs", a->jobs, "Threads")->check(CLI::Range(1u, 256u))->capture_default_str();
  c->add_option("--out-dir", a->out_dir, "Where mutants.json and mutants.md go")
      ->capture_default_str();
  return {c, [a] { return run_mutants(*a); }};
}

}  // namespace cdc::cli
