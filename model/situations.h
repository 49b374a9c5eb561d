// Situation coverage: "sometimes" markers. A situation is an operation, an
// option, a step or an interleaving of the model that a bug could hide in
// (a crash just before a chunk commits, a change to the key at a backfill
// cursor, a row whose xmin equals min_backfill_xid, ...). The code that takes
// the branch calls reached(S); an exploration counts how many runs reached
// each situation, so that a situation no run reaches is visible, and a test
// fails when a listed situation goes unreached.
//
// INVARIANTS
//   - Marking is an observation only: it never changes what the model does,
//     so histories and fingerprints are the same with or without a recorder.
//   - A run's marks go to the SituationRecorder its thread holds (one per
//     run, sim::run_world); with none held, reached() does nothing.
//   - situations() lists every Situation once, in enumeration order, with a
//     unique name; the name is what reports and tests use.
#pragma once

#include <bitset>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace cdc {

enum class Situation : uint16_t {
  // operations: every operation the world performs, of every kind
  kOpCaptureBackfillOne,
  kOpCaptureBackfillAll,
  kOpMaterializationBackfillOne,
  kOpMaterializationBackfillAll,
  kOpDataFlowBackfillOne,
  kOpDataFlowBackfillAll,
  kOpMinBackfillXid,
  kOpMaxBackfillXid,
  kOpXidAge,
  kOpVacuumFreeze,
  kOpVacuumFull,
  kOpCheckpoint,
  kOpXidBurn,
  kOpPauseWrites,
  kOpUpgrade,
  kOpCaptureStall,
  kOpDestinationSchemaChange,
  // settings: each mode an instance resolves to, and each option in use
  kModePrecise,
  kModeNormal,
  kModeWithoutPrimaryKey,
  kModeOnlyChanges,
  kStrategyMerge,
  kStrategyDelta,
  kKeepExistingOnBackfill,
  kChunkSizeOne,
  kKeylessNoSlack,
  kKeylessOneBlockChunks,
  kStreamBatchLimited,
  kSeveralCaptureStepsPerTick,
  kPriorityChoseBinding,
  kMaterializationTxnLimited,
  kNegativeIntKey,
  // crash points: every step at which the capture or the materialization fails
  kCrashBeforeStart,
  kCrashBeforeFence,
  kCrashBeforeStream,
  kCrashBeforeChunk,
  kCrashBeforeCommit,
  kCrashWhileStreaming,
  kQueryFailsOnFirstRow,
  kQueryFailsMidChunk,
  kCaptureErrorSlotLost,
  kCaptureErrorOther,
  kMaterializationCrashWithBuiltTxn,
  kMaterializationCrashIdle,
  kDestinationCommitFails,
  // changes near a backfill cursor (a keyed binding still backfilling)
  kChangeBeforeFirstChunk,
  kChangeBelowCursor,
  kChangeAtCursor,
  kChangeAboveCursor,
  kChangeFilteredByPrecise,
  // chunk ends
  kChunkExactlyLimit,
  kChunkShort,
  kChunkEmpty,
  // xid bounds
  kRowXminEqualsMinBackfillXid,
  kRowFilteredByMinBackfillXid,
  kRowFrozenScanned,
  kMinBackfillXidAcrossWrap,
  kRowXminEqualsMaxBackfillXid,
  kRowFilteredByMaxBackfillXid,
  kXidRangeAcrossWrap,
  kSnapshotXmaxExcludesRow,
  // keyless scans
  kKeylessRowMovedAcrossCursor,
  kKeylessRowBeyondBound,
  // re-backfills
  kDeleteBeyondCursor,
  kJumpAhead,
  kBumpWhileBackfilling,
  // source changes the capture must carry
  kKeyChange,
  kKeyChangeReplicaIdentityFull,
  kUnchangedToast,
  kSubtransactionRolledBack,
  kTruncateIgnored,
  kSlotInvalidated,
  // destinations
  kDestinationCommitFailsAfterLoad,
  kDestinationLoadSkippedAboveMaxKey,
  kDestinationTruncatedOnBackfill,
  kDestinationRecreated,
  kDestinationDelete,
  // retention
  kRetentionExpiry,
  kExpiryDuringMaterializationBackfill,
  // failures right after a backfill request
  kCrashOnFirstTxnAfterBackfill,
  kCommitFailureOnFirstTxnAfterBackfill,
  // the wrap
  kXidWrap,
  kXidWrapDuringBackfill,
  // Debezium's incremental snapshot
  kDebeziumWindowDroppedRow,      // a streamed change removed a chunk row from the window buffer
  kDebeziumQueryErrorSkipsTable,  // a chunk query error ended the table's snapshot
  // Flink CDC's incremental snapshot
  kFlinkSlotCreationWaited,   // a split's backfill slot waited for running writers
  kFlinkBackfillApplied,      // a split's log backfill changed its buffer
  kFlinkStreamDroppedChange,  // the stream phase dropped a change by its split's HW
};
constexpr size_t kSituations = static_cast<size_t>(Situation::kFlinkStreamDroppedChange) + 1;

using SituationSet = std::bitset<kSituations>;

struct SituationInfo {
  Situation situation;
  const char* name;         // kebab-case, unique
  const char* group;        // "operations", "crash points", ...
  const char* description;  // what reaching it means, one line
};

const std::vector<SituationInfo>& situations();
std::optional<Situation> situation_named(std::string_view name);
const SituationInfo& situation_info(Situation s);

// Marks `s` as reached by the run of this thread (nothing without a recorder).
void reached(Situation s);

// Collects the marks of one run on this thread while it lives.
// REQUIRES: no other recorder alive on this thread.
class SituationRecorder {
 public:
  SituationRecorder();
  ~SituationRecorder();
  SituationRecorder(const SituationRecorder&) = delete;
  SituationRecorder& operator=(const SituationRecorder&) = delete;
  const SituationSet& reached() const { return reached_; }

 private:
  SituationSet reached_;
};

}  // namespace cdc
