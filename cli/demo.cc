// `cdcsim demo [--seed S] [--steps N] [--start-xid X]`: the source model
// alone — a seeded workload, possibly across the xid wrap, decoded through a
// slot and checked against a replica built from the decoded stream.
#include <fmt/core.h>

#include "cli/commands.h"
#include "sim/source_demo.h"

namespace cdc::cli {

namespace {

int demo(const sim::SourceDemoOptions& o) {
  fmt::print("cdcsim demo --seed {} --steps {} --start-xid {}\n", o.seed, o.steps,
             o.start_xid.value());
  const sim::SourceDemoResult r = sim::run_source_demo(o);
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

struct DemoArgs {
  sim::SourceDemoOptions options;
  uint32_t start_xid = sim::SourceDemoOptions().start_xid.value();
};

}  // namespace

Command add_demo(CLI::App& app) {
  auto a = std::make_shared<DemoArgs>();
  CLI::App* c = app.add_subcommand(
      "demo", "Run a seeded workload on the source model and check logical decoding against it");
  c->add_option("--seed", a->options.seed, "Seed of the run")->capture_default_str();
  c->add_option("--steps", a->options.steps, "Workload steps")
      ->check(CLI::Range(1u, 100'000'000u))
      ->capture_default_str();
  c->add_option("--start-xid", a->start_xid, "First xid of the cluster (3..4294967295)")
      ->check(CLI::Range(3u, 4294967295u))
      ->capture_default_str();
  return {c, [a] {
            a->options.start_xid = Xid(a->start_xid);
            return demo(a->options);
          }};
}

}  // namespace cdc::cli
