// The recorded history of one simulated run: pure data, written by the
// simulation (sim/) and read by the checkers (properties/). Nothing here calls
// into the simulation. Every sequence is in the order things happened.
//
// Keys. A DocKey is the bytewise ("C"-collation) order-preserving encoding of
// a row's primary key (model/key_encoding.h), or a synthetic key for tables
// without a primary key. A DbOrderKey is the encoding under the key columns'
// own collations: comparing two DbOrderKeys bytewise gives the database's
// ORDER BY order. Both are CompactKeys (model/compact_key.h): the bytes of a
// std::string in 16 bytes, a history holding millions of them.
//
// Versions. Every document carries `lsn`: for a change document the commit
// LSN of the source transaction it came from; for a snapshot (backfill)
// document the chunk's snapshot point, i.e. the flush LSN read just before
// the chunk query (the query saw every commit at or before it). A source
// key's state "at version v" is its state after every commit with
// commit_lsn <= v.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/assert.h"
#include "model/capture_state.h"
#include "model/compact_key.h"
#include "model/interned_text.h"
#include "model/shared_row.h"
#include "model/types.h"
#include "model/value.h"

namespace cdc::history {

using DocKey = CompactKey;
using DbOrderKey = CompactKey;

// How a binding backfills, after mode resolution (DESIGN §5).
enum class ResolvedMode : uint8_t { kPrecise, kNormal, kWithoutPrimaryKey, kOnlyChanges };
const char* to_string(ResolvedMode m);

struct Binding {
  uint32_t id = 0;
  std::string table;       // source table name
  uint32_t table_id = 0;   // TableId value of the source table
  std::string collection;  // collection it writes
  bool keyless = false;    // the table has no primary key
  // Its key orders bytewise in the database too (no text column under a
  // non-"C" collation): what Precise needs to compare keys with the scan.
  bool bytewise_key = true;
  // The types of its key columns in key order (empty when keyless): what a
  // DocKey decodes with, to show keys as typed values. Derived from the
  // schema, so not part of the fingerprint.
  std::vector<ColumnType> key_types;
};

// One backfill instance: a binding's state under one backfill counter.
struct BackfillInstance {
  uint32_t binding = 0;
  std::string state_key;  // e.g. "items.v2": table and backfill counter
  ResolvedMode mode = ResolvedMode::kNormal;
  uint64_t requested_tick = 0;  // when the counter bump (or the capture start) asked for it
  Lsn stream_start_lsn;         // the capture streamed this binding's changes from here
  std::optional<Xid> min_backfill_xid;
};

// One key's net change in a source transaction: state before and after it
// (nullopt = absent). Keyless tables use a synthetic per-row identity.
// The key comes first: in a vector of 48-byte changes it then never
// straddles two cache lines, and the checkers read it for every change.
struct SourceKeyChange {
  DocKey key;
  uint32_t table = 0;  // TableId value
  OptionalRow before;
  OptionalRow after;
  // The xmin of the `after` version: the xid of the (sub)transaction that
  // wrote it, which a subtransaction makes differ from SourceCommit::xid.
  // Derived from the run, so not part of the fingerprint.
  std::optional<Xid> after_xmin = std::nullopt;
};
static_assert(sizeof(SourceKeyChange) == 48 && offsetof(SourceKeyChange, key) == 0,
              "a change in 48 bytes, its key at the start");

struct SourceCommit {
  uint64_t tick = 0;
  Xid xid;
  Lsn commit_lsn;
  std::vector<SourceKeyChange> changes;
};

enum class DocOp : char { kCreate = 'c', kUpdate = 'u', kDelete = 'd' };

// Members are ordered so that the small ones share a word: a history holds
// millions of documents.
struct Document {
  uint32_t binding = 0;
  uint32_t change_index = 0;  // position of the change in its source transaction
  DocOp op = DocOp::kCreate;
  bool snapshot = false;  // read by a backfill chunk
  // Unique per run, from 1, assigned when the collection commits it; a run
  // (or a history read from records) holds fewer than 2^32 documents.
  uint32_t id = 0;
  Xid txid;                // source top-level xid (change documents)
  InternedText state_key;  // backfill instance the binding was in when it wrote this
  DocKey key;
  SharedRow fields;           // one value per column; absent fields hold NULL
  uint64_t present_mask = 0;  // bit c: field c is present (omitted TOAST is absent)
  Lsn lsn;                    // see "Versions" above
};
// 72 bytes, 4 of them padding after txid.
static_assert(sizeof(Document) == 72, "a document in nine words");

// One atomic collection transaction: documents of any bindings plus the
// capture checkpoint they commit with.
struct CollectionTxn {
  uint64_t seq = 0;
  uint64_t tick = 0;
  std::vector<Document> docs;
  Lsn checkpoint_cursor;
  std::vector<std::string> completed_backfills;  // state keys first marked done here
};

struct ChunkRow {
  DocKey key;
  Xid xmin;
  bool emitted = true;  // false: filtered out by min_backfill_xid
};

struct Chunk {
  uint64_t tick = 0;
  uint32_t binding = 0;
  std::string state_key;
  std::optional<DbOrderKey> after;  // the cursor the query started after (none: from the start)
  uint32_t limit = 0;
  std::vector<ChunkRow> rows;
  // The rows' positions in the order the query used, one per row, where that
  // order is not the rows' keys (a key column under a non-"C" collation; a
  // ctid-range scan, whose positions are ctids). Empty where each row's
  // position is its key: most chunks, which then hold each key once.
  std::vector<DbOrderKey> order_keys;
  Lsn snapshot_lsn;
  bool failed = false;                   // the query failed part way
  std::optional<uint64_t> committed_in;  // seq of the collection txn that holds its rows
  bool final_chunk = false;              // returned fewer rows than the limit
  // Ctid-range (Without Primary Key) chunks only: the blocks the query
  // covered, first and last, and the table's page count when it ran. Derived
  // from the rest of the run, so not part of the fingerprint.
  std::optional<std::pair<uint32_t, uint32_t>> blocks;
  uint32_t table_pages = 0;
  // The last ctid the ctid-range query could return (whole blocks: the last
  // block's highest offset). Also derived, not fingerprinted.
  std::optional<Ctid> range_end;
  std::optional<Xid> min_backfill_xid;  // the bound the rows were filtered by (also derived)
  std::optional<Xid> max_backfill_xid = std::nullopt;  // likewise, the upper bound (also derived)
  // The query's snapshot xmax, modulo 2^32, set when either bound is: rows
  // whose xmin follows it modulo 2^32 are filtered too (also derived).
  std::optional<Xid> snapshot_xmax = std::nullopt;

