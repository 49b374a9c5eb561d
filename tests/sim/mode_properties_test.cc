// Random worlds for each backfill mode, with and without crashes: every
// checker runs, and a violation is accepted only where the expectations (data
// in properties/expectations.cc) say the property may be violated.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "properties/checkers.h"
#include "properties/expectations.h"
#include "sim/configurations.h"

namespace cdc::sim {
namespace {

using properties::FaultClass;

void check_mode(BackfillMode mode, FaultClass faults) {
  const uint64_t seed = *rc::gen::inRange<uint64_t>(0, uint64_t{1} << 40);
  WorldOptions o = configured_world(seed, mode, faults);
  o.safety_ticks = *rc::gen::inRange<uint64_t>(20, 200);
  o.liveness_ticks_max = 3000;
  const RunResult r = run_world(o);
  const std::vector<properties::Situation> seen = properties::situations(r.history);
  for (const properties::Verdict& v : properties::check_all(r.history)) {
    if (!v.violated()) continue;
    const properties::Expectation e = properties::expectation(mode, v.property, seen);
    // No command runs configured_world with a drawn safety length: RapidCheck's
    // "reproduce" parameter replays the case, and campaign::shrink_target
    // turns it into a scenario file (docs/findings has one).
    RC_LOG() << "world seed " << seed << ", " << o.safety_ticks << " safety ticks, mode "
             << to_string(mode) << ", faults " << properties::to_string(faults) << ": "
             << v.property << " (" << properties::to_string(e.expect) << "): " << v.explanation
             << "\n";
    RC_ASSERT(e.expect != properties::Expect::kHolds);
  }
}

RC_GTEST_PROP(ModeProperty, Automatic, ()) {
  check_mode(BackfillMode::kAutomatic, FaultClass::kNone);
}
RC_GTEST_PROP(ModeProperty, AutomaticWithCrashes, ()) {
  check_mode(BackfillMode::kAutomatic, FaultClass::kCrashes);
}
RC_GTEST_PROP(ModeProperty, Normal, ()) {
  check_mode(BackfillMode::kNormal, FaultClass::kNone);
}
RC_GTEST_PROP(ModeProperty, NormalWithCrashes, ()) {
  check_mode(BackfillMode::kNormal, FaultClass::kCrashes);
}
RC_GTEST_PROP(ModeProperty, Precise, ()) {
  check_mode(BackfillMode::kPrecise, FaultClass::kNone);
}
RC_GTEST_PROP(ModeProperty, PreciseWithCrashes, ()) {
  check_mode(BackfillMode::kPrecise, FaultClass::kCrashes);
}
RC_GTEST_PROP(ModeProperty, OnlyChanges, ()) {
  check_mode(BackfillMode::kOnlyChanges, FaultClass::kNone);
}
RC_GTEST_PROP(ModeProperty, OnlyChangesWithCrashes, ()) {
  check_mode(BackfillMode::kOnlyChanges, FaultClass::kCrashes);
}
RC_GTEST_PROP(ModeProperty, WithoutPrimaryKey, ()) {
  check_mode(BackfillMode::kWithoutPrimaryKey, FaultClass::kNone);
}
RC_GTEST_PROP(ModeProperty, WithoutPrimaryKeyWithCrashes, ()) {
  check_mode(BackfillMode::kWithoutPrimaryKey, FaultClass::kCrashes);
}

}  // namespace
}  // namespace cdc::sim
