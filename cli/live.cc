// `cdcsim live SCENARIO.yaml [--seed S] [--history FILE]`: the scenario against
// a real PostgreSQL 15 (conformance/live_run.h). The scenario's workload and
// faults are first drawn on the model (a generated scenario records its
// explicit schedule; an explicit one is used as it is), then replayed on a
// throwaway cluster with one session per workload session while the capture
// runs over the server; the history is written in the outside format and
// judged as `cdcsim judge` judges it. Exit 0 nothing violated, 1 violated,
// 2 bad input or a server that cannot start.
#include <fmt/core.h>

#include "cli/commands.h"
#include "conformance/live_run.h"
#include "scenarios/loader.h"

namespace cdc::cli {

namespace {

struct LiveArgs {
  std::string file;
  std::optional<uint64_t> seed;
  std::string history = "live-history.jsonl";
};

int live(const LiveArgs& a) {
  const scenarios::LoadResult loaded = scenarios::load_scenario_file(a.file, a.seed);
  if (std::holds_alternative<scenarios::LoadError>(loaded)) {
    return bad_input(std::get<scenarios::LoadError>(loaded).to_string());
  }
  std::vector<std::string> notes;
  const sim::WorldOptions o =
      conformance::live_options(std::get<scenarios::Scenario>(loaded).options, &notes);
  for (const std::string& n : notes)
    fmt::print("  {}\n", n);
  if (o.bindings.empty()) return bad_input(a.file + ": no binding of a table with a primary key");
  fmt::print("live: {} (seed {}): {} statements, {} faults, {} safety ticks\n", a.file, o.seed,
             o.schedule->initial.size() + o.schedule->statements.size(), o.schedule->faults.size(),
             o.safety_ticks);
  Result<conformance::LiveResult> r = conformance::run_live(o, a.history);
  if (!r.is_ok()) {
    fmt::print(stderr, "error: the live run failed: {}\n", r.error().message);
    return 2;
  }
  for (const std::string& line : r.value().observed)
    fmt::print("  observed: {}\n", line);
  fmt::print("{} source commits, {} collection transactions, {} destination transactions; {}\n",
             r.value().source_commits, r.value().collection_txns, r.value().destination_txns,
             r.value().drained ? "caught up" : "did not catch up");
  fmt::print("history: {}\n", a.history);
  return judge_history_file(a.history);
}

}  // namespace

Command add_live(CLI::App& app) {
  auto a = std::make_shared<LiveArgs>();
  CLI::App* c = app.add_subcommand(
      "live",
      "Run a scenario against a real PostgreSQL 15 (a throwaway cluster), write the history "
      "(outside format) and judge it; not deterministic");
  c->add_option("scenario", a->file, "Scenario file (YAML)")->required();
  c->add_option("--seed", a->seed, "Seed that draws the workload (the file's own when absent)");
  c->add_option("--history", a->history, "Where to write the history (JSON lines)");
  return {c, [a] { return live(*a); }};
}

}  // namespace cdc::cli
