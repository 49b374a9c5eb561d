// Named world configurations: a requested backfill mode for every binding and
// a fault class. Used by the property tests, the CLI and (later) the matrix.
//
// Every class includes routine operations (VACUUM FREEZE, VACUUM FULL,
// checkpoints, backfill requests for one binding or all, min_backfill_xid with
// a backfill, burning xids, pauses of writes), thinned out per seed by swarm
// testing; odd seeds start just before the xid wrap. On top of them:
//   none               nothing else;
//   crashes            capture crashes and chunk queries failing part way;
//   slot loss/upgrade  a small max_slot_wal_keep_size with capture stalls, and
//                      major upgrades;
//   retention          collections keep documents for a limited number of ticks;
//   known limitations  nothing else, but the workload TRUNCATEs captured tables
//                      and changes keys leaving TOASTed values unchanged, which
//                      no other class does.
// A matrix cell captures two tables of one key kind (int key; composite text
// key under a locale collation; text key under "C"; no primary key), so that
// one binding can backfill while the other streams; without a key kind the
// run captures the three demo tables.
// Bindings whose table has no primary key use Without Primary Key unless the
// mode is Only Changes (a keyed mode cannot scan a keyless table).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/assert.h"
#include "model/capture_state.h"
#include "properties/expectations.h"
#include "sim/world.h"

namespace cdc::sim {

// The names the command line and scenario files use for each configuration
// axis: one table per enumeration, read in both directions.
template <typename E>
using Names = std::vector<std::pair<std::string, E>>;

const Names<BackfillMode>& mode_names();  // "Automatic", "Normal", "OnlyChanges", ...
const Names<properties::FaultClass>& fault_class_names();      // "none", "crashes", ...
const Names<properties::BackfillType>& backfill_type_names();  // "none", "capture", ...
const Names<UpdateStrategy>& strategy_names();                 // "merge", "delta"
const Names<properties::KeyKind>& key_kind_names();            // "int", "locale-text", ...
const Names<CaptureAlgorithm>& algorithm_names();              // "estuary", "debezium", "flink"

// The table of key kind `k` (a matrix cell captures it and a twin).
TableSchema key_kind_table(properties::KeyKind k);

template <typename E>
std::optional<E> value_named(const Names<E>& names, const std::string& name) {
  for (const auto& [n, v] : names) {
    if (n == name) return v;
  }
  return std::nullopt;
}

// The name of `value` in `names` (which must hold it).
template <typename E>
const std::string& name_of(const Names<E>& names, E value) {
  for (const auto& [name, v] : names) {
    if (v == value) return name;
  }
  CDC_ASSERT(false, "a value without a name");
  return names.front().first;
}

template <typename E>
std::vector<std::string> all_names(const Names<E>& names) {
  std::vector<std::string> out;
  for (const auto& [n, v] : names)
    out.push_back(n);
  return out;
}

// `backfill` picks which backfill operations the run performs (none; capture
// backfills of one binding or all, with and without min_backfill_xid;
// materialization backfills; data flow backfills); `strategy` is the update
// strategy of every materialization binding; `key` the kind of the two tables
// captured (none: the three demo tables).
WorldOptions configured_world(
    uint64_t seed, BackfillMode mode, properties::FaultClass faults,
    properties::BackfillType backfill = properties::BackfillType::kCapture,
    UpdateStrategy strategy = UpdateStrategy::kMerge,
    std::optional<properties::KeyKind> key = std::nullopt);

}  // namespace cdc::sim
