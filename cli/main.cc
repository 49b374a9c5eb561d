// cdcsim: the command-line front end of the CDC backfill simulation harness.
// One subcommand per job (`cdcsim --help` lists them): single runs (world,
// run, replay), shrinking, many seeds (explore, sweep, check), the guarantee
// matrix and the CI gate, and the source-model demo.
#include <fmt/core.h>
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>

#include "cli/explore.h"
#include "cli/mutants.h"
#include "cli/replay.h"
#include "cli/shrink.h"
#include "model/mutants.h"
#include "properties/checkers.h"
#include "reports/atomic_file.h"
#include "reports/junit.h"
#include "reports/matrix_report.h"
#include "scenarios/expect.h"
#include "scenarios/loader.h"
#include "sim/configurations.h"
#include "sim/matrix.h"
#include "sim/source_demo.h"
#include "sim/survey.h"
#include "sim/world.h"

namespace {

int run_demo(const cdc::sim::SourceDemoOptions& o) {
  fmt::print("cdcsim demo --seed {} --steps {} --start-xid {}\n", o.seed, o.steps,
             o.start_xid.value());
  const cdc::sim::SourceDemoResult r = cdc::sim::run_source_demo(o);
  fmt::print("transactions: {} committed, {} aborted; statements: {} ({} failed)\n", r.committed,
             r.aborted, r.statements, r.failed_statements);
  fmt::print("decoded: {} transactions, {} changes; WAL written: {} bytes; maintenance ops: {}\n",
             r.decoded_txns, r.decoded_changes, r.wal_bytes, r.maintenance_ops);
  fmt::print("xid counter: epoch {}, next xid {}\n", r.epoch, r.next_xid);
  fmt::print("rows: {}\n", r.table_rows);
  if (r.mismatch.empty()) {
    fmt::print("verdict: holds: the decoded stream, reduced, equals the source tables\n");
  } else {
    fmt::print("verdict: violated: {}\n", r.mismatch);
  }
  fmt::print("fingerprint: {}\n", r.fingerprint);
  return r.mismatch.empty() ? 0 : 1;
}

struct WorldArgs {
  uint64_t seed = 1;
  std::string mode = "Automatic";
  std::string faults = "none";
  std::string backfill = "capture";
  std::string strategy = "merge";
  bool events = false;
  bool chunks = false;
  std::string trace_key;
  uint64_t ticks = 300;
};

struct Configuration {
  cdc::BackfillMode mode = cdc::BackfillMode::kAutomatic;
  cdc::properties::FaultClass faults = cdc::properties::FaultClass::kNone;
  cdc::properties::BackfillType backfill = cdc::properties::BackfillType::kCapture;
  cdc::UpdateStrategy strategy = cdc::UpdateStrategy::kMerge;
};

// The names were checked by CLI11 against the same tables (IsMember).
Configuration configuration(const WorldArgs& a) {
  using namespace cdc::sim;
  return {*value_named(mode_names(), a.mode), *value_named(fault_class_names(), a.faults),
          *value_named(backfill_type_names(), a.backfill),
          *value_named(strategy_names(), a.strategy)};
}

cdc::sim::WorldOptions world_options(const WorldArgs& a) {
  const Configuration c = configuration(a);
  cdc::sim::WorldOptions o =
      cdc::sim::configured_world(a.seed, c.mode, c.faults, c.backfill, c.strategy);
  o.safety_ticks = a.ticks;
  return o;
}

// Runs seeds first..first+count-1 and prints, per property, how many seeds
// violated it and the first such seed.
int run_sweep(WorldArgs a, uint64_t count) {
  std::map<std::string, std::pair<uint64_t, uint64_t>> violated;  // name -> (count, first seed)
  const uint64_t first = a.seed;
  for (uint64_t s = first; s < first + count; ++s) {
    a.seed = s;
    const cdc::sim::RunResult r = cdc::sim::run_world(world_options(a));
    for (const cdc::properties::Verdict& v : cdc::properties::check_all(r.history)) {
      if (!v.violated()) continue;
      auto [it, fresh] = violated.try_emplace(v.property, 0, s);
      ++it->second.first;
    }
  }
  fmt::print("sweep --mode {} --faults {} seeds {}..{}\n", a.mode, a.faults, first,
             first + count - 1);
  for (const auto& [name, cf] : violated) {
    fmt::print("  {:<22} violated in {} seeds (first: {})\n", name, cf.first, cf.second);
  }
  return 0;
}

std::string hex(const std::string& bytes) {
  std::string out = "0x";
  for (unsigned char c : bytes)
    out += fmt::format("{:02x}", c);
  return out;
}

// Prints every source change and document of the key whose hex rendering is
// `key` (as the checkers print keys, e.g. 0x8000000000000005).
void print_key_trace(const cdc::history::History& h, const std::string& key) {
  for (const auto& c : h.source_commits) {
    for (const auto& k : c.changes) {
      if (hex(k.key) != key) continue;
      fmt::print("  source tick {:>5} xid {} commit {} table {}: {} -> {}\n", c.tick, c.xid.value(),
                 cdc::to_string(c.commit_lsn), k.table,
                 k.before ? cdc::to_string(*k.before) : "absent",
                 k.after ? cdc::to_string(*k.after) : "absent");
    }
  }
  for (const auto& t : h.collection_txns) {
    for (const auto& d : t.docs) {
      if (hex(d.key) != key) continue;
      fmt::print("  doc txn {} tick {} binding {} {} op {} lsn {} fields {}{}\n", t.seq, t.tick,
                 d.binding, d.state_key, static_cast<char>(d.op), cdc::to_string(d.lsn),
                 cdc::to_string(d.fields), d.snapshot ? " snapshot" : "");
    }
  }
}

// The main job until the guarantee matrix exists: a survey of every mode with
// and without crashes, printed as a table; exit 1 on an unexpected violation.
int run_check(uint64_t seeds) {
  cdc::sim::SurveyOptions o;
  o.seeds = seeds;
  fmt::print("cdcsim check --seeds {} (seeds 1..{}, {} safety ticks each)\n", seeds, seeds,
             o.safety_ticks);
  const cdc::sim::SurveyResult r = cdc::sim::survey(o);
  fmt::print("{:<20} {:<9} {:<22} {:>6} {:>8} {:>9} {:>11}\n", "mode", "faults", "property",
             "holds", "unknown", "expected", "UNEXPECTED");
  for (const auto& [key, c] : r.cells) {
    const auto& [mode, faults, property] = key;
    if (c.violated_expected + c.violated_unexpected == 0 && c.holds == 0) continue;
    std::string expected = std::to_string(c.violated_expected);
    if (c.violated_expected) expected += " (seed " + std::to_string(c.first_expected_seed) + ")";
    std::string unexpected = std::to_string(c.violated_unexpected);
    if (c.violated_unexpected) {
      unexpected += " (seed " + std::to_string(c.first_unexpected_seed) + ")";
    }
    fmt::print("{:<20} {:<9} {:<22} {:>6} {:>8} {:>9} {:>11}\n", cdc::to_string(mode),
               cdc::properties::to_string(faults), property, c.holds, c.unknown, expected,
               unexpected);
  }
  fmt::print("{} runs, {} unexpected violations\n", r.runs, r.unexpected);
  fmt::print("expectations:\n");
  for (const std::string& e : cdc::properties::describe_expectations())
    fmt::print("  {}\n", e);
  return r.unexpected ? 1 : 0;
}

struct MatrixArgs {
  uint64_t seeds = 2;
  uint64_t first_seed = 1;
  uint64_t ticks = 120;
  std::string out_dir = "out";
};

// Runs the guarantee matrix and writes matrix.json and matrix.md to out_dir.
int run_matrix_cli(const MatrixArgs& a) {
  cdc::sim::MatrixOptions o;
  o.seeds = a.seeds;
  o.first_seed = a.first_seed;
  o.safety_ticks = a.ticks;
  fmt::print("cdcsim matrix --seeds {} --first-seed {} --ticks {} --out-dir {}\n", a.seeds,
             a.first_seed, a.ticks, a.out_dir);
  const cdc::sim::Matrix m = cdc::sim::run_matrix(o);
  std::error_code ec;
  std::filesystem::create_directories(a.out_dir, ec);
  if (ec) {
    fmt::print(stderr, "error: cannot create {}: {}\n", a.out_dir, ec.message());
    return 2;
  }
  for (const auto& [name, content] :
       {std::pair{std::string("matrix.json"), cdc::reports::matrix_json(m)},
        std::pair{std::string("matrix.md"), cdc::reports::matrix_markdown(m)}}) {
    const cdc::Status st = cdc::reports::write_file_atomically(a.out_dir + "/" + name, content);
    if (!st.is_ok()) {
      fmt::print(stderr, "error: {}\n", st.message());
      return 2;
    }
  }
  fmt::print("{} cells, {} runs, {} unexpected violations; wrote {}/matrix.json and {}/matrix.md\n",
             m.rows.size(), m.runs, m.unexpected, a.out_dir, a.out_dir);
  // Per property: in how many cells it held every judged run, was violated as
  // expected, was violated unexpectedly, or was never judged.
  fmt::print("{:<28} {:>6} {:>9} {:>11} {:>8}\n", "property", "holds", "expected", "UNEXPECTED",
             "unjudged");
  for (const std::string& name : m.property_names) {
    uint64_t holds = 0, expected = 0, unexpected = 0, unjudged = 0;
    for (const cdc::sim::MatrixRow& r : m.rows) {
      auto it = r.properties.find(name);
      if (it == r.properties.end()) continue;
      const cdc::sim::PropertyTally& t = it->second;
      if (t.violated_unexpected) {
        ++unexpected;
      } else if (t.violated_expected) {
        ++expected;
      } else if (t.holds) {
        ++holds;
      } else {
        ++unjudged;
      }
    }
    fmt::print("{:<28} {:>6} {:>9} {:>11} {:>8}\n", name, holds, expected, unexpected, unjudged);
  }
  for (const cdc::sim::MatrixRow& r : m.rows) {
    for (const auto& [name, t] : r.properties) {
      if (!t.violated_unexpected) continue;
      fmt::print("UNEXPECTED: {} / {}: seed {}: {}\n", cdc::sim::cell_name(r.cell), name,
                 *t.first_unexpected_seed, t.unexpected_explanation);
    }
  }
  return m.unexpected ? 1 : 0;
}

// Runs one scenario file; exit 0 when its expectations are met, 1 when not,
// 2 when the file is bad.
int run_scenario_cli(const std::string& path, std::optional<uint64_t> seed) {
  const cdc::scenarios::LoadResult loaded = cdc::scenarios::load_scenario_file(path, seed);
  if (const auto* err = std::get_if<cdc::scenarios::LoadError>(&loaded)) {
    fmt::print(stderr, "error: {}\n", err->to_string());
    return 2;
  }
  const cdc::scenarios::Scenario& sc = std::get<cdc::scenarios::Scenario>(loaded);
  const cdc::sim::WorldOptions& o = sc.options;
  fmt::print("cdcsim run {} --seed {}\n", path, o.seed);
  fmt::print(
      "scenario {}: {} tables, {} bindings, {} strategy, {} scripted operations, {} safety ticks\n",
      sc.name, o.tables.size(), o.bindings.size(), cdc::to_string(o.strategy), o.script.size(),
      o.safety_ticks);
  const cdc::sim::RunResult r = cdc::sim::run_world(o);
  const auto& h = r.history;
  fmt::print("source commits: {}; collection txns: {}; destination txns: {}; drained: {}\n",
             h.source_commits.size(), h.collection_txns.size(), h.destination_txns.size(),
             h.drain.reached ? "yes" : "no");
  std::string situations;
  for (cdc::properties::Situation st : cdc::properties::situations(h)) {
    situations += std::string(situations.empty() ? "" : ", ") + cdc::properties::to_string(st);
  }
  fmt::print("situations: {}\n", situations.empty() ? "none" : situations);
  int failures = 0;
  const std::vector<cdc::properties::Verdict> verdicts = cdc::properties::check_all(h);
  for (const cdc::properties::Verdict& v : verdicts) {
    const cdc::scenarios::ExpectCheck c = cdc::scenarios::check_expectation(sc.expect, v);
    if (!c.met) ++failures;
    fmt::print("  {:<28} {}{}\n", v.property, cdc::properties::to_string(v.outcome),
               c.expected_to_hold ? (c.met ? "  (expected to hold)" : "  ** expected to hold **")
               : c.expected_violation
                   ? (c.met ? "  (expected violation)" : "  ** expected a violation **")
                   : "");
    if (v.violated()) fmt::print("      {}\n", v.explanation);
  }
  fmt::print("fingerprint: {}\n", r.fingerprint);
  fmt::print("{}\n", failures ? "expectations NOT met" : "expectations met");
  return failures ? 1 : 0;
}

struct GateArgs {
  std::vector<std::string> files;
  uint64_t seeds = 1;
  double budget_s = 600;
  std::string junit;
};

// The scenario's expectations as JUnit cases; counts unmet ones in *failures.
cdc::reports::JUnitSuite scenario_suite(const cdc::scenarios::Scenario& sc, const std::string& path,
                                        uint64_t* failures) {
  cdc::reports::JUnitSuite suite{"scenario " + sc.name + " (" + path + ")", {}};
  const cdc::sim::RunResult r = cdc::sim::run_world(sc.options);
  for (const cdc::properties::Verdict& v : cdc::properties::check_all(r.history)) {
    const cdc::scenarios::ExpectCheck check = cdc::scenarios::check_expectation(sc.expect, v);
    if (!check.expected_to_hold && !check.expected_violation) continue;
    cdc::reports::JUnitCase c{v.property, "scenario." + sc.name, !check.met, false, check.message};
    *failures += c.failed;
    suite.cases.push_back(std::move(c));
  }
  return suite;
}

// CI gate: the matrix on fixed seeds (cells past the time budget are reported
// as skipped) and the given scenario files. Exit 0 when every expectation
// holds, 1 on an unexpected violation, 2 on bad input (nothing is written).
int run_gate(const GateArgs& a) {
  std::vector<cdc::scenarios::Scenario> scenarios;
  for (const std::string& f : a.files) {
    const cdc::scenarios::LoadResult r = cdc::scenarios::load_scenario_file(f);
    if (const auto* err = std::get_if<cdc::scenarios::LoadError>(&r)) {
      fmt::print(stderr, "error: {}\n", err->to_string());
      return 2;
    }
    scenarios.push_back(std::get<cdc::scenarios::Scenario>(r));
  }
  fmt::print("cdcsim gate --seeds {} --budget-s {} ({} scenario files)\n", a.seeds, a.budget_s,
             a.files.size());
  const auto start = std::chrono::steady_clock::now();  // the CLI may read the clock
  std::vector<cdc::reports::JUnitSuite> suites;
  uint64_t failures = 0, skipped_cells = 0;
  for (const cdc::sim::MatrixCell& cell : cdc::sim::all_cells()) {
    cdc::reports::JUnitSuite suite{"matrix " + cdc::sim::cell_name(cell), {}};
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (elapsed > a.budget_s) {
      ++skipped_cells;
      suite.cases.push_back({"all properties", "matrix", false, true, ""});
      suites.push_back(std::move(suite));
      continue;
    }
    cdc::sim::MatrixOptions o;
    o.seeds = a.seeds;
    o.cells = {cell};
    const cdc::sim::Matrix m = cdc::sim::run_matrix(o);
    for (const auto& [name, t] : m.rows.front().properties) {
      cdc::reports::JUnitCase c{name, "matrix", false, false, ""};
      if (t.violated_unexpected) {
        c.failed = true;
        c.message =
            "seed " + std::to_string(*t.first_unexpected_seed) + ": " + t.unexpected_explanation;
        ++failures;
      }
      suite.cases.push_back(std::move(c));
    }
    suites.push_back(std::move(suite));
  }
  for (size_t i = 0; i < scenarios.size(); ++i) {
    suites.push_back(scenario_suite(scenarios[i], a.files[i], &failures));
  }
  if (!a.junit.empty()) {
    const cdc::Status st =
        cdc::reports::write_file_atomically(a.junit, cdc::reports::junit_xml(suites));
    if (!st.is_ok()) {
      fmt::print(stderr, "error: {}\n", st.message());
      return 2;
    }
  }
  fmt::print("{} failures, {} cells skipped by the time budget{}\n", failures, skipped_cells,
             a.junit.empty() ? "" : "; wrote " + a.junit);
  return failures ? 1 : 0;
}

int run_world_cli(const WorldArgs& a) {
  const cdc::sim::WorldOptions o = world_options(a);
  fmt::print(
      "cdcsim world --seed {} --mode {} --faults {} --backfill {} --strategy {} --ticks {}\n",
      a.seed, a.mode, a.faults, a.backfill, a.strategy, a.ticks);
  const cdc::sim::RunResult r = cdc::sim::run_world(o);
  const auto& h = r.history;
  fmt::print(
      "source commits: {}; collection txns: {}; destination txns: {}; chunks: {}; crashes: {}; "
      "drained: {}\n",
      h.source_commits.size(), h.collection_txns.size(), h.destination_txns.size(), h.chunks.size(),
      h.crashes, h.drain.reached ? "yes" : "no");
  const Configuration conf = configuration(a);
  const auto seen = cdc::properties::situations(h);
  std::string situations;
  for (cdc::properties::Situation s : seen) {
    situations += std::string(situations.empty() ? "" : ", ") + cdc::properties::to_string(s);
  }
  fmt::print("situations: {}\n", situations.empty() ? "none" : situations);
  int unexpected = 0;
  for (const cdc::properties::Verdict& v : cdc::properties::check_all(h)) {
    fmt::print("  {:<22} {}\n", v.property, cdc::properties::to_string(v.outcome));
    if (v.violated()) {
      const cdc::properties::Expectation e =
          cdc::properties::expectation(conf.mode, conf.faults, v.property, seen);
      if (e.expect == cdc::properties::Expect::kHolds) ++unexpected;
      fmt::print("      expectation: {}{}\n", cdc::properties::to_string(e.expect),
                 e.expect == cdc::properties::Expect::kHolds ? " (UNEXPECTED)" : ": " + e.reason);
      fmt::print("      {}\n", v.explanation);
      for (const std::string& w : v.witness)
        fmt::print("      - {}\n", w);
    }
  }
  if (!a.trace_key.empty()) print_key_trace(h, a.trace_key);
  if (a.chunks) {
    for (const auto& c : h.chunks) {
      fmt::print("  chunk tick {:>5} {} snapshot {} rows {}{}{}{}\n", c.tick, c.state_key,
                 cdc::to_string(c.snapshot_lsn), c.rows.size(), c.final_chunk ? " final" : "",
                 c.failed ? " failed" : "",
                 c.committed_in ? " committed in " + std::to_string(*c.committed_in) : "");
    }
  }
  if (a.events) {
    for (const auto& e : h.events)
      fmt::print("  tick {:>5}: {}\n", e.tick, e.what);
  }
  fmt::print("fingerprint: {}\n", r.fingerprint);
  return unexpected ? 1 : 0;
}

// Switches on the mutant named by --mutant (before any run starts); false
// (message printed) when there is no such mutant.
bool activate_mutant(const std::string& name) {
  if (name.empty()) return true;
  const std::optional<cdc::Mutant> m = cdc::mutant_named(name);
  if (!m) {
    fmt::print(stderr, "{}\n", cdc::cli::unknown_mutant_message(name));
    return false;
  }
  cdc::set_active_mutant(*m);
  const cdc::MutantInfo& info = cdc::mutant_info(*m);
  fmt::print(stderr, "cdcsim: mutant {} is active ({}): {}\n", info.name, info.component,
             info.description);
  return true;
}

// FILE | --cell SPEC, and --seed: what replay and shrink run (cli/target.h).
void add_target_options(CLI::App* app, std::string* file, std::string* cell,
                        std::optional<uint64_t>* seed) {
  app->add_option("FILE", *file, "Scenario file (or use --cell)");
  app->add_option("--cell", *cell,
                  "Matrix cell backfill/mode/strategy/faults, e.g. capture/Normal/merge/crashes");
  app->add_option("--seed", *seed, "Seed (a file's own seed when absent)");
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"cdcsim: deterministic simulation and verification of CDC backfills"};
  app.require_subcommand(1);

