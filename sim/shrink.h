// Shrinking: minimises a failing run into a small explicit schedule that
// still fails.
//
// The run is first recorded as an explicit schedule (sim/schedule.h), which
// replays it bit for bit. Passes then remove, while `still_fails` holds:
// scripted operations, faults, whole transactions (of the workload and of the
// initial rows), single statements, capture choices, long text values
// (replaced by short ones), and the idle safety ticks after the last step. Each pass removes
// chunks, halving the chunk size down to one element (the greedy core of delta debugging), and the
// passes repeat until none removes anything or the budget is spent.
//
// Deterministic: the result depends only on the input and on the predicate's
// answers, unless `out_of_time` stops it early (the CLI's wall-clock budget).
#pragma once

#include <cstdint>
#include <functional>

#include "sim/world.h"

namespace cdc::sim {

struct ShrinkOptions {
  uint64_t max_runs = 20000;
  std::function<bool()> out_of_time;  // checked before each run; may be empty
};

struct ShrinkResult {
  WorldOptions options;     // explicit schedule, generator settings cleared
  RunResult run;            // the shrunk run (it fails)
  size_t steps_before = 0;  // statements + faults + scripted operations
  size_t steps_after = 0;
  uint64_t runs = 0;      // runs tried
  bool complete = false;  // false: stopped by the budget before a fixpoint
};

// The options with `schedule` set to the one a run of `o` performs, and the
// generator settings reset to their defaults (they no longer matter).
WorldOptions explicit_options(const WorldOptions& o, const Schedule& s);

// Steps counted by shrinking: schedule steps plus scripted operations.
size_t schedule_steps(const WorldOptions& o);

// REQUIRES: still_fails(run_world(failing)) — checked; when it does not hold
// the result is the recorded run unchanged, with complete = false.
ShrinkResult shrink(const WorldOptions& failing,
                    const std::function<bool(const RunResult&)>& still_fails,
                    const ShrinkOptions& options = {});

}  // namespace cdc::sim
