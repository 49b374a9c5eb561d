// `cdcsim shrink FILE | --cell SPEC --seed S [--property P] [--budget-s T]
// [--out F]`: minimises a failing run into an explicit schedule and saves it
// as a scenario file that `cdcsim run F` replays to the same violation.
// Exit 0 when written, 1 when nothing is violated, 2 on bad input.
#include <fmt/core.h>

#include <algorithm>

#include "campaign/shrink.h"
#include "cli/commands.h"
#include "properties/checkers.h"
#include "reports/atomic_file.h"

namespace cdc::cli {

namespace {

struct ShrinkArgs {
  TargetArgs target;
  std::string property;  // empty: the first unexpected violation
  double budget_s = 30;
  std::string out;  // empty: shrunk-<property>-seed-<S>.yaml
  std::string mutant;
};

// The property to keep violated: --property, else the run's first
// unexpected violation; "" when there is none.
std::string property_to_keep(const ShrinkArgs& a, const campaign::Judgement& j) {
  if (!a.property.empty()) return a.property;
  for (const campaign::Finding& f : j.findings) {
    if (f.unexpected && f.verdict.violated()) return f.verdict.property;
  }
  return "";
}

int write_shrunk(const campaign::Target& t, const std::string& property, const ShrinkArgs& a) {
  const std::string out =
      a.out.empty() ? fmt::format("shrunk-{}-seed-{}.yaml", property, t.seed) : a.out;
  fmt::print("{}: shrinking while {} is violated (budget {} s)\n", t.replay_command(), property,
             a.budget_s);
  const campaign::Shrunk s = campaign::shrink_target(t, property, a.budget_s);
  if (!s.round_trip) return bad_input("the shrunk schedule does not replay from its YAML text");
  if (const Status st = reports::write_file_atomically(out, s.yaml); !st.is_ok()) {
    return bad_input(st.message());
  }
  fmt::print("shrunk {} -> {} steps in {:.2f} s ({} runs{}); fingerprint {}\n", s.steps_before,
             s.steps_after, s.seconds, s.runs, s.complete ? "" : ", budget spent", s.fingerprint);
  fmt::print("wrote {}; replay it with: cdcsim run {}\n", out, out);
  return 0;
}

int shrink(const ShrinkArgs& a) {
  if (!activate_mutant(a.mutant)) return 2;
  if (a.budget_s <= 0) return bad_input("--budget-s must be positive");
  const auto& names = properties::property_names();
  if (!a.property.empty() && std::find(names.begin(), names.end(), a.property) == names.end()) {
    return bad_input("--property: no property named \"" + a.property + "\"");
  }
  const std::optional<campaign::Target> t = load_target(a.target);
  if (!t) return 2;
  const sim::RunResult r = sim::run_world(t->options);
  fmt::print("{}\nfingerprint: {}\n", t->replay_command(), r.fingerprint);
  const std::string property = property_to_keep(a, campaign::judge(*t, r.history));
  if (property.empty() || !campaign::violates(r.history, property)) {
    fmt::print(stderr,
               "{}: {} is not violated; nothing to shrink (name a violated property with "
               "--property)\n",
               t->replay_command(), property.empty() ? "no property expected to hold" : property);
    return 1;
  }
  return write_shrunk(*t, property, a);
}

}  // namespace

Command add_shrink(CLI::App& app) {
  auto a = std::make_shared<ShrinkArgs>();
  CLI::App* c = app.add_subcommand(
      "shrink", "Minimise a failing run into an explicit schedule saved as a scenario file");
  add_target_options(c, &a->target);
  c->add_option("--property", a->property,
                "Property to keep violated (default: the first one expected to hold)");
  c->add_option("--budget-s", a->budget_s, "Time budget in seconds")->capture_default_str();
  c->add_option("--out", a->out,
                "Scenario file to write (default shrunk-<property>-seed-<seed>.yaml)");
  add_mutant_option(c, &a->mutant);
  return {c, [a] { return shrink(*a); }};
}

}  // namespace cdc::cli
