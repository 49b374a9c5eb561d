// The capture connector: backfills tables while it streams the WAL, modelled
// step for step on Estuary's SQL captures (DESIGN §5).
//
// The capture is a state machine that the world advances one step() at a
// time; a crash (or a restart after a configuration change) can happen between
// any two steps and loses everything after the last committed collection
// transaction. Steps:
//
//   start        load the last committed checkpoint; a binding whose state it
//                holds resumes with that state as committed (mode, cursor,
//                done flag), every other one resolves its mode afresh; create
//                the slot if it is missing; if every binding's state is new
//                (all backfill counters bumped) drop and recreate the slot and
//                reset the cursor to it ("jump ahead"); start replication at
//                the checkpoint cursor.
//   fence        read the flush LSN as the fence, then write a watermark row so
//                that a commit at or past the fence exists.
//   stream       decode transactions until the first commit at or past the
//                fence. In the first fence after a start each source
//                transaction commits its own collection transaction
//                (checkpointing after each source commit); inside a backfill
//                iteration they join the pending transaction.
//   chunk        one binding (highest priority, then at random) runs one chunk
//                query; its rows become snapshot documents; the cursor moves to
//                the last key read (or the binding is done when the chunk is
//                short); then fence, stream, and:
//   commit       chunk rows, streamed changes and the checkpoint commit as one
//                collection transaction; the slot is acknowledged up to the
//                checkpoint cursor.
//   streaming    no backfill left: decode what is flushed, commit it with a
//                checkpoint, acknowledge.
//
// Mode resolution: Automatic is Precise unless a key column is text under a
// non-"C" collation (then Normal): a "C"-collated text key orders bytewise in
// the database too, so Precise can reproduce it (DESIGN §5 lumps all text keys
// under Normal; the issue asks for this finer rule).
//
// Event filtering (Precise bindings still backfilling): a change document whose
// key encodes bytewise greater than the binding's cursor is dropped; with no
// cursor yet, all are dropped. Updates that change the key are emitted as a
// delete of the old key and a create of the new one, each filtered by its own
// key. TRUNCATE records are ignored. Unchanged TOAST columns are absent from
// the document, unless REPLICA IDENTITY FULL supplied the old row.
//
// Algorithms (CaptureOptions::algorithm). The steps above are Estuary's
// (kEstuary, the default). kDebezium models Debezium's incremental snapshot
// (the DBLog watermark algorithm) on the same streaming, start-up and
// document code (model/capture_debezium.cc):
//
//   chunk        (a window opens) write the open signal: a watermark row in
//                its own transaction;
//   window query on a binding's first chunk read its maximum key (ORDER BY
//                key DESC LIMIT 1; an empty table is done); then the chunk
//                query, key > last key sent AND key <= maximum key, ORDER BY
//                key LIMIT chunk_size, into a window buffer keyed by key;
//   window close write the close signal;
//   stream       decode, emitting every change as Estuary does; between the
//                open and the close signal in the stream, a change of the
//                window's table removes its keys (old and new) from the
//                buffer, whatever its operation; at the close signal the
//                buffer's rows become snapshot documents and the last key of
//                the chunk becomes the last key sent; an empty chunk ends the
//                table;
//   commit       documents and offsets commit together, but the checkpoint
//                committed is the offsets as of the previous commit: like
//                Kafka Connect's periodic offset flush, the offsets lag what
//                was delivered, so a restart re-delivers (at least once) and
//                re-reads the chunk. Whether a window is open is not saved.
//
// Rows inserted above the maximum key arrive by streaming only. No Precise
// filtering: every change is emitted.
//
// kFlink models Flink CDC's incremental snapshot framework for PostgreSQL
// (model/capture_flink.cc). It reads every table's snapshot splits first,
// one at a time, and streams only after the last one:
//
//   split open   the split's range [start, end) in the database's order, as
//                the unevenly sized splitter picks it: the end is the
//                chunk_size-th key from the start, none past the maximum key
//                read at the first split; then (with backfill) create the
//                reader's backfill slot, waiting while writers run, and read
//                the low watermark LW, pg_current_wal_lsn();
//   split scan   SELECT the range, in a snapshot of its own, into a buffer
//                keyed by key;
//   split high   the high watermark HW (with backfill skipped, HW = LW);
//   split backfill  decode the backfill slot from LW: every message up to
//                the first one whose LSN passes HW (BEGIN at the first
//                record, a change at its own record, COMMIT at the commit's
//                end) upserts or deletes the buffer when its key lies in the
//                range; the read also ends when the decoded WAL passes HW with
//                nothing more to deliver (a keepalive). The buffer's rows then
//                commit as snapshot documents with the finished split and its
//                HW, in one collection transaction (the split's records never
//                cross a checkpoint), and the backfill slot is dropped.
//   streaming    from the global slot at the minimum HW (or the checkpoint's
//                cursor if it is later), a change of a snapshotted table is
//                emitted when its record's LSN is at or past the table's
//                maximum HW (from then on every change of the table is), or
//                past the HW of a split whose range holds its key. Split
//                membership compares keys as Java does (by code point), not
//                in the database's collation.
//
// A crash or an error re-reads the unfinished split from scratch. Mode
// mapping: Precise is the snapshot with backfill (exactly once), Normal is
// scan.incremental.snapshot.backfill.skip (at least once: snapshot rows are
// emitted as read and the stream replays every change from the minimum
// watermark), Only Changes is the latest-offset startup mode; a table without
// a primary key is not snapshotted.
//
// What the algorithm does on a lost or dropped slot, a chunk query failing part
// way, a TRUNCATE or an upgrade is modelled as it is, not fixed.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "model/capture_state.h"
#include "model/collection.h"
#include "model/database.h"
#include "model/source.h"