  // Row i's position in the order the query used.
  // REQUIRES: i < rows.size().
  const DbOrderKey& order_key(size_t i) const {
    CDC_ASSERT(i < rows.size() && (order_keys.empty() || order_keys.size() == rows.size()),
               "a chunk's order keys are one per row, or none");
    return order_keys.empty() ? rows[i].key : order_keys[i];
  }
};

// A binding's state as the capture resumed it from the committed checkpoint
// after a restart (crash, error, new spec): one per binding whose state key
// the checkpoint held. Bindings that start a new instance get a
// BackfillInstance instead. Determined by the rest of the run, so not part of
// the fingerprint.
struct Resume {
  uint64_t tick = 0;
  uint32_t binding = 0;
  std::string state_key;
  ResolvedMode mode = ResolvedMode::kNormal;
  // The backfill cursor it resumes after, in the form chunks record it: for a
  // keyed scan the last key read as a DbOrderKey (like Chunk::after), for a
  // ctid-range scan where its next range starts (block, offset 0; a chunk's
  // Chunk::blocks run from its start block). None: the scan starts from the
  // beginning of the table.
  std::optional<DbOrderKey> cursor;
  std::optional<Ctid> cursor_ctid;
  bool backfilled = false;  // resumes as done
  uint64_t last_seq = 0;    // seq of the last committed collection txn then (0: none)
};

struct DecodedTxnSeen {
  uint64_t tick = 0;
  Xid xid;
  Lsn commit_lsn;
  uint32_t changes = 0;
};

// Operations, faults and capture lifecycle events, in plain words, and for
// those that expectations depend on, as a type. The type follows from the
// same call that wrote the words, so the fingerprint hashes only the words.
struct Event {
  enum class Kind : uint8_t {
    kOperation,     // a scheduled operation (backfill request, vacuum, upgrade, ...)
    kFault,         // an injected fault (crash, slot invalidation, query failure, ...)
    kCaptureStart,  // the capture (re)started from its last checkpoint
    kCaptureError,  // the capture stopped with an error
  };
  enum class Type : uint8_t {
    kOther,
    kIgnoredTruncate,          // the capture ignored a TRUNCATE
    kIgnoredToastOnKeyChange,  // a key change's unchanged TOAST values could not be carried
    kSlotLostError,            // the capture stopped: its slot is lost (ErrorCode::kSlotLost)
    kCaptureError,             // the capture stopped with another error
    kMinBackfillXidSet,        // min_backfill_xid was set
    kMaxBackfillXidSet,        // max_backfill_xid was set
    kMajorUpgrade,             // a major upgrade dropped the slots
    kSlotInvalidated,          // the source invalidated the capture's slot (max_slot_wal_keep_size)
    kSnapshotSkipped,          // the capture ended a table's backfill early (Debezium, query error)
    kCaptureCrash,             // the capture crashed (lost its in-memory state)
    kToastDroppedByWindow,     // Debezium dropped a chunk row for a change lacking a TOAST value
    kOpenAcrossHighWatermark,  // Flink dropped a change of a transaction open at its split's HW
    kSplitOrderMismatch,       // Flink judged a change by a split its key is not in (collation)
    kWindowNeverOpened,        // a Debezium read-only window flushed without opening (xid epoch)
    kSplitToastPlaceholder,    // Flink's split backfill replaced a row without its TOAST value
  };
  uint64_t tick = 0;
  Kind kind = Kind::kOperation;
  std::string what;
  Type type = Type::kOther;
};

// ---- materializations and destinations (DESIGN §7) ----

enum class UpdateStrategy : uint8_t { kMerge, kDelta };
const char* to_string(UpdateStrategy s);

struct MaterializationBinding {
  uint32_t id = 0;
  uint32_t capture_binding = 0;  // the capture binding whose collection it reads
  std::string collection;
  std::string destination;  // destination table name
  UpdateStrategy strategy = UpdateStrategy::kMerge;
  bool keep_existing_on_backfill = false;  // its backfills do not truncate the table
};

// One row of a destination as a committed destination transaction left it.
// Members are ordered so that the small ones share a word.
struct DestinationRow {
  DocKey key;
  SharedRow fields;
  uint64_t present_mask = 0;
  Lsn lsn;                      // version of the document the row came from (see "Versions")
  uint32_t collection_seq = 0;  // collection txn of the document (32 bits: model/dest_value.h)
  DocOp op = DocOp::kCreate;    // delta rows keep the document's op; merge rows are kCreate
  bool snapshot = false;
};
static_assert(sizeof(DestinationRow) == 48, "a destination row in six words");

// One committed destination transaction of one materialization binding.
// Merge: `upserts` are the rows stored (insert or update), `deletes` the keys
// removed. Delta: `upserts` are the rows appended, in order.
struct DestinationTxn {
  uint64_t tick = 0;
  uint32_t binding = 0;  // MaterializationBinding::id
  std::string state_key;
  uint64_t read_through_seq = 0;  // the collection position committed with it
  bool truncated_first = false;   // a backfill emptied the table before this txn
  std::vector<DestinationRow> upserts;
  std::vector<DocKey> deletes;
};

// Documents a collection dropped because of retention.
struct Expiry {
  uint64_t tick = 0;
  uint32_t capture_binding = 0;
  std::vector<DocKey> keys;  // keys of the expired documents (with repeats)
  uint64_t documents = 0;
};

// Backfill operations as requested (for attribution in verdicts).
struct BackfillOp {
  enum class Type : uint8_t { kCapture, kMaterialization, kDataFlow };
  uint64_t tick = 0;
  Type type = Type::kCapture;
  bool all_capture_bindings = false;  // every capture binding was bumped (the slot jumps ahead)
  std::vector<uint32_t> capture_bindings;          // bumped capture bindings
  std::vector<uint32_t> materialization_bindings;  // bumped materialization bindings
};

// What the collections and destinations held when the run ended. Documents
// leave a collection through resets (data flow backfill, new storage),
// retention and corruption, and destination rows can be damaged, none of
// which is a transaction: checkers that judge the final state use this
// snapshot when `recorded`, and replay the transactions otherwise.
//
// A destination's final rows are references, not copies (8 bytes a row
// where a copy took 56 and a share of the row's block): each names the
// destination transaction row it equals, h.destination_txns[txn].upserts[row],
// or, when no transaction wrote the row as it stands (a corruption garbled
// it; a history from outside the simulation dumped it), row `row` of
// `owned` (txn == kOwned). final_row() and FinalRows below read them.
struct FinalRowRef {
  static constexpr uint32_t kOwned = UINT32_MAX;
  uint32_t txn = kOwned;
  uint32_t row = 0;
  bool operator==(const FinalRowRef&) const = default;
};

struct FinalState {
  bool recorded = false;
  std::vector<uint32_t> surviving_doc_ids;             // sorted
  std::vector<std::vector<FinalRowRef>> destinations;  // per materialization binding
  std::vector<DestinationRow> owned;                   // rows no transaction wrote as they are

