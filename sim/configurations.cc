#include "sim/configurations.h"

namespace cdc::sim {

const Names<BackfillMode>& mode_names() {
  static const Names<BackfillMode> kNames = {
      {"Automatic", BackfillMode::kAutomatic},
      {"Normal", BackfillMode::kNormal},
      {"Precise", BackfillMode::kPrecise},
      {"OnlyChanges", BackfillMode::kOnlyChanges},
      {"WithoutPrimaryKey", BackfillMode::kWithoutPrimaryKey}};
  return kNames;
}

const Names<properties::FaultClass>& fault_class_names() {
  using F = properties::FaultClass;
  static const Names<F> kNames = {{"none", F::kNone},
                                  {"crashes", F::kCrashes},
                                  {"slot-loss", F::kSlotLossUpgrade},
                                  {"retention", F::kRetention},
                                  {"known-limits", F::kKnownLimitations}};
  return kNames;
}

const Names<CaptureAlgorithm>& algorithm_names() {
  static const Names<CaptureAlgorithm> kNames = {{"estuary", CaptureAlgorithm::kEstuary},
                                                 {"debezium", CaptureAlgorithm::kDebezium},
                                                 {"flink", CaptureAlgorithm::kFlink}};
  return kNames;
}

const Names<properties::KeyKind>& key_kind_names() {
  using K = properties::KeyKind;
  static const Names<K> kNames = {{"int", K::kInt},
                                  {"locale-text", K::kLocaleText},
                                  {"c-text", K::kCText},
                                  {"keyless", K::kKeyless}};
  return kNames;
}

TableSchema key_kind_table(properties::KeyKind k) {
  using K = properties::KeyKind;
  const std::vector<TableSchema> demo = demo_schemas();
  switch (k) {
    case K::kInt:
      return demo[0];
    case K::kLocaleText:
      return demo[1];
    case K::kKeyless:
      return demo[2];
    case K::kCText:
      break;
  }
  TableSchema labels;
  labels.name = "labels";
  labels.columns = {{"code", ColumnType::kText, Collation::kC, false, false},
                    {"n", ColumnType::kInt64, Collation::kC, false, true}};
  labels.primary_key = {0};
  return labels;
}

const Names<properties::BackfillType>& backfill_type_names() {
  using B = properties::BackfillType;
  static const Names<B> kNames = {{"none", B::kNone},
                                  {"capture", B::kCapture},
                                  {"materialization", B::kMaterialization},
                                  {"dataflow", B::kDataFlow}};
  return kNames;
}

const Names<UpdateStrategy>& strategy_names() {
  static const Names<UpdateStrategy> kNames = {{"merge", UpdateStrategy::kMerge},
                                               {"delta", UpdateStrategy::kDelta}};
  return kNames;
}

namespace {

constexpr uint64_t kSettingsStream = 6;  // Prng stream of the drawn settings, fixed forever

template <size_t N>
uint32_t one_of(Prng& p, const uint32_t (&values)[N]) {
  return values[p.below(N)];
}

// Swarm testing over the settings, decided by the seed and the cell (so that
// the cells of one seed differ): chunk sizes,
// scan and stream step sizes, steps per tick, binding priorities, how
// materializations batch and backfill, and how the workload aims its keys.
void draw_settings(uint64_t seed, uint64_t cell, WorldOptions* o) {
  Prng p = Prng(seed).fork(kSettingsStream).fork(cell);
  o->capture.chunk_size = one_of(p, {1, 2, 3, 4, 8, 8});
  o->capture.keyless_blocks_per_chunk = one_of(p, {1, 2, 3});
  o->capture.keyless_slack_blocks = one_of(p, {0, 1, 2});
  o->capture.stream_txns_per_step = one_of(p, {1, 2, 16, 16});
  o->capture_steps_per_tick = one_of(p, {1, 1, 2, 3});
  for (CaptureBinding& b : o->bindings)
    b.priority = p.chance({1, 3}) ? 1 : 0;
  o->keep_existing_on_backfill = p.chance({1, 4});
  o->materialization_txns_per_commit = one_of(p, {1, 2, 4, 4});
  o->workload.near_cursor = Ratio{one_of(p, {0, 1, 2}), 4};
  o->workload.existing_key = Ratio{one_of(p, {0, 1, 2}), 3};
  if (p.chance({1, 2})) o->workload.key_min = -o->workload.key_space / 2;
  o->workload.keyless_near_cursor = Ratio{one_of(p, {0, 1, 2}), 4};
  o->generation.crash_points = true;
  o->generation.xid_bounds = true;
  o->generation.backfill_after_slot_loss = true;
}

// The tables and bindings of a configuration: the two tables of key kind
// `key` (so that one binding can backfill while the other streams; the slot
// then does not jump ahead), or the three demo tables.
void add_tables(BackfillMode mode, std::optional<properties::KeyKind> key, WorldOptions* o) {
  if (key) {
    TableSchema twin = key_kind_table(*key);
    twin.name += "_2";
    o->tables = {key_kind_table(*key), twin};
  }
  for (const TableSchema& s : o->tables.empty() ? demo_schemas() : o->tables) {
    CaptureBinding b;
    b.table = s.name;
    b.collection = "acme/" + s.name;
    const bool keyed_mode = mode != BackfillMode::kOnlyChanges &&
                            mode != BackfillMode::kWithoutPrimaryKey &&
                            mode != BackfillMode::kAutomatic;
    b.mode = !s.has_primary_key() && keyed_mode ? BackfillMode::kWithoutPrimaryKey : mode;
    o->bindings.push_back(b);
  }
}

// The faults of class `faults`, and the workload's known limitations.
void add_fault_class(properties::FaultClass faults, WorldOptions* o) {
  o->workload.truncate = Ratio{0, 1};
  switch (faults) {
    case properties::FaultClass::kNone:
      break;
    case properties::FaultClass::kCrashes:
      o->faults.crash = 6;
      o->faults.query_failure = 2;
      o->faults.materialization_crash = 3;
      o->faults.commit_failure = 1;
      break;
    case properties::FaultClass::kSlotLossUpgrade:
      o->max_slot_wal_keep_size_bytes = 1024;
      o->faults.capture_stall = 6;
      o->faults.checkpoint = 3;
      o->faults.upgrade = 1;
      break;
    case properties::FaultClass::kRetention:
      o->retention_ticks = 60;
      break;
    case properties::FaultClass::kKnownLimitations:
      o->workload.truncate = Ratio{1, 100};
      o->workload.key_change_keeps_toasted = Ratio{1, 2};
      break;
  }
}

}  // namespace

WorldOptions configured_world(uint64_t seed, BackfillMode mode, properties::FaultClass faults,
                              properties::BackfillType backfill, UpdateStrategy strategy,
                              std::optional<properties::KeyKind> key) {
  WorldOptions o;
  o.seed = seed;
  add_tables(mode, key, &o);
  // Odd seeds start a thousand xids before the 32-bit wrap.
  if (seed % 2 == 1) o.start_xid = Xid(4294966296u);
  o.swarm = true;
  // The cell as a number: its settings stream.
  uint64_t cell = ((static_cast<uint64_t>(backfill) * 8 + static_cast<uint64_t>(mode)) * 8 +
                   static_cast<uint64_t>(faults)) *
                      2 +
                  static_cast<uint64_t>(strategy);
  if (key) cell = cell * 8 + 1 + static_cast<uint64_t>(*key);
  draw_settings(seed, cell, &o);
  o.faults.destination_schema_change = 1;
  o.faults.vacuum_freeze = 1;
  o.faults.vacuum_full = 1;
  o.faults.checkpoint = 1;
  o.faults.xid_burn = 1;
  o.faults.pause_writes = 1;
  o.strategy = strategy;
  switch (backfill) {
    case properties::BackfillType::kNone:
      break;
    case properties::BackfillType::kCapture:
      o.faults.backfill_one = 1;
      o.faults.backfill_all = 1;
      o.faults.min_backfill_xid = 1;
      break;
    case properties::BackfillType::kMaterialization:
      o.faults.materialization_backfill_one = 2;
      o.faults.materialization_backfill_all = 1;
      break;
    case properties::BackfillType::kDataFlow:
      o.faults.dataflow_backfill_one = 2;
      o.faults.dataflow_backfill_all = 1;
      break;
  }
  add_fault_class(faults, &o);
  return o;
}

}  // namespace cdc::sim
