#include "campaign/target.h"

#include <fmt/core.h>

#include "model/assert.h"
#include "model/mutants.h"
#include "sim/configurations.h"

namespace cdc::campaign {

sim::WorldOptions cell_options(const sim::MatrixCell& c, uint64_t seed) {
  sim::WorldOptions o =
      sim::configured_world(seed, c.mode, c.faults, c.backfill, c.strategy, c.key);
  o.safety_ticks = kCellSafetyTicks;
  o.liveness_ticks_max = kCellLivenessTicksMax;
  o.capture.algorithm = c.algorithm;  // the same world, workload and faults for every algorithm
  CDC_ASSERT(o.seed == seed, "a cell's run is seeded by its seed");
  return o;
}

std::string Source::name() const {
  return cell ? sim::cell_spec(*cell) : file;
}

std::string Target::replay_command() const {
  const std::string mutant = active_mutant() == Mutant::kNone
                                 ? ""
                                 : std::string(" --mutant ") + mutant_info(active_mutant()).name;
  if (source.cell) {
    return fmt::format("cdcsim replay --cell {} --seed {}{}", sim::cell_spec(*source.cell), seed,
                       mutant);
  }
  return fmt::format("cdcsim replay {} --seed {}{}", source.file, seed, mutant);
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
  t.source.file = path;
  t.seed = sc.options.seed;
  t.options = sc.options;
  t.expect = sc.expect;
  if (t.seed != own_seed) t.expect.violated.clear();
  return t;
}

std::string bad_cell_message(const std::string& spec) {
  return fmt::format(
      "--cell: \"{}\" is not backfill/mode/strategy/faults/key (e.g. "
      "capture/Normal/merge/crashes/int; "
      "backfill: none, capture, materialization, dataflow; mode: Automatic, Normal, Precise, "
      "OnlyChanges, WithoutPrimaryKey; strategy: merge, delta; faults: none, crashes, "
      "slot-loss, retention, known-limits; key: int, locale-text, c-text, keyless)",
      spec);
}

std::variant<Target, std::string> cell_target(const std::string& spec, uint64_t seed) {
  const std::optional<sim::MatrixCell> c = sim::parse_cell_spec(spec);
  if (!c) return bad_cell_message(spec);
  Target t;
  t.source.cell = c;
  t.seed = seed;
  t.options = cell_options(*c, seed);
  return t;
}

Target target_of(const Source& s, uint64_t seed) {
  if (s.cell) return std::get<Target>(cell_target(sim::cell_spec(*s.cell), seed));
  std::variant<Target, std::string> t = file_target(s.file, seed);
  CDC_ASSERT(std::holds_alternative<Target>(t), "a scenario file that loaded once loads again");
  return std::get<Target>(std::move(t));
}

std::variant<Target, std::string> command_target(const std::string& file, const std::string& cell,
                                                 std::optional<uint64_t> seed) {
  if (file.empty() == cell.empty())
    return std::string("name a scenario FILE or --cell SPEC (one of them)");
  if (!cell.empty() && !seed) return std::string("--cell needs --seed");
  return cell.empty() ? file_target(file, seed) : cell_target(cell, *seed);
}

}  // namespace cdc::campaign