namespace cdc {

struct CaptureBinding {
  std::string table;
  std::string collection;
  BackfillMode mode = BackfillMode::kAutomatic;
  uint32_t backfill_counter = 0;
  int32_t priority = 0;
  bool skip_backfill = false;  // on the connector's skip list
};

struct CaptureOptions {
  CaptureAlgorithm algorithm = CaptureAlgorithm::kEstuary;
  std::string slot = "flow_slot";
  std::string watermarks_table = "flow_watermarks";
  uint32_t chunk_size = 8;
  // The xid bounds of backfill chunks (either, both or neither): a chunk
  // emits only rows whose xmin lies in [min, max] modulo 2^32 and does not
  // follow the snapshot's xmax (XminFilter::Kind::kBackfill). Rows outside
  // are read (the cursor moves past them) but not emitted.
  std::optional<Xid> min_backfill_xid;
  std::optional<Xid> max_backfill_xid;
  uint32_t keyless_blocks_per_chunk = 2;
  uint32_t keyless_slack_blocks = 2;   // added to the page count when the scan bound is fixed
  uint32_t stream_txns_per_step = 16;  // decoded transactions handled per step at most
  // Debezium: the read-only incremental snapshot (read.only=true): windows
  // from pg_current_snapshot() instead of signal writes.
  bool read_only = false;
};

// One chunk as the capture ran it (for the history).
struct ChunkTrace {
  uint64_t id = 0;
  uint32_t binding = 0;
  InternedText state_key;
  std::optional<Key> after;
  std::optional<Ctid> after_ctid;
  std::optional<Ctid> range_end;        // ctid-range chunks: the last ctid the query could return
  std::optional<Xid> min_backfill_xid;  // the bounds its rows were filtered by
  std::optional<Xid> max_backfill_xid;
  // The query's snapshot xmax, which bounds the rows whenever a bound is set
  // (nullopt: no bound set, nothing filtered).
  std::optional<Xid> snapshot_xmax;
  uint32_t limit = 0;
  std::vector<ScannedRow> rows;
  std::vector<bool> emitted;  // per row: false when filtered by the xid bounds
  Lsn snapshot_lsn;
  bool failed = false;
  bool final_chunk = false;
};

// A record of the WAL the capture does not turn into documents.
enum class IgnoredRecord : uint8_t {
  kTruncate,                        // TRUNCATE is not captured
  kUnchangedToastOnKeyChange,       // a key change's unchanged TOAST values cannot be carried
  kSnapshotSkippedAfterQueryError,  // Debezium: a chunk query error ended a table's snapshot
  kToastDroppedByWindow,  // Debezium: a window dropped the chunk row of a change lacking TOAST
  // Flink: the stream dropped a change at or before its split's HW whose
  // transaction committed after the split's backfill read ended
  kOpenAcrossHighWatermark,
  // Flink: a split's backfill upserted an update whose unchanged TOAST value
  // the WAL does not hold over the snapshot row that held it
  kSplitToastPlaceholder,
  // Debezium read-only: a window closed and flushed without having opened,
  // because the stream's 32-bit xids never reached the epoch-extended xmin
  kWindowNeverOpened,
  // Flink: a change judged by a split other than the one whose range holds
  // its key in the database's order (split keys compared by code point)
  kSplitOrderMismatch,
};

// Receives what the capture does, for recording. Called synchronously.
class CaptureObserver {
 public:
  virtual ~CaptureObserver() = default;
  virtual void on_start(Lsn cursor) = 0;
  virtual void on_instance(uint32_t binding, const std::string& state_key, CaptureMode mode,
                           Lsn stream_start) = 0;
  // After on_start, once per binding whose state was read back from the
  // committed checkpoint rather than started fresh: the state it resumes with.
  virtual void on_resume(uint32_t binding, const std::string& state_key,
                         const BindingState& state) = 0;
  virtual void on_decoded(const DecodedTxn& txn) = 0;
  virtual void on_chunk(const ChunkTrace& chunk) = 0;
  // After a collection transaction committed: its sequence number, documents
  // (with their binding), the chunks whose rows it holds, the state keys whose
  // backfill it completed, and the checkpoint cursor.
  virtual void on_commit(uint64_t seq, const std::vector<std::pair<uint32_t, CollectionDoc>>& docs,
                         const std::vector<uint64_t>& chunk_ids,
                         const std::vector<std::string>& completed, Lsn cursor) = 0;
  // The error that stopped the capture (its code says what kind).
  virtual void on_error(const Error& error) = 0;
  // Something the capture chose not to capture: its kind, and in words.
  virtual void on_ignored(IgnoredRecord what, const std::string& words) = 0;
};

class Capture {
 public:
  // kWindowQuery and kWindowClose: Debezium's steps after the open signal;
  // kSplitOpen to kSplitBackfill: Flink CDC's steps of a snapshot split.
  enum class Phase : uint8_t {
    kStopped,
    kFence,
    kStream,
    kChunk,
    kCommit,
    kStreaming,
    kWindowQuery,
    kWindowClose,
    kSplitOpen,
    kSplitScan,
    kSplitHigh,
    kSplitBackfill
  };

