#include "scenarios/vocabulary.h"

namespace cdc::scenarios {

const Names<sim::ScriptedOp::Kind>& operation_names() {
  using K = sim::ScriptedOp::Kind;
  static const Names<K> kNames = {{"capture_backfill", K::kCaptureBackfill},
                                  {"materialization_backfill", K::kMaterializationBackfill},
                                  {"dataflow_backfill", K::kDataFlowBackfill},
                                  {"upgrade", K::kUpgrade},
                                  {"pause_writes", K::kPauseWrites},
                                  {"resume_writes", K::kResumeWrites},
                                  {"stall_capture", K::kStallCapture},
                                  {"set_min_backfill_xid", K::kSetMinBackfillXid},
                                  {"set_max_backfill_xid", K::kSetMaxBackfillXid},
                                  {"xid_age", K::kXidAge},
                                  {"wait_until_drained", K::kWaitUntilDrained},
                                  {"new_storage", K::kNewStorage},
                                  {"corrupt_collections", K::kCorruptCollections},
                                  {"corrupt_destinations", K::kCorruptDestinations},
                                  {"destination_schema_change", K::kDestinationSchemaChange},
                                  {"add_binding", K::kAddBinding}};
  return kNames;
}

const Names<ColumnType>& column_type_names() {
  static const Names<ColumnType> kNames = {{"int64", ColumnType::kInt64},
                                           {"text", ColumnType::kText}};
  return kNames;
}

const Names<Collation>& collation_names() {
  static const Names<Collation> kNames = {{"C", Collation::kC}, {"locale", Collation::kLocale}};
  return kNames;
}

const Names<ReplicaIdentity>& replica_identity_names() {
  static const Names<ReplicaIdentity> kNames = {{"default", ReplicaIdentity::kDefault},
                                                {"full", ReplicaIdentity::kFull}};
  return kNames;
}

const Names<sim::WorldOptions::InitialLoad>& initial_load_names() {
  static const Names<sim::WorldOptions::InitialLoad> kNames = {
      {"workload", sim::WorldOptions::InitialLoad::kWorkload},
      {"bulk", sim::WorldOptions::InitialLoad::kBulk}};
  return kNames;
}

}  // namespace cdc::scenarios
