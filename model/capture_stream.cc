// Capture: fences, watermarks, streaming and turning changes into documents.
#include "model/capture.h"
#include "model/key_encoding.h"
#include "model/mutants.h"
#include "model/reduction.h"
#include "model/situations.h"

namespace cdc {

namespace {
uint64_t key_columns_mask(const TableSchema& s) {
  uint64_t m = 0;
  for (uint32_t k : s.primary_key)
    m |= uint64_t{1} << k;
  return m;
}
std::string synthetic_key(const char* kind, uint64_t a, uint64_t b, const std::string& scope) {
  return std::string(kind) + ":" + scope + ":" + std::to_string(a) + ":" + std::to_string(b);
}
}  // namespace

TableSchema watermarks_schema(const std::string& name) {
  TableSchema s;
  s.name = name;
  s.columns = {{"slot", ColumnType::kText, Collation::kC, false, false},
               {"counter", ColumnType::kInt64, Collation::kC, false, true}};
  s.primary_key = {0};
  return s;
}

Status Capture::write_watermark() {
  CDC_ASSERT(phase_ == Phase::kFence ||
                 (debezium() && (phase_ == Phase::kChunk || phase_ == Phase::kWindowClose)),
             "a watermark is written to set a fence, or as a Debezium window signal");
  Result<TableId> found = source_->table_id(options_.watermarks_table);
  if (!found.is_ok()) return found.error();
  const Key key{Value::text(options_.slot)};
  const Row row{Value::text(options_.slot),
                Value::int64(static_cast<int64_t>(++watermark_counter_))};
  return source_->upsert_row(found.value(), key, row);
}

Status Capture::read_flush_lsn(Lsn* lsn) {
  Result<Lsn> flushed = source_->current_flush_lsn();
  if (!flushed.is_ok()) return fail(flushed.error());
  *lsn = flushed.value();
  return Status::ok();
}

Status Capture::fence() {
  const bool early = in_backfill_iteration_ && mutant_active(Mutant::kFenceBeforeQuery);
  fence_ = iteration_start_lsn_;
  if (!early) {
    if (Status s = read_flush_lsn(&fence_); !s.is_ok()) return s;
  }
  if (Status s = write_watermark(); !s.is_ok()) return fail(s.error());
  phase_ = Phase::kStream;
  return Status::ok();
}

// Streams up to the first commit at or past the fence.
Status Capture::stream() {
  CDC_ASSERT(phase_ == Phase::kStream && stream_, "streaming to a fence");
  for (uint32_t n = 0; n < options_.stream_txns_per_step; ++n) {
    Result<std::vector<DecodedTxn>> got = stream_->poll(1);
    if (!got.is_ok()) return fail(got.error());
    if (got.value().empty()) {  // not flushed yet: try next step
      // A read-only window also closes at a heartbeat.
      if (window_ && read_only() && read_only_sees_commit(window_->last_xid)) {
        window_.reset();
        phase_ = Phase::kCommit;
      }
      return Status::ok();
    }
    const DecodedTxn& txn = got.value().front();
    // Decoding returns commits in increasing LSN, all past the stream's start.
    CDC_ASSERT(txn.commit_lsn > state_.cursor, "the cursor moves forward with each commit");
    const bool ro = window_ && read_only();
    bool window_closed = ro && read_only_sees_events(txn);  // its READs go before txn
    observer_->on_decoded(txn);
    for (uint32_t i = 0; i < txn.changes.size(); ++i)
      emit_change(txn, i, txn.changes[i]);
    state_.cursor = txn.commit_lsn;
    if (mutant_active(Mutant::kSlotAckedBeforeCommit)) {
      (void)source_->acknowledge(options_.slot, state_.cursor);  // before the commit below
    }
    // A Debezium iteration ends at its close signal, Estuary's at the fence.
    if (ro && !window_closed) window_closed = read_only_sees_commit(txn.xid);
    if (!ro) window_closed = window_ && window_sees(txn);
    const bool reached = window_ ? window_closed : txn.commit_lsn >= fence_;
    if (window_closed) window_.reset();
    if (!in_backfill_iteration_) {
      // Before any backfill work: checkpoint after each source commit.
      if (Status s = commit_docs({}); !s.is_ok()) return s;
    }
    if (reached) {
      phase_ = in_backfill_iteration_ ? Phase::kCommit
               : backfills_done()     ? Phase::kStreaming
                                      : Phase::kChunk;
      return read_flush_lsn(&iteration_start_lsn_);
    }
  }
  reached(Situation::kStreamBatchLimited);  // the fence is still ahead
  if (in_backfill_iteration_ && mutant_active(Mutant::kStreamBatchEndsIteration)) {
    phase_ = Phase::kCommit;
  }
  return Status::ok();
}

Status Capture::streaming() {
  CDC_ASSERT(phase_ == Phase::kStreaming && stream_, "streaming with nothing to backfill");
  bool any = false;
  for (uint32_t n = 0; n < options_.stream_txns_per_step; ++n) {
    Result<std::vector<DecodedTxn>> got = stream_->poll(1);
    if (!got.is_ok()) return fail(got.error());
    if (got.value().empty()) break;
    const DecodedTxn& txn = got.value().front();
    CDC_ASSERT(txn.commit_lsn > state_.cursor, "the cursor moves forward with each commit");
    observer_->on_decoded(txn);
    for (uint32_t i = 0; i < txn.changes.size(); ++i)
      emit_change(txn, i, txn.changes[i]);
    state_.cursor = txn.commit_lsn;
    any = true;
    if (n + 1 == options_.stream_txns_per_step) reached(Situation::kStreamBatchLimited);
  }
  return any ? commit_docs({}) : Status::ok();
}

Status Capture::commit_docs(std::vector<uint64_t> chunk_ids) {
  CollectionStore::Txn txn;
  // Debezium commits the offsets flushed before this transaction (they lag
  // what it delivers); Estuary commits the state the documents reflect.
  CDC_ASSERT(!debezium() || flushed_offsets_, "a started Debezium capture has flushed offsets");
  txn.checkpoint = debezium() ? &*flushed_offsets_ : &state_;
  const Lsn committed_cursor = txn.checkpoint->cursor;
  // The pending documents are reported from where they lie and then
  // cleared, so the buffer keeps its capacity for the next iteration.
  std::vector<std::pair<uint32_t, CollectionDoc>>& docs = pending_;
  txn.docs.reserve(docs.size());
  for (const auto& [b, doc] : docs) {
    CDC_ASSERT(b < bindings_.size(), "a pending document belongs to a binding");
    txn.docs.emplace_back(bindings_[b].collection, doc);
  }
  const uint64_t seq = store_->commit(std::move(txn), now_tick_);
  // The documents and the checkpoint committed together (unless the seeded
  // bug checkpoint-lags-documents holds the checkpoint back).
  CDC_ASSERT(store_->last_seq() == seq && (mutant_active(Mutant::kCheckpointLagsDocuments) ||
                                           store_->checkpoint()->cursor == committed_cursor),
             "a collection transaction commits its documents and checkpoint together");
  // Report the documents as committed: their sequence number and ids.
  const uint64_t first_id = store_->next_doc_id() - docs.size();
  for (size_t i = 0; i < docs.size(); ++i) {
    docs[i].second.txn_seq = seq;
    docs[i].second.id = static_cast<uint32_t>(first_id + i);  // the store asserts ids fit
  }
  std::vector<std::string> completed = std::move(pending_completed_);
  pending_completed_.clear();
  observer_->on_commit(seq, docs, chunk_ids, completed, committed_cursor);
  // A backfill's iteration commits thousands of documents, whose rows other
  // layers also hold: released with their blocks fetched ahead.
  release_rows(docs.begin(), docs.end(), [](auto& d) -> SharedRow& { return d.second.fields; });
  pending_.clear();
  if (debezium()) assign_checkpoint(&flushed_offsets_, state_);  // the offset flush after delivery
  // The slot is acknowledged only for what a committed checkpoint covers.
  if (Status s = source_->acknowledge(options_.slot, committed_cursor); !s.is_ok()) {
    return fail(s.error());
  }
  return Status::ok();
}

namespace {
// " at LSN (xid N)": where a change the capture does not capture whole was.
std::string at_commit(const DecodedTxn& txn) {
  return " at " + to_string(txn.commit_lsn) + " (xid " + std::to_string(txn.xid.value()) + ")";
}

// A change of a table without a primary key (or of a Without Primary Key
// binding) as a document under a synthetic key of its own.
CollectionDoc keyless_doc(CollectionDoc doc, const DecodedChange& c, size_t width, uint32_t index) {
  CDC_ASSERT(c.kind != ChangeKind::kTruncate && !doc.state_key.empty(),
             "a row change of a binding's table");
  doc.key = synthetic_key("wal", doc.lsn.value(), index, doc.state_key);
  doc.op = c.kind == ChangeKind::kInsert ? 'c' : c.kind == ChangeKind::kUpdate ? 'u' : 'd';
  if (c.kind == ChangeKind::kDelete && c.old_kind == OldTuple::kRow) {
    doc.fields = c.old;
  } else if (c.new_row.empty()) {
    doc.fields = Row(width, Value::null());
  } else {
    doc.fields = c.new_row;  // the heap's block, when decoding shared it
  }
  doc.present_mask = c.kind == ChangeKind::kDelete && c.old_kind != OldTuple::kRow
                         ? 0
                         : all_columns(width) & ~c.omitted_mask;
  CDC_ASSERT(doc.fields.size() == width, "a keyless document has one field per column");
  return doc;
}

// A row image as documents carry it: one value per column and which are known.
struct Image {
  SharedRow fields;
  uint64_t present_mask = 0;
};

// The old row or key, as a full-width row with the key columns filled.
Image old_image(const TableSchema& s, const DecodedChange& c) {
  CDC_ASSERT(c.old_kind != OldTuple::kKey || c.old.size() == s.primary_key.size(),
             "an old key has one value per key column");
  const size_t width = s.columns.size();
  Row fields(width, Value::null());
  uint64_t present = 0;
  if (c.old_kind == OldTuple::kRow) {
    fields = c.old;
    present = all_columns(width);
  } else if (c.old_kind == OldTuple::kKey) {
    for (size_t i = 0; i < s.primary_key.size(); ++i)
      fields[s.primary_key[i]] = c.old[i];
    present = key_columns_mask(s);
  }
  CDC_ASSERT(fields.size() == width, "an old image is full width");
  return Image{SharedRow(std::move(fields)), present};
}

// The new row of an insert or update: an unchanged TOAST value is absent,
// unless REPLICA IDENTITY FULL supplied it in the old row.
Image new_image(const DecodedChange& c, size_t width) {
  CDC_ASSERT(c.new_row.size() == width && (c.old_kind != OldTuple::kRow || c.old.size() == width),
             "an insert or update carries full-width rows");
  const uint64_t omitted =
      mutant_active(Mutant::kToastPlaceholderAsNull) ? uint64_t{0} : c.omitted_mask;
  Image next{c.new_row, all_columns(width) & ~omitted};
  if (c.old_kind == OldTuple::kRow) {
    if (c.omitted_mask != 0) {  // the old row fills in what the WAL omitted
      Row filled = c.new_row.to_row();
      for (uint32_t col = 0; col < width; ++col) {
        if (c.omitted(col)) filled[col] = c.old[col];
      }
      next.fields = SharedRow(std::move(filled));
    }
    next.present_mask = all_columns(width);
  }
  CDC_ASSERT(next.fields.size() == width, "a new image is full width");
  return next;
}

void set_image(CollectionDoc* doc, char op, std::string key, Image image) {
  doc->op = op;
  doc->key = std::move(key);
  doc->fields = std::move(image.fields);
  doc->present_mask = image.present_mask;
}
}  // namespace

SharedRow detail::new_row_image(const DecodedChange& c, size_t width, uint64_t* present_mask) {
  Image next = new_image(c, width);
  *present_mask = next.present_mask;
  return std::move(next.fields);
}

void Capture::emit_change(const DecodedTxn& txn, uint32_t index, const DecodedChange& c) {
  if (c.kind == ChangeKind::kTruncate) {  // TRUNCATE is not captured
    reached(Situation::kTruncateIgnored);
    std::string tables;
    for (TableId t : c.truncated)
      tables += " " + source_->schema(t).name;
    observer_->on_ignored(IgnoredRecord::kTruncate, "TRUNCATE" + tables + at_commit(txn));
    return;
  }
  const std::optional<uint32_t> b = binding_of(c.table);
  if (!b) return;
  const BindingState& st = started_state(*b);
  const TableSchema& s = source_->schema(c.table);
  CDC_ASSERT(c.kind == ChangeKind::kDelete || c.new_row.size() == s.columns.size(),
             "a decoded insert or update carries a full-width row");
  const size_t pending_before = pending_.size();
  if (c.omitted_mask != 0) reached(Situation::kUnchangedToast);
  CollectionDoc doc;
  doc.lsn = txn.commit_lsn;
  doc.txid = txn.xid;
  doc.change_index = index * 2;
  doc.state_key = interned_state_key(*b);
  if (st.mode == CaptureMode::kWithoutPrimaryKey || !s.has_primary_key()) {
    emit_doc(*b, keyless_doc(std::move(doc), c, s.columns.size(), index), st);
  } else {
    emit_keyed_change(*b, txn, c, std::move(doc));
  }
  CDC_ASSERT(pending_.size() <= pending_before + 2, "a change becomes at most two documents");
}

// A change of a keyed table: a delete of the old key, an update (or insert)
// of the new key, or, when an update changed the key, both.
void Capture::emit_keyed_change(uint32_t b, const DecodedTxn& txn, const DecodedChange& c,
                                CollectionDoc doc) {
  const BindingState& st = started_state(b);
  const TableSchema& s = source_->schema(c.table);
  CDC_ASSERT(s.has_primary_key() && st.mode != CaptureMode::kWithoutPrimaryKey,
             "a keyed change of a keyed binding");
  Image old = old_image(s, c);
  if (c.kind == ChangeKind::kDelete) {
    CDC_ASSERT(old.present_mask != 0, "a keyed DELETE carries its old key or row");
    std::string key = detail::capture_row_key(s, old.fields);
    if (flink() && !stream_emits(b, key, txn, c.lsn)) return;
    set_image(&doc, 'd', std::move(key), std::move(old));
    emit_doc(b, std::move(doc), st);
    return;
  }
  Image next = new_image(c, s.columns.size());
  std::string new_key = detail::capture_row_key(s, c.new_row);
  if (c.kind == ChangeKind::kUpdate && old.present_mask != 0) {
    std::string old_key = detail::capture_row_key(s, old.fields);
    if (old_key != new_key) {  // a key change: delete the old key, create the new one
      reached(c.old_kind == OldTuple::kRow ? Situation::kKeyChangeReplicaIdentityFull
                                           : Situation::kKeyChange);
      // Flink judges the two records each by its own key.
      const bool del = !flink() || stream_emits(b, old_key, txn, c.lsn);
      const bool add = !flink() || stream_emits(b, new_key, txn, c.lsn);
      if (add && next.present_mask != all_columns(s.columns.size())) {
        // The new key's document cannot carry the TOASTed values the update
        // left unchanged: decoding omits them, and no earlier document of
        // the new key holds them.
        observer_->on_ignored(IgnoredRecord::kUnchangedToastOnKeyChange,
                              "unchanged TOAST values of a key change" + at_commit(txn));
      }
      if (del) {
        CollectionDoc gone = doc;
        set_image(&gone, 'd', std::move(old_key), std::move(old));
        emit_doc(b, std::move(gone), st);
      }
      doc.change_index += 1;
      set_image(&doc, 'c', std::move(new_key), std::move(next));
      if (add) emit_doc(b, std::move(doc), st);
      return;
    }
  }
  if (flink() && !stream_emits(b, new_key, txn, c.lsn)) return;
  set_image(&doc, c.kind == ChangeKind::kInsert ? 'c' : 'u', std::move(new_key), std::move(next));
  emit_doc(b, std::move(doc), st);
}

void Capture::emit_doc(uint32_t b, CollectionDoc doc, const BindingState& st) {
  CDC_ASSERT(b < tables_.size() && tables_[b] && !doc.key.empty(),
             "a document of a resolved binding, with a key");
  if (st.mode != CaptureMode::kWithoutPrimaryKey && !st.backfilled) note_near_cursor(b, doc, st);
  if (st.mode == CaptureMode::kPrecise && !st.backfilled && beyond_cursor(b, doc, st)) {
    // Drop changes to the part of the table the backfill has not reached.
    reached(Situation::kChangeFilteredByPrecise);
    return;
  }
  pending_.emplace_back(b, std::move(doc));
}

// Whether a document's key lies in the part of a Precise binding's table its
// backfill has not read yet (all of it before the first chunk).
bool Capture::beyond_cursor(uint32_t b, const CollectionDoc& doc, const BindingState& st) const {
  if (!st.scanned) return !mutant_active(Mutant::kPreciseEmitsBeforeFirstChunk);
  const std::string cursor = detail::capture_key(source_->schema(*tables_[b]), *st.scanned);
  return mutant_active(Mutant::kPreciseFilterOffByOne) ? doc.key >= cursor : doc.key > cursor;
}

// Where a keyed change of a binding still backfilling falls against its cursor.
void Capture::note_near_cursor(uint32_t b, const CollectionDoc& doc, const BindingState& st) const {
  if (!tables_[b] || !source_->schema(*tables_[b]).has_primary_key()) return;
  const bool rebackfill = bindings_[b].backfill_counter > 0;
  if (!st.scanned) {
    reached(Situation::kChangeBeforeFirstChunk);
    if (doc.op == 'd' && rebackfill) reached(Situation::kDeleteBeyondCursor);
    return;
  }
  const std::string cursor = detail::capture_key(source_->schema(*tables_[b]), *st.scanned);
  if (doc.key < cursor) reached(Situation::kChangeBelowCursor);
  if (doc.key == cursor) reached(Situation::kChangeAtCursor);
  if (doc.key > cursor) {
    reached(Situation::kChangeAboveCursor);
    if (doc.op == 'd' && rebackfill) reached(Situation::kDeleteBeyondCursor);
  }
}

}  // namespace cdc
