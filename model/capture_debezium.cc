// Capture: Debezium's incremental snapshot, the DBLog watermark algorithm
// (capture.h, "Algorithms"), modelled from Debezium's public source and
// documentation: a window opened and closed by signal writes, a buffer of
// the chunk's rows keyed by key from which streamed changes remove keys, a
// maximum key read at the first chunk, offsets that keep the last key sent
// and the maximum key but not whether a window is open.
#include "model/capture.h"
#include "model/key_encoding.h"
#include "model/mutants.h"
#include "model/situations.h"

namespace cdc {

namespace {

// The watermark value a decoded transaction writes to the signal table, if
// it writes one.
std::optional<int64_t> signal_of(const DecodedTxn& txn, TableId signals) {
  for (const DecodedChange& c : txn.changes) {
    if (c.kind == ChangeKind::kTruncate || c.table != signals || c.new_row.size() < 2) continue;
    if (c.new_row[1].is_int64()) return c.new_row[1].as_int64();
  }
  return std::nullopt;
}

}  // namespace

// Opens a window: the open signal, in a transaction of its own.
Status Capture::window_open() {
  CDC_ASSERT(debezium() && phase_ == Phase::kChunk && !in_backfill_iteration_ && !window_,
             "a Debezium window opens between iterations");
  const std::optional<uint32_t> b = pick_backfill();
  if (!b) {
    phase_ = Phase::kStreaming;
    return Status::ok();
  }
  if (read_only()) return read_only_open(*b);
  if (Status s = write_watermark(); !s.is_ok()) return fail(s.error());
  window_.emplace();
  window_->binding = *b;
  window_->signals = source_->table_id(options_.watermarks_table).value();  // just written to
  window_->open_signal = static_cast<int64_t>(watermark_counter_);
  in_backfill_iteration_ = true;
  phase_ = Phase::kWindowQuery;
  return Status::ok();
}

// The chunk query into the window buffer. A query error skips the rest of
// the table, as Debezium does since DBZ-7886: the table leaves the snapshot
// and streaming goes on.
Status Capture::window_query() {
  CDC_ASSERT(window_ && phase_ == Phase::kWindowQuery, "a chunk query inside an open window");
  const uint32_t b = window_->binding;
  BindingState& st = started_state(b);
  ChunkTrace& trace = window_->trace;
  trace.id = next_chunk_id_++;
  trace.binding = b;
  trace.state_key = interned_state_key(b);
  if (Status s = read_flush_lsn(&trace.snapshot_lsn); !s.is_ok()) return s;
  const Status s = window_query_keys(b, st, trace);
  observer_->on_chunk(trace);
  if (!s.is_ok()) {
    reached(Situation::kDebeziumQueryErrorSkipsTable);
    observer_->on_ignored(
        IgnoredRecord::kSnapshotSkippedAfterQueryError,
        "the snapshot of " + bindings_[b].table + " skipped after: " + s.message());
    window_->buffer.clear();
    window_->table_done = true;
    window_->last_key.reset();
  }
  if (mutant_active(Mutant::kDebeziumLastKeyCommittedAtQuery) && window_->last_key) {
    st.scanned = window_->last_key;
    assign_checkpoint(&flushed_offsets_, state_);
  }
  phase_ = Phase::kWindowClose;
  return Status::ok();
}

Status Capture::window_query_keys(uint32_t b, BindingState& st, ChunkTrace& trace) {
  const TableId t = *tables_[b];
  const TableSchema& s = source_->schema(t);
  if (!st.scanned && !st.max_key) {  // the first chunk: the maximum key bounds the snapshot
    Result<std::optional<Key>> max = source_->last_key(t);
    if (!max.is_ok()) return max.status();
    st.max_key = max.value();
  }
  trace.after = st.scanned;
  trace.limit = options_.chunk_size;
  const QueryOptions opts = take_query_options();
  QueryResult q =
      st.max_key ? source_->keyset_chunk(t, st.scanned, options_.chunk_size, opts) : QueryResult{};
  // WHERE key <= maximum key: rows above it arrive by streaming only.
  const std::vector<ColumnType> types = s.key_types();
  const std::vector<Collation> order = s.key_collations();
  const bool exclusive = mutant_active(Mutant::kDebeziumMaxKeyExclusive);
  while (!q.rows.empty()) {
    const int cmp = compare_keys(s.key_of(q.rows.back().row), *st.max_key, types, order);
    if (cmp < 0 || (cmp == 0 && !exclusive)) break;
    q.rows.pop_back();
  }
  trace.rows = q.rows;
  trace.emitted.assign(q.rows.size(), true);
  if (!q.status.is_ok()) {
    trace.failed = true;
    detail::note_query_failure(q.rows.size());
    return q.status;
  }
  for (const ScannedRow& r : q.rows) {
    std::string key = detail::capture_key(s, s.key_of(r.row));
    window_->buffer[key] = detail::snapshot_doc(key, r.row, trace);
  }
  st.backfilled_count += q.rows.size();
  if (!q.rows.empty()) window_->last_key = s.key_of(q.rows.back().row);
  window_->table_done = q.rows.empty();  // an empty chunk ends the table
  trace.final_chunk = q.rows.empty();
  detail::note_chunk_end(q.rows.size(), options_.chunk_size);
  return Status::ok();
}

// Closes the window: the close signal, then stream to it.
Status Capture::window_close() {
  CDC_ASSERT(window_ && phase_ == Phase::kWindowClose, "a window closes after its query");
  if (read_only()) {  // the high watermark: pg_current_snapshot(), nothing written
    Result<Source::SnapshotBounds> high = source_->current_snapshot();
    if (!high.is_ok()) return fail(high.error());
    window_->high = high.value();
    phase_ = Phase::kStream;
    return Status::ok();
  }
  if (Status s = write_watermark(); !s.is_ok()) return fail(s.error());
  window_->close_signal = static_cast<int64_t>(watermark_counter_);
  phase_ = Phase::kStream;
  return Status::ok();
}

bool Capture::window_sees(const DecodedTxn& txn) {
  CDC_ASSERT(window_ && debezium(), "a pending Debezium window");
  const std::optional<int64_t> signal = signal_of(txn, window_->signals);
  if (signal && *signal == window_->open_signal) window_->open = true;
  if (signal && *signal == window_->close_signal) {
    window_flush();
    return true;
  }
  if (!window_->open || signal) return false;
  window_drop_keys(txn);
  return false;
}

// The keys a transaction's changes of the window's table touch leave the
// buffer, whatever the operation.
void Capture::window_drop_keys(const DecodedTxn& txn) {
  const TableSchema& s = source_->schema(*tables_[window_->binding]);
  for (const DecodedChange& c : txn.changes) {
    if (c.kind == ChangeKind::kTruncate || c.table != *tables_[window_->binding]) continue;
    if (c.kind == ChangeKind::kDelete && mutant_active(Mutant::kDebeziumWindowIgnoresDeletes)) {
      continue;
    }
    // Whatever the operation, the keys it touches leave the buffer.
    if (c.kind != ChangeKind::kDelete) {
      if (window_->buffer.erase(detail::capture_key(s, s.key_of(c.new_row))) > 0) {
        reached(Situation::kDebeziumWindowDroppedRow);
        // The change lacks an unchanged TOASTed value the dropped row held.
        if (c.omitted_mask != 0 && c.old_kind != OldTuple::kRow) {
          observer_->on_ignored(IgnoredRecord::kToastDroppedByWindow,
                                "the chunk row of " + to_string(s.key_of(c.new_row)) + " in " +
                                    s.name + ", whose update lacks an unchanged TOAST value");
        }
      }
    }
    const bool old_key = c.old_kind == OldTuple::kKey || c.old_kind == OldTuple::kRow;
    if (!old_key) continue;
    if (c.kind == ChangeKind::kUpdate && mutant_active(Mutant::kDebeziumKeyChangeKeepsOldKey)) {
      continue;
    }
    const Key key = c.old_kind == OldTuple::kKey ? c.old : s.key_of(c.old);
    if (window_->buffer.erase(detail::capture_key(s, key)) > 0)
      reached(Situation::kDebeziumWindowDroppedRow);
  }
}

// The buffer's rows become snapshot documents after the stream's changes,
// and the chunk's last key becomes the last key sent.
void Capture::window_flush() {
  CDC_ASSERT(window_ && in_backfill_iteration_, "a window flushes inside its iteration");
  const uint32_t b = window_->binding;
  BindingState& st = started_state(b);
  CDC_ASSERT(window_->open || read_only(), "the open signal precedes the close signal");
  for (auto& [key, doc] : window_->buffer)
    pending_.emplace_back(b, std::move(doc));
  if (window_->last_key) st.scanned = window_->last_key;
  if (window_->table_done) {
    st.backfilled = true;
    pending_completed_.push_back(state_key(b));
  }
  if (!window_->trace.failed) pending_chunks_.push_back(window_->trace.id);
}

}  // namespace cdc
