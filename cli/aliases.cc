// Aliases kept for scripts written against older versions: each prints the
// command it stands for and runs it.
//   world --seed S --mode M --faults F --backfill B --strategy X --key K
//       = run --cell B/M/X/F/K --seed S
//   matrix --seeds N --out-dir D [--jobs J]
//       = explore --seeds N --shrink 0 --jobs J --out-dir D   (every cell;
//         the report holds matrix.json and matrix.md)
#include <fmt/core.h>

#include "cli/commands.h"
#include "sim/configurations.h"

namespace cdc::cli {

namespace {

struct WorldArgs {
  uint64_t seed = 1;
  std::string mode = "Automatic";
  std::string faults = "none";
  std::string backfill = "capture";
  std::string strategy = "merge";
  std::string key = "int";
  bool trace = false;
  std::string mutant;
};

int world(const WorldArgs& a) {
  std::vector<std::string> args = {
      "run", "--cell", a.backfill + "/" + a.mode + "/" + a.strategy + "/" + a.faults + "/" + a.key,
      "--seed", std::to_string(a.seed)};
  if (a.trace) args.push_back("--trace");
  if (!a.mutant.empty()) args.insert(args.end(), {"--mutant", a.mutant});
  return run_alias("world", args);
}

struct MatrixArgs {
  uint64_t seeds = 2;
  uint32_t jobs = 2;
  std::string out_dir = "out";
  std::string mutant;
};

int matrix(const MatrixArgs& a) {
  std::vector<std::string> args = {"explore", "--seeds", std::to_string(a.seeds), "--shrink",
                                   "0",       "--jobs",  std::to_string(a.jobs),  "--out-dir",
                                   a.out_dir};
  if (!a.mutant.empty()) args.insert(args.end(), {"--mutant", a.mutant});
  return run_alias("matrix", args);
}

template <typename E>
void add_name_option(CLI::App* c, const char* name, std::string* value, const sim::Names<E>& names,
                     const char* what) {
  c->add_option(name, *value, what)
      ->check(CLI::IsMember(sim::all_names(names)))
      ->capture_default_str();
}

}  // namespace

Command add_world_alias(CLI::App& app) {
  auto a = std::make_shared<WorldArgs>();
  CLI::App* c = app.add_subcommand("world", "Alias of: run --cell B/M/S/F --seed S");
  c->add_option("--seed", a->seed, "Seed of the run")->capture_default_str();
  add_name_option(c, "--mode", &a->mode, sim::mode_names(), "Backfill mode of every binding");
  add_name_option(c, "--faults", &a->faults, sim::fault_class_names(), "Fault class");
  add_name_option(c, "--backfill", &a->backfill, sim::backfill_type_names(), "Backfill type");
  add_name_option(c, "--strategy", &a->strategy, sim::strategy_names(), "Update strategy");
  add_name_option(c, "--key", &a->key, sim::key_kind_names(), "Key kind of the captured tables");
  c->add_flag("--trace", a->trace, "Print the whole history");
  add_mutant_option(c, &a->mutant);
  return {c, [a] { return world(*a); }};
}

Command add_matrix_alias(CLI::App& app) {
  auto a = std::make_shared<MatrixArgs>();
  CLI::App* c = app.add_subcommand(
      "matrix", "Alias of: explore --seeds N --shrink 0 --out-dir D (every matrix cell)");
  c->add_option("--seeds", a->seeds, "Seeds per cell")
      ->check(CLI::Range(uint64_t{1}, uint64_t{100000}))
      ->capture_default_str();
  c->add_option("--jobs", a->jobs, "Threads")->check(CLI::Range(1u, 256u))->capture_default_str();
  c->add_option("--out-dir", a->out_dir, "Where the report goes")->capture_default_str();
  add_mutant_option(c, &a->mutant);
  return {c, [a] { return matrix(*a); }};
}

}  // namespace cdc::cli