  cdc::sim::SourceDemoOptions demo;
  uint32_t start_xid = demo.start_xid.value();
  CLI::App* d = app.add_subcommand(
      "demo", "Run a seeded workload on the source model and check logical decoding against it");
  d->add_option("--seed", demo.seed, "Seed of the run")->capture_default_str();
  d->add_option("--steps", demo.steps, "Workload steps")
      ->check(CLI::Range(1u, 100'000'000u))
      ->capture_default_str();
  d->add_option("--start-xid", start_xid, "First xid of the cluster (3..4294967295)")
      ->check(CLI::Range(3u, 4294967295u))
      ->capture_default_str();

  WorldArgs world;
  CLI::App* w = app.add_subcommand(
      "world", "Run one seeded world (source, capture, collections) and check it");
  w->add_option("--seed", world.seed, "Seed of the run")->capture_default_str();
  w->add_option("--mode", world.mode, "Backfill mode of every binding")
      ->check(CLI::IsMember(cdc::sim::all_names(cdc::sim::mode_names())))
      ->capture_default_str();
  w->add_option("--faults", world.faults, "Fault class")
      ->check(CLI::IsMember(cdc::sim::all_names(cdc::sim::fault_class_names())))
      ->capture_default_str();
  w->add_option("--ticks", world.ticks, "Ticks of the safety phase")->capture_default_str();
  w->add_flag("--events", world.events, "Print every operation, fault and capture event");
  w->add_option("--backfill", world.backfill, "Backfill operations the run performs")
      ->check(CLI::IsMember(cdc::sim::all_names(cdc::sim::backfill_type_names())))
      ->capture_default_str();
  w->add_option("--strategy", world.strategy, "Update strategy of the materialization")
      ->check(CLI::IsMember(cdc::sim::all_names(cdc::sim::strategy_names())))
      ->capture_default_str();
  w->add_flag("--chunks", world.chunks, "Print every chunk query");
  w->add_option("--trace-key", world.trace_key,
                "Print the source changes and documents of one key (hex, as verdicts print it)");

