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
                                  {"retention", F::kRetention}};
  return kNames;
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

WorldOptions configured_world(uint64_t seed, BackfillMode mode, properties::FaultClass faults,
                              properties::BackfillType backfill, UpdateStrategy strategy) {
  WorldOptions o;
  o.seed = seed;
  for (const TableSchema& s : demo_schemas()) {
    CaptureBinding b;
    b.table = s.name;
    b.collection = "acme/" + s.name;
    const bool keyed_mode = mode != BackfillMode::kOnlyChanges &&
                            mode != BackfillMode::kWithoutPrimaryKey &&
                            mode != BackfillMode::kAutomatic;
    b.mode = !s.has_primary_key() && keyed_mode ? BackfillMode::kWithoutPrimaryKey : mode;
    o.bindings.push_back(b);
  }
  // Odd seeds start a thousand xids before the 32-bit wrap.
  if (seed % 2 == 1) o.start_xid = Xid(4294966296u);
  o.swarm = true;
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
  switch (faults) {
    case properties::FaultClass::kNone:
      break;
    case properties::FaultClass::kCrashes:
      o.faults.crash = 6;
      o.faults.query_failure = 2;
      o.faults.materialization_crash = 3;
      o.faults.commit_failure = 1;
      break;
    case properties::FaultClass::kSlotLossUpgrade:
      o.max_slot_wal_keep_size_bytes = 2048;
      o.faults.capture_stall = 3;
      o.faults.checkpoint = 3;
      o.faults.upgrade = 1;
      break;
    case properties::FaultClass::kRetention:
      o.retention_ticks = 60;
      break;
  }
  return o;
}

}  // namespace cdc::sim
