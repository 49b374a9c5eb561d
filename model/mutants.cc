#include "model/mutants.h"

#include <atomic>

#include "model/assert.h"

namespace cdc {

namespace detail {
Mutant g_active_mutant = Mutant::kNone;
}  // namespace detail

namespace {

std::atomic<uint64_t> g_runs_in_progress{0};

constexpr char kSource[] = "source model";
constexpr char kCapture[] = "capture";
constexpr char kCollections[] = "collections";
constexpr char kMaterializations[] = "materializations";

}  // namespace

const std::vector<MutantInfo>& mutants() {
  using M = Mutant;
  static const std::vector<MutantInfo> kMutants = {
      {M::kXidRawCompareVisibility, "xid-raw-compare-visibility", kSource,
       "Visibility compares a tuple's xmin with the next xid as unsigned numbers instead of "
       "modulo 2^32: once the counter wraps, rows written before the wrap look like they are in "
       "the future and vanish from reads (and from VACUUM FULL and TRUNCATE rewrites)."},
      {M::kVacuumFullOverwritesXmin, "vacuum-full-overwrites-xmin", kSource,
       "VACUUM FULL stores FrozenTransactionId (2) in xmin, as freezing did before PostgreSQL "
       "9.4, instead of keeping the original xmin: a min_backfill_xid filter then drops every "
       "rewritten row."},
      {M::kToastChangedValueOmitted, "toast-changed-value-omitted", kSource,
       "The WAL omits a TOASTed column whenever its old value was TOASTed, even when the UPDATE "
       "changed it: the new value is logged as an unchanged-toast-datum and never reaches a "
       "consumer."},
      {M::kReplicaIdentityFullNoOldRow, "replica-identity-full-no-old-row", kSource,
       "An UPDATE of a REPLICA IDENTITY FULL table logs no old row: a key change then arrives "
       "as a plain update of the new key, and the old key is never deleted."},
      {M::kDecodingIgnoresSubxactAbort, "decoding-ignores-subxact-abort", kSource,
       "Logical decoding ignores ROLLBACK TO SAVEPOINT: the changes of an aborted "
       "subtransaction are emitted with their committed parent."},
      {M::kPreciseFilterOffByOne, "precise-filter-off-by-one", kCapture,
       "Precise filtering drops a change whose key equals the cursor (>= instead of >), though "
       "the chunk that set the cursor already read that key: a change committed after the chunk "
       "query is lost."},
      {M::kFenceBeforeQuery, "fence-before-query", kCapture,
       "The fence is read when the backfill iteration starts, before the chunk query, instead of "
       "after it: changes committed in between are streamed only after the chunk rows (which "
       "already reflect them) were committed, so older versions land over newer ones."},
      {M::kCursorPersistedBeforeChunk, "cursor-persisted-before-chunk", kCapture,
       "The backfill cursor is checkpointed as soon as a chunk is read, before the chunk's rows "
       "commit: a crash in between skips those rows for good."},
      {M::kKeyEncodingSignMagnitude, "key-encoding-sign-magnitude", kCapture,
       "The capture encodes a negative int64 key by its magnitude (sign and magnitude) instead "
       "of two's complement with the sign bit flipped: negative keys sort by magnitude, -1 "
       "before -6, so Precise order checks and document keys are wrong for them."},
      {M::kChunkPredicateInclusive, "chunk-predicate-inclusive", kCapture,
       "The keyset chunk query says WHERE (k) >= (cursor) instead of >, so every chunk re-reads "
       "the previous chunk's last row."},
      {M::kKeylessBoundStaleRelpages, "keyless-bound-stale-relpages", kCapture,
       "The Without Primary Key scan bound is taken from pg_class.relpages, a stale estimate "
       "(modelled as half the pages), with no slack: the table's last pages are never scanned."},
      {M::kMinBackfillXidRawCompare, "min-backfill-xid-raw-compare", kCapture,
       "min_backfill_xid compares xmin as a raw 32-bit number (xmin::text::bigint >= X) instead "
       "of modulo 2^32: after the xid counter wraps, newer rows have smaller xids and are "
       "filtered out of the backfill."},
      {M::kSlotAckedBeforeCommit, "slot-acked-before-commit", kCapture,
       "The slot is acknowledged as changes are streamed, before the collection transaction "
       "holding them commits: after a crash, replication resumes past changes that were never "
       "committed."},
      {M::kRestartFromMemoryCursor, "restart-from-memory-cursor", kCapture,
       "After an error or crash the capture resumes replication from its in-memory cursor "
       "instead of the last committed checkpoint, skipping changes it streamed but never "
       "committed."},
      {M::kJumpAheadKeepsSlot, "jump-ahead-keeps-slot", kCapture,
       "When every binding is backfilled the capture resets its cursor to the existing slot "
       "instead of dropping and recreating it: an invalidated slot stays unreadable and the "
       "capture never recovers."},
      {M::kToastPlaceholderAsNull, "toast-placeholder-as-null", kCapture,
       "The capture reads an unchanged-toast-datum placeholder as NULL and marks the column "
       "present, overwriting the stored TOASTed value with NULL."},
      {M::kCheckpointLagsDocuments, "checkpoint-lags-documents", kCollections,
       "A collection transaction commits its documents, but its checkpoint only with the next "
       "transaction: after a crash the capture resumes from an older checkpoint and repeats "
       "work already committed."},
      {M::kRetentionUnitMixup, "retention-unit-mixup", kCollections,
       "Retention configured in days is applied in hours: documents expire 24 times too early."},
      {M::kReductionFirstWins, "reduction-first-wins", kCollections,
       "Reducing a key's documents keeps the fields of the earlier document instead of merging "
       "later ones over them (the collection's reduce annotation, as the merge reader applies "
       "it, reversed)."},
      {M::kMergeLoadSkipped, "merge-load-skipped", kMaterializations,
       "The merge materialization never loads the stored row, as if every key were above the "
       "max key: a partial document (an omitted TOAST column) is stored over nothing."},
      {M::kMergeDeleteIgnored, "merge-delete-ignored", kMaterializations,
       "The merge store ignores delete documents instead of deleting the destination row."},
      {M::kBackfillReadsFromTail, "backfill-reads-from-tail", kMaterializations,
       "A materialization backfill truncates the table but starts the new read position at the "
       "collection's tail instead of its start, so the table is never refilled."},
      {M::kBackfillNoTruncate, "backfill-no-truncate", kMaterializations,
       "A materialization backfill resets the read position but does not truncate the table: "
       "rows the rebuilt collection no longer holds stay."},
      {M::kReadPositionCommittedLater, "read-position-committed-later", kMaterializations,
       "The materialization commits destination rows and its read position in separate "
       "transactions: a crash in between re-applies documents already stored."},
      {M::kResumeRescansFromStart, "resume-rescans-from-start", kCapture,
       "On restart the capture drops the saved backfill cursor of a binding still backfilling "
       "(the keyset or ctid position is not read back from the checkpoint): its backfill starts "
       "over from the beginning of the table and re-reads rows it already committed."},
      {M::kResumeForgetsDone, "resume-forgets-done", kCapture,
       "On restart the capture does not read back a binding's backfill-complete flag (decoded "
       "with its default, false): a finished backfill resumes as unfinished and runs one more "
       "chunk after its last key, and until then Precise drops every change above that key."},
      {M::kKeyChangeOldKeyFromNewRow, "key-change-old-key-from-new-row", kSource,
       "The WAL record of a key-changing UPDATE under REPLICA IDENTITY DEFAULT logs the old key "
       "taken from the new row: decoding then shows a plain update of the new key, and the old "
       "key is never deleted downstream."},
      {M::kKeylessRangeMissesLastBlock, "keyless-range-misses-last-block", kCapture,
       "A Without Primary Key chunk bounds its ctid range by (last block, 0) instead of (last "
       "block, 65535): the rows of every chunk's last block are never read, though the cursor "
       "moves past them."},
      {M::kStreamBatchEndsIteration, "stream-batch-ends-iteration", kCapture,
       "When a streaming step stops at its batch limit, the capture takes the fence as reached: "
       "the chunk commits before the changes up to its fence were streamed, and they land after "
       "it, over the newer rows the chunk read."},
      {M::kPreciseEmitsBeforeFirstChunk, "precise-emits-before-first-chunk", kCapture,
       "Precise filtering lets every change through while a binding has no cursor yet (before "
       "its first chunk) instead of dropping them: changes to rows not yet read reach the "
       "collection ahead of their snapshot."},
      {M::kDestinationBatchSplitsTxn, "destination-batch-splits-txn", kMaterializations,
       "The destination batch limit counts documents instead of collection transactions: a "
       "transaction is cut in two, and the position committed with the first part marks it "
       "all read, so the rest is never applied."},
      {M::kFailedCommitAdvancesPosition, "failed-commit-advances-position", kMaterializations,
       "After a destination commit fails, the materialization keeps the position of the "
       "transaction it built as if it had committed: the next transaction starts after "
       "documents that were never applied."},
      {M::kDataFlowResetKeepsDestination, "data-flow-reset-keeps-destination", kMaterializations,
       "A data flow backfill of a binding that keeps existing destination rows does not drop the "
       "table: rows from before the collection was reset stay and are applied again."},
      {M::kDebeziumWindowIgnoresDeletes, "debezium-window-ignores-deletes", kCapture,
       "Debezium: a delete streamed while a snapshot window is open does not remove its key from "
       "the window buffer, so the chunk's stale row is emitted after the delete and the key "
       "comes back."},
      {M::kDebeziumKeyChangeKeepsOldKey, "debezium-key-change-keeps-old-key", kCapture,
       "Debezium: an update that changes the key removes only the new key from the window "
       "buffer; the old key's chunk row is emitted after its delete and resurrects it."},
      {M::kDebeziumMaxKeyExclusive, "debezium-max-key-exclusive", kCapture,
       "Debezium: the chunk query bounds keys by key < maximum key instead of <=, so the row "
       "holding the maximum key is never read by the snapshot."},
      {M::kDebeziumLastKeyCommittedAtQuery, "debezium-last-key-committed-at-query", kCapture,
       "Debezium: the last key sent is flushed to the offsets when the chunk is read, before "
       "its window closes and its rows are delivered: a crash in between skips the chunk."},
      {M::kFlinkBackfillStopsBeforeHw, "flink-backfill-stops-before-hw", kCapture,
       "Flink CDC: a split's log backfill stops at the first message at its high watermark "
       "instead of past it, so a change written at the HW is in neither the split nor, unless "
       "the split has the table's largest HW, the stream."},
      {M::kFlinkBackfillReadsPastHw, "flink-backfill-reads-past-hw", kCapture,
       "Flink CDC: a split's log backfill reads past its high watermark (apache/flink-cdc#2892, "
       "#2909): changes after the HW are in the snapshot and again in the stream."},
      {M::kFlinkSplitCrossesCheckpoint, "flink-split-crosses-checkpoint", kCapture,
       "Flink CDC: a split's records commit before the checkpoint that marks the split "
       "finished (apache/flink-cdc#1061): a restart in between reads the split again and "
       "emits its rows twice."},
      {M::kFlinkStreamStartsAtMaxHw, "flink-stream-starts-at-max-hw", kCapture,
       "Flink CDC: the stream starts at the largest high watermark of the finished splits "
       "instead of the smallest (like FLINK-35128): changes to the other splits between their "
       "HW and it are lost."},
      {M::kFlinkUpdateAppends, "flink-update-appends", kCapture,
       "Flink CDC: an update read by a split's backfill is appended beside the row's snapshot "
       "record instead of replacing it (apache/flink-cdc#592): the stale row is emitted too."},
  };
  return kMutants;
}

std::optional<Mutant> mutant_named(std::string_view name) {
  for (const MutantInfo& m : mutants()) {
    if (name == m.name) return m.mutant;
  }
  return std::nullopt;
}

const MutantInfo& mutant_info(Mutant m) {
  CDC_ASSERT(m != Mutant::kNone, "kNone has no catalogue entry");
  const std::vector<MutantInfo>& all = mutants();
  const size_t i = static_cast<size_t>(m) - 1;
  CDC_ASSERT(i < all.size() && all[i].mutant == m, "the catalogue follows the enumeration");
  return all[i];
}

void set_active_mutant(Mutant m) {
  CDC_ASSERT(g_runs_in_progress.load(std::memory_order_acquire) == 0,
             "the active mutant changes only while no run is in progress");
  detail::g_active_mutant = m;
}

Mutant active_mutant() {
  return detail::g_active_mutant;
}

MutantRunScope::MutantRunScope() {
  g_runs_in_progress.fetch_add(1, std::memory_order_acq_rel);
}

MutantRunScope::~MutantRunScope() {
  const uint64_t before = g_runs_in_progress.fetch_sub(1, std::memory_order_acq_rel);
  CDC_ASSERT(before > 0, "a run scope ended that never began");
}

}  // namespace cdc
