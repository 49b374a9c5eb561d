// `cdcsim explore [FILE…] [--matrix] [--cell SPEC…] --seeds N [--budget-s T]
// [--jobs J] [--shard I/N] [--shrink K] [--demos D] [--out-dir D]
// [--junit F]`: many seeds of scenario files and matrix cells (every cell
// when no file and no --cell is given), in parallel, judged, tallied into the
// guarantee matrix, the first failures and examples shrunk; the report goes
// to explore.{json,md,html} (and matrix.{json,md}). Results do not depend on
// --jobs; shards' reports combine with `cdcsim merge`.
#include <fmt/core.h>
#include <unistd.h>

#include <algorithm>

#include "campaign/exploration.h"
#include "campaign/plan.h"
#include "cli/commands.h"
#include "sim/configurations.h"

namespace cdc::cli {

namespace {

struct ExploreArgs {
  std::vector<std::string> files;
  bool matrix = false;
  std::vector<std::string> cells;
  std::vector<std::string> algorithms;
  uint64_t seeds = 20;
  double budget_s = 0;
  uint32_t jobs = 1;
  std::string shard = "0/1";
  std::string out_dir = "out";
  std::string junit;
  uint32_t shrink = 3;
  uint32_t demos = 0;
  double shrink_budget_s = 10;
  std::string mutant;
};

std::string command_line(const ExploreArgs& a, const campaign::ExplorationOptions& o) {
  std::string c = "cdcsim explore";
  for (const std::string& f : a.files)
    c += " " + f;
  if (a.matrix) c += " --matrix";
  for (const std::string& s : a.cells)
    c += " --cell " + s;
  for (const std::string& s : a.algorithms)
    c += " --algorithm " + s;
  c += fmt::format(" --seeds {} --shard {}/{}", a.seeds, o.shard_index, o.shard_count);
  if (!a.mutant.empty()) c += " --mutant " + a.mutant;
  return c;
}

// The exploration's options, or an error message.
std::variant<campaign::ExplorationOptions, std::string> options_of(const ExploreArgs& a) {
  campaign::ExplorationOptions o;
  if (!campaign::parse_shard(a.shard, &o.shard_index, &o.shard_count)) {
    return "--shard must be I/N with 0 <= I < N, not \"" + a.shard + "\"";
  }
  for (const std::string& spec : a.cells) {
    const std::optional<sim::MatrixCell> c = sim::parse_cell_spec(spec);
    if (!c) return campaign::bad_cell_message(spec);
    o.cells.push_back(*c);
  }
  if (a.matrix || (a.files.empty() && a.cells.empty())) o.cells = sim::all_cells();
  if (!a.algorithms.empty()) {
    std::vector<CaptureAlgorithm> keep;
    for (const std::string& name : a.algorithms) {
      const std::optional<CaptureAlgorithm> al = sim::value_named(sim::algorithm_names(), name);
      if (!al) return "--algorithm: \"" + name + "\" is not estuary, debezium or flink";
      keep.push_back(*al);
    }
    std::erase_if(o.cells, [&](const sim::MatrixCell& c) {
      return std::find(keep.begin(), keep.end(), c.algorithm) == keep.end();
    });
  }
  o.files = a.files;
  o.seeds = a.seeds;
  o.runner.jobs = a.jobs;
  o.runner.budget_s = a.budget_s;
  o.shrink = a.shrink;
  o.demos = a.demos;
  o.shrink_budget_s = a.shrink_budget_s;
  o.command = command_line(a, o);
  return o;
}

int explore(const ExploreArgs& a) {
  if (!activate_mutant(a.mutant)) return 2;
  std::variant<campaign::ExplorationOptions, std::string> o = options_of(a);
  if (const auto* err = std::get_if<std::string>(&o)) return bad_input(*err);
  campaign::ExplorationOptions& opts = std::get<campaign::ExplorationOptions>(o);
  if (isatty(STDERR_FILENO)) {
    opts.runner.progress = [](size_t done, size_t failed, double seconds) {
      fmt::print(stderr, "\r{} runs, {} failed, {:.0f} s   ", done, failed, seconds);
    };
  }
  fmt::print("{} --jobs {}{}\n", opts.command, a.jobs,
             a.budget_s > 0 ? fmt::format(" --budget-s {}", a.budget_s) : "");
  std::variant<reports::ExploreReport, std::string> r = campaign::explore(opts);
  if (opts.runner.progress) fmt::print(stderr, "\n");
  if (const auto* err = std::get_if<std::string>(&r)) return bad_input(*err);
  return finish_report(std::get<reports::ExploreReport>(r), a.out_dir, a.junit);
}

void add_options(CLI::App* c, ExploreArgs* a) {
  c->add_option("FILE", a->files, "Scenario files");
  c->add_flag("--matrix", a->matrix, "Also every matrix cell (the default with no FILE or --cell)");
  c->add_option("--cell", a->cells,
                "A matrix cell backfill/mode/strategy/faults/key[/algorithm] (repeatable)");
  c->add_option(
      "--algorithm", a->algorithms,
      "Keep only the cells of this capture algorithm: estuary, debezium or flink (repeatable)");
  c->add_option("--seeds", a->seeds, "Seeds per file or cell (1..N)")
      ->check(CLI::Range(uint64_t{1}, uint64_t{10000000}))
      ->capture_default_str();
  c->add_option("--budget-s", a->budget_s, "Stop starting runs after this many seconds")
      ->check(CLI::Range(0.0, 1e7));
  c->add_option("--jobs", a->jobs, "Threads")->check(CLI::Range(1u, 256u))->capture_default_str();
  c->add_option("--shard", a->shard, "This process's share I/N of the runs")->capture_default_str();
  c->add_option("--shrink", a->shrink, "How many failures to shrink")->capture_default_str();
  c->add_option("--demos", a->demos, "How many allowed violations (one per property) to shrink")
      ->capture_default_str();
  c->add_option("--shrink-budget-s", a->shrink_budget_s, "Time budget per shrunk case")
      ->check(CLI::Range(0.001, 1e6))
      ->capture_default_str();
  c->add_option("--out-dir", a->out_dir, "Where the report and shrunk/ go")->capture_default_str();
  c->add_option("--junit", a->junit, "Also write the report as JUnit XML to this file");
  add_mutant_option(c, &a->mutant);
}

}  // namespace

Command add_explore(CLI::App& app) {
  auto a = std::make_shared<ExploreArgs>();
  CLI::App* c = app.add_subcommand(
      "explore", "Many seeds of scenario files and matrix cells, in parallel, sharded; the report");
  add_options(c, a.get());
  return {c, [a] { return explore(*a); }};
}

}  // namespace cdc::cli