  uint64_t sweep_count = 50;
  WorldArgs sweep;
  CLI::App* sw =
      app.add_subcommand("sweep", "Run many seeds of one configuration and count violations");
  sw->add_option("--first-seed", sweep.seed, "First seed")->capture_default_str();
  sw->add_option("--seeds", sweep_count, "Number of seeds")->capture_default_str();
  sw->add_option("--mode", sweep.mode, "Backfill mode of every binding")
      ->check(CLI::IsMember(cdc::sim::all_names(cdc::sim::mode_names())));
  sw->add_option("--faults", sweep.faults, "Fault class")
      ->check(CLI::IsMember(cdc::sim::all_names(cdc::sim::fault_class_names())));
  sw->add_option("--ticks", sweep.ticks, "Ticks of the safety phase")->capture_default_str();

  uint64_t check_seeds = 20;
  CLI::App* ck = app.add_subcommand(
      "check", "Run every backfill mode with and without crashes over many seeds and judge them");
  ck->add_option("--seeds", check_seeds, "Seeds per configuration")
      ->check(CLI::Range(uint64_t{1}, uint64_t{100000}))
      ->capture_default_str();

  MatrixArgs matrix;
  CLI::App* mx = app.add_subcommand(
      "matrix", "Run the guarantee matrix (backfill type x mode x strategy x faults) and write it");
  mx->add_option("--seeds", matrix.seeds, "Seeds per cell")
      ->check(CLI::Range(uint64_t{1}, uint64_t{100000}))
      ->capture_default_str();
  mx->add_option("--first-seed", matrix.first_seed, "First seed")->capture_default_str();
  mx->add_option("--ticks", matrix.ticks, "Safety ticks per run")->capture_default_str();
  mx->add_option("--out-dir", matrix.out_dir, "Where matrix.json and matrix.md go")
      ->capture_default_str();

