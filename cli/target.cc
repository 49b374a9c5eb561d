#include "cli/target.h"

#include <fmt/core.h>

#include "model/mutants.h"
#include "properties/checkers.h"
#include "properties/expectations.h"
#include "scenarios/expect.h"

namespace cdc::cli {

std::string Target::name() const {
  return cell ? sim::cell_spec(*cell) : file;
}

std::string Target::replay_command() const {
  const std::string mutant = active_mutant() == Mutant::kNone
                                 ? ""
                                 : std::string(" --mutant ") + mutant_info(active_mutant()).name;
  if (cell) {
    return fmt::format("cdcsim replay --cell {} --seed {}{}", sim::cell_spec(*cell), seed, mutant);
  }
  return fmt::format("cdcsim replay {} --seed {}{}", file, seed, mutant);
}

std::variant<Target, std::string> file_target(const std::string& path,
                                              std::optional<uint64_t> seed) {
  const scenarios::LoadResult own = scenarios::load_scenario_file(path);
  if (const auto* err = std::get_if<scenarios::LoadError>(&own)) return err->to_string();
  const uint64_t own_seed = std::get<scenarios::Scenario>(own).options.seed;
  const scenarios::LoadResult loaded =
      seed && *seed != own_seed ? scenarios::load_scenario_file(path, seed) : own;
  if (const auto* err = std::get_if<scenarios::LoadError>(&loaded)) return err->to_string();
  const scenarios::Scenario& sc = std::get<scenarios::Scenario>(loaded);
  Target t;
  t.file = path;
  t.seed = sc.options.seed;
  t.options = sc.options;
  t.expect = sc.expect;
  if (t.seed != own_seed) t.expect.violated.clear();
  return t;
}

std::variant<Target, std::string> cell_target(const std::string& spec, uint64_t seed) {
  const std::optional<sim::MatrixCell> c = sim::parse_cell_spec(spec);
  if (!c) {
    return fmt::format(
        "--cell: \"{}\" is not backfill/mode/strategy/faults (e.g. capture/Normal/merge/crashes; "
        "backfill: none, capture, materialization, dataflow; mode: Automatic, Normal, Precise, "
        "OnlyChanges, WithoutPrimaryKey; strategy: merge, delta; faults: none, crashes, "
        "slot-loss, retention)",
        spec);
  }
  Target t;
  t.cell = c;
  t.seed = seed;
  t.options = sim::cell_world(*c, seed);
  return t;
}

std::variant<Target, std::string> command_target(const std::string& file, const std::string& cell,
                                                 std::optional<uint64_t> seed) {
  if (file.empty() == cell.empty())
    return std::string("name a scenario FILE or --cell SPEC (one of them)");
  if (!cell.empty() && !seed) return std::string("--cell needs --seed");
  return cell.empty() ? file_target(file, seed) : cell_target(cell, *seed);
}

std::vector<Finding> judge(const Target& t, const history::History& h) {
  std::vector<Finding> out;
  const std::vector<properties::Situation> seen = properties::situations(h);
  for (const properties::Verdict& v : properties::check_all(h)) {
    if (t.cell) {
      if (!v.violated()) continue;
      const properties::Expectation e =
          properties::expectation(t.cell->mode, t.cell->faults, v.property, seen);
      const bool unexpected = e.expect == properties::Expect::kHolds;
      out.push_back({v, unexpected,
                     unexpected ? "expected to hold in this cell"
                                : std::string(properties::to_string(e.expect)) + ": " + e.reason});
      continue;
    }
    const scenarios::ExpectCheck c = scenarios::check_expectation(t.expect, v);
    if (!c.met) {
      out.push_back({v, true, c.message});
    } else if (v.violated()) {
      out.push_back({v, false,
                     c.expected_violation ? "the scenario expects this violation"
                                          : "the scenario does not judge this property"});
    }
  }
  return out;
}

}  // namespace cdc::cli
