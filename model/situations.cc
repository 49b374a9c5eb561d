#include "model/situations.h"

#include "model/assert.h"

namespace cdc {

namespace {

thread_local SituationSet* t_current = nullptr;

constexpr char kOperations[] = "operations";
constexpr char kSettings[] = "settings";
constexpr char kCrashPoints[] = "crash points";
constexpr char kCursor[] = "near a cursor";
constexpr char kChunkEnds[] = "chunk ends";
constexpr char kXidBounds[] = "xid bounds";
constexpr char kKeyless[] = "keyless scans";
constexpr char kRebackfills[] = "re-backfills";
constexpr char kSource[] = "source changes";
constexpr char kDestinations[] = "destinations";
constexpr char kRetention[] = "retention";
constexpr char kAfterBackfill[] = "after a backfill";
constexpr char kWrap[] = "the wrap";
constexpr char kDebezium[] = "Debezium windows";
constexpr char kFlink[] = "Flink splits";

}  // namespace

const std::vector<SituationInfo>& situations() {
  using S = Situation;
  static const std::vector<SituationInfo> kList = {
      {S::kOpCaptureBackfillOne, "capture-backfill-one", kOperations,
       "one capture binding's backfill counter is bumped"},
      {S::kOpCaptureBackfillAll, "capture-backfill-all", kOperations,
       "every capture binding's counter is bumped at once"},
      {S::kOpMaterializationBackfillOne, "materialization-backfill-one", kOperations,
       "one materialization binding is backfilled"},
      {S::kOpMaterializationBackfillAll, "materialization-backfill-all", kOperations,
       "every materialization binding is backfilled"},
      {S::kOpDataFlowBackfillOne, "dataflow-backfill-one", kOperations,
       "one collection is reset with everything attached to it"},
      {S::kOpDataFlowBackfillAll, "dataflow-backfill-all", kOperations,
       "every collection is reset with everything attached"},
      {S::kOpMinBackfillXid, "min-backfill-xid", kOperations,
       "min_backfill_xid is set and a binding backfills under it"},
      {S::kOpMaxBackfillXid, "max-backfill-xid", kOperations, "max_backfill_xid is set"},
      {S::kOpXidAge, "xid-age", kOperations,
       "the whole cluster is frozen and then runs more than 2^31 xids past its rows"},
      {S::kOpVacuumFreeze, "vacuum-freeze", kOperations, "VACUUM FREEZE of a table"},
      {S::kOpVacuumFull, "vacuum-full", kOperations, "VACUUM FULL rewrites a table"},
      {S::kOpCheckpoint, "checkpoint", kOperations, "a CHECKPOINT (old WAL may be removed)"},
      {S::kOpXidBurn, "xid-burn", kOperations, "a large number of xids is consumed"},
      {S::kOpPauseWrites, "pause-writes", kOperations, "the workload pauses for a while"},
      {S::kOpUpgrade, "major-upgrade", kOperations, "a major upgrade drops the slots"},
      {S::kOpCaptureStall, "capture-stall", kOperations, "the capture does nothing for a while"},
      {S::kOpDestinationSchemaChange, "destination-schema-change", kOperations,
       "the destination tables' schema version changes"},
      {S::kModePrecise, "mode-precise", kSettings, "an instance backfills in Precise mode"},
      {S::kModeNormal, "mode-normal", kSettings, "an instance backfills in Normal mode"},
      {S::kModeWithoutPrimaryKey, "mode-without-primary-key", kSettings,
       "an instance backfills by ctid ranges"},
      {S::kModeOnlyChanges, "mode-only-changes", kSettings, "an instance skips its backfill"},
      {S::kStrategyMerge, "strategy-merge", kSettings, "a merge materialization commits"},
      {S::kStrategyDelta, "strategy-delta", kSettings, "a delta materialization commits"},
      {S::kKeepExistingOnBackfill, "keep-existing-on-backfill", kSettings,
       "a materialization backfill keeps the existing table"},
      {S::kChunkSizeOne, "chunk-size-one", kSettings, "a keyed chunk query of one row"},
      {S::kKeylessNoSlack, "keyless-no-slack", kSettings,
       "a ctid scan bound fixed with no slack blocks"},
      {S::kKeylessOneBlockChunks, "keyless-one-block-chunks", kSettings,
       "a ctid-range chunk covering one block"},
      {S::kStreamBatchLimited, "stream-batch-limited", kSettings,
       "a stream step stops at its transaction limit with more decoded"},
      {S::kSeveralCaptureStepsPerTick, "several-capture-steps-per-tick", kSettings,
       "the capture takes more than one step in a tick"},
      {S::kPriorityChoseBinding, "priority-chose-binding", kSettings,
       "a binding's priority decided which table backfills next"},
      {S::kMaterializationTxnLimited, "materialization-txn-limited", kSettings,
       "a destination transaction stops at its collection-transaction limit"},
      {S::kNegativeIntKey, "negative-int-key", kSettings, "a row with a negative integer key"},
      {S::kCrashBeforeStart, "crash-before-start", kCrashPoints,
       "the capture crashes while stopped (before it starts again)"},
      {S::kCrashBeforeFence, "crash-before-fence", kCrashPoints,
       "the capture crashes after a chunk query, before its fence"},
      {S::kCrashBeforeStream, "crash-before-stream", kCrashPoints,
       "the capture crashes after its fence, before streaming to it"},
      {S::kCrashBeforeChunk, "crash-before-chunk", kCrashPoints,
       "the capture crashes between a commit and the next chunk query"},
      {S::kCrashBeforeCommit, "crash-before-commit", kCrashPoints,
       "the capture crashes with a backfill iteration read but not committed"},
      {S::kCrashWhileStreaming, "crash-while-streaming", kCrashPoints,
       "the capture crashes while only streaming"},
      {S::kQueryFailsOnFirstRow, "query-fails-on-first-row", kCrashPoints,
       "a chunk query fails before returning any row"},
      {S::kQueryFailsMidChunk, "query-fails-mid-chunk", kCrashPoints,
       "a chunk query fails after returning some rows"},
      {S::kCaptureErrorSlotLost, "capture-error-slot-lost", kCrashPoints,
       "the capture stops: its slot is lost"},
      {S::kCaptureErrorOther, "capture-error-other", kCrashPoints,
       "the capture stops with another error"},
      {S::kMaterializationCrashWithBuiltTxn, "materialization-crash-built", kCrashPoints,
       "the materialization crashes with a destination transaction built"},
      {S::kMaterializationCrashIdle, "materialization-crash-idle", kCrashPoints,
       "the materialization crashes with nothing built"},
      {S::kDestinationCommitFails, "destination-commit-fails", kCrashPoints,
       "a destination commit fails"},
      {S::kChangeBeforeFirstChunk, "change-before-first-chunk", kCursor,
       "a change to a keyed table backfilling with no cursor yet"},
      {S::kChangeBelowCursor, "change-below-cursor", kCursor,
       "a change to a key below the backfill cursor"},
      {S::kChangeAtCursor, "change-at-cursor", kCursor,
       "a change to the key at the backfill cursor"},
      {S::kChangeAboveCursor, "change-above-cursor", kCursor,
       "a change to a key above the backfill cursor"},
      {S::kChangeFilteredByPrecise, "change-filtered-by-precise", kCursor,
       "Precise filtering drops a change beyond the cursor"},
      {S::kChunkExactlyLimit, "chunk-exactly-limit", kChunkEnds,
       "a keyed chunk returns exactly its limit"},
      {S::kChunkShort, "chunk-short", kChunkEnds,
       "a keyed chunk returns fewer rows than its limit"},
      {S::kChunkEmpty, "chunk-empty", kChunkEnds, "a chunk returns no row"},
      {S::kRowXminEqualsMinBackfillXid, "row-xmin-equals-min-backfill-xid", kXidBounds,
       "a backfilled row's xmin equals min_backfill_xid"},
      {S::kRowFilteredByMinBackfillXid, "row-filtered-by-min-backfill-xid", kXidBounds,
       "min_backfill_xid filters a row out of a chunk"},
      {S::kRowFrozenScanned, "row-frozen-scanned", kXidBounds, "a chunk reads a frozen row"},
      {S::kMinBackfillXidAcrossWrap, "min-backfill-xid-across-wrap", kXidBounds,
       "a row read under min_backfill_xid has a raw xid on the other side of the wrap"},
      {S::kRowXminEqualsMaxBackfillXid, "row-xmin-equals-max-backfill-xid", kXidBounds,
       "a backfilled row's xmin equals max_backfill_xid"},
      {S::kRowFilteredByMaxBackfillXid, "row-filtered-by-max-backfill-xid", kXidBounds,
       "max_backfill_xid filters a row out of a chunk"},
      {S::kXidRangeAcrossWrap, "xid-range-across-wrap", kXidBounds,
       "a row passes a [min, max] backfill range that holds the wrap (raw max below raw min)"},
      {S::kSnapshotXmaxExcludesRow, "snapshot-xmax-excludes-row", kXidBounds,
       "the snapshot xmax term alone keeps a row out: its xmin is over 2^31 xids old"},
      {S::kKeylessRowMovedAcrossCursor, "keyless-row-moved-across-cursor", kKeyless,
       "a keyless row moves its ctid across the scan cursor while its binding scans"},
      {S::kKeylessRowBeyondBound, "keyless-row-beyond-bound", kKeyless,
       "a keyless row lives beyond the scan bound when the last chunk runs"},
      {S::kDeleteBeyondCursor, "delete-beyond-cursor", kRebackfills,
       "a delete of a key beyond the cursor of a re-backfill"},
      {S::kJumpAhead, "jump-ahead", kRebackfills,
       "every binding was bumped: the slot is recreated at the WAL's end"},
      {S::kBumpWhileBackfilling, "bump-while-backfilling", kRebackfills,
       "a binding is bumped while its previous backfill is unfinished"},
      {S::kKeyChange, "key-change", kSource, "an update changes a row's key"},
      {S::kKeyChangeReplicaIdentityFull, "key-change-replica-identity-full", kSource,
       "a key change of a REPLICA IDENTITY FULL table"},
      {S::kUnchangedToast, "unchanged-toast", kSource,
       "an update leaves a TOASTed value out of the WAL"},
      {S::kSubtransactionRolledBack, "subtransaction-rolled-back", kSource,
       "a committed transaction's subtransaction was rolled back"},
      {S::kTruncateIgnored, "truncate-ignored", kSource, "the capture ignores a TRUNCATE"},
      {S::kSlotInvalidated, "slot-invalidated", kSource,
       "a slot is invalidated by max_slot_wal_keep_size"},
      {S::kDestinationCommitFailsAfterLoad, "destination-commit-fails-after-load", kDestinations,
       "a merge transaction that loaded stored rows fails to commit"},
      {S::kDestinationLoadSkippedAboveMaxKey, "destination-load-skipped", kDestinations,
       "a merge skips loading a key above the highest key stored"},
      {S::kDestinationTruncatedOnBackfill, "destination-truncated", kDestinations,
       "a backfill truncates a destination table"},
      {S::kDestinationRecreated, "destination-recreated", kDestinations,
       "a backfill drops and recreates a destination table"},
      {S::kDestinationDelete, "destination-delete", kDestinations,
       "a merge deletes a destination row"},
      {S::kRetentionExpiry, "retention-expiry", kRetention, "retention drops documents"},
      {S::kExpiryDuringMaterializationBackfill, "expiry-during-materialization-backfill",
       kRetention, "retention drops documents while a materialization backfill reads"},
      {S::kCrashOnFirstTxnAfterBackfill, "crash-on-first-txn-after-backfill", kAfterBackfill,
       "the capture crashes before the first commit after a backfill request"},
      {S::kCommitFailureOnFirstTxnAfterBackfill, "commit-failure-after-backfill", kAfterBackfill,
       "the first destination commit after a backfill request fails"},
      {S::kXidWrap, "xid-wrap", kWrap, "the 32-bit xid counter wraps"},
      {S::kXidWrapDuringBackfill, "xid-wrap-during-backfill", kWrap,
       "the xid counter wraps while a binding backfills"},
      {S::kDebeziumWindowDroppedRow, "debezium-window-dropped-row", kDebezium,
       "a change streamed inside a Debezium window removes a chunk row from the buffer"},
      {S::kDebeziumQueryErrorSkipsTable, "debezium-query-error-skips-table", kDebezium,
       "a Debezium chunk query fails and the rest of the table is skipped"},
      {S::kFlinkSlotCreationWaited, "flink-slot-creation-waited", kFlink,
       "a Flink split's backfill slot waits for running writers before its low watermark"},
      {S::kFlinkBackfillApplied, "flink-backfill-applied", kFlink,
       "a Flink split's log backfill upserts or deletes a row of its buffer"},
      {S::kFlinkStreamDroppedChange, "flink-stream-dropped-change", kFlink,
       "the Flink stream phase drops a change its split's high watermark covers"},
  };
  return kList;
}

std::optional<Situation> situation_named(std::string_view name) {
  for (const SituationInfo& s : situations()) {
    if (name == s.name) return s.situation;
  }
  return std::nullopt;
}

const SituationInfo& situation_info(Situation s) {
  const size_t i = static_cast<size_t>(s);
  const std::vector<SituationInfo>& all = situations();
  CDC_ASSERT(i < all.size() && all[i].situation == s, "the list follows the enumeration");
  return all[i];
}

void reached(Situation s) {
  if (t_current) t_current->set(static_cast<size_t>(s));
}

SituationRecorder::SituationRecorder() {
  CDC_ASSERT(t_current == nullptr, "one situation recorder per thread");
  CDC_ASSERT(situations().size() == kSituations, "every situation is listed");
  t_current = &reached_;
}

SituationRecorder::~SituationRecorder() {
  CDC_ASSERT(t_current == &reached_, "recorders end in the order they began");
  t_current = nullptr;
}

}  // namespace cdc
