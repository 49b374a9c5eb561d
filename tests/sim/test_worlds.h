// Worlds shared by the sim tests.
#pragma once

#include <cstdint>

#include "sim/world.h"

namespace cdc::sim::testing {

// One keyed table (accounts) captured in Normal mode into a merge
// materialization, no faults, and no writes after the initial rows: the
// source holds the same rows all along.
inline WorldOptions quiet_accounts_world(uint64_t seed) {
  WorldOptions o;
  o.seed = seed;
  CaptureBinding b;
  b.table = "accounts";
  b.collection = "acme/accounts";
  b.mode = BackfillMode::kNormal;
  o.bindings = {b};
  o.faults = FaultWeights{};
  o.workload.truncate = {0, 1};
  o.write_per_tick = {0, 1};
  o.safety_ticks = 160;
  o.liveness_ticks_max = 3000;
  return o;
}

}  // namespace cdc::sim::testing
