#include "properties/history_keys.h"

#include <algorithm>
#include <numeric>
#include <utility>

#include "model/assert.h"
#include "properties/helpers.h"

namespace cdc::properties::detail {

TableKeys::TableKeys(std::shared_ptr<const SourceTimeline> timeline)
    : timeline_(std::move(timeline)), changed_(timeline_->id_count()) {}

std::string_view TableKeys::key(uint32_t id) const {
  return changed(id) ? timeline_->entry(id).key : extra_.key(static_cast<uint32_t>(id - changed_));
}

std::optional<uint32_t> TableKeys::find(std::string_view key) const {
  if (std::optional<uint32_t> id = timeline_->id_of(key)) return id;
  const std::optional<uint32_t> extra = extra_.find(0, key);
  if (!extra) return std::nullopt;
  return static_cast<uint32_t>(*extra + changed_);
}

std::optional<TimelineKey> TableKeys::entry(uint32_t id) const {
  CDC_ASSERT(id < size(), "an id of this table");
  if (!changed(id)) return std::nullopt;
  return timeline_->entry(id);
}

const SharedRow* TableKeys::final_row(uint32_t id) const {
  CDC_ASSERT(id < size(), "an id of this table");
  return changed(id) ? SourceTimeline::final_row(timeline_->versions_of(id)) : nullptr;
}

void TableKeys::prefetch_final_row(uint32_t id, FetchStage stage) const {
  if (!changed(id)) return;
  const KeyVersion& last = timeline_->versions_of(id).back();
  if (stage == FetchStage::kRecords) {
    __builtin_prefetch(last.change);
  } else if (last.change->after) {
    last.change->after->prefetch();
  }
}

void TableKeys::add(std::span<const std::string_view> keys, std::span<uint32_t> out) {
  timeline_->ids_of(keys, out);
  for (size_t i = 0; i < keys.size(); ++i) {
    if (out[i] == KeyIds::kMissing)
      out[i] = static_cast<uint32_t>(extra_.add(0, keys[i]) + changed_);
  }
}

void TableKeys::finish() {
  std::vector<uint32_t> order(extra_.size());
  std::iota(order.begin(), order.end(), 0u);
  sort_by_key(extra_, &order);
  unchanged_sorted_.clear();
  for (const uint32_t e : order)
    unchanged_sorted_.push_back(static_cast<uint32_t>(e + changed_));
  // The timeline's keys (in key order already) merged with those.
  all_sorted_.clear();
  all_sorted_.reserve(size());
  const size_t n = timeline_->key_count();
  size_t i = 0;
  for (const uint32_t u : unchanged_sorted_) {
    for (; i < n && timeline_->key_at(i).key < key(u); ++i)
      all_sorted_.push_back(timeline_->id_at(i));
    all_sorted_.push_back(u);
  }
  for (; i < n; ++i)
    all_sorted_.push_back(timeline_->id_at(i));
  CDC_ASSERT(all_sorted_.size() == size(), "every key is in the key order once");
}

namespace {

// Appends the ids of keys in their spaces to `out`, looking them up in
// batches of consecutive keys of one space.
class IdBatch {
 public:
  explicit IdBatch(std::vector<uint32_t>* out) : out_(out) {}
  ~IdBatch() { CDC_ASSERT(keys_.empty(), "a batch is flushed before it ends"); }
  // REQUIRES: `key` lies in the History.
  void add(TableKeys* space, std::string_view key) {
    if (space != space_ || keys_.size() == kMax) flush();
    space_ = space;
    keys_.push_back(key);
  }
  void flush() {
    const size_t at = out_->size();
    out_->resize(at + keys_.size());
    const std::span<uint32_t> ids(out_->data() + at, keys_.size());
    if (space_ == nullptr) {
      std::fill(ids.begin(), ids.end(), HistoryKeys::kNone);
    } else {
      space_->add(keys_, ids);
    }
    keys_.clear();
  }

