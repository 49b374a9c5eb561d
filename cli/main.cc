// cdcsim: the command-line front end of the CDC backfill simulation harness.
//
// Today it offers `demo`, a seeded run of the source-database model with
// logical decoding checked against a reference replica. The capture,
// materializations and the guarantee matrix arrive in later subcommands.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <fmt/core.h>

#include "properties/checkers.h"
#include "sim/source_demo.h"
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
  bool crashes = false;
  bool all_faults = false;
  uint64_t ticks = 300;
};

int run_world_cli(const WorldArgs& a) {
  cdc::sim::WorldOptions o;
  o.seed = a.seed;
  o.safety_ticks = a.ticks;
  const std::pair<const char*, cdc::BackfillMode> modes[] = {
      {"Automatic", cdc::BackfillMode::kAutomatic}, {"Normal", cdc::BackfillMode::kNormal},
      {"Precise", cdc::BackfillMode::kPrecise}, {"OnlyChanges", cdc::BackfillMode::kOnlyChanges},
      {"WithoutPrimaryKey", cdc::BackfillMode::kWithoutPrimaryKey}};
  cdc::BackfillMode mode = cdc::BackfillMode::kAutomatic;
  for (const auto& [name, m] : modes) {
    if (a.mode == name) mode = m;
  }
  for (const cdc::TableSchema& s : cdc::sim::demo_schemas()) {
    cdc::CaptureBinding b;
    b.table = s.name;
    b.collection = "acme/" + s.name;
    b.mode = s.has_primary_key() || mode == cdc::BackfillMode::kOnlyChanges
                 ? mode
                 : cdc::BackfillMode::kWithoutPrimaryKey;
    o.bindings.push_back(b);
  }
  if (a.crashes || a.all_faults) o.faults.crash = 4;
  if (a.all_faults) {
    o.faults.query_failure = 2;
    o.faults.backfill_one = 2;
    o.faults.backfill_all = 1;
    o.faults.vacuum_freeze = 1;
    o.faults.vacuum_full = 1;
    o.faults.checkpoint = 1;
    o.faults.capture_stall = 1;
  }
  fmt::print("cdcsim world --seed {} --mode {} --ticks {}{}{}\n", a.seed, a.mode, a.ticks,
             a.crashes ? " --crashes" : "", a.all_faults ? " --all-faults" : "");
  const cdc::sim::RunResult r = cdc::sim::run_world(o);
  const auto& h = r.history;
  fmt::print("source commits: {}; collection txns: {}; chunks: {}; crashes: {}; drained: {}\n",
             h.source_commits.size(), h.collection_txns.size(), h.chunks.size(), h.crashes,
             h.drain.reached ? "yes" : "no");
  int violated = 0;
  for (const cdc::properties::Verdict& v : cdc::properties::check_all(h)) {
    fmt::print("  {:<22} {}\n", v.property, cdc::properties::to_string(v.outcome));
    if (v.violated()) {
      ++violated;
      fmt::print("      {}\n", v.explanation);
      for (const std::string& w : v.witness) fmt::print("      - {}\n", w);
    }
  }
  fmt::print("fingerprint: {}\n", r.fingerprint);
  return violated ? 1 : 0;
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
  CLI::App* w = app.add_subcommand("world", "Run one seeded world (source, capture, collections) and check it");
  w->add_option("--seed", world.seed, "Seed of the run")->capture_default_str();
  w->add_option("--mode", world.mode, "Backfill mode of every binding")
      ->check(CLI::IsMember({"Automatic", "Normal", "Precise", "OnlyChanges", "WithoutPrimaryKey"}))
      ->capture_default_str();
  w->add_flag("--crashes", world.crashes, "Inject capture crashes");
  w->add_flag("--all-faults", world.all_faults, "Inject every kind of fault");
  w->add_option("--ticks", world.ticks, "Ticks of the safety phase")->capture_default_str();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  if (w->parsed()) return run_world_cli(world);
  if (d->parsed()) {
    demo.start_xid = cdc::Xid(start_xid);
    return run_demo(demo);
  }
  return 2;
}