  // `choose(n)` returns a number in [0, n): the capture's only randomness,
  // supplied by the world. REQUIRES: source, store outlive the capture.
  Capture(Source* source, CollectionStore* store, CaptureOptions options,
          std::vector<CaptureBinding> bindings, std::function<uint64_t(uint64_t)> choose,
          CaptureObserver* observer);

  // Runs one step. An error stops the capture (phase kStopped): the next step
  // restarts it from the last committed checkpoint, as the runtime would.
  Status step();
  // Loses all in-memory state (a crash, or a restart to apply a new spec).
  void restart();
  // A restart to apply a new spec. Estuary: restart(). Debezium: first
  // flushes the offsets of what was delivered, in a collection transaction
  // without documents, as Kafka Connect does when a task stops.
  void stop_gracefully();

  // REQUIRES of a caller that changes the bindings: no binding's table is
  // changed, and after bumping a counter or appending a binding the capture
  // is stopped (stop_gracefully() or restart()) before it steps again; it
  // reads each binding's state as start() found it.
  std::vector<CaptureBinding>& bindings() { return bindings_; }
  const std::vector<CaptureBinding>& bindings() const { return bindings_; }
  CaptureOptions& options() { return options_; }
  // The world's current tick, stamped on committed collection transactions.
  void set_now(uint64_t tick) { now_tick_ = tick; }
  // The next chunk query fails after returning `after_rows` rows (one shot).
  void arm_query_failure(uint32_t after_rows) { fail_next_query_after_ = after_rows; }
  void disarm_query_failure() { fail_next_query_after_.reset(); }

  Phase phase() const { return phase_; }
  // True when every active binding's backfill is done (in the working state).
  bool backfills_done() const;
  Lsn cursor() const { return state_.cursor; }
  // The binding's state key ("items.v2"): interned, so the reference stays
  // valid for the life of the process.
  const std::string& state_key(uint32_t binding) const { return interned_state_key(binding); }
  // Whether `binding` is backfilling now (started, its backfill not done),
  // and its keyed backfill cursor (the last key read), if it has one: what
  // generators aim changes at. Nothing while the capture is stopped.
  bool backfilling(uint32_t binding) const;
  std::optional<Key> backfill_cursor(uint32_t binding) const;
  std::optional<Ctid> keyless_cursor(uint32_t binding) const;  // Without Primary Key
  // Where `binding`'s backfill by ctid (mode Without Primary Key, on any
  // table) resumes: its working state's point ((0,0) before its first chunk;
  // nothing while the capture is stopped), and the point a restart takes
  // from `saved`, a committed checkpoint (nothing when `saved` holds no
  // unfinished ctid scan of the binding: a restart then starts the backfill
  // afresh from block 0). Nothing when the binding does not scan by ctid.
  std::optional<Ctid> ctid_resume_point(uint32_t binding) const;
  std::optional<Ctid> ctid_resume_point(uint32_t binding, const CaptureCheckpoint& saved) const;