  // Appends `r` to materialization binding m's final rows as an owned row.
  void add_owned(size_t m, DestinationRow r);
};

struct Drain {
  bool reached = false;  // the liveness phase drained everything within its budget
  uint64_t tick = 0;
  Lsn source_flush_lsn;  // P: the source position the run drained to
  Lsn capture_cursor;
};

// What the run cost, in the terms of the documentation's "Backfill
// Selection": rows the backfills read, documents and destination rows
// written, destination downtime and delta duplicates (DESIGN §9). Measured
// by the simulation as the run goes (sim/costs.h) and derived from the rest
// of the history, so not part of the fingerprint.
//
// Downtime of a destination table: from the destination transaction that
// truncated or recreated it (while it held rows, or while an earlier
// downtime was open) until the table again holds every row the source held
// at that moment, less rows the source has deleted since (keyed tables by
// key; keyless ones by equal fields). What a consumer of the table sees.
struct Downtime {
  uint32_t materialization = 0;  // MaterializationBinding::id
  uint64_t start_tick = 0;
  uint64_t end_tick = 0;      // the table was whole again, or the run ended
  bool ended = false;         // false: still incomplete when the run ended
  uint64_t rows_dropped = 0;  // rows the truncates of this downtime removed
  uint64_t ticks() const { return end_tick - start_tick; }
};

struct Costs {
  uint64_t chunks = 0;
  uint64_t rows_read = 0;           // rows backfill chunk queries returned (failed ones too)
  uint64_t snapshot_docs = 0;       // committed snapshot documents
  uint64_t change_docs = 0;         // committed change documents
  uint64_t dest_rows_written = 0;   // destination rows stored (merge) or appended (delta)
  uint64_t dest_rows_deleted = 0;   // destination rows a merge deleted
  uint64_t dest_rows_dropped = 0;   // destination rows truncates and drops removed
  std::vector<Downtime> downtimes;  // in start order
  uint64_t downtime_count = 0;      // downtimes.size()
  uint64_t downtime_ticks = 0;      // summed over downtimes
  uint64_t downtime_ticks_max = 0;
  uint64_t downtimes_unended = 0;
  uint64_t delta_duplicates = 0;  // as properties/delta_duplicates.cc counts them
  // Capture backfill instances that scan (not Only Changes): ticks from the
  // request to the collection transaction that completed it.
  uint64_t backfills = 0, backfills_unfinished = 0;
  uint64_t backfill_ticks = 0, backfill_ticks_max = 0;  // over finished instances
};

// A row of a table without a primary key that changed its ctid, and so its
// key "ctid:(block,offset)": an UPDATE writes the new version at another
// ctid (in this model always at the end of the heap), and VACUUM FULL or the
// rewrite of a committed TRUNCATE packs the kept rows from block 0. Derived
// from the rest of the run (and the model's placement), so not part of the
// fingerprint. A keyed table's rows keep their key: its rows appear only when
// a rewrite moves them while a binding scans it by ctid (Without Primary Key),
// with the row's key on both sides, and its UPDATEs never.
struct RowMove {
  enum class Cause : uint8_t { kUpdate, kVacuumFull, kTruncateRewrite };
  // A binding of the table scanning it by ctid when the row moved: where its
  // scan would resume (every ctid below `next` was read or skipped). A
  // binding has up to two: the running scan's (committed false), and the one
  // a restart resumes from, the last committed checkpoint's (committed true;
  // behind the running one while a chunk's rows wait to commit, and the only
  // one while the capture is stopped). Rows between the two were read, but
  // a restart reads them again. state_key names the backfill instance.
  struct ScanCursor {
    uint32_t binding = 0;
    Ctid next;
    bool committed = false;
    std::string state_key;
  };
  uint64_t tick = 0;
  uint32_t table = 0;  // TableId value
  Cause cause = Cause::kUpdate;
  Ctid from;
  Ctid to;
  DocKey from_key;  // the key the recorder gives the row before and after
  DocKey to_key;
  Lsn lsn;  // kUpdate: the commit's LSN; rewrites: the last commit's before them
  // How many source commits were recorded when the move took effect: an
  // update's belongs to commit after_commits - 1, a rewrite follows commit
  // after_commits - 1 and precedes commit after_commits.
  size_t after_commits = 0;
  // How many Resumes were recorded when the move took effect: the ones from
  // resumes_before on came after it (ticks alone do not order a move and a
  // restart of the same tick).
  size_t resumes_before = 0;
  std::vector<ScanCursor> cursors;
};
const char* to_string(RowMove::Cause c);

struct History {
  History() = default;
  History(const History&) = default;
  History(History&&) noexcept = default;
  History& operator=(const History&) = default;
  History& operator=(History&&) noexcept = default;
  // Releases the documents' and destination rows' fields with their blocks
  // fetched ahead (release_rows()), then the rest as members do.
  ~History();

