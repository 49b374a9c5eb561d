#include "model/materialization.h"

#include <algorithm>
#include <iterator>
#include <numeric>

#include "model/key_sort.h"
#include "model/mutants.h"
#include "model/reduction.h"
#include "model/situations.h"

namespace cdc {

const char* to_string(UpdateStrategy s) {
  return s == UpdateStrategy::kMerge ? "merge" : "delta";
}

uint32_t seq_of(uint64_t collection_seq) {
  CDC_ASSERT(collection_seq <= UINT32_MAX, "a collection transaction's seq fits 32 bits");
  return static_cast<uint32_t>(collection_seq);
}

// ---- Destination ----

const DestinationTable* Destination::table(const std::string& name) const {
  auto it = tables_.find(name);
  return it == tables_.end() ? nullptr : &it->second;
}

std::optional<DestinationTable> Destination::release_table(const std::string& name) {
  auto it = tables_.find(name);
  if (it == tables_.end()) return std::nullopt;
  DestinationTable out = std::move(it->second);
  tables_.erase(it);
  return out;
}

std::optional<MaterializationPosition> Destination::position(const std::string& state_key) const {
  auto it = positions_.find(state_key);
  if (it == positions_.end()) return std::nullopt;
  return it->second;
}

namespace {

// Stores each of `upserts` in `rows`, replacing a row of its key. A
// backfill's rows come above every stored key, which the table takes
// without a search (model/merge_rows.h).
void store_upserts(const std::vector<DestRow>& upserts, MergeRows* rows) {
  for (const DestRow& r : upserts)
    rows->insert_or_assign(r.key, r);
}

}  // namespace

void Destination::commit(const DestinationCommit& c) {
  // A binding's read position never moves back (a backfill starts a new state key).
  CDC_ASSERT(!positions_.count(c.state_key) ||
                 positions_.at(c.state_key).read_through_seq <= c.position.read_through_seq,
             "a read position only moves forward");
  DestinationTable& t = tables_[c.table];
  if (c.recreate || c.truncate_first) {
    t = DestinationTable{};
    t.schema_version = c.schema_version;
  }
  if (c.strategy == UpdateStrategy::kMerge) {
    for (const CompactKey& k : c.deletes) {
      if (!mutant_active(Mutant::kMergeDeleteIgnored)) t.merged.erase(k);
    }
    store_upserts(c.upserts, &t.merged);
  } else {
    CDC_ASSERT(c.deletes.empty(), "a delta commit deletes nothing");
    t.appended.insert(t.appended.end(), c.upserts.begin(), c.upserts.end());
  }
  positions_[c.state_key] = c.position;
  CDC_ASSERT(c.strategy != UpdateStrategy::kMerge || c.upserts.empty() ||
                 t.merged.count(c.upserts.back().key),
             "the rows and the read position commit together");
}

void Destination::retain_positions(const std::vector<std::string>& keep) {
  std::erase_if(positions_, [&](const auto& e) {
    return std::find(keep.begin(), keep.end(), e.first) == keep.end();
  });
}

uint64_t Destination::corrupt(const std::string& name) {
  auto it = tables_.find(name);
  if (it == tables_.end()) return 0;
  uint64_t damaged = 0;
  // Every other merge row in key order is damaged: of those, every other
  // is lost and the rest lose their second field.
  std::vector<CompactKey> lost;
  std::vector<CompactKey> garbled;
  size_t i = 0;
  for (const auto& [key, value] : it->second.merged) {
    const size_t at = i++;
    if (at % 2) continue;
    ++damaged;
    if (at % 4 == 0) {
      lost.push_back(key);
    } else if (value.fields.size() > 1) {
      garbled.push_back(key);
    }
  }
  for (const CompactKey& key : lost)
    it->second.merged.erase(key);
  for (const CompactKey& key : garbled) {
    DestValue* value = it->second.merged.find(key);
    Row row = value->fields.to_row();
    row[1] = Value::null();
    value->fields = std::move(row);
  }
  std::vector<DestRow>& rows = it->second.appended;
  const size_t before = rows.size();
  size_t j = 0;
  std::erase_if(rows, [&](const DestRow&) { return j++ % 2 == 0; });
  CDC_ASSERT(rows.size() == before / 2, "every other appended row is lost");
  return damaged + (before - rows.size());
}

// ---- Materialization ----

Materialization::Materialization(const CollectionStore* store, Destination* dest,
                                 std::vector<MaterializationBindingSpec> bindings,
                                 MaterializationObserver* observer)
    : store_(store), dest_(dest), bindings_(std::move(bindings)), observer_(observer) {
  CDC_ASSERT(store_ && dest_ && observer_, "materialization needs its collaborators");
}

std::string Materialization::state_key(uint32_t binding) const {
  const MaterializationBindingSpec& b = bindings_[binding];
  return b.destination + ".v" + std::to_string(b.backfill_counter);
}

void Materialization::restart() {
  started_ = false;
  built_.reset();
  deferred_position_.reset();
}

Status Materialization::step() {
  CDC_ASSERT(!(built_ && deferred_position_) && (started_ || !built_),
             "one destination transaction at a time, built after start");
  if (!started_) return start();
  if (built_) return commit();
  if (deferred_position_) {  // mutant read-position-committed-later only
    dest_->commit(*deferred_position_);
    deferred_position_.reset();
    return Status::ok();
  }
  return build();
}

Status Materialization::start() {
  CDC_ASSERT(!started_ && !built_, "a materialization starts from nothing");
  const size_t n = bindings_.size();
  positions_.assign(n, MaterializationPosition{});
  truncate_pending_.assign(n, false);
  recreate_pending_.assign(n, false);
  for (uint32_t b = 0; b < n; ++b) {
    const MaterializationBindingSpec& spec = bindings_[b];
    if (std::optional<MaterializationPosition> p = dest_->position(state_key(b))) {
      positions_[b] = *p;
      continue;
    }
    // A new state key: a backfill of this binding (or its first start).
    const bool keep =
        spec.keep_existing_on_backfill &&
        (!spec.force_truncate_on_backfill || mutant_active(Mutant::kDataFlowResetKeepsDestination));
    positions_[b].load_optimisation = !keep;
    if (keep && spec.backfill_counter > 0) reached(Situation::kKeepExistingOnBackfill);
    truncate_pending_[b] = !keep && !mutant_active(Mutant::kBackfillNoTruncate);
    if (mutant_active(Mutant::kBackfillReadsFromTail)) {
      positions_[b].read_through_seq = store_->last_seq();
    }
    const DestinationTable* t = dest_->table(spec.destination);
    recreate_pending_[b] = t != nullptr && t->schema_version != spec.schema_version;
  }
  started_ = true;
  CDC_ASSERT(positions_.size() == n && truncate_pending_.size() == n, "one position per binding");
  return Status::ok();
}

std::optional<uint32_t> Materialization::next_binding() const {
  const uint32_t n = static_cast<uint32_t>(bindings_.size());
  CDC_ASSERT(started_ && positions_.size() == n && recreate_pending_.size() == n,
             "a started materialization has a position per binding");
  for (uint32_t i = 0; i < n; ++i) {
    const uint32_t b = (round_robin_ + i) % n;
    if (truncate_pending_[b] || recreate_pending_[b]) return b;
    // Read through the store's last transaction: nothing newer in any
    // collection, so no lookup of its own (a drained run asks often).
    if (store_->last_seq() <= positions_[b].read_through_seq) continue;
    const CollectionDocs* docs = store_->find_docs(bindings_[b].collection);
    if (docs == nullptr) continue;
    if (!docs->empty() && docs->back().txn_seq > positions_[b].read_through_seq) return b;
  }
  return std::nullopt;
}

bool Materialization::drained() const {
  return started_ && !built_ && !next_binding();
}

Status Materialization::build() {
  CDC_ASSERT(!built_ && !deferred_position_, "building on a committed state");
  const std::optional<uint32_t> next = next_binding();
  if (!next) return Status::ok();
  const uint32_t b = *next;
  round_robin_ = (b + 1) % static_cast<uint32_t>(bindings_.size());
  const MaterializationBindingSpec& spec = bindings_[b];
  DestinationCommit c;
  c.binding = b;
  c.state_key = state_key(b);
  c.table = spec.destination;
  c.strategy = spec.strategy;
  c.truncate_first = truncate_pending_[b];
  c.recreate = recreate_pending_[b];
  c.schema_version = spec.schema_version;
  c.position = positions_[b];
  // Whole collection transactions after the position, at most max_txns_per_commit.
  std::vector<const StoredDoc*> docs;
  if (store_->exists(spec.collection)) {
    uint32_t txns = 0;
    uint64_t last_seq = 0;
    // Documents are in commit order: skip what was read by binary search.
    const CollectionDocs& all = store_->docs(spec.collection);
    const uint64_t from = positions_[b].read_through_seq;
    auto it = std::upper_bound(all.begin(), all.end(), from,
                               [](uint64_t seq, const StoredDoc& d) { return seq < d.txn_seq; });
    for (; it != all.end(); ++it) {
      const StoredDoc& d = *it;
      CDC_ASSERT(d.txn_seq > from && d.txn_seq >= last_seq, "documents are in commit order");
      const bool split = mutant_active(Mutant::kDestinationBatchSplitsTxn) &&
                         docs.size() >= max_txns_per_commit;  // counts documents
      if (split || (d.txn_seq != last_seq && ++txns > max_txns_per_commit)) {
        reached(Situation::kMaterializationTxnLimited);
        break;
      }
      last_seq = d.txn_seq;
      docs.push_back(&d);
    }
    // Where a collection transaction is read: all its documents, or none.
    CDC_ASSERT(it == all.end() || it->txn_seq != last_seq ||
                   mutant_active(Mutant::kDestinationBatchSplitsTxn),
               "whole collection transactions");
    if (last_seq) c.position.read_through_seq = last_seq;
  }
  if (spec.strategy == UpdateStrategy::kMerge) {
    build_merge(b, docs, &c);
  } else {
    for (const StoredDoc* d : docs) {
      c.upserts.push_back({{.fields = d->fields,
                            .present_mask = d->present_mask,
                            .lsn = d->lsn,
                            .collection_seq = seq_of(d->txn_seq),
                            .op = d->op,
                            .snapshot = d->snapshot},
                           d->key});
    }
  }
  built_ = std::move(c);
  return Status::ok();
}

namespace {
// Applies one document to the row its key has so far (none: absent).
void stage(const StoredDoc& d, std::optional<DestRow>* row) {
  if (d.op == 'd') {
    row->reset();
    return;
  }
  // A new row starts empty: the reduction widens it to the document's width.
  if (!*row) {
    *row = DestRow();
    (*row)->key = d.key;
    (*row)->lsn = d.lsn;
  }
  reduce_fields(&(*row)->fields, &(*row)->present_mask, d.fields, d.present_mask,
                mutant_active(Mutant::kReductionFirstWins));
  (*row)->lsn = d.lsn;
  (*row)->snapshot = d.snapshot;
  (*row)->collection_seq = seq_of(d.txn_seq);
}
}  // namespace

void Materialization::build_merge(uint32_t b, const std::vector<const StoredDoc*>& docs,
                                  DestinationCommit* out) const {
  CDC_ASSERT(out->binding == b && out->upserts.empty() && out->deletes.empty(),
             "merging into a fresh destination transaction of the binding");
  const MaterializationBindingSpec& spec = bindings_[b];
  const DestinationTable* table =
      out->truncate_first || out->recreate ? nullptr : dest_->table(spec.destination);
  const MaterializationPosition& pos = positions_[b];
  // The documents in key order, each key's in the order they came: one
  // sort of their numbers instead of a map node per key.
  std::vector<uint32_t> order(docs.size());
  std::iota(order.begin(), order.end(), 0u);
  const auto before = [&](uint32_t x, uint32_t y) {
    const int c = docs[x]->key.view().compare(docs[y]->key.view());
    return c != 0 ? c < 0 : x < y;
  };
  // A backfill's documents mostly come in key order already.
  if (!std::is_sorted(order.begin(), order.end(), before)) {
    sort_ids_by_key(&order, [&](uint32_t x) { return docs[x]->key.view(); });
  }
  size_t keys = 0;
  for (size_t i = 0; i < order.size(); ++keys) {
    const CompactKey& key = docs[order[i]]->key;
    std::optional<DestRow> row;
    // The max-key optimisation: keys above the highest ever stored are not loaded.
    const bool skip = mutant_active(Mutant::kMergeLoadSkipped) ||
                      (pos.load_optimisation && (!pos.max_key || key > *pos.max_key));
    if (skip && table != nullptr) reached(Situation::kDestinationLoadSkippedAboveMaxKey);
    if (!skip && table != nullptr) {
      if (const DestValue* stored = table->merged.find(key)) {
        row.emplace();
        static_cast<DestValue&>(*row) = *stored;
        row->key = key;
        ++out->loaded;
      }
    }
    for (; i < order.size() && docs[order[i]]->key == key; ++i)
      stage(*docs[order[i]], &row);
    if (row) {
      if (!out->position.max_key || key > *out->position.max_key) out->position.max_key = key;
      out->upserts.push_back(std::move(*row));
    } else {
      out->deletes.push_back(key);
    }
  }
  CDC_ASSERT(out->upserts.size() + out->deletes.size() == keys,
             "one stored row or one delete per key");
}

namespace {
// Situations of a destination transaction about to commit.
void note_commit(const DestinationCommit& c, const MaterializationBindingSpec& spec) {
  reached(c.strategy == UpdateStrategy::kMerge ? Situation::kStrategyMerge
                                               : Situation::kStrategyDelta);
  if (c.truncate_first && spec.backfill_counter > 0) {
    reached(Situation::kDestinationTruncatedOnBackfill);
  }
  if (c.recreate) reached(Situation::kDestinationRecreated);
  if (!c.deletes.empty()) reached(Situation::kDestinationDelete);
}
}  // namespace

Status Materialization::commit() {
  CDC_ASSERT(started_ && built_, "committing a built transaction");
  if (fail_next_commit_) {
    fail_next_commit_ = false;
    reached(Situation::kDestinationCommitFails);
    if (built_->loaded > 0) reached(Situation::kDestinationCommitFailsAfterLoad);
    if (mutant_active(Mutant::kFailedCommitAdvancesPosition)) {
      positions_[built_->binding] = built_->position;  // as if it had committed
    }
    built_.reset();
    const std::string msg = "destination commit failed";
    observer_->on_materialization_error(msg);
    return Error{ErrorCode::kObjectInUse, msg};
  }
  const DestinationCommit& c = *built_;
  note_commit(c, bindings_[c.binding]);
  if (mutant_active(Mutant::kReadPositionCommittedLater)) {
    // Rows now, with the old position; the new position in a later step.
    DestinationCommit rows = c;
    rows.position = dest_->position(c.state_key).value_or(MaterializationPosition{});
    dest_->commit(rows);
    DestinationCommit position;
    position.binding = c.binding;
    position.state_key = c.state_key;
    position.table = c.table;
    position.strategy = c.strategy;
    position.schema_version = c.schema_version;
    position.position = c.position;
    deferred_position_ = std::move(position);
  } else {
    dest_->commit(c);
  }
  positions_[c.binding] = c.position;
  if (c.truncate_first || c.recreate) bindings_[c.binding].force_truncate_on_backfill = false;
  truncate_pending_[c.binding] = false;
  recreate_pending_[c.binding] = false;
  observer_->on_destination_commit(c);
  CDC_ASSERT(mutant_active(Mutant::kReadPositionCommittedLater) ||
                 dest_->position(c.state_key)->read_through_seq == c.position.read_through_seq,
             "the destination holds the position committed with the rows");
  // The rows are shared with the store and the history: released with their
  // blocks fetched ahead.
  release_rows(built_->upserts.begin(), built_->upserts.end(),
               [](DestRow& r) -> SharedRow& { return r.fields; });
  built_.reset();
  return Status::ok();
}

}  // namespace cdc