 private:
  // state_key() as the text documents and chunk traces carry.
  InternedText interned_state_key(uint32_t binding) const;
  Status start();
  Status open_slot(const std::optional<CaptureCheckpoint>& saved, bool all_new, Lsn memory_cursor);
  Status fence();
  Status stream();
  Status chunk();
  Status chunk_keyed(uint32_t b, BindingState& st, ChunkTrace& trace);
  Status chunk_keyless(uint32_t b, BindingState& st, ChunkTrace& trace);
  Status commit_pending();
  Status streaming();
  Status fail(Error e);
  // The mode binding b's backfill starts in, or why it cannot start.
  Result<CaptureMode> resolve(uint32_t b) const;
  // A new backfill of binding b in `mode`, from the beginning of its table.
  BindingState fresh_state(uint32_t b, CaptureMode mode) const;
  void emit_change(const DecodedTxn& txn, uint32_t index, const DecodedChange& c);
  void emit_keyed_change(uint32_t b, const DecodedTxn& txn, const DecodedChange& c,
                         CollectionDoc doc);
  void emit_doc(uint32_t b, CollectionDoc doc, const BindingState& st);
  bool beyond_cursor(uint32_t b, const CollectionDoc& doc, const BindingState& st) const;
  void note_near_cursor(uint32_t b, const CollectionDoc& doc, const BindingState& st) const;
  std::optional<uint32_t> binding_of(TableId t) const;
  std::optional<uint32_t> pick_backfill();
  // The options of the next chunk query: the armed failure, used up.
  QueryOptions take_query_options();
  Status write_watermark();
  // The flush LSN into *lsn (an error stops the capture).
  Status read_flush_lsn(Lsn* lsn);
  Status commit_docs(std::vector<uint64_t> chunk_ids);
  bool debezium() const { return options_.algorithm == CaptureAlgorithm::kDebezium; }
  bool flink() const { return options_.algorithm == CaptureAlgorithm::kFlink; }
  bool estuary() const { return options_.algorithm == CaptureAlgorithm::kEstuary; }
  // Flink CDC (model/capture_flink.cc).
  Status split_open();
  Status split_range(uint32_t b, BindingState& st);
  Status split_scan();
  Status split_high();
  Status split_backfill();
  Status split_finish();
  Status start_stream_phase();
  std::string backfill_slot() const { return options_.slot + "_0"; }
  // Applies one decoded transaction of the backfill read (true: past HW).
  bool split_sees(const DecodedTxn& txn);
  void split_apply(const DecodedChange& c);
  // Whether the stream phase emits a change of `b` with this document key,
  // written at `lsn`.
  bool stream_emits(uint32_t b, const std::string& key, const DecodedTxn& txn, Lsn lsn);
  // The split whose range holds `key` (a document key), comparing keys by
  // code point (as Flink does) or in the database's order; nullptr if none.
  const FlinkSplit* split_of(uint32_t b, const std::string& key, bool database_order,
                             Lsn lsn) const;
  // Debezium (model/capture_debezium.cc).
  Status window_open();
  Status window_query();
  Status window_query_keys(uint32_t b, BindingState& st, ChunkTrace& trace);
  Status window_close();
  // A decoded transaction seen while a window is pending: opens it at the
  // open signal, removes the keys its changes touch while it is open, and at
  // the close signal flushes the buffer (true: the window closed).
  bool window_sees(const DecodedTxn& txn);
  void window_drop_keys(const DecodedTxn& txn);
  Status read_only_open(uint32_t b);
  void window_flush();
  bool read_only() const { return debezium() && options_.read_only; }
  // Read-only windows: the rule on a transaction's data events, before they
  // are emitted (opens, or closes and flushes), and the rule at its COMMIT
  // or at a heartbeat (closes and flushes); true: the window closed.
  bool read_only_sees_events(const DecodedTxn& txn);
  bool read_only_sees_commit(std::optional<Xid> xid);

