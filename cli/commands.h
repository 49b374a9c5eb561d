// The subcommands of `cdcsim`, one file each (cli/<name>.cc), and what they
// share. Each add_<name>() registers its subcommand, its options and its
// action on `app`; the action returns the process's exit code:
//   0  ok (for run and gate: every expectation met);
//   1  an unexpected finding (or, for replay, a fingerprint not reproduced);
//   2  bad input (a malformed file, option or report), nothing written.
// Every run a command makes goes through the campaign library (campaign/),
// so the same target and seed print the same fingerprint in every command.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "campaign/judge.h"
#include "campaign/target.h"
#include "reports/failure_report.h"
#include "sim/world.h"

namespace cdc::cli {

using Action = std::function<int()>;

struct Command {
  CLI::App* app = nullptr;
  Action action;
};

Command add_explore(CLI::App& app);
Command add_run(CLI::App& app);
Command add_replay(CLI::App& app);
Command add_shrink(CLI::App& app);
Command add_gate(CLI::App& app);
Command add_merge(CLI::App& app);
Command add_mutants(CLI::App& app);
Command add_demo(CLI::App& app);
Command add_costs(CLI::App& app);
Command add_judge(CLI::App& app);
Command add_live(CLI::App& app);
// Reads and judges an outside history file (cli/judge.cc): 0 nothing
// violated, 1 violated, 2 unreadable.
int judge_history_file(const std::string& path);
// Thin aliases kept for old scripts: they print the equivalent command on
// stderr and run it.
Command add_world_alias(CLI::App& app);
Command add_matrix_alias(CLI::App& app);

// Runs `cdcsim ARGS…` as main() would (cli/main.cc); aliases call it.
int run_cdcsim(const std::vector<std::string>& args);
// Prints "cdcsim NAME is an alias; running: cdcsim ARGS…" on stderr and
// runs that command.
int run_alias(const std::string& name, const std::vector<std::string>& args);

// ---- shared by the commands (cli/common.cc) ----

// --mutant NAME on a command that runs worlds; `activate_mutant` switches it
// on before the first run (false, message printed, for an unknown name).
void add_mutant_option(CLI::App* app, std::string* name);
bool activate_mutant(const std::string& name);
// "error: unknown mutant "x"; known mutants: a, b, ..."
std::string unknown_mutant_message(const std::string& name);

// FILE | --cell SPEC, and --seed: the target of run, replay and shrink.
struct TargetArgs {
  std::string file;
  std::string cell;
  std::optional<uint64_t> seed;
};
void add_target_options(CLI::App* app, TargetArgs* a);
// The target, or nullopt after printing the error.
std::optional<campaign::Target> load_target(const TargetArgs& a);

// Prints one run of `t`: the reproduction command, what the run did, every
// verdict with what the expectations say of it, and the fingerprint.
void print_run(const campaign::Target& t, const sim::RunResult& r, const campaign::Judgement& j);
// Every recorded fact of a history, one line each, in tick order.
void print_trace(const history::History& h);

// Writes the report of an exploration (campaign/report_files.h), prints its
// summary, a line per shrunk case and per further failure, and returns the
// exit code explore has: 0, 1 on a failing run, 2 when it cannot write.
int finish_report(const reports::ExploreReport& r, const std::string& out_dir,
                  const std::string& junit);

// Prints "error: <message>" on stderr and returns 2.
int bad_input(const std::string& message);

}  // namespace cdc::cli
