// `cdcsim replay FILE | --cell SPEC --seed S [--fingerprint F] [--trace]`:
// reproduces one run bit for bit — the command explore prints with every
// failure. Exit 0 when the run has the expected fingerprint (or none was
// given), 1 when it does not, 2 on bad input.
#include <fmt/core.h>

#include "cli/commands.h"

namespace cdc::cli {

namespace {

struct ReplayArgs {
  TargetArgs target;
  std::string fingerprint;
  bool trace = false;
  std::string mutant;
};

int replay(const ReplayArgs& a) {
  if (!activate_mutant(a.mutant)) return 2;
  const std::optional<campaign::Target> t = load_target(a.target);
  if (!t) return 2;
  const sim::RunResult r = sim::run_world(t->options);
  if (a.trace) print_trace(r.history);
  print_run(*t, r, campaign::judge(*t, r.history));
  if (a.fingerprint.empty()) return 0;
  if (a.fingerprint != r.fingerprint) {
    fmt::print("NOT reproduced: expected fingerprint {}\n", a.fingerprint);
    return 1;
  }
  fmt::print("reproduced bit for bit\n");
  return 0;
}

}  // namespace

Command add_replay(CLI::App& app) {
  auto a = std::make_shared<ReplayArgs>();
  CLI::App* c = app.add_subcommand(
      "replay", "Reproduce one run bit for bit (the command explore prints with each failure)");
  add_target_options(c, &a->target);
  c->add_option("--fingerprint", a->fingerprint,
                "Expected fingerprint; exit 1 when the run does not reproduce it");
  c->add_flag("--trace", a->trace, "Print the whole history, tick by tick");
  add_mutant_option(c, &a->mutant);
  return {c, [a] { return replay(*a); }};
}

}  // namespace cdc::cli
