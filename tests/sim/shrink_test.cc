// Shrinking keeps the failure, makes the schedule smaller, and the result
// replays to the same fingerprint.
#include "sim/shrink.h"

#include <gtest/gtest.h>

#include "properties/checkers.h"
#include "sim/configurations.h"

namespace cdc::sim {
namespace {

std::function<bool(const RunResult&)> violates(const std::string& property) {
  return [property](const RunResult& r) {
    for (const properties::Verdict& v : properties::check_all(r.history)) {
      if (v.property == property) return v.violated();
    }
    return false;
  };
}

WorldOptions only_changes_seed_1() {
  WorldOptions o = configured_world(1, BackfillMode::kOnlyChanges, properties::FaultClass::kNone,
                                    properties::BackfillType::kNone, UpdateStrategy::kMerge);
  o.safety_ticks = 120;
  return o;
}

// A recorded schedule replaces the generator: its settings, the initial
// load among them, go back to their defaults, and the run is the same.
TEST(Shrink, ExplicitOptionsResetTheGeneratorSettings) {
  WorldOptions o;
  o.seed = 4;
  o.initial_rows = 30;
  o.initial_load = WorldOptions::InitialLoad::kBulk;
  o.record_schedule = true;
  const RunResult recorded = run_world(o);
  ASSERT_FALSE(recorded.schedule.initial.empty());
  const WorldOptions e = explicit_options(o, recorded.schedule);
  EXPECT_EQ(e.initial_load, WorldOptions::InitialLoad::kWorkload);
  EXPECT_EQ(e.initial_rows, WorldOptions{}.initial_rows);
  EXPECT_EQ(run_world(e).fingerprint, recorded.fingerprint);
}

TEST(Shrink, KeepsTheViolationAndRemovesMostSteps) {
  const WorldOptions o = only_changes_seed_1();
  ASSERT_TRUE(violates("convergence")(run_world(o)));
  const ShrinkResult s = shrink(o, violates("convergence"));
  EXPECT_TRUE(s.complete);
  EXPECT_TRUE(violates("convergence")(s.run));
  EXPECT_LT(s.steps_after * 10, s.steps_before) << s.steps_before << " -> " << s.steps_after;
  const RunResult again = run_world(s.options);
  EXPECT_EQ(again.fingerprint, s.run.fingerprint);
}

TEST(Shrink, IsDeterministic) {
  const WorldOptions o = only_changes_seed_1();
  const ShrinkResult a = shrink(o, violates("convergence"));
  const ShrinkResult b = shrink(o, violates("convergence"));
  EXPECT_EQ(a.run.fingerprint, b.run.fingerprint);
  EXPECT_EQ(a.runs, b.runs);
}

TEST(Shrink, StopsAtTheRunBudget) {
  const WorldOptions o = only_changes_seed_1();
  ShrinkOptions opts;
  opts.max_runs = 5;
  const ShrinkResult s = shrink(o, violates("convergence"), opts);
  EXPECT_FALSE(s.complete);
  EXPECT_LE(s.runs, 6u);
  EXPECT_TRUE(violates("convergence")(s.run));
}

TEST(Shrink, ARunThatDoesNotFailIsReturnedUnchanged) {
  const WorldOptions o = only_changes_seed_1();
  const ShrinkResult s = shrink(o, violates("exactly_once"));
  EXPECT_FALSE(s.complete);
  EXPECT_EQ(s.steps_after, s.steps_before);
  EXPECT_EQ(s.runs, 1u);
}

}  // namespace
}  // namespace cdc::sim