  std::string scenario_path;
  std::optional<uint64_t> scenario_seed;
  CLI::App* rn = app.add_subcommand("run", "Run one scenario file and check its expectations");
  rn->add_option("FILE", scenario_path, "Scenario file (YAML)")->required();
  rn->add_option("--seed", scenario_seed, "Seed (overrides the file's)");

  GateArgs gate;
  CLI::App* gt = app.add_subcommand(
      "gate", "CI gate: the matrix on fixed seeds plus scenario files; JUnit XML; exit 0/1/2");
  gt->add_option("FILE", gate.files, "Scenario files whose expectations must be met");
  gt->add_option("--seeds", gate.seeds, "Seeds per matrix cell")
      ->check(CLI::Range(uint64_t{1}, uint64_t{10000}))
      ->capture_default_str();
  gt->add_option("--budget-s", gate.budget_s, "Time budget in seconds; later cells are skipped")
      ->check(CLI::Range(0.0, 1e6))
      ->capture_default_str();
  gt->add_option("--junit", gate.junit, "Where to write the JUnit XML report");

  cdc::cli::ExploreArgs explore;
  CLI::App* ex = app.add_subcommand(
      "explore", "Many seeds of scenario files (or of every matrix cell), in parallel, sharded");
  ex->add_option("FILE", explore.files, "Scenario files (none: every matrix cell, swarm on)");
  ex->add_flag("--matrix", explore.matrix,
               "Also explore every matrix cell and put the guarantee matrix in the report");
  ex->add_option("--shrink", explore.shrink, "How many failures to shrink into the report")
      ->capture_default_str();
  ex->add_option("--demos", explore.demos,
                 "How many allowed violations (the first of each property) to shrink and show "
                 "as examples")
      ->capture_default_str();
  ex->add_option("--shrink-budget-s", explore.shrink_budget_s, "Time budget per shrunk case")
      ->check(CLI::Range(0.001, 1e6))
      ->capture_default_str();
  ex->add_option("--seeds", explore.seeds, "Seeds per file or cell")
      ->check(CLI::Range(uint64_t{1}, uint64_t{10000000}))
      ->capture_default_str();
  ex->add_option("--budget-s", explore.budget_s, "Stop starting runs after this many seconds")
      ->check(CLI::Range(0.0, 1e7));
  ex->add_option("--jobs", explore.jobs, "Threads")
      ->check(CLI::Range(1u, 256u))
      ->capture_default_str();
  ex->add_option("--shard", explore.shard, "This process's share I/N of the work")
      ->capture_default_str();
  ex->add_option("--out-dir", explore.out_dir,
                 "Where explore.json, explore.md, explore.html and shrunk/ go")
      ->capture_default_str();

