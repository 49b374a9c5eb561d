// The names scenario files use for enumerations, one table each, shared by
// the loader (name -> value) and the writer (value -> name); the names of
// configuration axes come from sim/configurations.h, shared with the CLI.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "model/capture_state.h"
#include "model/materialization.h"
#include "model/schema.h"
#include "sim/configurations.h"
#include "sim/world.h"

namespace cdc::scenarios {

using sim::mode_names;  // "Automatic", "OnlyChanges", ...
using sim::name_of;
using sim::Names;
using sim::strategy_names;  // "merge", "delta"

const Names<sim::ScriptedOp::Kind>& operation_names();              // "capture_backfill", ...
const Names<ColumnType>& column_type_names();                       // "int64", "text"
const Names<Collation>& collation_names();                          // "C", "locale"
const Names<ReplicaIdentity>& replica_identity_names();             // "default", "full"
const Names<sim::WorldOptions::InitialLoad>& initial_load_names();  // "workload", "bulk"

}  // namespace cdc::scenarios
