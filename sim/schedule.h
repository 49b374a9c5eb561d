// An explicit schedule: every workload statement, fault and capture choice of
// a run at its tick, with concrete values, so that a run can be replayed (and
// shrunk) with no generator involved.
//
// A generated run records its schedule (WorldOptions::record_schedule); a run
// given a schedule (WorldOptions::schedule) performs exactly it, and a
// recorded schedule replays to the same history and fingerprint.
//
// Explicit schedules are forgiving, so that any subset of one still runs:
//   - a statement of a session with no open transaction begins one first;
//   - commit/abort without a transaction, and savepoint rollback/release
//     without a savepoint, do nothing;
//   - a failing statement (duplicate key, row gone, row locked) rolls its
//     transaction back, as a PostgreSQL client must;
//   - at a finish (writes stop: upgrade, pause, liveness phase) the recorded
//     ends run first; transactions still open are then committed;
//   - statements scheduled while writes are paused are skipped;
//   - capture choices past the end of the list are 0.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/capture_state.h"
#include "model/types.h"
#include "model/value.h"

namespace cdc::sim {

struct Statement {
  enum class Kind : uint8_t {
    kBegin,
    kCommit,
    kAbort,
    kSavepoint,
    kRollbackToSavepoint,
    kReleaseSavepoint,
    kInsert,
    kUpdate,
    kDelete,
    kTruncate,
  };
  uint64_t tick = 0;
  bool at_finish = false;  // ended a transaction when writes stopped, not in a workload step
  uint32_t session = 0;
  Kind kind = Kind::kBegin;
  uint32_t table = 0;        // index among the world's tables (insert/update/delete/truncate)
  Key key;                   // update/delete of a keyed table: the row's key
  Row match;                 // update/delete of a keyless table: the old row's values
  std::optional<Ctid> ctid;  // keyless: where that row was when recorded (a hint)
  Row row;                   // insert/update: the new row

  bool operator==(const Statement&) const = default;
};

// The operations and faults a world injects at random (FaultWeights), in the
// order of fault_weight_fields(): the name of kind k is that list's k-th name.
enum class FaultKind : uint8_t {
  kCrash,
  kQueryFailure,
  kBackfillOne,
  kBackfillAll,
  kVacuumFreeze,
  kVacuumFull,
  kCheckpoint,
  kXidBurn,
  kCaptureStall,
  kUpgrade,
  kMinBackfillXid,
  kPauseWrites,
  kMaterializationCrash,
  kCommitFailure,
  kMaterializationBackfillOne,
  kMaterializationBackfillAll,
  kDataFlowBackfillOne,
  kDataFlowBackfillAll,
  kDestinationSchemaChange,
  kMaxBackfillXid,
  kXidAge,
};
constexpr size_t kFaultKinds = 21;

struct FaultStep {
  uint64_t tick = 0;
  FaultKind kind = FaultKind::kCrash;
  uint32_t table = 0;    // vacuum_freeze, vacuum_full: table index
  uint32_t binding = 0;  // *_one and min_backfill_xid: capture binding index
  uint64_t amount = 0;   // query_failure: rows before failing; xid_burn: xids;
                         // capture_stall, pause_writes: ticks; optional ones:
                         // crash: 0 now, else the Capture::Phase to crash at;
                         // materialization_crash: 0 now, 1 once a txn is built;
                         // min_backfill_xid, max_backfill_xid: 0 the next
                         // xid, else the xid
  bool operator==(const FaultStep&) const = default;
};

// The largest crash amount an Estuary capture reaches: Capture::Phase::kStreaming (5).
constexpr uint64_t kCrashPhaseMax = 5;
// The largest crash amount a Debezium capture reaches: Capture::Phase::kWindowClose
// (7). What a Debezium scenario may name and what Debezium runs draw.
constexpr uint64_t kCrashPhaseMaxDebezium = 7;
// Flink CDC's crash amounts: 0, Capture::Phase::kStreaming (5) and its split
// steps kSplitOpen (8) to kSplitBackfill (11).
constexpr uint64_t kCrashPhaseMaxFlink = 11;

// Whether a fault kind uses FaultStep::table, ::binding or ::amount.
bool fault_uses_table(FaultKind k);
bool fault_uses_binding(FaultKind k);
bool fault_uses_amount(FaultKind k);
// Kinds whose amount may be given or left out (0): crash, materialization_crash,
// min_backfill_xid and max_backfill_xid; and the largest amount each of them
// takes (a crash: the last step `algorithm`'s capture has).
bool fault_amount_optional(FaultKind k);
uint64_t fault_amount_max(FaultKind k, CaptureAlgorithm algorithm = CaptureAlgorithm::kEstuary);

struct Schedule {
  std::vector<Statement> initial;         // before the capture starts
  std::vector<Statement> statements;      // in execution order (ticks ascending)
  std::vector<FaultStep> faults;          // in execution order (ticks ascending)
  std::vector<uint32_t> capture_choices;  // each choice among several bindings to backfill

  // Statements and faults: what shrinking counts.
  size_t steps() const { return initial.size() + statements.size() + faults.size(); }
  bool operator==(const Schedule&) const = default;
};

const char* to_string(Statement::Kind k);  // "begin", "insert", "rollback_to_savepoint", ...
std::optional<Statement::Kind> statement_kind(const std::string& name);

}  // namespace cdc::sim