  cdc::cli::ReplayArgs replay;
  CLI::App* rp = app.add_subcommand(
      "replay", "Reproduce one run bit for bit (the command explore prints with each failure)");
  add_target_options(rp, &replay.file, &replay.cell, &replay.seed);
  rp->add_option("--fingerprint", replay.fingerprint,
                 "Expected fingerprint; exit 1 when the run does not reproduce it");
  rp->add_flag("--trace", replay.trace, "Print the whole history, tick by tick");

  cdc::cli::ShrinkArgs shrink;
  CLI::App* sk = app.add_subcommand(
      "shrink", "Minimise a failing run into an explicit schedule saved as a scenario file");
  add_target_options(sk, &shrink.file, &shrink.cell, &shrink.seed);
  sk->add_option("--property", shrink.property,
                 "Property to keep violated (default: the first one expected to hold)");
  sk->add_option("--budget-s", shrink.budget_s, "Time budget in seconds")->capture_default_str();
  sk->add_option("--out", shrink.out,
                 "Scenario file to write (default shrunk-<property>-seed-<seed>.yaml)");

  cdc::cli::MutantsArgs mutants;
  CLI::App* mu = app.add_subcommand(
      "mutants",
      "Explore the catalogue and the matrix with each seeded bug on; report what catches it");
  mu->add_option("FILE", mutants.files,
                 "Scenario files (default: scenarios/catalogue/*.yaml when present)");
  mu->add_option("--names", mutants.names, "Comma-separated mutants (default: all)");
  mu->add_option("--budget-s-per-mutant", mutants.budget_s_per_mutant,
                 "Exploration time budget per mutant, in seconds")
      ->check(CLI::Range(0.001, 1e6))
      ->capture_default_str();
  mu->add_option("--shrink-budget-s", mutants.shrink_budget_s, "Time budget per shrink")
      ->check(CLI::Range(0.001, 1e6))
      ->capture_default_str();
  mu->add_option("--seeds", mutants.seeds, "Seeds per file or cell, at most")
      ->check(CLI::Range(uint64_t{1}, uint64_t{10000000}))
      ->capture_default_str();
  mu->add_option("--jobs", mutants.jobs, "Threads")
      ->check(CLI::Range(1u, 256u))
      ->capture_default_str();
  mu->add_option("--out-dir", mutants.out_dir, "Where mutants.json and mutants.md go")
      ->capture_default_str();

  // Every command that runs worlds takes --mutant NAME.
  std::string mutant_name;
  for (CLI::App* c : {w, sw, ck, mx, rn, gt, ex, rp, sk}) {
    c->add_option("--mutant", mutant_name,
                  "Switch on one seeded bug by name (model/mutants.h; an unknown name lists them)");
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  if (!activate_mutant(mutant_name)) return 2;
  if (mu->parsed()) return cdc::cli::run_mutants(mutants);
  if (w->parsed()) return run_world_cli(world);
  if (ck->parsed()) return run_check(check_seeds);
  if (mx->parsed()) return run_matrix_cli(matrix);
  if (rn->parsed()) return run_scenario_cli(scenario_path, scenario_seed);
  if (gt->parsed()) return run_gate(gate);
  if (ex->parsed()) return cdc::cli::run_explore(explore);
  if (sw->parsed()) return run_sweep(sweep, sweep_count);
  if (rp->parsed()) return cdc::cli::run_replay(replay);
  if (sk->parsed()) return cdc::cli::run_shrink(shrink);
  if (d->parsed()) {
    demo.start_xid = cdc::Xid(start_xid);
    return run_demo(demo);
  }
  return 2;
}
