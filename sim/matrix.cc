#include "sim/matrix.h"

#include "properties/checkers.h"
#include "sim/configurations.h"

namespace cdc::sim {

std::vector<MatrixCell> all_cells() {
  using properties::BackfillType;
  using properties::FaultClass;
  std::vector<MatrixCell> out;
  for (BackfillType t : {BackfillType::kNone, BackfillType::kCapture,
                         BackfillType::kMaterialization, BackfillType::kDataFlow}) {
    for (BackfillMode m : {BackfillMode::kAutomatic, BackfillMode::kNormal, BackfillMode::kPrecise,
                           BackfillMode::kOnlyChanges, BackfillMode::kWithoutPrimaryKey}) {
      for (UpdateStrategy s : {UpdateStrategy::kMerge, UpdateStrategy::kDelta}) {
        for (FaultClass f : {FaultClass::kNone, FaultClass::kCrashes, FaultClass::kSlotLossUpgrade,
                             FaultClass::kRetention}) {
          out.push_back({t, m, s, f});
        }
      }
    }
  }
  return out;
}

std::string cell_name(const MatrixCell& c) {
  return std::string(properties::to_string(c.backfill)) + " / " + to_string(c.mode) + " / " +
         to_string(c.strategy) + " / " + properties::to_string(c.faults);
}

std::string cell_spec(const MatrixCell& c) {
  return name_of(backfill_type_names(), c.backfill) + "/" + name_of(mode_names(), c.mode) + "/" +
         name_of(strategy_names(), c.strategy) + "/" + name_of(fault_class_names(), c.faults);
}

std::optional<MatrixCell> parse_cell_spec(const std::string& spec) {
  std::vector<std::string> parts(1);
  for (char ch : spec) {
    if (ch == '/') {
      parts.emplace_back();
    } else {
      parts.back() += ch;
    }
  }
  if (parts.size() != 4) return std::nullopt;
  const auto backfill = value_named(backfill_type_names(), parts[0]);
  const auto mode = value_named(mode_names(), parts[1]);
  const auto strategy = value_named(strategy_names(), parts[2]);
  const auto faults = value_named(fault_class_names(), parts[3]);
  if (!backfill || !mode || !strategy || !faults) return std::nullopt;
  return MatrixCell{*backfill, *mode, *strategy, *faults};
}

WorldOptions cell_world(const MatrixCell& c, uint64_t seed, uint64_t safety_ticks) {
  WorldOptions o = configured_world(seed, c.mode, c.faults, c.backfill, c.strategy);
  o.safety_ticks = safety_ticks;
  return o;
}

namespace {

void tally(const MatrixCell& cell, uint64_t seed, const properties::Verdict& v,
           const std::vector<properties::Situation>& seen, PropertyTally* t, Matrix* m) {
  switch (v.outcome) {
    case properties::Verdict::Outcome::kHolds:
      ++t->holds;
      return;
    case properties::Verdict::Outcome::kUnknown:
      ++t->unknown;
      return;
    case properties::Verdict::Outcome::kViolated:
      break;
  }
  const properties::Expectation e =
      properties::expectation(cell.mode, cell.faults, v.property, seen);
  if (e.expect != properties::Expect::kHolds) {
    if (t->violated_expected++ == 0) {
      t->first_expected_seed = seed;
      t->expected_reason = std::string(properties::to_string(e.expect)) + ": " + e.reason;
    }
    return;
  }
  ++m->unexpected;
  if (t->violated_unexpected++ == 0) {
    t->first_unexpected_seed = seed;
    t->unexpected_explanation = v.explanation;
  }
}

}  // namespace

void tally_run(Matrix* m, size_t row, uint64_t seed,
               const std::vector<properties::Verdict>& verdicts,
               const std::vector<properties::Situation>& seen) {
  CDC_ASSERT(row < m->rows.size(), "tally of an unknown matrix row");
  MatrixRow& r = m->rows[row];
  ++r.runs;
  ++m->runs;
  for (const properties::Verdict& v : verdicts)
    tally(r.cell, seed, v, seen, &r.properties[v.property], m);
}

Matrix run_matrix(const MatrixOptions& options) {
  Matrix m;
  m.options = options;
  m.property_names = properties::property_names();
  const std::vector<MatrixCell> cells = options.cells.empty() ? all_cells() : options.cells;
  for (const MatrixCell& cell : cells) {
    m.rows.emplace_back().cell = cell;
    for (uint64_t s = options.first_seed; s < options.first_seed + options.seeds; ++s) {
      WorldOptions o = cell_world(cell, s, options.safety_ticks);
      o.liveness_ticks_max = options.liveness_ticks_max;
      const RunResult r = run_world(o);
      tally_run(&m, m.rows.size() - 1, s, properties::check_all(r.history),
                properties::situations(r.history));
    }
  }
  return m;
}

}  // namespace cdc::sim
