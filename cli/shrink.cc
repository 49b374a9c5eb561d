#include "cli/shrink.h"

#include <fmt/core.h>

#include <chrono>
#include <filesystem>

#include "properties/checkers.h"
#include "reports/atomic_file.h"
#include "scenarios/writer.h"
#include "sim/shrink.h"

namespace cdc::cli {

namespace {

bool violates(const sim::RunResult& r, const std::string& property) {
  for (const properties::Verdict& v : properties::check_all(r.history)) {
    if (v.property == property) return v.violated();
  }
  return false;
}

}  // namespace

Shrunk shrink_target(const Target& t, const std::string& property, double budget_s) {
  const auto start = std::chrono::steady_clock::now();  // the CLI may read the clock
  auto seconds = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  sim::ShrinkOptions opts;
  opts.out_of_time = [&] { return seconds() > budget_s; };
  const sim::ShrinkResult s = sim::shrink(
      t.options, [&](const sim::RunResult& r) { return violates(r, property); }, opts);
  Shrunk out;
  out.property = property;
  out.steps_before = s.steps_before;
  out.steps_after = s.steps_after;
  out.runs = s.runs;
  out.complete = s.complete;
  out.fingerprint = s.run.fingerprint;
  out.history = s.run.history;
  scenarios::Scenario sc;
  sc.name = fmt::format("shrunk-{}-seed-{}", property, t.seed);
  sc.description = fmt::format(
      "{} is violated. Shrunk by cdcsim shrink from `{}`: {} steps -> {} steps, {} runs{}.",
      property, t.replay_command(), s.steps_before, s.steps_after, s.runs,
      s.complete ? "" : " (budget spent before a fixpoint)");
  sc.options = s.options;
  sc.expect.violated = {property};
  out.yaml = scenarios::scenario_yaml(sc);
  const scenarios::LoadResult back = scenarios::load_scenario_text(out.yaml, "shrunk");
  if (const auto* loaded = std::get_if<scenarios::Scenario>(&back)) {
    out.round_trip = sim::run_world(loaded->options).fingerprint == out.fingerprint;
  }
  out.seconds = seconds();
  return out;
}

int run_shrink(const ShrinkArgs& a) {
  if (a.budget_s <= 0) {
    fmt::print(stderr, "error: --budget-s must be positive\n");
    return 2;
  }
  if (!a.property.empty()) {
    const auto& names = properties::property_names();
    if (std::find(names.begin(), names.end(), a.property) == names.end()) {
      fmt::print(stderr, "error: --property: no property named \"{}\"\n", a.property);
      return 2;
    }
  }
  std::variant<Target, std::string> loaded = command_target(a.file, a.cell, a.seed);
  if (const auto* err = std::get_if<std::string>(&loaded)) {
    fmt::print(stderr, "error: {}\n", *err);
    return 2;
  }
  const Target& t = std::get<Target>(loaded);
  const sim::RunResult r = sim::run_world(t.options);
  std::string property = a.property;
  for (const Finding& f : judge(t, r.history)) {
    if (property.empty() && f.unexpected && f.verdict.violated()) property = f.verdict.property;
  }
  if (property.empty() || !violates(r, property)) {
    fmt::print(stderr,
               "{}: {} is not violated; nothing to shrink (name a violated property with "
               "--property)\n",
               t.replay_command(), property.empty() ? "no property expected to hold" : property);
    return 1;
  }
  const std::string out =
      a.out.empty() ? fmt::format("shrunk-{}-seed-{}.yaml", property, t.seed) : a.out;
  fmt::print("{}: shrinking while {} is violated (budget {} s)\n", t.replay_command(), property,
             a.budget_s);
  const Shrunk s = shrink_target(t, property, a.budget_s);
  if (!s.round_trip) {
    fmt::print(stderr, "error: the shrunk schedule does not replay from its YAML text\n");
    return 2;
  }
  if (const Status st = reports::write_file_atomically(out, s.yaml); !st.is_ok()) {
    fmt::print(stderr, "error: {}\n", st.message());
    return 2;
  }
  fmt::print("shrunk {} -> {} steps in {:.2f} s ({} runs{}); fingerprint {}\n", s.steps_before,
             s.steps_after, s.seconds, s.runs, s.complete ? "" : ", budget spent", s.fingerprint);
  fmt::print("wrote {}; replay it with: cdcsim run {}\n", out, out);
  return 0;
}

}  // namespace cdc::cli
