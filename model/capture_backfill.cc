// Capture: one backfill iteration (pick, chunk query, cursor) and its commit.
#include "model/capture.h"
#include "model/key_encoding.h"
#include "model/mutants.h"
#include "model/reduction.h"
#include "model/situations.h"
#include "model/xid.h"

namespace cdc {

namespace {
// Whether the chunk's xid bounds keep a row with this xmin out of it
// (XminFilter::Kind::kBackfill, with the chunk's snapshot xmax). Frozen rows:
// the connector compares the raw xmin, which PostgreSQL 9.4+ keeps when it
// freezes a tuple (xmin::text shows it), so a frozen row is filtered by the
// xid that wrote it like any other row; a stored xmin that is not a normal
// xid (FrozenTransactionId from a pre-9.4 freeze) fails the query's
// "xmin >= 3" and is filtered whenever a bound is set. The seeded bug
// min-backfill-xid-raw-compare compares the minimum as raw numbers.
bool filtered_by_xid(const ChunkTrace& trace, Xid xmin) {
  if (!trace.snapshot_xmax) return false;
  XminFilter f = backfill_filter(trace.min_backfill_xid, trace.max_backfill_xid);
  if (mutant_active(Mutant::kMinBackfillXidRawCompare) && f.min) {
    const bool raw_below = xmin.value() < f.min->value();
    f.min.reset();
    return raw_below || !f.matches(xmin, *trace.snapshot_xmax);
  }
  return !f.matches(xmin, *trace.snapshot_xmax);
}
// Situations of a row read under the xid bounds (and of frozen rows).
void note_xid_bounds(const ChunkTrace& trace, const ScannedRow& r) {
  if (r.frozen) reached(Situation::kRowFrozenScanned);
  if (!trace.snapshot_xmax) return;
  const XminFilter f = backfill_filter(trace.min_backfill_xid, trace.max_backfill_xid);
  // The xmax term alone keeps the row out: with the bound trivially met
  // (xmax = xmin) the row would pass.
  if (f.matches(r.xmin, r.xmin) && !f.matches(r.xmin, *trace.snapshot_xmax)) {
    reached(Situation::kSnapshotXmaxExcludesRow);
  }
  const std::optional<Xid>& min = f.min;
  const std::optional<Xid>& max = f.max;
  if (min && max && max->value() < min->value() && xid_precedes_or_equals(*min, *max) &&
      f.matches(r.xmin, *trace.snapshot_xmax)) {
    reached(Situation::kXidRangeAcrossWrap);  // [min, max] holds the wrap, and this row
  }
  if (r.frozen) return;
  if (max && r.xmin == *max) reached(Situation::kRowXminEqualsMaxBackfillXid);
  if (max && xid_follows(r.xmin, *max)) reached(Situation::kRowFilteredByMaxBackfillXid);
  if (!min) return;
  if (r.xmin == *min) reached(Situation::kRowXminEqualsMinBackfillXid);
  if (xid_precedes(r.xmin, *min)) reached(Situation::kRowFilteredByMinBackfillXid);
  // Raw and modulo-2^32 order disagree: the row and the bound straddle the wrap.
  if ((r.xmin.value() < min->value()) != xid_precedes(r.xmin, *min)) {
    reached(Situation::kMinBackfillXidAcrossWrap);
  }
}
bool has_negative_int_key(const TableSchema& s, std::span<const Value> row) {
  for (uint32_t c : s.primary_key) {
    if (row[c].is_int64() && row[c].as_int64() < 0) return true;
  }
  return false;
}
}  // namespace

namespace detail {

std::string capture_key(const TableSchema& s, const Key& key) {
  return encode_capture_key(key, s.key_types());
}

std::string capture_row_key(const TableSchema& s, std::span<const Value> row) {
  return encode_capture_row_key(row, s.primary_key, s.columns);
}

void note_query_failure(size_t rows) {
  reached(rows == 0 ? Situation::kQueryFailsOnFirstRow : Situation::kQueryFailsMidChunk);
}

void note_chunk_end(size_t rows, uint32_t limit) {
  reached(rows == 0       ? Situation::kChunkEmpty
          : rows == limit ? Situation::kChunkExactlyLimit
                          : Situation::kChunkShort);
}

// A backfilled row as a snapshot document: a create of every column.
CollectionDoc snapshot_doc(std::string key, const SharedRow& row, const ChunkTrace& trace) {
  CDC_ASSERT(!key.empty() && !row.empty(), "a snapshot document has a key and a row");
  CollectionDoc doc;
  doc.key = std::move(key);
  doc.op = 'c';
  doc.fields = row;
  doc.present_mask = all_columns(row.size());
  doc.lsn = trace.snapshot_lsn;
  doc.snapshot = true;
  doc.state_key = trace.state_key;
  CDC_ASSERT(doc.fields.size() == row.size() && doc.op == 'c', "a snapshot creates the whole row");
  return doc;
}
}  // namespace detail

QueryOptions Capture::take_query_options() {
  QueryOptions opts;
  opts.fail_after_rows = fail_next_query_after_;
  fail_next_query_after_.reset();
  return opts;
}

std::optional<uint32_t> Capture::pick_backfill() {
  CDC_ASSERT(phase_ == Phase::kChunk, "a binding is picked for the next chunk");
  std::vector<uint32_t> unfinished;  // each binding's state looked up once
  std::vector<uint32_t> candidates;
  int32_t best = 0;
  for (uint32_t b = 0; b < bindings_.size(); ++b) {
    if (started_state(b).backfilled) continue;
    unfinished.push_back(b);
    const int32_t p = bindings_[b].priority;
    if (candidates.empty() || p > best) {
      candidates.clear();
      best = p;
    }
    if (p == best) candidates.push_back(b);
  }
  if (candidates.empty()) return std::nullopt;
  for (uint32_t b : unfinished) {
    if (bindings_[b].priority < best) reached(Situation::kPriorityChoseBinding);
  }
  const uint64_t pick = choose_(candidates.size());
  CDC_ASSERT(pick < candidates.size(), "choose(n) returns a number below n");
  return candidates[pick];
}

Status Capture::chunk() {
  CDC_ASSERT(phase_ == Phase::kChunk && !in_backfill_iteration_, "a chunk starts an iteration");
  const std::optional<uint32_t> b = pick_backfill();
  if (!b) {
    phase_ = Phase::kStreaming;
    return Status::ok();
  }
  BindingState& st = started_state(*b);
  ChunkTrace trace;
  trace.id = next_chunk_id_++;
  trace.binding = *b;
  trace.state_key = interned_state_key(*b);
  if (Status s = read_flush_lsn(&trace.snapshot_lsn); !s.is_ok()) return s;
  trace.min_backfill_xid = options_.min_backfill_xid;
  trace.max_backfill_xid = options_.max_backfill_xid;
  // The bounds' query reads its snapshot's xmax; the snapshot is the one the
  // chunk query runs in (every Database call is atomic).
  if (trace.min_backfill_xid || trace.max_backfill_xid) {
    Result<Xid> xmax = source_->snapshot_xmax();
    if (!xmax.is_ok()) return fail(xmax.error());
    trace.snapshot_xmax = xmax.value();
  }
  const Status s = st.mode == CaptureMode::kWithoutPrimaryKey ? chunk_keyless(*b, st, trace)
                                                              : chunk_keyed(*b, st, trace);
  observer_->on_chunk(trace);
  // The chunk's rows are the heap's: released with their blocks fetched ahead.
  release_rows(trace.rows.begin(), trace.rows.end(),
               [](ScannedRow& r) -> SharedRow& { return r.row; });
  if (!s.is_ok()) return fail(s.error());
  if (mutant_active(Mutant::kCursorPersistedBeforeChunk)) {
    // Checkpoint the advanced cursor now; the chunk's rows commit later.
    std::vector<std::pair<uint32_t, CollectionDoc>> rows = std::move(pending_);
    pending_.clear();
    if (Status c = commit_docs({}); !c.is_ok()) return c;
    pending_ = std::move(rows);
  }
  if (st.backfilled) pending_completed_.push_back(trace.state_key);
  pending_chunks_.push_back(trace.id);
  in_backfill_iteration_ = true;
  phase_ = Phase::kFence;
  CDC_ASSERT(trace.emitted.size() == trace.rows.size(), "each chunk row is emitted or filtered");
  return Status::ok();
}

Status Capture::chunk_keyed(uint32_t b, BindingState& st, ChunkTrace& trace) {
  CDC_ASSERT(st.mode != CaptureMode::kWithoutPrimaryKey && !st.backfilled,
             "a keyed chunk of a binding still backfilling");
  const TableId t = *tables_[b];
  const TableSchema& s = source_->schema(t);
  const QueryOptions opts = take_query_options();
  trace.after = st.scanned;
  trace.limit = options_.chunk_size;
  QueryResult q = source_->keyset_chunk(t, st.scanned, options_.chunk_size, opts);
  // The trace keeps the rows (the observer records them); read them there.
  trace.rows = std::move(q.rows);
  const std::vector<ScannedRow>& rows = trace.rows;
  trace.emitted.assign(rows.size(), false);
  if (!q.status.is_ok()) {
    trace.failed = true;
    detail::note_query_failure(rows.size());
    return q.status;
  }
  if (options_.chunk_size == 1) reached(Situation::kChunkSizeOne);
  std::optional<std::string> previous;
  if (st.scanned) previous = detail::capture_key(s, *st.scanned);
  const std::vector<ColumnType> types = s.key_types();
  const std::vector<Collation> order = s.key_collations();  // KeyOrder::kDatabase
  for (size_t i = 0; i < rows.size(); ++i) {
    const ScannedRow& r = rows[i];
    // The rows strictly increase in the order of the query (keyset_chunk
    // asserts the same where it returns them), so the cursor, the last key,
    // is past every row read.
    CDC_ASSERT(i == 0 || compare_row_keys(rows[i - 1].row, r.row, s.primary_key, types, order) < 0,
               "a chunk's keys strictly increase in its order");
    std::string enc = detail::capture_row_key(s, r.row);
    if (st.mode == CaptureMode::kPrecise && previous && enc <= *previous) {
      trace.failed = true;
      return Error{ErrorCode::kInvalidArgument,
                   "scan key ordering failure: binding \"" + bindings_[b].table + "\" read key " +
                       to_string(s.key_of(r.row)) + " after a key that sorts after it bytewise"};
    }
    previous = enc;
    // Where the capture reads xmin: a writer's xid, unless frozen.
    CDC_ASSERT(xid_is_normal(r.xmin) || r.frozen, "an unfrozen row's xmin is a writer's xid");
    note_xid_bounds(trace, r);
    if (has_negative_int_key(s, r.row)) reached(Situation::kNegativeIntKey);
    if (filtered_by_xid(trace, r.xmin)) continue;
    trace.emitted[i] = true;
    pending_.emplace_back(b, detail::snapshot_doc(std::move(enc), r.row, trace));
  }
  st.backfilled_count += rows.size();
  if (!rows.empty()) st.scanned = s.key_of(rows.back().row);
  trace.final_chunk = rows.size() < options_.chunk_size;
  st.backfilled = trace.final_chunk;
  detail::note_chunk_end(rows.size(), options_.chunk_size);
  return Status::ok();
}

Status Capture::chunk_keyless(uint32_t b, BindingState& st, ChunkTrace& trace) {
  CDC_ASSERT(st.mode == CaptureMode::kWithoutPrimaryKey && !st.backfilled,
             "a ctid-range chunk of a keyless binding still backfilling");
  const TableId t = *tables_[b];
  if (!st.scanned_ctid) {
    // The scan bound is computed once, from the page count plus some slack.
    const uint32_t pages = source_->page_count(t).value();
    st.keyless_max_block = mutant_active(Mutant::kKeylessBoundStaleRelpages)
                               ? pages / 2
                               : pages + options_.keyless_slack_blocks;
    if (options_.keyless_slack_blocks == 0) reached(Situation::kKeylessNoSlack);
    st.scanned_ctid = Ctid{0, 0};
  }
  const Ctid after = *st.scanned_ctid;
  const uint32_t last_block = after.block + options_.keyless_blocks_per_chunk - 1;
  const QueryOptions opts = take_query_options();
  trace.after_ctid = after;
  trace.limit = options_.keyless_blocks_per_chunk;
  const uint16_t last_offset = mutant_active(Mutant::kKeylessRangeMissesLastBlock) ? 0 : 0xffff;
  trace.range_end = Ctid{last_block, last_offset};
  QueryResult q = source_->ctid_range(t, after, *trace.range_end, opts);
  // The trace keeps the rows (the observer records them); read them there.
  trace.rows = std::move(q.rows);
  const std::vector<ScannedRow>& rows = trace.rows;
  trace.emitted.assign(rows.size(), false);
  if (!q.status.is_ok()) {
    trace.failed = true;
    detail::note_query_failure(rows.size());
    return q.status;
  }
  if (options_.keyless_blocks_per_chunk == 1) reached(Situation::kKeylessOneBlockChunks);
  if (rows.empty()) reached(Situation::kChunkEmpty);
  for (size_t i = 0; i < rows.size(); ++i) {
    const ScannedRow& r = rows[i];
    note_xid_bounds(trace, r);
    if (filtered_by_xid(trace, r.xmin)) continue;
    trace.emitted[i] = true;
    pending_.emplace_back(
        b, detail::snapshot_doc("ctid:" + trace.state_key + ":" + to_string(r.ctid), r.row, trace));
  }
  st.backfilled_count += rows.size();
  CDC_ASSERT(rows.empty() || (rows.front().ctid > after && rows.back().ctid.block <= last_block),
             "a ctid-range chunk reads inside its range");
  st.scanned_ctid = Ctid{last_block + 1, 0};
  trace.final_chunk = last_block + 1 > st.keyless_max_block;
  st.backfilled = trace.final_chunk;
  if (trace.final_chunk && source_->page_count(t).value() > st.keyless_max_block) {
    reached(Situation::kKeylessRowBeyondBound);
  }
  return Status::ok();
}

Status Capture::commit_pending() {
  CDC_ASSERT(phase_ == Phase::kCommit && in_backfill_iteration_, "committing a backfill iteration");
  std::vector<uint64_t> chunks = std::move(pending_chunks_);
  pending_chunks_.clear();
  in_backfill_iteration_ = false;
  if (Status s = commit_docs(std::move(chunks)); !s.is_ok()) return s;
  phase_ = backfills_done() ? Phase::kStreaming : Phase::kChunk;
  if (Status s = read_flush_lsn(&iteration_start_lsn_); !s.is_ok()) return s;
  CDC_ASSERT(pending_.empty() && pending_chunks_.empty(), "an iteration commits everything");
  return Status::ok();
}

}  // namespace cdc