  uint64_t seed = 0;
  // The capture's algorithm (model/capture.h). Follows from the run options,
  // so not part of the fingerprint.
  CaptureAlgorithm algorithm = CaptureAlgorithm::kEstuary;
  std::vector<Binding> bindings;
  std::vector<BackfillInstance> backfills;
  std::vector<SourceCommit> source_commits;
  std::vector<DecodedTxnSeen> decoded;
  std::vector<Chunk> chunks;
  std::vector<Resume> resumes;
  std::vector<CollectionTxn> collection_txns;
  std::vector<Event> events;
  std::vector<MaterializationBinding> materializations;
  std::vector<DestinationTxn> destination_txns;
  std::vector<Expiry> expiries;
  std::vector<BackfillOp> backfill_ops;
  std::vector<RowMove> row_moves;  // not fingerprinted (see RowMove)
  FinalState final_state;
  Drain drain;
  std::optional<uint64_t> retention_ticks;  // the collections' retention period, if any  //
                                            // reached: capture and every materialization drained
  uint64_t crashes = 0;
  Costs costs;  // filled when the run ends
};

// The row `ref` names. REQUIRES: it names a row of h: a destination
// transaction's upsert, or an owned row of h.final_state. Inline: the
// fingerprint and the checkers read every final row through it.
inline const DestinationRow& final_row(const History& h, FinalRowRef ref) {
  if (ref.txn == FinalRowRef::kOwned) {
    CDC_ASSERT(ref.row < h.final_state.owned.size(), "an owned final row of the history");
    return h.final_state.owned[ref.row];
  }
  CDC_ASSERT(
      ref.txn < h.destination_txns.size() && ref.row < h.destination_txns[ref.txn].upserts.size(),
      "a final row names an upsert of the history");
  return h.destination_txns[ref.txn].upserts[ref.row];
}

// Materialization binding m's final rows, read as rows, in their recorded
// order. REQUIRES: m < h.final_state.destinations.size(); h outlives the view.
class FinalRows {
 public:
  class Iterator {
   public:
    Iterator(const History* h, const FinalRowRef* at) : h_(h), at_(at) {}
    const DestinationRow& operator*() const { return final_row(*h_, *at_); }
    Iterator& operator++() {
      ++at_;
      return *this;
    }
    bool operator==(const Iterator& o) const { return at_ == o.at_; }

   private:
    const History* h_;
    const FinalRowRef* at_;
  };
  FinalRows(const History& h, size_t m) : h_(&h), refs_(&h.final_state.destinations.at(m)) {}
  size_t size() const { return refs_->size(); }
  bool empty() const { return refs_->empty(); }
  const DestinationRow& operator[](size_t i) const { return final_row(*h_, refs_->at(i)); }
  Iterator begin() const { return {h_, refs_->data()}; }
  Iterator end() const { return {h_, refs_->data() + refs_->size()}; }

 private:
  const History* h_;
  const std::vector<FinalRowRef>* refs_;
};

}  // namespace cdc::history
