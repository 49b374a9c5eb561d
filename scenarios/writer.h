// Writes a scenario as a scenario file that load_scenario_text() reads back
// to the same options: how shrunk schedules are saved.
//
// Contract: for a scenario whose options the format can express (tables,
// bindings, materialization, retention, slot size, chunk size, ticks, xid
// start, operations, an explicit schedule, expectations), loading the text
// gives options that run to the same fingerprint. Generator settings
// (workload mix, fault weights, rates, swarm) are written only when there is
// no explicit schedule, which makes them unused.
#pragma once

#include <string>

#include "scenarios/loader.h"

namespace cdc::scenarios {

std::string scenario_yaml(const Scenario& sc);

}  // namespace cdc::scenarios
