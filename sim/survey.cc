#include "sim/survey.h"

#include "properties/checkers.h"
#include "sim/configurations.h"

namespace cdc::sim {

SurveyResult survey(const SurveyOptions& options) {
  std::vector<BackfillMode> modes = options.modes;
  if (modes.empty()) {
    modes = {BackfillMode::kAutomatic, BackfillMode::kNormal, BackfillMode::kPrecise,
             BackfillMode::kOnlyChanges, BackfillMode::kWithoutPrimaryKey};
  }
  std::vector<properties::FaultClass> faults = options.faults;
  if (faults.empty()) faults = {properties::FaultClass::kNone, properties::FaultClass::kCrashes};
  SurveyResult out;
  for (BackfillMode mode : modes) {
    for (properties::FaultClass fc : faults) {
      for (uint64_t s = options.first_seed; s < options.first_seed + options.seeds; ++s) {
        WorldOptions o = configured_world(s, mode, fc);
        o.safety_ticks = options.safety_ticks;
        const RunResult r = run_world(o);
        ++out.runs;
        const auto seen = properties::situations(r.history);
        for (const properties::Verdict& v : properties::check_all(r.history)) {
          SurveyCell& cell = out.cells[{mode, fc, v.property}];
          if (v.outcome == properties::Verdict::Outcome::kHolds) {
            ++cell.holds;
          } else if (v.outcome == properties::Verdict::Outcome::kUnknown) {
            ++cell.unknown;
          } else if (properties::expectation(mode, fc, v.property, seen).expect !=
                     properties::Expect::kHolds) {
            if (cell.violated_expected++ == 0) cell.first_expected_seed = s;
          } else {
            ++out.unexpected;
            if (cell.violated_unexpected++ == 0) {
              cell.first_unexpected_seed = s;
              cell.first_unexpected_explanation = v.explanation;
            }
          }
        }
      }
    }
  }
  return out;
}

}  // namespace cdc::sim
