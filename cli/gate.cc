// `cdcsim gate [FILE…] --seeds N --budget-s T --junit F [--jobs J]
// [--out-dir D]`: the CI gate. It is `explore` with CI's defaults — every
// matrix cell plus the given scenario files, fixed seeds, a time budget,
// no shrinking, a JUnit file — and prints that explore command. Exit 0 when
// every expectation holds, 1 on an unexpected violation or an unmet
// expectation, 2 on bad input (nothing written).
#include <fmt/core.h>

#include "cli/commands.h"

namespace cdc::cli {

namespace {

struct GateArgs {
  std::vector<std::string> files;
  uint64_t seeds = 1;
  double budget_s = 600;
  uint32_t jobs = 2;
  std::string junit;
  std::string out_dir = "out/gate";
  std::string mutant;
};

int gate(const GateArgs& a) {
  std::vector<std::string> args = {"explore"};
  args.insert(args.end(), a.files.begin(), a.files.end());
  for (const std::string& x :
       {std::string("--matrix"), std::string("--seeds"), std::to_string(a.seeds),
        std::string("--budget-s"), fmt::format("{}", a.budget_s), std::string("--jobs"),
        std::to_string(a.jobs), std::string("--shrink"), std::string("0"), std::string("--out-dir"),
        a.out_dir}) {
    args.push_back(x);
  }
  if (!a.junit.empty()) args.insert(args.end(), {"--junit", a.junit});
  if (!a.mutant.empty()) args.insert(args.end(), {"--mutant", a.mutant});
  return run_alias("gate", args);
}

}  // namespace

Command add_gate(CLI::App& app) {
  auto a = std::make_shared<GateArgs>();
  CLI::App* c = app.add_subcommand(
      "gate", "CI gate: explore every matrix cell on fixed seeds plus scenario files; JUnit XML");
  c->add_option("FILE", a->files, "Scenario files whose expectations must be met");
  c->add_option("--seeds", a->seeds, "Seeds per matrix cell and file")
      ->check(CLI::Range(uint64_t{1}, uint64_t{10000}))
      ->capture_default_str();
  c->add_option("--budget-s", a->budget_s, "Time budget in seconds; later runs are skipped")
      ->check(CLI::Range(0.0, 1e6))
      ->capture_default_str();
  c->add_option("--jobs", a->jobs, "Threads")->check(CLI::Range(1u, 256u))->capture_default_str();
  c->add_option("--junit", a->junit, "Where to write the JUnit XML report");
  c->add_option("--out-dir", a->out_dir, "Where the explore report goes")->capture_default_str();
  add_mutant_option(c, &a->mutant);
  return {c, [a] { return gate(*a); }};
}

}  // namespace cdc::cli
