// `cdcsim run FILE | --cell SPEC [--seed S]`: one run of a target, judged;
// exit 0 when its expectations are met (a file's `expect`, or a cell's
// expectations), 1 when not, 2 on bad input.
#include <fmt/core.h>

#include "cli/commands.h"

namespace cdc::cli {

namespace {

struct RunArgs {
  TargetArgs target;
  bool trace = false;
  std::string mutant;
};

int run(const RunArgs& a) {
  if (!activate_mutant(a.mutant)) return 2;
  const std::optional<campaign::Target> t = load_target(a.target);
  if (!t) return 2;
  const sim::RunResult r = sim::run_world(t->options);
  if (a.trace) print_trace(r.history);
  const campaign::Judgement j = campaign::judge(*t, r.history);
  print_run(*t, r, j);
  fmt::print("{}\n", j.failed() ? "expectations NOT met" : "expectations met");
  return j.failed() ? 1 : 0;
}

}  // namespace

Command add_run(CLI::App& app) {
  auto a = std::make_shared<RunArgs>();
  CLI::App* c = app.add_subcommand(
      "run",
      "Run one scenario file or matrix cell at a seed and judge it against its expectations");
  add_target_options(c, &a->target);
  c->add_flag("--trace", a->trace, "Print the whole history, tick by tick");
  add_mutant_option(c, &a->mutant);
  return {c, [a] { return run(*a); }};
}

}  // namespace cdc::cli
