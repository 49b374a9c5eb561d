#include "sim/recorder.h"

#include <optional>
#include <string_view>

#include "model/assert.h"
#include "properties/key_ids.h"

namespace cdc::sim {

namespace {
history::ResolvedMode to_history(CaptureMode m) {
  switch (m) {
    case CaptureMode::kPrecise:
      return history::ResolvedMode::kPrecise;
    case CaptureMode::kNormal:
      return history::ResolvedMode::kNormal;
    case CaptureMode::kWithoutPrimaryKey:
      return history::ResolvedMode::kWithoutPrimaryKey;
    case CaptureMode::kOnlyChanges:
      return history::ResolvedMode::kOnlyChanges;
  }
  return history::ResolvedMode::kNormal;
}

// A keyless row's key in the history: "ctid:(block,offset)", built in one
// allocation.
std::string ctid_key(Ctid ctid) {
  constexpr std::string_view kPrefix = "ctid:";
  std::string key;
  key.reserve(kPrefix.size() + kCtidTextMax);
  key += kPrefix;
  append_ctid(ctid, &key);
  return key;
}

// The version an UPDATE's new version k replaced: the one just before it.
// REQUIRES: txn.versions[k].updated.
const CommittedRowVersion& replaced_version(const CommittedTxn& txn, size_t k) {
  CDC_ASSERT(k > 0 && k < txn.versions.size() && txn.versions[k].updated,
             "an updated version of the transaction");
  const CommittedRowVersion& prev = txn.versions[k - 1];
  CDC_ASSERT(!prev.inserted && prev.table == txn.versions[k].table,
             "an updated version follows the version it replaced");
  return prev;
}
}  // namespace

void Recorder::set_bindings(const std::vector<CaptureBinding>& bindings) {
  h_.bindings.clear();
  for (uint32_t b = 0; b < bindings.size(); ++b) {
    history::Binding hb;
    hb.id = b;
    hb.table = bindings[b].table;
    hb.collection = bindings[b].collection;
    const TableId t = db_->table_id(bindings[b].table).value();
    hb.table_id = t.value();
    const TableSchema& s = db_->schema(t);
    hb.keyless = !s.has_primary_key() || bindings[b].mode == BackfillMode::kWithoutPrimaryKey;
    hb.bytewise_key = s.key_orders_bytewise();
    if (!hb.keyless) {
      for (uint32_t c : s.primary_key)
        hb.key_types.push_back(s.columns[c].type);
    }
    h_.bindings.push_back(hb);
  }
}

void Recorder::event(history::Event::Kind kind, std::string what, history::Event::Type type) {
  h_.events.push_back({tick_, kind, std::move(what), type});
}

std::string Recorder::row_key(TableId t, std::span<const Value> row, Ctid ctid) const {
  const HeapTable& heap = db_->heap(t);
  if (!heap.schema().has_primary_key()) return ctid_key(ctid);
  return heap.bytewise_key_of_row(row);
}

std::string Recorder::order_key(TableId t, const Key& key) const {
  return db_->heap(t).index_key(key);
}

// (The caller has then just computed the key of version k - 1.)
bool Recorder::same_key_as_previous(const CommittedTxn& txn, size_t k) const {
  if (k == 0 || !txn.versions[k].updated) return false;
  const CommittedRowVersion& v = txn.versions[k];
  const TableSchema& s = db_->schema(v.table);
  return s.has_primary_key() && s.same_key(replaced_version(txn, k).row, v.row);
}

// Every version's key, and the row committed under it before `txn`, with
// the committed rows looked up in runs of one table, their misses overlapped.
void Recorder::read_keys_and_befores(const CommittedTxn& txn) {
  const size_t n = txn.versions.size();
  keys_scratch_.resize(n);
  befores_scratch_.resize(n);
  for (size_t k = 0; k < n; ++k) {
    const CommittedRowVersion& v = txn.versions[k];
    keys_scratch_[k] = row_key(v.table, v.row, v.ctid);
  }
  std::vector<std::string_view> views;
  for (size_t start = 0, end = 0; start < n; start = end) {
    const TableId table = txn.versions[start].table;
    views.clear();
    for (end = start; end < n && txn.versions[end].table == table; ++end)
      views.push_back(keys_scratch_[end]);
    committed_.find_many(h_, table.value(), views,
                         std::span<const SharedRow*>(befores_scratch_).subspan(start, end - start));
  }
}

void Recorder::on_source_commit(const CommittedTxn& txn) {
  // A transaction whose writes were all rolled back to savepoints commits
  // with nothing to decode: no consumer will ever see it.
  if (txn.versions.empty()) return;
  history::SourceCommit c;
  c.tick = tick_;
  c.xid = txn.xid;
  c.commit_lsn = txn.commit_lsn;
  last_commit_lsn_ = txn.commit_lsn;
  // (table, key) -> index in c.changes: a linear search while the
  // transaction has changed at most kFewKeys keys; past that, hashed key ids
  // of views into c.changes, which number the changes in their order (a
  // bulk load commits a thousand keys at a time). A transaction of kFewKeys
  // versions or more also reads its keys and before images ahead.
  constexpr size_t kFewKeys = 16;
  // Built on first need: most commits change fewer than kFewKeys keys.
  std::optional<properties::detail::KeyIds> many;  // tag: the table
  auto index_of = [&](uint32_t table, std::string_view key) -> std::optional<size_t> {
    if (c.changes.size() <= kFewKeys) {
      for (size_t i = 0; i < c.changes.size(); ++i) {
        if (c.changes[i].table == table && c.changes[i].key == key) return i;
      }
      return std::nullopt;
    }
    if (!many) {
      many.emplace();
      for (const history::SourceKeyChange& ch : c.changes)
        many->add(ch.table, ch.key);
      CDC_ASSERT(many->size() == c.changes.size(), "a commit's changes name distinct keys");
    }
    return many->find(table, key);
  };
  c.changes.reserve(txn.versions.size());  // no reallocation: `many` views the keys in place
  const bool read_ahead = txn.versions.size() >= kFewKeys;
  if (read_ahead) read_keys_and_befores(txn);
  ids_scratch_.clear();  // !read_ahead: each change's key id, from committed_.add_key
  std::string own_key;
  for (size_t k = 0; k < txn.versions.size(); ++k) {
    const CommittedRowVersion& v = txn.versions[k];
    if (!read_ahead && !same_key_as_previous(txn, k)) own_key = row_key(v.table, v.row, v.ctid);
    const std::string& key = read_ahead ? keys_scratch_[k] : own_key;
    std::optional<size_t> index = index_of(v.table.value(), key);
    if (!index) {
      index = c.changes.size();
      history::SourceKeyChange ch;
      ch.table = v.table.value();
      ch.key = read_ahead ? std::move(keys_scratch_[k]) : key;
      c.changes.push_back(std::move(ch));  // where the history will hold it: no reallocation
      history::SourceKeyChange& added = c.changes.back();
      const SharedRow* before = read_ahead ? befores_scratch_[k] : number_new_key(added);
      if (before != nullptr) added.before = *before;
      if (many) {
        const uint32_t id = many->add(added.table, added.key);
        CDC_ASSERT(id == *index, "key ids follow the changes' order");
      }
    }
    // The key's last version in the transaction leaves its state after it.
    set_after(&c.changes[*index], v);
  }
  h_.source_commits.push_back(std::move(c));
  committed_.apply_last_commit(h_, ids_scratch_);
  costs_.on_source_commit(h_.source_commits.back());
  note_updates_moving_rows(txn);
}

const SharedRow* Recorder::number_new_key(const history::SourceKeyChange& ch) {
  const auto [id, row] = committed_.add_key(h_, ch.table, ch.key);
  ids_scratch_.push_back(id);
  return row;
}

void Recorder::set_after(history::SourceKeyChange* ch, const CommittedRowVersion& v) {
  if (v.inserted) {
    ch->after = v.row;
    ch->after_xmin = v.xmin;
  } else {
    ch->after.reset();
    ch->after_xmin.reset();
  }
}

// An UPDATE of a row without a primary key moves it to another ctid.
void Recorder::note_updates_moving_rows(const CommittedTxn& txn) {
  for (size_t i = 1; i < txn.versions.size(); ++i) {
    const CommittedRowVersion& v = txn.versions[i];
    if (!v.updated || db_->schema(v.table).has_primary_key()) continue;
    const Ctid from = replaced_version(txn, i).ctid;
    record_move(v.table, history::RowMove::Cause::kUpdate, from, v.ctid, ctid_key(from),
                ctid_key(v.ctid), txn.commit_lsn);
  }
}

void Recorder::record_move(TableId t, history::RowMove::Cause cause, Ctid from, Ctid to,
                           std::string from_key, std::string to_key, Lsn lsn) {
  history::RowMove m;
  m.tick = tick_;
  m.table = t.value();
  m.cause = cause;
  m.from = from;
  m.to = to;
  m.from_key = std::move(from_key);
  m.to_key = std::move(to_key);
  m.lsn = lsn;
  m.after_commits = h_.source_commits.size();
  m.resumes_before = h_.resumes.size();
  m.cursors = scan_cursors(t);
  h_.row_moves.push_back(std::move(m));
}

std::vector<history::RowMove::ScanCursor> Recorder::scan_cursors(TableId t) const {
  std::vector<history::RowMove::ScanCursor> out;
  for (const history::Binding& b : h_.bindings) {
    if (b.table_id != t.value() || !scan_cursor_) continue;
    for (const history::RowMove::ScanCursor& c : scan_cursor_(b.id))
      out.push_back(c);
  }
  return out;
}

void Recorder::on_rewrite(TableId t, Database::Rewrite why,
                          const std::vector<std::pair<Ctid, Ctid>>& moves) {
  const bool keyed = db_->schema(t).has_primary_key();
  // A keyed table's rows keep their keys: its moves matter only to a scan by
  // ctid (Without Primary Key) running now.
  if (keyed && scan_cursors(t).empty()) return;
  if (!keyed) {
    // The committed rows follow to their new ctids (their keys are ctids).
    std::vector<std::pair<std::string, std::string>> keys;
    for (const auto& [from, to] : moves)
      keys.emplace_back(ctid_key(from), ctid_key(to));
    committed_.rekey(t.value(), keys);
  }
  const auto cause = why == Database::Rewrite::kVacuumFull
                         ? history::RowMove::Cause::kVacuumFull
                         : history::RowMove::Cause::kTruncateRewrite;
  const HeapTable& heap = db_->heap(t);
  for (const auto& [from, to] : moves) {
    if (from == to) continue;
    const std::optional<uint32_t> slot = heap.slot_of(to);
    CDC_ASSERT(slot.has_value(), "a rewritten row is at its new ctid");
    const std::string to_key = row_key(t, heap.row(*slot), to);
    record_move(t, cause, from, to, keyed ? to_key : ctid_key(from), to_key, last_commit_lsn_);
  }
}

void Recorder::on_start(Lsn cursor) {
  event(history::Event::Kind::kCaptureStart, "capture started at cursor " + to_string(cursor));
}

void Recorder::on_instance(uint32_t binding, const std::string& state_key, CaptureMode mode,
                           Lsn stream_start) {
  // A restart before the state is first committed starts the instance again:
  // it keeps the tick it was first requested at, but streams from where the
  // latest start put it (a jump ahead moves it).
  for (history::BackfillInstance& seen : h_.backfills) {
    if (seen.state_key != state_key) continue;
    seen.stream_start_lsn = stream_start;
    seen.mode = to_history(mode);
    return;
  }
  history::BackfillInstance i;
  i.binding = binding;
  i.state_key = state_key;
  i.mode = to_history(mode);
  i.requested_tick = tick_;
  i.stream_start_lsn = stream_start;
  h_.backfills.push_back(i);
}

void Recorder::on_decoded(const DecodedTxn& txn) {
  h_.decoded.push_back({tick_, txn.xid, txn.commit_lsn, static_cast<uint32_t>(txn.changes.size())});
}

void Recorder::on_chunk(const ChunkTrace& chunk) {
  history::Chunk c;
  c.tick = tick_;
  c.binding = chunk.binding;
  c.state_key = chunk.state_key;
  c.limit = chunk.limit;
  c.snapshot_lsn = chunk.snapshot_lsn;
  c.failed = chunk.failed;
  c.final_chunk = chunk.final_chunk;
  c.min_backfill_xid = chunk.min_backfill_xid;
  c.max_backfill_xid = chunk.max_backfill_xid;
  c.snapshot_xmax = chunk.snapshot_xmax;
  const TableId t = TableId(h_.bindings[chunk.binding].table_id);
  const bool keyed = db_->schema(t).has_primary_key() && chunk.after_ctid == std::nullopt;
  if (chunk.after && keyed) c.after = order_key(t, *chunk.after);
  if (chunk.after_ctid) {
    c.blocks = {chunk.after_ctid->block, chunk.after_ctid->block + chunk.limit - 1};
    c.table_pages = db_->page_count(t).value();
    c.range_end = chunk.range_end;
  }
  // A table whose key columns all collate under "C" orders its index
  // bytewise: the order key is the row key's encoding, kept once.
  const bool order_is_key = keyed && !db_->heap(t).has_bytewise_index();
  c.rows.reserve(chunk.rows.size());
  if (!order_is_key) c.order_keys.reserve(chunk.rows.size());
  for (size_t i = 0; i < chunk.rows.size(); ++i) {
    const ScannedRow& r = chunk.rows[i];
    history::ChunkRow row;
    row.key = row_key(t, r.row, r.ctid);
    if (!keyed) {
      c.order_keys.push_back(to_string(r.ctid));
    } else if (!order_is_key) {
      c.order_keys.push_back(db_->heap(t).index_key_of_row(r.row));
    }
    row.xmin = r.xmin;
    row.emitted = chunk.emitted[i];
    c.rows.push_back(std::move(row));
  }
  chunk_index_[chunk.id] = h_.chunks.size();
  h_.chunks.push_back(std::move(c));
  costs_.on_chunk(h_.chunks.back());
}

void Recorder::on_resume(uint32_t binding, const std::string& state_key,
                         const BindingState& state) {
  history::Resume r;
  r.tick = tick_;
  r.binding = binding;
  r.state_key = state_key;
  r.mode = to_history(state.mode);
  // The cursor in the form the chunks record it (on_chunk): a keyed scan's
  // last key under the key columns' collations, a ctid-range scan's ctid.
  const TableId t = TableId(h_.bindings[binding].table_id);
  if (state.mode == CaptureMode::kWithoutPrimaryKey) {
    r.cursor_ctid = state.scanned_ctid;
  } else if (state.scanned) {
    r.cursor = order_key(t, *state.scanned);
  }
  r.backfilled = state.backfilled;
  r.last_seq = h_.collection_txns.empty() ? 0 : h_.collection_txns.back().seq;
  h_.resumes.push_back(std::move(r));
}

void Recorder::on_commit(uint64_t seq, const std::vector<std::pair<uint32_t, CollectionDoc>>& docs,
                         const std::vector<uint64_t>& chunk_ids,
                         const std::vector<std::string>& completed, Lsn cursor) {
  history::CollectionTxn t;
  t.seq = seq;
  t.tick = tick_;
  t.checkpoint_cursor = cursor;
  t.completed_backfills = completed;
  for (const auto& [b, d] : docs) {
    history::Document doc;
    doc.binding = b;
    doc.state_key = d.state_key;
    doc.key = d.key;
    doc.op = static_cast<history::DocOp>(d.op);
    doc.fields = d.fields;
    doc.present_mask = d.present_mask;
    doc.lsn = d.lsn;
    doc.txid = d.txid;
    doc.snapshot = d.snapshot;
    doc.change_index = d.change_index;
    doc.id = d.id;
    t.docs.push_back(std::move(doc));
  }
  for (uint64_t id : chunk_ids)
    h_.chunks[chunk_index_.at(id)].committed_in = seq;
  costs_.on_collection_txn(t);
  h_.collection_txns.push_back(std::move(t));
}

void Recorder::on_ignored(IgnoredRecord what, const std::string& words) {
  using T = history::Event::Type;
  const T type = what == IgnoredRecord::kTruncate                    ? T::kIgnoredTruncate
                 : what == IgnoredRecord::kUnchangedToastOnKeyChange ? T::kIgnoredToastOnKeyChange
                 : what == IgnoredRecord::kToastDroppedByWindow      ? T::kToastDroppedByWindow
                 : what == IgnoredRecord::kOpenAcrossHighWatermark   ? T::kOpenAcrossHighWatermark
                 : what == IgnoredRecord::kSplitOrderMismatch        ? T::kSplitOrderMismatch
                 : what == IgnoredRecord::kWindowNeverOpened         ? T::kWindowNeverOpened
                 : what == IgnoredRecord::kSplitToastPlaceholder     ? T::kSplitToastPlaceholder
                                                                     : T::kSnapshotSkipped;
  event(history::Event::Kind::kOperation, "capture ignored " + words, type);
}

void Recorder::on_error(const Error& error) {
  event(history::Event::Kind::kCaptureError, error.message,
        error.code == ErrorCode::kSlotLost ? history::Event::Type::kSlotLostError
                                           : history::Event::Type::kCaptureError);
}

void Recorder::set_materializations(const std::vector<MaterializationBindingSpec>& specs,
                                    const std::vector<CaptureBinding>& capture_bindings) {
  h_.materializations.clear();
  for (uint32_t m = 0; m < specs.size(); ++m) {
    history::MaterializationBinding mb;
    mb.id = m;
    mb.collection = specs[m].collection;
    mb.destination = specs[m].destination;
    mb.strategy = specs[m].strategy == UpdateStrategy::kMerge ? history::UpdateStrategy::kMerge
                                                              : history::UpdateStrategy::kDelta;
    mb.keep_existing_on_backfill = specs[m].keep_existing_on_backfill;
    for (uint32_t b = 0; b < capture_bindings.size(); ++b) {
      if (capture_bindings[b].collection == specs[m].collection) mb.capture_binding = b;
    }
    h_.materializations.push_back(mb);
  }
}

history::DestinationRow history_row(const history::DocKey& key, const DestValue& r,
                                    SharedRow fields) {
  return {.key = key,
          .fields = std::move(fields),
          .present_mask = r.present_mask,
          .lsn = r.lsn,
          .collection_seq = r.collection_seq,
          .op = static_cast<history::DocOp>(r.op),
          .snapshot = r.snapshot};
}

void Recorder::on_destination_commit(const DestinationCommit& c) {
  CDC_ASSERT(!committed_.cleared(), "no destination commit after the source state is released");
  history::DestinationTxn t;
  t.tick = tick_;
  t.binding = c.binding;
  t.state_key = c.state_key;
  t.read_through_seq = c.position.read_through_seq;
  t.truncated_first = c.truncate_first || c.recreate;
  t.upserts.reserve(c.upserts.size());
  for (const DestRow& r : c.upserts)
    t.upserts.push_back(history_row(r.key, r, r.fields));
  t.deletes = c.deletes;
  const history::MaterializationBinding& m = h_.materializations.at(c.binding);
  const history::Binding& b = h_.bindings.at(m.capture_binding);
  costs_.on_destination_txn(tick_, t, m, b, [&] { return committed_.rows_of(h_, b.table_id); });
  h_.destination_txns.push_back(std::move(t));
}

void Recorder::on_materialization_error(const std::string& message) {
  event(history::Event::Kind::kFault, "materialization: " + message);
}

void Recorder::on_expired(const std::map<std::string, std::vector<CompactKey>>& keys) {
  for (const auto& [collection, ks] : keys) {
    for (const history::Binding& b : h_.bindings) {
      if (b.collection != collection) continue;
      history::Expiry e;
      e.tick = tick_;
      e.capture_binding = b.id;
      e.keys = ks;
      e.documents = ks.size();
      h_.expiries.push_back(std::move(e));
    }
  }
}

void Recorder::finish_costs(uint64_t end_tick) {
  CDC_ASSERT(h_.final_state.recorded, "costs are taken from a finished history");
  h_.costs = costs_.finish(h_, end_tick);
}

void Recorder::on_backfill_op(history::BackfillOp op) {
  op.tick = tick_;
  h_.backfill_ops.push_back(std::move(op));
}

}  // namespace cdc::sim
