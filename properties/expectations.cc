#include "properties/expectations.h"

#include <algorithm>
#include <optional>
#include <set>
#include <tuple>

#include "model/sorted_runs.h"

namespace cdc::properties {

namespace {

struct Rule {
  std::optional<BackfillMode> mode;  // nullopt: any mode
  std::optional<Situation> when;     // nullopt: in every run
  const char* property;
  Expect expect;
  const char* reason;
};

constexpr char kPreciseEncodingReason[] =
    "\"Note that Precise backfill is not possible in some cases due to equality comparison "
    "challenges when using varying character encodings.\" The scan walks a locale-collated key "
    "in the database's order while the filter compares bytes: a change to a key the scan has "
    "passed but that sorts after the cursor bytewise is dropped, and the ordering check only "
    "trips when a chunk happens to return keys out of bytewise order";
constexpr char kKeptDestinationReason[] =
    "a backfill that keeps the destination table re-reads the collection from its start and "
    "merges each key's older documents over the row it kept, so rows step back (and deleted ones "
    "return) until the newer documents are read again";
constexpr char kUpgradeReason[] =
    "\"During an upgrade, some databases invalidate a replication slot ... upgrades will disrupt "
    "the Flow pipeline in these cases. ... you may need to trigger a backfill after the upgrade "
    "completes.\" The capture recreates the dropped slot at the current WAL position and silently "
    "resumes there: changes in between are skipped.";
constexpr char kSlotLostReason[] =
    "\"Recover from a replication slot failure in PostgreSQL: Use a Capture Backfill to "
    "re-establish consistency.\" Until all bindings are backfilled the invalidated slot cannot be "
    "read and its changes are gone.";
constexpr char kMinXidReason[] =
    "\"Estuary will only backfill rows greater than or less than the specified XID ... In rare "
    "cases, this method may not work as expected.\" A row written by a transaction that took "
    "its xid before the threshold but committed after it is filtered out of the backfill, and "
    "Precise dropped its change while the scan had not reached it.";
constexpr char kMaxXidReason[] =
    "\"Estuary will only backfill rows greater than or less than the specified XID\" (the "
    "\"Maximum Backfill XID\" field): a backfill under a maximum below the current xid filters "
    "out every row written after the maximum, and Precise dropped the change of such a row "
    "while the scan had not reached its key, so the row changed after the maximum is lost.";
constexpr char kRetentionReason[] =
    "\"Data retention: If using Estuary's trial buckets, data expires after approximately 20 "
    "days.\" Expired documents are gone from the collection, and a materialization backfill "
    "rebuilds the table from what the collection still holds, so their rows are missing.";
constexpr char kToastKeyChangeReason[] =
    "An UPDATE that changes the key but leaves a TOASTed column alone is decoded (REPLICA "
    "IDENTITY DEFAULT) with that column omitted, as PostgreSQL logs unchanged TOAST values; the "
    "capture turns the key change into a delete of the old key and a create of the new one, and "
    "the new key has no earlier document to take the value from, so it stays absent downstream.";
constexpr char kTruncateReason[] =
    "The capture does not capture TRUNCATE, so the rows it removed get no delete document.";
constexpr char kJumpAheadOrderReason[] =
    "\"'Backfilling' all bindings at once resets the WAL (Write-Ahead Log) position for the "
    "capture, essentially allowing it to 'jump ahead' to the current end of the WAL.\" ... "
    "\"Pause database writes so no further changes can occur ... These two steps ensure the "
    "connector won't miss any changes.\" A transaction committed between the last checkpoint "
    "and the new WAL position is never streamed: it reaches the collection only through the "
    "backfill's chunks, one key range at a time, so a reader sees it (and later transactions) on "
    "the keys already re-read while the others still show versions from before it.";
constexpr char kPreciseOrderReason[] =
    "\"WAL changes are suppressed if they relate to a part of the table that hasn't been "
    "backfilled yet.\" ... \"WAL changes and backfill chunks get stitched together to produce "
    "a fully consistent logical sequence of changes for each key.\" The guarantee is per key: "
    "when a binding is backfilled again into the same collection, a change above the new cursor "
    "is dropped while the key's document from the previous backfill stays visible, so a reader "
    "sees the same transaction's changes below the cursor, or later transactions, first.";

constexpr char kKeylessConvergenceReason[] =
    "\"Without Primary Key: ... The connector uses an alternative physical row identifier (such "
    "as a Postgres ctid) to scan backfill chunks, rather than walking the table in key order. "
    "This mode lacks the exact correctness properties of the Normal backfill mode.\" With no key, "
    "each document is keyed by where it came from (a ctid of one backfill, a WAL position): an "
    "UPDATE or DELETE never replaces or removes the document of the row it changed, so the old "
    "value stays, and a row written while the scan runs is read by both the stream and the scan.";
constexpr char kKeylessDuplicatesReason[] =
    "\"This mode lacks the exact correctness properties of the Normal backfill mode.\" Every "
    "change is streamed while the ctid scan runs, and a new row version lands at the end of the "
    "heap, ahead of the scan: a row inserted or updated during the scan is read by both. A "
    "re-backfill reads every row again under new document keys.";
constexpr char kKeylessToastReason[] =
    "Not in the documentation. An UPDATE that leaves a TOASTed column unchanged is decoded with "
    "the value omitted; a keyed binding takes it from the key's earlier document, but a keyless "
    "document has a key of its own, so the row reaches the collection without the value.";
constexpr char kRewriteBehindScanReason[] =
    "Not in the documentation (findings: docs/findings/keyless-vacuum-full-loses-rows.yaml and "
    "keyless-vacuum-full-before-restart-loses-rows.yaml). VACUUM FULL rewrites the table and "
    "packs its rows from block 0 without a change in the WAL: a row the ctid scan had not reached "
    "can land in blocks it has passed, and then neither the scan nor the stream ever emits it. "
    "The same happens to a row the scan had read in a chunk not yet committed when a restart "
    "resumes the scan from its last checkpoint.";

constexpr char kDebeziumRedeliveryReason[] =
    "Debezium: \"the connector might emit some duplicate change events\" during fault recovery; "
    "\"like Kafka, provides at least once delivery\" and resumes \"from the last offset that was "
    "recorded\", so \"consumers should always anticipate some duplicate events\" (PostgreSQL "
    "connector, \"Behavior when things go wrong\"). Offsets lag what was delivered: a restart "
    "streams again from the last flushed offset and re-reads the chunk of the open window, so "
    "older events and READs arrive again after newer ones.";
constexpr char kDebeziumSkipReason[] =
    "Finding: not in Debezium's documentation, which promises that an interrupted incremental "
    "snapshot can be resumed \"without losing any data\". Since DBZ-7886 a chunk query error "
    "ends the table's snapshot (a SQL_EXCEPTION notification; streaming goes on), so rows the "
    "snapshot had not read and no later change touches never arrive.";

constexpr char kDebeziumToastReason[] =
    "Finding: not in Debezium's documentation. Debezium documents that an UPDATE under REPLICA "
    "IDENTITY DEFAULT carries an unchanged TOASTed value only as a placeholder, and that a "
    "streamed event inside a snapshot window makes the window discard the chunk's READ of that "
    "key. Together: when such an update lands inside the window of its key's chunk, the READ, "
    "the only event that held the value, is discarded, and the value never arrives.";

constexpr char kFlinkToastReason[] =
    "Finding: not in Flink CDC's documentation. Debezium, which Flink CDC's PostgreSQL source "
    "runs, documents that an UPDATE under REPLICA IDENTITY DEFAULT carries an unchanged TOASTed "
    "value only as a placeholder. A split's backfill upserts the update's after image over the "
    "snapshot row, so when such an update commits between a split's low and high watermarks "
    "the snapshot record holds the placeholder, not the value, and no later event carries it.";

constexpr char kFlinkSkipReason[] =
    "Flink CDC, scan.incremental.snapshot.backfill.skip: \"Skipping backfill might lead to data "
    "inconsistency because some change log events happened within the snapshot phase might be "
    "replayed (only at-least-once semantic is promised).\" (PostgreSQL connector options). The "
    "stream starts at the smallest watermark and emits every change, so a change the snapshot "
    "already holds arrives again after it.";
constexpr char kFlinkSplitsOrderReason[] =
    "Flink CDC: \"the PostgreSQL CDC Source firstly splits snapshot chunks (splits) by user "
    "specified chunk key of table, and then ... assigns the chunks to multiple readers to read "
    "the data of snapshot chunk\"; it reads \"database snapshot first and then continues to "
    "read\" the log (PostgreSQL connector, \"Incremental Snapshot Reading\", \"Exactly-Once "
    "Processing\"). The guarantee is per record: each split is read at its own watermarks and "
    "the log only after the last split, so a reader sees a later split's rows, with the "
    "transactions they hold, while earlier splits still show rows from before them.";

constexpr char kFlinkOpenTxnReason[] =
    "Finding: not in Flink CDC's documentation, which promises exactly-once processing \"even "
    "failures happen\". A split's log backfill ends once the server reports WAL past the high "
    "watermark, and the stream keeps a change of the split only if the change's own record lies "
    "past that watermark. A transaction that wrote to the split before its high watermark and "
    "committed after the backfill read ended is in neither: its changes to the split are lost. "
    "Inferred from the model of the code (PostgresReplicationConnection's ending position, "
    "IncrementalSourceStreamFetcher.shouldEmit), not confirmed against a running Flink.";

constexpr char kFlinkSplitOrderReason[] =
    "Finding: not in Flink CDC's documentation. The split boundaries come from PostgreSQL "
    "(ORDER BY the key, in its collation), but a change is matched to a split by comparing its "
    "key with the boundaries in Java (String.compareTo, code point order). Under a linguistic "
    "collation the two orders differ, so a change is judged by the wrong split's high "
    "watermark: one the snapshot already holds is emitted again, after it (a regression), or "
    "one it does not hold is dropped.";

constexpr char kFlinkResnapshotReason[] =
    "Flink CDC has no backfill of a table into the output it already feeds: the model reads the "
    "table again as a newly added table (scan.newly-added-table.enabled), whose changes the "
    "stream keeps only past the new splits' high watermarks (and a stream that never ran starts "
    "at the new splits' smallest one). A key deleted before its new split was read keeps the "
    "document of the earlier snapshot.";

constexpr char kReadOnlyEpochReason[] =
    "Finding: not in Debezium's documentation. The read-only incremental snapshot opens a window "
    "when a streamed event's transaction id reaches the low watermark's xmin and closes it when "
    "a commit's id is at or below the high watermark's xmin, but it reads the event's id from "
    "the WAL (32 bits) and the watermarks from pg_current_snapshot() (epoch-extended, 64 bits). "
    "Once the xid counter has wrapped (epoch 1 or more) a window never opens and closes at the "
    "first commit: its READs are emitted without removing the keys changed meanwhile, so a stale "
    "READ can follow a newer change. A hypothesis from reading the code, reproduced by the model; "
    "not confirmed against a running Debezium.";

// First matching rule wins. Keep the most specific rules first. A property
// no rule names holds everywhere: resume_state, for one, has no rule, since a
// restart resumes the state its checkpoint committed in every mode, fault
// class and backfill type.
const std::vector<Rule>& rules() {
  static const std::vector<Rule> kRules = {
      {std::nullopt, Situation::kToastDroppedByWindow, "convergence", Expect::kKnownLimitation,
       kDebeziumToastReason},
      {std::nullopt, Situation::kSplitToastPlaceholder, "convergence", Expect::kKnownLimitation,
       kFlinkToastReason},
      {std::nullopt, Situation::kSplitToastPlaceholder, "destination_convergence",
       Expect::kKnownLimitation, kFlinkToastReason},
      {std::nullopt, Situation::kSnapshotSkipped, "convergence", Expect::kKnownLimitation,
       kDebeziumSkipReason},
      {std::nullopt, Situation::kSnapshotSkipped, "coverage", Expect::kKnownLimitation,
       kDebeziumSkipReason},
      {std::nullopt, Situation::kFlinkBackfillSkipped, "exactly_once", Expect::kViolableDocumented,
       kFlinkSkipReason},
      {std::nullopt, Situation::kFlinkBackfillSkipped, "no_regression", Expect::kViolableDocumented,
       kFlinkSkipReason},
      {std::nullopt, Situation::kFlinkBackfillSkipped, "no_resurrection",
       Expect::kViolableDocumented, kFlinkSkipReason},
      {std::nullopt, Situation::kFlinkBackfillSkipped, "per_key_commit_order",
       Expect::kViolableDocumented, kFlinkSkipReason},
      {std::nullopt, Situation::kFlinkBackfillSkipped, "transaction_order",
       Expect::kViolableDocumented, kFlinkSkipReason},
      {std::nullopt, Situation::kFlinkBackfillSkipped, "delta_duplicates",
       Expect::kViolableDocumented, kFlinkSkipReason},
      {std::nullopt, Situation::kFlinkBackfillSkipped, "destination_no_regression",
       Expect::kViolableDocumented, kFlinkSkipReason},
      {std::nullopt, Situation::kFlinkBackfillSkipped, "destination_no_resurrection",
       Expect::kViolableDocumented, kFlinkSkipReason},
      {std::nullopt, Situation::kSplitOrderMismatch, "convergence", Expect::kKnownLimitation,
       kFlinkSplitOrderReason},
      {std::nullopt, Situation::kSplitOrderMismatch, "no_loss", Expect::kKnownLimitation,
       kFlinkSplitOrderReason},
      {std::nullopt, Situation::kSplitOrderMismatch, "no_regression", Expect::kKnownLimitation,
       kFlinkSplitOrderReason},
      {std::nullopt, Situation::kSplitOrderMismatch, "no_resurrection", Expect::kKnownLimitation,
       kFlinkSplitOrderReason},
      {std::nullopt, Situation::kSplitOrderMismatch, "exactly_once", Expect::kKnownLimitation,
       kFlinkSplitOrderReason},
      {std::nullopt, Situation::kSplitOrderMismatch, "per_key_commit_order",
       Expect::kKnownLimitation, kFlinkSplitOrderReason},
      {std::nullopt, Situation::kFlinkResnapshot, "convergence", Expect::kKnownLimitation,
       kFlinkResnapshotReason},
      {std::nullopt, Situation::kFlinkResnapshot, "no_loss", Expect::kKnownLimitation,
       kFlinkResnapshotReason},
      {std::nullopt, Situation::kFlinkResnapshot, "no_resurrection", Expect::kKnownLimitation,
       kFlinkResnapshotReason},
      {std::nullopt, Situation::kFlinkResnapshot, "transaction_order", Expect::kKnownLimitation,
       kFlinkResnapshotReason},
      {std::nullopt, Situation::kSplitOrderMismatch, "delta_duplicates", Expect::kKnownLimitation,
       kFlinkSplitOrderReason},
      {std::nullopt, Situation::kSplitOrderMismatch, "destination_no_regression",
       Expect::kKnownLimitation, kFlinkSplitOrderReason},
      {std::nullopt, Situation::kSplitOrderMismatch, "destination_no_resurrection",
       Expect::kKnownLimitation, kFlinkSplitOrderReason},
      {std::nullopt, Situation::kWindowNeverOpened, "convergence", Expect::kKnownLimitation,
       kReadOnlyEpochReason},
      {std::nullopt, Situation::kWindowNeverOpened, "no_loss", Expect::kKnownLimitation,
       kReadOnlyEpochReason},
      {std::nullopt, Situation::kWindowNeverOpened, "destination_convergence",
       Expect::kKnownLimitation, kReadOnlyEpochReason},
      {std::nullopt, Situation::kWindowNeverOpened, "no_regression", Expect::kKnownLimitation,
       kReadOnlyEpochReason},
      {std::nullopt, Situation::kWindowNeverOpened, "no_resurrection", Expect::kKnownLimitation,
       kReadOnlyEpochReason},
      {std::nullopt, Situation::kWindowNeverOpened, "exactly_once", Expect::kKnownLimitation,
       kReadOnlyEpochReason},
      {std::nullopt, Situation::kWindowNeverOpened, "per_key_commit_order",
       Expect::kKnownLimitation, kReadOnlyEpochReason},
      {std::nullopt, Situation::kWindowNeverOpened, "destination_no_regression",
       Expect::kKnownLimitation, kReadOnlyEpochReason},
      {std::nullopt, Situation::kWindowNeverOpened, "destination_no_resurrection",
       Expect::kKnownLimitation, kReadOnlyEpochReason},
      {std::nullopt, Situation::kWindowNeverOpened, "delta_duplicates", Expect::kKnownLimitation,
       kReadOnlyEpochReason},
      {std::nullopt, Situation::kOpenAcrossHighWatermark, "convergence", Expect::kKnownLimitation,
       kFlinkOpenTxnReason},
      {std::nullopt, Situation::kOpenAcrossHighWatermark, "no_loss", Expect::kKnownLimitation,
       kFlinkOpenTxnReason},
      {std::nullopt, Situation::kFlinkSnapshotSplits, "transaction_order",
       Expect::kViolableDocumented, kFlinkSplitsOrderReason},
      {std::nullopt, Situation::kDebeziumRedelivery, "exactly_once", Expect::kViolableDocumented,
       kDebeziumRedeliveryReason},
      {std::nullopt, Situation::kDebeziumRedelivery, "no_regression", Expect::kViolableDocumented,
       kDebeziumRedeliveryReason},
      {std::nullopt, Situation::kDebeziumRedelivery, "no_resurrection", Expect::kViolableDocumented,
       kDebeziumRedeliveryReason},
      {std::nullopt, Situation::kDebeziumRedelivery, "per_key_commit_order",
       Expect::kViolableDocumented, kDebeziumRedeliveryReason},
      {std::nullopt, Situation::kDebeziumRedelivery, "transaction_order",
       Expect::kViolableDocumented, kDebeziumRedeliveryReason},
      {std::nullopt, Situation::kDebeziumRedelivery, "coverage", Expect::kViolableDocumented,
       kDebeziumRedeliveryReason},
      {std::nullopt, Situation::kDebeziumRedelivery, "resume_state", Expect::kViolableDocumented,
       kDebeziumRedeliveryReason},
      {std::nullopt, Situation::kDebeziumRedelivery, "only_changes", Expect::kViolableDocumented,
       kDebeziumRedeliveryReason},
      {std::nullopt, Situation::kDebeziumRedelivery, "delta_duplicates",
       Expect::kViolableDocumented, kDebeziumRedeliveryReason},
      {std::nullopt, Situation::kDebeziumRedelivery, "destination_no_regression",
       Expect::kViolableDocumented, kDebeziumRedeliveryReason},
      {std::nullopt, Situation::kDebeziumRedelivery, "destination_no_resurrection",
       Expect::kViolableDocumented, kDebeziumRedeliveryReason},
      {std::nullopt, Situation::kUpgrade, "convergence", Expect::kViolableDocumented,
       kUpgradeReason},
      {std::nullopt, Situation::kUpgrade, "no_loss", Expect::kViolableDocumented, kUpgradeReason},
      {std::nullopt, Situation::kUpgrade, "only_changes", Expect::kViolableDocumented,
       kUpgradeReason},
      {std::nullopt, Situation::kSlotLost, "convergence", Expect::kViolableDocumented,
       kSlotLostReason},
      {std::nullopt, Situation::kSlotLost, "no_loss", Expect::kViolableDocumented, kSlotLostReason},
      {std::nullopt, Situation::kSlotLost, "only_changes", Expect::kViolableDocumented,
       kSlotLostReason},
      {std::nullopt, Situation::kSlotLostUnrecovered, "liveness", Expect::kViolableDocumented,
       kSlotLostReason},
      {std::nullopt, Situation::kTruncate, "convergence", Expect::kKnownLimitation,
       "The capture does not capture TRUNCATE (it logs and skips the record), so the truncated "
       "rows stay in the collection; a later capture backfill re-reads rows but deletes nothing."},
      {std::nullopt, Situation::kTruncate, "no_loss", Expect::kKnownLimitation, kTruncateReason},
      {std::nullopt, Situation::kTruncate, "only_changes", Expect::kKnownLimitation,
       kTruncateReason},
      {std::nullopt, Situation::kToastLostOnKeyChange, "convergence", Expect::kKnownLimitation,
       kToastKeyChangeReason},
      {std::nullopt, Situation::kToastLostOnKeyChange, "destination_convergence",
       Expect::kKnownLimitation, kToastKeyChangeReason},
      {std::nullopt, Situation::kRetentionExpired, "convergence", Expect::kViolableDocumented,
       kRetentionReason},
      {std::nullopt, Situation::kRetentionExpired, "no_loss", Expect::kViolableDocumented,
       kRetentionReason},
      {std::nullopt, Situation::kRetentionExpired, "retention_loss", Expect::kViolableDocumented,
       kRetentionReason},
      {std::nullopt, Situation::kRetentionExpired, "destination_convergence",
       Expect::kViolableDocumented, kRetentionReason},
      {std::nullopt, Situation::kRetentionExpired, "delta_no_loss", Expect::kViolableDocumented,
       kRetentionReason},
      {std::nullopt, Situation::kRetentionExpired, "transaction_order", Expect::kViolableDocumented,
       kRetentionReason},
      {std::nullopt, Situation::kCaptureBackfill, "delta_duplicates", Expect::kViolableDocumented,
       "\"Using capture backfills (not dropping the destination tables) when you have "
       "materializations that use delta updates may result in duplicate rows.\""},
      {std::nullopt, Situation::kKeptDestinationBackfill, "delta_duplicates",
       Expect::kViolableDocumented,
       "a backfill that keeps the destination table does not drop it; the documentation warns "
       "that backfills \"not dropping the destination tables\" into delta updates \"may result "
       "in duplicate rows\""},
      {std::nullopt, Situation::kKeptDestinationBackfill, "destination_no_regression",
       Expect::kKnownLimitation, kKeptDestinationReason},
      {std::nullopt, Situation::kKeptDestinationBackfill, "destination_no_resurrection",
       Expect::kKnownLimitation, kKeptDestinationReason},
      {std::nullopt, Situation::kKeptDestinationBackfill, "transaction_order",
       Expect::kKnownLimitation, kKeptDestinationReason},
      {std::nullopt, Situation::kBackfillAll, "convergence", Expect::kKnownLimitation,
       "Backfilling every binding drops the slot and recreates it where the WAL is now; changes "
       "between the last checkpoint and the new slot are never read. The new backfill re-reads "
       "rows that exist, so inserts and updates are repaired, but a row deleted in that window "
       "stays in the collection."},
      {std::nullopt, Situation::kMinBackfillXid, "convergence", Expect::kViolableDocumented,
       kMinXidReason},
      {std::nullopt, Situation::kMinBackfillXid, "no_loss", Expect::kViolableDocumented,
       kMinXidReason},
      {std::nullopt, Situation::kMaxBackfillXid, "convergence", Expect::kViolableDocumented,
       kMaxXidReason},
      {std::nullopt, Situation::kMaxBackfillXid, "no_loss", Expect::kViolableDocumented,
       kMaxXidReason},
      {BackfillMode::kPrecise, Situation::kRebackfill, "convergence", Expect::kKnownLimitation,
       "A re-backfill into the same collection filters deletes of keys the new scan has not "
       "reached, and the scan emits only rows that exist: a key the previous backfill wrote and "
       "the source deleted meanwhile is never deleted from the collection."},
      // The same lost delete, seen by a delta destination kept across the
      // backfill: the delete row it should append never comes.
      {BackfillMode::kPrecise, Situation::kRebackfill, "delta_no_loss", Expect::kKnownLimitation,
       "A re-backfill filters deletes of keys the new scan has not reached, and the scan emits "
       "only rows that exist: a delta destination never receives the delete of a key the source "
       "deleted during the re-backfill."},
      {BackfillMode::kAutomatic, Situation::kRebackfill, "delta_no_loss", Expect::kKnownLimitation,
       "Automatic resolves to Precise for keys with a bytewise order; see the Precise rule: a "
       "delta destination never receives the delete of a key deleted during a re-backfill."},
      {BackfillMode::kAutomatic, Situation::kRebackfill, "convergence", Expect::kKnownLimitation,
       "Automatic resolves to Precise for keys with a bytewise order; see the Precise rule: a "
       "re-backfill can leave keys the source deleted during it."},
      // transaction_order: a reader sees the source's transactions whole and in
      // commit order. Normal mode emits every change immediately, so only
      // changes that are never streamed (or dropped) let a reader see a later
      // transaction first.
      {std::nullopt, Situation::kTruncate, "transaction_order", Expect::kKnownLimitation,
       "The capture does not capture TRUNCATE, so the rows it removed keep their documents from "
       "before it while a reader sees the transactions that followed."},
      {std::nullopt, Situation::kUpgrade, "transaction_order", Expect::kViolableDocumented,
       kUpgradeReason},
      {std::nullopt, Situation::kBackfillAll, "transaction_order", Expect::kViolableDocumented,
       kJumpAheadOrderReason},
      {std::nullopt, Situation::kMinBackfillXid, "transaction_order", Expect::kViolableDocumented,
       kMinXidReason},
      {std::nullopt, Situation::kMaxBackfillXid, "transaction_order", Expect::kViolableDocumented,
       kMaxXidReason},
      {BackfillMode::kPrecise, Situation::kRebackfill, "transaction_order",
       Expect::kViolableDocumented, kPreciseOrderReason},
      {BackfillMode::kAutomatic, Situation::kRebackfill, "transaction_order",
       Expect::kViolableDocumented,
       "Automatic resolves to Precise for keys with a bytewise order; see the Precise rule: "
       "changes above the cursor of a re-backfill are dropped while older documents stay "
       "visible."},
      {std::nullopt, std::nullopt, "precise_history", Expect::kKnownLimitation,
       "The fence is read after the chunk query, so a change committed between the previous "
       "fence and the query is streamed after the chunk has moved past its key: a key deleted "
       "or updated just before the query shows a delete or update first in its new instance."},
      {BackfillMode::kOnlyChanges, std::nullopt, "convergence", Expect::kViolableDocumented,
       "\"Only Changes: skips backfilling the table entirely ... Only WAL changes are emitted.\" "
       "Rows that existed before the capture started never reach the collection."},
      {std::nullopt, Situation::kPreciseNonBytewiseKey, "convergence", Expect::kViolableDocumented,
       kPreciseEncodingReason},
      {std::nullopt, Situation::kPreciseNonBytewiseKey, "no_loss", Expect::kViolableDocumented,
       kPreciseEncodingReason},
      // Keyless bindings by bags of row values. keyless_no_loss has no rule
      // of its own (a row the source holds must reach the collection); it
      // inherits no_loss's.
      {BackfillMode::kOnlyChanges, std::nullopt, "keyless_no_loss", Expect::kViolableDocumented,
       "\"Only Changes: skips backfilling the table entirely ... Only WAL changes are emitted.\" "
       "Rows that existed before the capture started never reach the collection."},
      {std::nullopt, Situation::kRewriteBehindKeylessScan, "keyless_no_loss",
       Expect::kKnownLimitation, kRewriteBehindScanReason},
      {std::nullopt, Situation::kKeylessToastOmitted, "keyless_no_loss", Expect::kKnownLimitation,
       kKeylessToastReason},
      {std::nullopt, Situation::kKeylessBinding, "keyless_convergence", Expect::kViolableDocumented,
       kKeylessConvergenceReason},
      {std::nullopt, Situation::kKeylessBinding, "keyless_duplicates", Expect::kViolableDocumented,
       kKeylessDuplicatesReason},
      {BackfillMode::kPrecise, std::nullopt, "liveness", Expect::kViolableDocumented,
       "\"Note that Precise backfill is not possible in some cases due to equality comparison "
       "challenges when using varying character encodings.\" A text key under a locale collation "
       "comes back out of bytewise order and the capture stops with a scan key ordering failure."},
  };
  return kRules;
}

}  // namespace

const char* to_string(FaultClass f) {
  switch (f) {
    case FaultClass::kNone:
      return "none";
    case FaultClass::kCrashes:
      return "crashes";
    case FaultClass::kSlotLossUpgrade:
      return "slot loss/upgrade";
    case FaultClass::kRetention:
      return "retention";
    case FaultClass::kKnownLimitations:
      return "known limitations";
  }
  return "?";
}

const char* to_string(KeyKind k) {
  switch (k) {
    case KeyKind::kInt:
      return "int key";
    case KeyKind::kLocaleText:
      return "locale text key";
    case KeyKind::kCText:
      return "C text key";
    case KeyKind::kKeyless:
      return "no primary key";
  }
  return "?";
}

const char* to_string(Expect e) {
  switch (e) {
    case Expect::kHolds:
      return "holds";
    case Expect::kViolableDocumented:
      return "violable as documented";
    case Expect::kKnownLimitation:
      return "known limitation";
  }
  return "?";
}

const char* to_string(Situation s) {
  switch (s) {
    case Situation::kTruncate:
      return "TRUNCATE";
    case Situation::kMinBackfillXid:
      return "min_backfill_xid";
    case Situation::kMaxBackfillXid:
      return "max_backfill_xid";
    case Situation::kUpgrade:
      return "major upgrade";
    case Situation::kSlotLost:
      return "slot lost";
    case Situation::kRebackfill:
      return "re-backfill";
    case Situation::kBackfillAll:
      return "backfill of all bindings";
    case Situation::kCaptureBackfill:
      return "capture backfill";
    case Situation::kMaterializationBackfill:
      return "materialization backfill";
    case Situation::kDataFlowBackfill:
      return "data flow backfill";
    case Situation::kRetentionExpired:
      return "retention expired documents";
    case Situation::kPreciseNonBytewiseKey:
      return "Precise over a key that does not order bytewise";
    case Situation::kKeptDestinationBackfill:
      return "materialization backfill keeping the destination";
    case Situation::kToastLostOnKeyChange:
      return "TOAST value lost on a key change";
    case Situation::kKeylessBinding:
      return "a binding without a primary key";
    case Situation::kKeylessToastOmitted:
      return "a keyless change document without its unchanged TOAST value";
    case Situation::kRewriteBehindKeylessScan:
      return "a rewrite moved a row behind a ctid scan";
    case Situation::kSlotLostUnrecovered:
      return "slot lost and not recovered by a backfill of every binding";
    case Situation::kDebeziumRedelivery:
      return "a Debezium capture restarted and re-delivered from its offsets";
    case Situation::kSnapshotSkipped:
      return "a Debezium chunk query error skipped the rest of a table";
    case Situation::kToastDroppedByWindow:
      return "a Debezium window dropped a chunk row for a change lacking its TOAST value";
    case Situation::kFlinkSnapshotSplits:
      return "a Flink capture read a snapshot in splits, each at its own watermarks";
    case Situation::kFlinkBackfillSkipped:
      return "a Flink capture read a snapshot with scan.incremental.snapshot.backfill.skip";
    case Situation::kOpenAcrossHighWatermark:
      return "a Flink split's high watermark fell inside a transaction that wrote to it";
    case Situation::kSplitOrderMismatch:
      return "a Flink change was judged by a split its key is not in, in the database's order";
    case Situation::kFlinkResnapshot:
      return "a Flink capture read a table again into the collection it feeds";
    case Situation::kWindowNeverOpened:
      return "a Debezium read-only window flushed without opening (xid epoch)";
    case Situation::kSplitToastPlaceholder:
      return "a Flink split's backfill replaced a snapshot row without its TOAST value";
  }
  return "?";
}

namespace {

std::optional<Situation> situation_of(history::Event::Type t) {
  using T = history::Event::Type;
  switch (t) {
    case T::kIgnoredTruncate:
      return Situation::kTruncate;
    case T::kIgnoredToastOnKeyChange:
      return Situation::kToastLostOnKeyChange;
    case T::kMinBackfillXidSet:
      return Situation::kMinBackfillXid;
    case T::kMaxBackfillXidSet:
      return Situation::kMaxBackfillXid;
    case T::kMajorUpgrade:
      return Situation::kUpgrade;
    case T::kSlotLostError:
      return Situation::kSlotLost;
    case T::kSlotInvalidated:
      return Situation::kSlotLost;
    case T::kSnapshotSkipped:
      return Situation::kSnapshotSkipped;
    case T::kToastDroppedByWindow:
      return Situation::kToastDroppedByWindow;
    case T::kOpenAcrossHighWatermark:
      return Situation::kOpenAcrossHighWatermark;
    case T::kSplitOrderMismatch:
      return Situation::kSplitOrderMismatch;
    case T::kWindowNeverOpened:
      return Situation::kWindowNeverOpened;
    case T::kSplitToastPlaceholder:
      return Situation::kSplitToastPlaceholder;
    case T::kOther:
    case T::kCaptureError:
    case T::kCaptureCrash:
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace

namespace {

// Whether the capture ever jumped ahead: it drops and recreates its slot when
// it starts with every binding bumped since its last committed checkpoint
// (DESIGN §5), whether the bindings were bumped at once or one by one while
// it committed nothing (stalled, or waiting to create its slot). Backfill
// operations run before the capture within a tick, and the capture starts
// before it commits; ties are broken in that order.
bool jumped_ahead(const history::History& h) {
  enum Rank : unsigned char { kOp, kStart, kCommit };
  struct Step {
    uint64_t tick;
    Rank rank;
    size_t index;
    bool operator<(const Step& o) const {
      return std::tie(tick, rank, index) < std::tie(o.tick, o.rank, o.index);
    }
  };
  // Three runs, each in the order the history lists them (tick order in a
  // recorded history), merged: the same order as sorting all of them.
  std::vector<Step> steps;
  for (size_t i = 0; i < h.backfill_ops.size(); ++i)
    steps.push_back({h.backfill_ops[i].tick, kOp, i});
  merge_appended_run(&steps, 0);
  const size_t starts = steps.size();
  for (size_t i = 0; i < h.events.size(); ++i) {
    if (h.events[i].kind == history::Event::Kind::kCaptureStart)
      steps.push_back({h.events[i].tick, kStart, i});
  }
  merge_appended_run(&steps, starts);
  const size_t commits = steps.size();
  for (size_t i = 0; i < h.collection_txns.size(); ++i)
    steps.push_back({h.collection_txns[i].tick, kCommit, i});
  merge_appended_run(&steps, commits);
  std::set<uint32_t> bumped;  // capture bindings bumped since the last checkpoint
  bool checkpointed = false;
  for (const Step& s : steps) {
    switch (s.rank) {
      case kOp:
        for (uint32_t b : h.backfill_ops[s.index].capture_bindings)
          bumped.insert(b);
        break;
      case kStart:
        if (checkpointed && !h.bindings.empty() && bumped.size() >= h.bindings.size()) return true;
        break;
      case kCommit:
        checkpointed = true;
        bumped.clear();
        break;
    }
  }
  return false;
}

}  // namespace

namespace {

// Whether the slot was lost and stayed lost: no backfill of every capture
// binding (which drops and recreates the slot) came after the last
// invalidation. Without invalidation events (a history written elsewhere),
// the first slot-lost error stands for it: the slot was lost by then.
bool slot_lost_unrecovered(const history::History& h) {
  std::optional<uint64_t> lost;
  for (const history::Event& e : h.events) {
    if (e.type == history::Event::Type::kSlotInvalidated) lost = e.tick;
  }
  for (size_t i = 0; i < h.events.size() && !lost; ++i) {
    if (h.events[i].type == history::Event::Type::kSlotLostError) lost = h.events[i].tick;
  }
  if (!lost) return false;
  // Operations run before the capture within a tick: one at the loss's tick
  // came before it.
  return std::none_of(
      h.backfill_ops.begin(), h.backfill_ops.end(),
      [&](const history::BackfillOp& op) { return op.all_capture_bindings && op.tick > *lost; });
}

// Whether a change document of a keyless binding lacks a field it should
// carry (not a delete: a keyless delete under REPLICA IDENTITY DEFAULT
// carries nothing).
bool keyless_toast_omitted(const history::History& h) {
  for (const history::CollectionTxn& t : h.collection_txns) {
    for (const history::Document& d : t.docs) {
      if (d.snapshot || d.op == history::DocOp::kDelete) continue;
      const auto b = std::find_if(h.bindings.begin(), h.bindings.end(),
                                  [&](const history::Binding& x) { return x.id == d.binding; });
      if (b == h.bindings.end() || !b->keyless) continue;
      const size_t width = d.fields.size();
      const uint64_t all = width >= 64 ? ~uint64_t{0} : (uint64_t{1} << width) - 1;
      if ((d.present_mask & all) != all) return true;
    }
  }
  return false;
}

// The first restart after move m that resumed c's backfill instance, and
// where it resumed the scan; none if no restart did (the scan ran on, or
// the instance was left for another).
std::optional<Ctid> resumed_at(const history::History& h, const history::RowMove& m,
                               const history::RowMove::ScanCursor& c) {
  for (size_t i = m.resumes_before; i < h.resumes.size(); ++i) {
    const history::Resume& r = h.resumes[i];
    if (r.binding != c.binding) continue;
    if (r.state_key != c.state_key) return std::nullopt;
    return r.cursor_ctid.value_or(Ctid{0, 0});
  }
  return std::nullopt;
}

// Whether a rewrite moved a row from where a ctid scan had still to read to
// where it had read already, and the scan went on from there:
// - behind the running scan's cursor, unless a restart rewound the scan to
//   at most the row's new place before the scan committed past it;
// - behind the committed cursor, when a restart resumed the scan from it
//   (the rows the running scan had read since were lost with its memory).
bool rewrite_behind_scan(const history::History& h) {
  for (const history::RowMove& m : h.row_moves) {
    if (m.cause == history::RowMove::Cause::kUpdate) continue;
    for (const history::RowMove::ScanCursor& c : m.cursors) {
      if (m.from < c.next || !(m.to < c.next)) continue;
      const std::optional<Ctid> resumed = resumed_at(h, m, c);
      if (c.committed ? resumed == c.next : !resumed || m.to < *resumed) return true;
    }
  }
  return false;
}

}  // namespace

std::vector<Situation> situations(const history::History& h) {
  std::vector<Situation> out;
  auto note = [&](Situation s) {
    if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
  };
  for (const history::Event& e : h.events) {
    if (std::optional<Situation> s = situation_of(e.type)) note(*s);
  }
  // A backfill of every binding moves the slot ahead in Estuary's capture;
  // Debezium's keeps its slot unless the slot was lost.
  const bool jumps = h.algorithm == CaptureAlgorithm::kEstuary ||
                     std::find(out.begin(), out.end(), Situation::kSlotLost) != out.end();
  for (const history::BackfillOp& op : h.backfill_ops) {
    if (!op.capture_bindings.empty()) note(Situation::kRebackfill);
    if (op.all_capture_bindings && jumps) note(Situation::kBackfillAll);
    switch (op.type) {
      case history::BackfillOp::Type::kCapture:
        note(Situation::kCaptureBackfill);
        break;
      case history::BackfillOp::Type::kMaterialization:
        note(Situation::kMaterializationBackfill);
        for (uint32_t m : op.materialization_bindings) {
          if (m < h.materializations.size() && h.materializations[m].keep_existing_on_backfill) {
            note(Situation::kKeptDestinationBackfill);
          }
        }
        break;
      case history::BackfillOp::Type::kDataFlow:
        note(Situation::kDataFlowBackfill);
        break;
    }
  }
  if (jumps && jumped_ahead(h)) note(Situation::kBackfillAll);
  if (h.algorithm == CaptureAlgorithm::kDebezium) {
    // A crash or an error restarts it from offsets that lag what it delivered.
    for (const history::Event& e : h.events) {
      if (e.type == history::Event::Type::kCaptureCrash ||
          e.kind == history::Event::Kind::kCaptureError) {
        note(Situation::kDebeziumRedelivery);
      }
    }
  }
  if (h.algorithm == CaptureAlgorithm::kFlink) {
    for (const history::BackfillInstance& i : h.backfills) {
      if (i.mode == history::ResolvedMode::kPrecise) note(Situation::kFlinkSnapshotSplits);
      if (i.mode == history::ResolvedMode::kNormal) note(Situation::kFlinkBackfillSkipped);
    }
    for (const history::BackfillOp& op : h.backfill_ops) {
      if (!op.capture_bindings.empty()) note(Situation::kFlinkResnapshot);
    }
    if (jumped_ahead(h)) note(Situation::kFlinkResnapshot);
  }
  if (slot_lost_unrecovered(h)) note(Situation::kSlotLostUnrecovered);
  for (const history::BackfillInstance& i : h.backfills) {
    if (i.mode == history::ResolvedMode::kPrecise && i.binding < h.bindings.size() &&
        !h.bindings[i.binding].bytewise_key) {
      note(Situation::kPreciseNonBytewiseKey);
    }
  }
  if (!h.expiries.empty()) note(Situation::kRetentionExpired);
  for (const history::Binding& b : h.bindings) {
    if (b.keyless) note(Situation::kKeylessBinding);
  }
  if (keyless_toast_omitted(h)) note(Situation::kKeylessToastOmitted);
  if (rewrite_behind_scan(h)) note(Situation::kRewriteBehindKeylessScan);
  std::sort(out.begin(), out.end());
  return out;
}

const char* to_string(BackfillType t) {
  switch (t) {
    case BackfillType::kNone:
      return "none";
    case BackfillType::kCapture:
      return "capture";
    case BackfillType::kMaterialization:
      return "materialization";
    case BackfillType::kDataFlow:
      return "data flow";
  }
  return "?";
}

namespace {

// A destination property inherits the expectations of the collection property
// it extends: a destination cannot be better than the collection it reads. A
// keyless property inherits those of the keyed property it restates by bags.
const char* collection_property_of(const std::string& property) {
  if (property == "destination_convergence") return "convergence";
  if (property == "delta_no_loss") return "no_loss";
  if (property == "keyless_no_loss") return "no_loss";
  if (property == "keyless_convergence") return "convergence";
  return nullptr;
}

std::optional<Expectation> first_rule(BackfillMode mode, const std::string& property,
                                      const std::vector<Situation>& seen) {
  for (const Rule& r : rules()) {
    if (r.mode && *r.mode != mode) continue;
    if (r.when && std::find(seen.begin(), seen.end(), *r.when) == seen.end()) continue;
    if (property != r.property) continue;
    return Expectation{r.expect, r.reason};
  }
  return std::nullopt;
}

}  // namespace

Expectation expectation(BackfillMode mode, const std::string& property,
                        const std::vector<Situation>& seen) {
  if (std::optional<Expectation> e = first_rule(mode, property, seen)) return *e;
  if (const char* base = collection_property_of(property)) {
    if (std::optional<Expectation> e = first_rule(mode, base, seen)) return *e;
  }
  return {};
}

std::vector<std::string> describe_expectations() {
  std::vector<std::string> out;
  for (const Rule& r : rules()) {
    out.push_back(std::string(r.mode ? to_string(*r.mode) : "any") +
                  (r.when ? std::string(" / when ") + to_string(*r.when) : std::string()) + " / " +
                  r.property + ": " + to_string(r.expect) + ": " + r.reason);
  }
  return out;
}

}  // namespace cdc::properties
