#include "campaign/shrink.h"

#include <fmt/core.h>

#include <chrono>

#include "model/assert.h"
#include "properties/checkers.h"
#include "scenarios/writer.h"
#include "sim/shrink.h"

namespace cdc::campaign {

bool violates(const history::History& h, const std::string& property) {
  for (const properties::Verdict& v : properties::check_all(h)) {
    if (v.property == property) return v.violated();
  }
  return false;
}

namespace {

std::string shrunk_yaml(const Target& t, const std::string& property, const sim::ShrinkResult& s) {
  scenarios::Scenario sc;
  sc.name = fmt::format("shrunk-{}-seed-{}", property, t.seed);
  sc.description = fmt::format(
      "{} is violated. Shrunk by cdcsim shrink from `{}`: {} steps -> {} steps, {} runs{}.",
      property, t.replay_command(), s.steps_before, s.steps_after, s.runs,
      s.complete ? "" : " (budget spent before a fixpoint)");
  sc.options = s.options;
  sc.expect.violated = {property};
  return scenarios::scenario_yaml(sc);
}

}  // namespace

Shrunk shrink_target(const Target& t, const std::string& property, double budget_s) {
  CDC_ASSERT(budget_s > 0, "a shrink needs a positive budget");
  const auto start = std::chrono::steady_clock::now();  // budgets may read the clock
  auto seconds = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  sim::ShrinkOptions opts;
  opts.out_of_time = [&] { return seconds() > budget_s; };
  const sim::ShrinkResult s = sim::shrink(
      t.options, [&](const sim::RunResult& r) { return violates(r.history, property); }, opts);
  Shrunk out;
  out.property = property;
  out.steps_before = s.steps_before;
  out.steps_after = s.steps_after;
  out.runs = s.runs;
  out.complete = s.complete;
  out.fingerprint = s.run.fingerprint;
  out.history = s.run.history;
  out.yaml = shrunk_yaml(t, property, s);
  const scenarios::LoadResult back = scenarios::load_scenario_text(out.yaml, "shrunk");
  if (const auto* loaded = std::get_if<scenarios::Scenario>(&back)) {
    out.round_trip = sim::run_world(loaded->options).fingerprint == out.fingerprint;
  }
  out.seconds = seconds();
  return out;
}

}  // namespace cdc::campaign