 private:
  static constexpr size_t kMax = 1024;
  std::vector<uint32_t>* out_;
  TableKeys* space_ = nullptr;
  std::vector<std::string_view> keys_;
};

}  // namespace

HistoryKeys::HistoryKeys(const history::History& h) : h_(h) {
  for (const history::Binding& b : h.bindings) {
    // A keyless binding's keys name row versions, not rows: no checker
    // looks them up by id, and numbering them would cost memory for nothing.
    if (b.keyless) continue;
    auto it = tables_.find(b.table_id);
    if (it == tables_.end()) {
      it = tables_.emplace(b.table_id, TableKeys(timeline_for(h, b.table_id))).first;
    }
    by_binding_.emplace(b.id, &it->second);
  }
  add_changes();
  add_documents();
  add_destinations();
  add_chunks();
  for (auto& [table, keys] : tables_)
    keys.finish();
  for (auto& [m, keys] : orphans_)
    keys.finish();
}

TableKeys* HistoryKeys::space_of_binding(uint32_t binding) {
  const auto it = by_binding_.find(binding);
  return it == by_binding_.end() ? nullptr : it->second;
}

void HistoryKeys::add_changes() {
  std::map<uint32_t, size_t> next;  // by table: its next change's place in change_ids()
  first_change_.reserve(h_.source_commits.size() + 1);
  for (const history::SourceCommit& c : h_.source_commits) {
    first_change_.push_back(changes_.size());
    for (const history::SourceKeyChange& ch : c.changes) {
      const auto it = tables_.find(ch.table);
      if (it == tables_.end()) {
        changes_.push_back(kNone);
        continue;
      }
      const std::vector<uint32_t>& ids = it->second.timeline().change_ids();
      const size_t at = next[ch.table]++;
      CDC_ASSERT(at < ids.size(), "the timeline numbered every change of its table");
      changes_.push_back(ids[at]);
    }
  }
  first_change_.push_back(changes_.size());
}

void HistoryKeys::add_documents() {
  first_doc_.reserve(h_.collection_txns.size() + 1);
  size_t total = 0;
  for (const history::CollectionTxn& txn : h_.collection_txns)
    total += txn.docs.size();
  docs_.reserve(total);  // no copying as it grows
  IdBatch batch(&docs_);
  size_t n = 0;
  for (const history::CollectionTxn& txn : h_.collection_txns) {
    first_doc_.push_back(n);
    n += txn.docs.size();
    for (const history::Document& d : txn.docs)
      batch.add(space_of_binding(d.binding), d.key);
  }
  batch.flush();
  first_doc_.push_back(n);
}

void HistoryKeys::add_destinations() {
  for (const history::MaterializationBinding& m : h_.materializations) {
    TableKeys* space = space_of_binding(m.capture_binding);
    if (space == nullptr) {
      // No source table: an empty timeline (no table has this id).
      constexpr uint32_t kNoTable = std::numeric_limits<uint32_t>::max();
      space = &orphans_.try_emplace(m.id, timeline_for(h_, kNoTable)).first->second;
    }
    by_materialization_.emplace(m.id, space);
  }
  const auto space_of = [&](uint32_t m) {
    const auto it = by_materialization_.find(m);
    return it == by_materialization_.end() ? nullptr : it->second;
  };
  size_t total_upserts = 0;
  size_t total_deletes = 0;
  for (const history::DestinationTxn& txn : h_.destination_txns) {
    total_upserts += txn.upserts.size();
    total_deletes += txn.deletes.size();
  }
  upserts_.reserve(total_upserts);
  deletes_.reserve(total_deletes);
  IdBatch upserts(&upserts_);
  IdBatch deletes(&deletes_);
  size_t n_upserts = 0;
  size_t n_deletes = 0;
  for (const history::DestinationTxn& txn : h_.destination_txns) {
    TableKeys* space = space_of(txn.binding);
    first_upsert_.push_back(n_upserts);
    first_delete_.push_back(n_deletes);
    n_upserts += txn.upserts.size();
    n_deletes += txn.deletes.size();
    for (const history::DestinationRow& r : txn.upserts)
      upserts.add(space, r.key);
    for (const history::DocKey& k : txn.deletes)
      deletes.add(space, k);
  }
  upserts.flush();
  deletes.flush();
  first_upsert_.push_back(n_upserts);
  first_delete_.push_back(n_deletes);
  for (size_t m = 0; m < h_.final_state.destinations.size(); ++m) {
    TableKeys* space = space_of(static_cast<uint32_t>(m));
    finals_.emplace_back().reserve(h_.final_state.destinations[m].size());
    IdBatch batch(&finals_.back());
    for (const history::DestinationRow& r : history::FinalRows(h_, m))
      batch.add(space, r.key);
    batch.flush();
  }
}

void HistoryKeys::add_chunks() {
  IdBatch batch(&chunk_rows_);
  size_t n = 0;
  for (const history::Chunk& c : h_.chunks) {
    TableKeys* space = space_of_binding(c.binding);
    first_chunk_row_.push_back(n);
    n += c.rows.size();
    for (const history::ChunkRow& r : c.rows)
      batch.add(space, r.key);
  }
  batch.flush();
  first_chunk_row_.push_back(n);
}

const TableKeys* HistoryKeys::table(uint32_t table_id) const {
  const auto it = tables_.find(table_id);
  return it == tables_.end() ? nullptr : &it->second;
}

const TableKeys& HistoryKeys::of_binding(uint32_t binding) const {
  const auto it = by_binding_.find(binding);
  CDC_ASSERT(it != by_binding_.end(), "a binding of the history");
  return *it->second;
}

const TableKeys& HistoryKeys::of_materialization(uint32_t m) const {
  const auto it = by_materialization_.find(m);
  CDC_ASSERT(it != by_materialization_.end(), "a materialization of the history");
  return *it->second;
}

template <class T>
size_t HistoryKeys::index_in(const std::vector<T>& v, const T& item) {
  CDC_ASSERT(!v.empty() && &item >= v.data() && &item < v.data() + v.size(),
             "an item of the history the keys were built from");
  return static_cast<size_t>(&item - v.data());
}

uint32_t HistoryKeys::change(const history::SourceCommit& c,
                             const history::SourceKeyChange& ch) const {
  const size_t t = index_in(h_.source_commits, c);
  return changes_[first_change_[t] + index_in(c.changes, ch)];
}

uint32_t HistoryKeys::doc(const history::CollectionTxn& txn, const history::Document& d) const {
  const size_t t = index_in(h_.collection_txns, txn);
  return docs_[first_doc_[t] + index_in(txn.docs, d)];
}

uint32_t HistoryKeys::upsert(const history::DestinationTxn& txn,
                             const history::DestinationRow& r) const {
  const size_t t = index_in(h_.destination_txns, txn);
  return upserts_[first_upsert_[t] + index_in(txn.upserts, r)];
}

uint32_t HistoryKeys::deleted(const history::DestinationTxn& txn, size_t index) const {
  const size_t t = index_in(h_.destination_txns, txn);
  CDC_ASSERT(index < txn.deletes.size(), "a delete of the transaction");
  return deletes_[first_delete_[t] + index];
}

uint32_t HistoryKeys::final_row(uint32_t m, size_t index) const {
  CDC_ASSERT(m < finals_.size() && index < finals_[m].size(), "a recorded final destination row");
  return finals_[m][index];
}

uint32_t HistoryKeys::chunk_row(const history::Chunk& c, const history::ChunkRow& r) const {
  const size_t t = index_in(h_.chunks, c);
  return chunk_rows_[first_chunk_row_[t] + index_in(c.rows, r)];
}

std::shared_ptr<const HistoryKeys> history_keys(const history::History& h) {
  return std::static_pointer_cast<const HistoryKeys>(
      scoped_value(h, "history_keys", 0, [&] { return std::make_shared<const HistoryKeys>(h); }));
}

}  // namespace cdc::properties::detail