  Source* source_;
  CollectionStore* store_;
  CaptureOptions options_;
  std::vector<CaptureBinding> bindings_;
  // state_key()'s strings per binding, with the table and counter they were
  // built from: a binding's key is rebuilt only after either changes.
  struct StateKey {
    std::string table;
    uint32_t counter = 0;
    InternedText key;
  };
  mutable std::vector<StateKey> state_keys_;
  // By binding: its entry in state_.states as start() left it, and the
  // backfill counter its key had then. A binding's state is read through
  // these instead of by its key: the same entry while the counter holds,
  // none once it has moved, and none for a binding appended since start().
  // Only start() adds or removes entries of state_.states, so the pointers
  // hold until it runs again (bindings(): a bump or an added binding stops
  // the capture before it steps again).
  struct StartedState {
    BindingState* state = nullptr;
    uint32_t counter = 0;
  };
  std::vector<StartedState> started_;
  // state_.states.find(state_key(b)), or nullptr where it finds none.
  const BindingState* find_started(uint32_t b) const;
  // state_.states.at(state_key(b)). REQUIRES: find_started(b) != nullptr.
  BindingState& started_state(uint32_t b);
  const BindingState& started_state(uint32_t b) const;
  std::function<uint64_t(uint64_t)> choose_;
  CaptureObserver* observer_;

  // In-memory state, lost on restart.
  Phase phase_ = Phase::kStopped;
  CaptureCheckpoint state_;                     // working copy of the checkpoint
  std::vector<std::optional<TableId>> tables_;  // per binding, resolved at start
  std::unique_ptr<ChangeStream> stream_;
  Lsn fence_;
  Lsn iteration_start_lsn_;  // flush LSN when the next backfill iteration was scheduled
  bool in_backfill_iteration_ = false;
  std::vector<std::pair<uint32_t, CollectionDoc>> pending_;
  std::vector<uint64_t> pending_chunks_;
  std::vector<std::string> pending_completed_;
  std::optional<uint32_t> fail_next_query_after_;
  uint64_t next_chunk_id_ = 1;
  uint64_t watermark_counter_ = 0;
  uint64_t now_tick_ = 0;

  // Debezium: the window in progress, and the offsets last flushed (what a
  // collection transaction commits as its checkpoint).
  struct Window {
    uint32_t binding = 0;
    TableId signals;          // the signal (watermarks) table
    int64_t open_signal = 0;  // watermark values written as the open and close signals
    int64_t close_signal = 0;
    bool open = false;  // the open signal was seen in the stream
    ChunkTrace trace;
    std::map<std::string, CollectionDoc> buffer;  // by document key
    std::optional<Key> last_key;                  // the chunk's last key
    bool table_done = false;                      // the chunk was empty
    // Read-only: the snapshots taken at the open and the close, and the
    // 32-bit xid of the last transaction the stream delivered.
    std::optional<Database::SnapshotBounds> low, high;
    std::optional<Xid> last_xid;
  };
  std::optional<Window> window_;
  std::optional<CaptureCheckpoint> flushed_offsets_;

  // Flink CDC: the snapshot split in progress, and per binding whether its
  // table is in the pure stream phase.
  struct Split {
    uint32_t binding = 0;
    FlinkSplit range;  // its high watermark is set by the split high step
    Lsn low_watermark;
    Lsn version;  // the snapshot point of the buffer's rows
    ChunkTrace trace;
    std::map<std::string, CollectionDoc> buffer;  // by document key
    std::vector<CollectionDoc> appended;          // the seeded bug update-appends
    std::unique_ptr<ChangeStream> backfill;       // on the backfill slot
    bool past_high = false;                       // the backfill read passed HW
  };
  std::optional<Split> split_;
  std::vector<bool> pure_stream_;
};

const char* to_string(Capture::Phase p);

// The table a capture writes its watermarks (and Debezium its signals) to:
// (slot text COLLATE "C" PRIMARY KEY, counter bigint).
TableSchema watermarks_schema(const std::string& name);

// Shared by the capture's files (defined in model/capture_backfill.cc).
namespace detail {
// The capture's encoding of `key`, a key of `s` (encode_capture_key).
std::string capture_key(const TableSchema& s, const Key& key);
// capture_key(s, s.key_of(row)), without building the key.
std::string capture_row_key(const TableSchema& s, std::span<const Value> row);
// A backfilled row as a snapshot document: a create of every column, at the
// chunk's snapshot point.
CollectionDoc snapshot_doc(std::string key, const SharedRow& row, const ChunkTrace& trace);
// Marks a chunk query that failed after returning `rows` rows.
void note_query_failure(size_t rows);
// Marks how a keyed chunk that returned `rows` rows under LIMIT `limit` ended.
void note_chunk_end(size_t rows, uint32_t limit);
// The new row of an insert or update as a document carries it: an unchanged
// TOAST value is absent (bit clear in *present_mask) unless REPLICA IDENTITY
// FULL supplied it (defined in model/capture_stream.cc).
SharedRow new_row_image(const DecodedChange& c, size_t width, uint64_t* present_mask);
}  // namespace detail

}  // namespace cdc
