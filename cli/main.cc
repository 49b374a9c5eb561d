// cdcsim: the command-line front end of the CDC backfill simulation harness.
// One file per subcommand (cli/commands.h lists them); this file only
// registers them, parses the command line and runs the chosen one.
#include <fmt/core.h>

#include <CLI/CLI.hpp>

#include "cli/commands.h"

namespace cdc::cli {

namespace {

int parse_and_run(std::vector<std::string> args) {
  CLI::App app{
      "cdcsim: deterministic simulation and verification of CDC backfills.\n"
      "Commands: explore, run, replay, shrink, gate, merge, mutants, demo, costs, judge, live.\n"
      "Aliases kept for old scripts (they print the command they stand for): world (run --cell),\n"
      "matrix (explore over every cell)."};
  app.require_subcommand(1);
  const std::vector<Command> commands = {
      add_explore(app), add_run(app),         add_replay(app),      add_shrink(app),
      add_gate(app),    add_merge(app),       add_mutants(app),     add_demo(app),
      add_costs(app),   add_judge(app),       add_live(app),       add_world_alias(app), add_matrix_alias(app)};
  std::reverse(args.begin(), args.end());  // CLI11 takes them in reverse order
  try {
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  for (const Command& c : commands) {
    if (c.app->parsed()) return c.action();
  }
  return 2;
}

}  // namespace

int run_cdcsim(const std::vector<std::string>& args) {
  return parse_and_run(args);
}

int run_alias(const std::string& name, const std::vector<std::string>& args) {
  std::string line = "cdcsim";
  for (const std::string& a : args)
    line += " " + a;
  fmt::print(stderr, "cdcsim {} is an alias; running: {}\n", name, line);
  return run_cdcsim(args);
}

}  // namespace cdc::cli

int main(int argc, char** argv) {
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i)
    args.emplace_back(argv[i]);
  return cdc::cli::run_cdcsim(args);
}
