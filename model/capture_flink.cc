// Capture: Flink CDC's incremental snapshot framework for PostgreSQL
// (capture.h, "Algorithms"), modelled from Flink CDC's public source and
// documentation: snapshot splits by key range, each read between a low and a
// high watermark (WAL positions) and merged with the log between them, then
// one stream that starts at the minimum high watermark and filters each
// change by the high watermark of the split its key falls in.
#include <algorithm>

#include "model/capture.h"
#include "model/key_encoding.h"
#include "model/mutants.h"
#include "model/situations.h"

namespace cdc {

namespace {

// Bounds the batched reads of a split's range: far more than any table's
// rows divided by the smallest chunk.
constexpr uint64_t kMaxBatches = uint64_t{1} << 40;

int db_compare(const TableSchema& s, const Key& a, const Key& b) {
  return compare_keys(a, b, s.key_types(), s.key_collations());
}

}  // namespace

// Picks the next binding with splits to read (highest priority, then the
// first), fixes its next split's range and, unless backfill is skipped,
// creates the backfill slot and reads the low watermark.
Status Capture::split_open() {
  CDC_ASSERT(flink() && phase_ == Phase::kSplitOpen && pending_.empty(),
             "a Flink split opens between splits");
  if (!split_) {
    std::optional<uint32_t> pick;
    for (uint32_t b = 0; b < bindings_.size(); ++b) {
      if (started_state(b).backfilled) continue;
      if (!pick || bindings_[b].priority > bindings_[*pick].priority) pick = b;
    }
    if (!pick) return start_stream_phase();
    if (Status s = split_range(*pick, started_state(*pick)); !s.is_ok()) {
      return fail(s.error());
    }
  }
  const BindingState& st = started_state(split_->binding);
  if (st.mode != CaptureMode::kPrecise) {  // backfill skipped: no slot, HW = LW
    if (Status s = read_flush_lsn(&split_->low_watermark); !s.is_ok()) return s;
    phase_ = Phase::kSplitScan;
    return Status::ok();
  }
  // "A slot can only read WAL after its own creation": create it (or reuse
  // one a crash left behind) before the low watermark.
  if (!source_->slot(backfill_slot()).is_ok()) {
    Result<SlotInfo> made = source_->create_slot(backfill_slot());
    if (!made.is_ok() && made.error().code == ErrorCode::kObjectInUse) {
      reached(Situation::kFlinkSlotCreationWaited);
      return Status::ok();  // it waits for the running writers: try again next step
    }
    if (!made.is_ok()) return fail(made.error());
  }
  if (Status s = read_flush_lsn(&split_->low_watermark); !s.is_ok()) return s;
  Result<std::unique_ptr<ChangeStream>> stream =
      source_->start_replication(backfill_slot(), split_->low_watermark);
  if (!stream.is_ok()) return fail(stream.error());
  split_->backfill = std::move(stream).value();
  phase_ = Phase::kSplitScan;
  return Status::ok();
}

// The unevenly sized splitter: the split starts where the last one ended and
// ends at the chunk_size-th key from its start (the next key when that is the
// start itself); no end (the last split) at or past the maximum key, read
// with the minimum at the first split. An empty table, or one whose minimum
// is its maximum, is one split without bounds.
Status Capture::split_range(uint32_t b, BindingState& st) {
  CDC_ASSERT(!split_ && !st.backfilled, "a new split of a binding still backfilling");
  const TableId t = *tables_[b];
  const TableSchema& s = source_->schema(t);
  split_.emplace();
  split_->binding = b;
  if (!st.splits.empty()) split_->range.start = st.splits.back().end;
  CDC_ASSERT(st.splits.empty() || split_->range.start, "only the last split has no end");
  const std::optional<Key>& start = split_->range.start;
  std::vector<Key> keys;
  if (start) {
    Result<std::optional<ScannedRow>> at = source_->lookup(t, *start);
    if (!at.is_ok()) return at.status();
    if (at.value()) keys.push_back(*start);
  }
  QueryResult q = source_->keyset_chunk(t, start, options_.chunk_size);
  if (!q.status.is_ok()) return q.status;
  for (const ScannedRow& r : q.rows) {
    if (keys.size() < options_.chunk_size) keys.push_back(s.key_of(r.row));
  }
  if (st.splits.empty()) {  // the first split: analyse the table
    Result<std::optional<Key>> max = source_->last_key(t);
    if (!max.is_ok()) return max.status();
    st.max_key = max.value();
    if (keys.empty() || !st.max_key || db_compare(s, keys.front(), *st.max_key) == 0) {
      return Status::ok();
    }
  }
  if (keys.empty()) return Status::ok();  // nothing from here on: the last split
  const Key from = start ? *start : keys.front();
  Key end = keys.back();
  if (db_compare(s, end, from) == 0) {  // then MIN(key) WHERE key > start
    QueryResult next = source_->keyset_chunk(t, from, 1);
    if (!next.status.is_ok()) return next.status;
    if (next.rows.empty()) return Status::ok();
    end = s.key_of(next.rows.front().row);
  }
  if (st.max_key && db_compare(s, end, *st.max_key) >= 0) return Status::ok();
  split_->range.end = std::move(end);
  return Status::ok();
}

// SELECT ... WHERE key >= start AND NOT (key = end) AND key <= end, in a
// snapshot of its own, read in batches of chunk_size in key order.
Status Capture::split_scan() {
  CDC_ASSERT(split_ && phase_ == Phase::kSplitScan, "a split is scanned once opened");
  const uint32_t b = split_->binding;
  BindingState& st = started_state(b);
  const TableId t = *tables_[b];
  const TableSchema& s = source_->schema(t);
  ChunkTrace& trace = split_->trace;
  trace = ChunkTrace{};
  trace.id = next_chunk_id_++;
  trace.binding = b;
  trace.state_key = interned_state_key(b);
  trace.after = st.scanned;  // for the history: where the last split's rows ended
  trace.limit = options_.chunk_size;
  if (Status f = read_flush_lsn(&trace.snapshot_lsn); !f.is_ok()) return f;
  const std::optional<Key>& start = split_->range.start;
  const std::optional<Key>& end = split_->range.end;
  if (start) {
    Result<std::optional<ScannedRow>> at = source_->lookup(t, *start);
    if (!at.is_ok()) return fail(at.error());
    if (at.value()) trace.rows.push_back(*at.value());
  }
  QueryOptions opts = take_query_options();
  std::optional<Key> after = start;
  Status status = Status::ok();
  for (uint64_t batch = 0; batch < kMaxBatches; ++batch) {
    QueryResult q = source_->keyset_chunk(t, after, options_.chunk_size, opts);
    opts = QueryOptions{};
    bool past_end = false;
    for (ScannedRow& r : q.rows) {
      past_end = end && db_compare(s, s.key_of(r.row), *end) >= 0;
      if (past_end) break;
      trace.rows.push_back(std::move(r));
    }
    status = q.status;
    if (!status.is_ok() || past_end || q.rows.size() < options_.chunk_size) break;
    after = s.key_of(trace.rows.back().row);
  }
  trace.emitted.assign(trace.rows.size(), true);
  trace.final_chunk = !end;
  observer_->on_chunk(trace);
  if (!status.is_ok()) {
    trace.failed = true;
    detail::note_query_failure(trace.rows.size());
    return fail(status.error());
  }
  for (const ScannedRow& r : trace.rows) {
    std::string key = detail::capture_row_key(s, r.row);
    split_->buffer[key] = detail::snapshot_doc(key, r.row, trace);
  }
  phase_ = Phase::kSplitHigh;
  return Status::ok();
}

// The high watermark; with backfill skipped it is the low watermark.
Status Capture::split_high() {
  CDC_ASSERT(split_ && phase_ == Phase::kSplitHigh, "a split's high watermark follows its scan");
  const bool skip = !split_->backfill;
  split_->range.high_watermark = split_->low_watermark;
  if (!skip) {
    if (Status s = read_flush_lsn(&split_->range.high_watermark); !s.is_ok()) return s;
  }
  split_->range.read_end = split_->range.high_watermark;
  split_->version = skip ? split_->trace.snapshot_lsn : split_->range.high_watermark;
  if (!skip && split_->range.high_watermark <= split_->low_watermark) split_->past_high = true;
  phase_ = Phase::kSplitBackfill;
  return Status::ok();
}

// Reads the backfill slot up to the high watermark, then finishes the split.
Status Capture::split_backfill() {
  CDC_ASSERT(split_ && phase_ == Phase::kSplitBackfill, "a split's backfill follows its HW");
  for (uint32_t n = 0; split_->backfill && !split_->past_high; ++n) {
    if (n == options_.stream_txns_per_step) {
      reached(Situation::kStreamBatchLimited);
      return Status::ok();  // more next step
    }
    Result<std::vector<DecodedTxn>> got = split_->backfill->poll(1);
    if (!got.is_ok()) return fail(got.error());
    // Nothing more to deliver and the decoded WAL is past HW: a keepalive
    // beyond HW ends the read.
    if (got.value().empty()) {
      split_->range.read_end = split_->backfill->read_position();
      break;
    }
    split_->past_high = split_sees(got.value().front());
    split_->range.read_end = got.value().front().commit_lsn;
  }
  return split_finish();
}

bool Capture::split_sees(const DecodedTxn& txn) {
  const Lsn hw = split_->range.high_watermark;
  // The seeded bugs: a read that stops one message early, or one that does
  // not stop at HW at all.
  const bool early = mutant_active(Mutant::kFlinkBackfillStopsBeforeHw);
  const bool unbounded = mutant_active(Mutant::kFlinkBackfillReadsPastHw);
  auto past = [&](Lsn lsn) { return !unbounded && (early ? lsn >= hw : lsn > hw); };
  if (past(txn.first_lsn)) return true;  // BEGIN
  for (const DecodedChange& c : txn.changes) {
    if (past(c.lsn)) return true;
    if (c.table == *tables_[split_->binding]) split_apply(c);
  }
  if (txn.commit_lsn > split_->version) split_->version = txn.commit_lsn;
  return past(txn.commit_lsn);  // COMMIT
}

// One change of the split's table: a delete removes its key, an insert or
// update upserts the new row; a key change is both. Each part applies only
// when its key lies in the split's range, compared as Java compares keys.
void Capture::split_apply(const DecodedChange& c) {
  if (c.kind == ChangeKind::kTruncate) return;
  const TableSchema& s = source_->schema(c.table);
  auto in_range = [&](const std::string& key) {
    const FlinkSplit& r = split_->range;
    const bool in = (!r.start || detail::capture_key(s, *r.start) <= key) &&
                    (!r.end || key < detail::capture_key(s, *r.end));
    const std::optional<Key> decoded = decode_capture_key(key, s.key_types());
    CDC_ASSERT(decoded.has_value(), "a document key decodes to the key it encodes");
    const bool db_in = (!r.start || db_compare(s, *r.start, *decoded) <= 0) &&
                       (!r.end || db_compare(s, *decoded, *r.end) < 0);
    if (in != db_in) {
      observer_->on_ignored(IgnoredRecord::kSplitOrderMismatch,
                            "a change of " + s.name + " at " + to_string(c.lsn) +
                                " applied by a split's backfill by code point order, not by the "
                                "database's order");
    }
    return in;
  };
  if (c.old_kind == OldTuple::kKey || c.old_kind == OldTuple::kRow) {
    const Key old = c.old_kind == OldTuple::kKey ? c.old : s.key_of(c.old);
    const std::string key = detail::capture_key(s, old);
    const bool same = c.kind != ChangeKind::kDelete && key == detail::capture_row_key(s, c.new_row);
    if (!same && in_range(key) && split_->buffer.erase(key) > 0) {
      reached(Situation::kFlinkBackfillApplied);
    }
  }
  if (c.kind == ChangeKind::kDelete) return;
  std::string key = detail::capture_row_key(s, c.new_row);
  if (!in_range(key)) return;
  uint64_t present = 0;
  const SharedRow row = detail::new_row_image(c, s.columns.size(), &present);
  CollectionDoc doc = detail::snapshot_doc(key, row, split_->trace);
  if (present != doc.present_mask) {  // Debezium's placeholder: the value is not in the WAL
    observer_->on_ignored(IgnoredRecord::kSplitToastPlaceholder,
                          "an unchanged TOAST value of " + s.name + " at " + to_string(c.lsn) +
                              ": the split's backfill replaced the snapshot row without it");
  }
  doc.present_mask = present;
  auto held = split_->buffer.find(key);
  if (mutant_active(Mutant::kFlinkUpdateAppends) && c.kind == ChangeKind::kUpdate &&
      held != split_->buffer.end()) {
    split_->appended.push_back(held->second);  // the old READ stays beside the new
  }
  split_->buffer[std::move(key)] = std::move(doc);
  reached(Situation::kFlinkBackfillApplied);
}

// The buffer's rows, the finished split and its HW commit in one collection
// transaction; then the backfill slot is dropped.
Status Capture::split_finish() {
  const uint32_t b = split_->binding;
  BindingState& st = started_state(b);
  const TableSchema& s = source_->schema(*tables_[b]);
  for (CollectionDoc& doc : split_->appended)
    pending_.emplace_back(b, std::move(doc));
  for (auto& [key, doc] : split_->buffer) {
    doc.lsn = split_->version;
    pending_.emplace_back(b, std::move(doc));
  }
  if (!split_->trace.rows.empty()) st.scanned = s.key_of(split_->trace.rows.back().row);
  st.backfilled_count += split_->trace.rows.size();
  st.splits.push_back(split_->range);
  st.backfilled = !split_->range.end;
  if (st.backfilled) pending_completed_.push_back(state_key(b));
  detail::note_chunk_end(split_->trace.rows.size(), options_.chunk_size);
  const bool crosses = mutant_active(Mutant::kFlinkSplitCrossesCheckpoint);
  if (crosses) {  // the seeded bug: the records commit before the finished split
    BindingState unfinished = st;
    unfinished.splits.pop_back();
    unfinished.backfilled = false;
    std::swap(st, unfinished);
    if (Status s2 = commit_docs({}); !s2.is_ok()) return s2;
    std::swap(st, unfinished);
  }
  if (Status s2 = commit_docs({split_->trace.id}); !s2.is_ok()) return s2;
  const bool had_slot = split_->backfill != nullptr;
  split_.reset();
  if (had_slot) (void)source_->drop_slot(backfill_slot());  // gone already if it was lost
  phase_ = Phase::kSplitOpen;
  return Status::ok();
}

// The stream split: from the minimum HW of every finished split (or the
// checkpoint's cursor, when the stream had gone further), on the global slot.
Status Capture::start_stream_phase() {
  Lsn from = state_.cursor;
  std::optional<Lsn> low;
  for (uint32_t b = 0; b < bindings_.size(); ++b) {
    for (const FlinkSplit& sp : started_state(b).splits) {
      const bool later = mutant_active(Mutant::kFlinkStreamStartsAtMaxHw);
      if (!low || (later ? sp.high_watermark > *low : sp.high_watermark < *low)) {
        low = sp.high_watermark;
      }
    }
  }
  // A stream that ran before resumes at its cursor (tables read since are
  // newly added ones); a new one starts at the smallest HW.
  if (low && *low > from && !state_.streaming) from = *low;
  Result<std::unique_ptr<ChangeStream>> st = source_->start_replication(options_.slot, from);
  if (!st.is_ok()) return fail(st.error());
  stream_ = std::move(st).value();
  // A slot created after the splits (one lost or dropped meanwhile) starts
  // later, where it was created.
  state_.cursor = stream_->start_decoding_at();
  state_.streaming = true;
  pure_stream_.assign(bindings_.size(), false);
  phase_ = Phase::kStreaming;
  CDC_ASSERT(stream_->start_decoding_at() >= from, "the stream starts at the minimum HW");
  return Status::ok();
}

// A change is emitted once its table is in the pure stream phase (a change at
// or past the table's maximum HW puts it there), or when a split whose range
// holds its key, compared as Java compares keys, has an HW before it.
bool Capture::stream_emits(uint32_t b, const std::string& key, const DecodedTxn& txn, Lsn lsn) {
  CDC_ASSERT(flink() && b < pure_stream_.size(), "the Flink stream phase filters changes");
  const BindingState& st = started_state(b);
  // With backfill skipped nothing is filtered (at least once).
  if (st.splits.empty() || pure_stream_[b] || st.mode != CaptureMode::kPrecise) return true;
  Lsn max_hw = st.splits.front().high_watermark;
  for (const FlinkSplit& sp : st.splits)
    max_hw = std::max(max_hw, sp.high_watermark);
  if (lsn >= max_hw) {
    pure_stream_[b] = true;
    return true;
  }
  const FlinkSplit* holder = split_of(b, key, false, lsn);
  const FlinkSplit* db_holder = split_of(b, key, true, lsn);
  const bool emit = holder && lsn > holder->high_watermark;
  if (emit != (db_holder && lsn > db_holder->high_watermark)) {
    observer_->on_ignored(IgnoredRecord::kSplitOrderMismatch,
                          "a change at " + to_string(lsn) +
                              " judged by a split that does not hold "
                              "its key in the database's order");
  }
  if (emit) return true;
  reached(Situation::kFlinkStreamDroppedChange);
  const TableSchema& s = source_->schema(*tables_[b]);
  if (holder && txn.commit_lsn > holder->read_end) {  // neither the split nor the stream has it
    observer_->on_ignored(
        IgnoredRecord::kOpenAcrossHighWatermark,
        "a change of " + s.name + " at " + to_string(lsn) + " (xid " +
            std::to_string(txn.xid.value()) + ", committed at " + to_string(txn.commit_lsn) +
            "), before the high watermark " + to_string(holder->high_watermark) +
            " of its split, whose backfill read ended at " + to_string(holder->read_end));
  }
  return false;
}

// Flink's stream fetcher keeps a change when any split whose range holds its
// key has an HW before it; the split returned is that one if there is one,
// else the first whose range holds the key.
const FlinkSplit* Capture::split_of(uint32_t b, const std::string& key, bool database_order,
                                    Lsn lsn) const {
  const BindingState& st = started_state(b);
  const TableSchema& s = source_->schema(*tables_[b]);
  std::optional<Key> decoded;
  if (database_order) decoded = decode_capture_key(key, s.key_types());
  CDC_ASSERT(!database_order || decoded, "a document key decodes to the key it encodes");
  auto below = [&](const Key& bound) {  // key < bound
    return database_order ? db_compare(s, *decoded, bound) < 0
                          : key < detail::capture_key(s, bound);
  };
  const FlinkSplit* first = nullptr;
  for (const FlinkSplit& sp : st.splits) {
    if ((sp.start && below(*sp.start)) || (sp.end && !below(*sp.end))) continue;
    if (lsn > sp.high_watermark) return &sp;
    if (!first) first = &sp;
  }
  return first;
}

}  // namespace cdc
