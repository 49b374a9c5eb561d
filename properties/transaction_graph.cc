#include "properties/transaction_graph.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string_view>
#include <tuple>
#include <utility>

#include "model/assert.h"
#include "model/key_sort.h"
#include "properties/history_keys.h"

namespace cdc::properties::detail {

namespace {

// A counting sort's bounds: `items` grouped by their key ids (key_of(item);
// kNoKey: an item of no key), key k's from starts[k] to starts[k + 1].
// REQUIRES: every id is below `keys` or kNoKey.
constexpr uint32_t kNoKey = UINT32_MAX;
template <class Items, class KeyOf>
std::vector<uint32_t> group_starts(size_t keys, const Items& items, KeyOf key_of) {
  CDC_ASSERT(items.size() <= UINT32_MAX, "item numbers fit 32 bits");
  std::vector<uint32_t> starts(keys + 1, 0);
  for (const auto& item : items) {
    const uint32_t k = key_of(item);
    if (k != kNoKey) ++starts[k + 1];
  }
  for (size_t k = 0; k < keys; ++k)
    starts[k + 1] += starts[k];
  return starts;
}

// The source history of one captured key: the commits that changed it.
struct KeyHistory {
  uint32_t binding = 0;
  const history::DocKey* key = nullptr;
  std::span<const Lsn> lsns;        // commit LSNs, ascending
  std::span<const uint32_t> nodes;  // the node of each
};

// Captured keys, numbered in the order the source first changed them. A
// key is found by its id in its table's key space (history_keys.h), shared
// with the other checkers; only the numbering, which follows the history,
// reaches the output. Every key's changes lie in two flat arrays, grouped by
// key (offsets_), filled once every change is known.
class Keys {
 public:
  explicit Keys(const HistoryKeys& space) : space_(space) {}

  // The key whose id in `binding`'s table is `table_id`, when captured.
  std::optional<size_t> find(uint32_t binding, uint32_t table_id) const {
    const auto it = local_.find(binding);
    if (it == local_.end() || table_id >= it->second.size()) return std::nullopt;
    const uint32_t id = it->second[table_id];
    if (id == kNone) return std::nullopt;
    return id;
  }
  // Records that `node` (at `lsn`) changed `key`, whose id in its table is
  // `table_id`, as captured by `binding`. REQUIRES: not finished; nodes come
  // in ascending order.
  void add_change(uint32_t binding, uint32_t table_id, const history::DocKey& key, Lsn lsn,
                  size_t node) {
    CDC_ASSERT(offsets_.empty(), "changes are added before the keys are finished");
    CDC_ASSERT(node <= UINT32_MAX, "node numbers fit 32 bits");
    std::vector<uint32_t>& local = local_[binding];
    if (local.empty()) local.assign(space_.of_binding(binding).size(), kNone);
    CDC_ASSERT(table_id < local.size(), "an id of the binding's table");
    if (local[table_id] == kNone) {
      local[table_id] = static_cast<uint32_t>(bindings_.size());
      bindings_.push_back(binding);
      key_of_.push_back(&key);
    }
    changes_.push_back({local[table_id], static_cast<uint32_t>(node), lsn});
  }
  // Groups the changes by key, keeping their order within a key.
  void finish() {
    offsets_ = group_starts(bindings_.size(), changes_, [](const Change& c) { return c.id; });
    std::vector<uint32_t> next(offsets_.begin(), offsets_.end() - 1);
    lsns_.resize(changes_.size());
    nodes_.resize(changes_.size());
    for (const Change& c : changes_) {
      const size_t at = next[c.id]++;
      CDC_ASSERT(at == offsets_[c.id] || nodes_[at - 1] < c.node, "one change per key and node");
      lsns_[at] = c.lsn;
      nodes_[at] = c.node;
    }
    std::vector<Change>().swap(changes_);  // `changes_ = {}` would keep the capacity
  }
  // REQUIRES: finished.
  KeyHistory at(size_t id) const {
    CDC_ASSERT(id < bindings_.size() && offsets_.size() == bindings_.size() + 1,
               "a key of the finished set");
    const size_t from = offsets_[id];
    const size_t n = offsets_[id + 1] - from;
    return KeyHistory{bindings_[id], key_of_[id], std::span<const Lsn>(lsns_).subspan(from, n),
                      std::span<const uint32_t>(nodes_).subspan(from, n)};
  }
  size_t size() const { return bindings_.size(); }

 private:
  struct Change {  // 16 bytes
    uint32_t id = 0;
    uint32_t node = 0;
    Lsn lsn;
  };
  static constexpr uint32_t kNone = HistoryKeys::kNone;
  const HistoryKeys& space_;
  std::map<uint32_t, std::vector<uint32_t>> local_;  // by binding, then table key id
  std::vector<uint32_t> bindings_;                   // by id
  std::vector<const history::DocKey*> key_of_;       // by id
  std::vector<Change> changes_;                      // until finished, in node order
  std::vector<uint32_t> offsets_;                    // by id, then the end
  std::vector<Lsn> lsns_;                            // grouped by key
  std::vector<uint32_t> nodes_;                      // grouped by key
};

// Keyed capture bindings per source table id.
std::map<uint32_t, std::vector<uint32_t>> keyed_bindings_by_table(const history::History& h) {
  std::map<uint32_t, std::vector<uint32_t>> out;
  for (const history::Binding* b : keyed_bindings(h))
    out[b->table_id].push_back(b->id);
  return out;
}

// The commits in commit LSN order (ties: history order).
std::vector<const history::SourceCommit*> commit_order(const history::History& h) {
  std::vector<const history::SourceCommit*> out;
  out.reserve(h.source_commits.size());
  for (const history::SourceCommit& c : h.source_commits)
    out.push_back(&c);
  std::stable_sort(out.begin(), out.end(),
                   [](const auto* a, const auto* b) { return a->commit_lsn < b->commit_lsn; });
  return out;
}

// What real_changes works in, kept from one commit to the next for the
// buffers (a history has a commit per source transaction).
struct ChangeScratch {
  std::vector<const history::SourceKeyChange*> sorted;
  std::vector<const history::SourceKeyChange*> out;
};

// The keys commit `c` really changed in captured keyed tables: for each,
// its table and key (the first change's before, the last change's after).
// The answer lies in `scratch` until the next call.
const std::vector<const history::SourceKeyChange*>& real_changes(
    const history::SourceCommit& c, const std::map<uint32_t, std::vector<uint32_t>>& captured,
    ChangeScratch* scratch) {
  // The captured changes by (table, key), stably: a key's changes stay in
  // commit order, so its first and last change bound each run.
  std::vector<const history::SourceKeyChange*>& sorted = scratch->sorted;
  sorted.clear();
  sorted.reserve(c.changes.size());
  for (const history::SourceKeyChange& ch : c.changes) {
    if (captured.count(ch.table) != 0) sorted.push_back(&ch);
  }
  const auto by_key = [](const history::SourceKeyChange* a, const history::SourceKeyChange* b) {
    return std::tie(a->table, a->key) < std::tie(b->table, b->key);
  };
  const bool one_table = std::all_of(sorted.begin(), sorted.end(), [&](const auto* ch) {
    return ch->table == sorted.front()->table;
  });
  if (one_table) {  // the common case: the keys alone order the changes
    stable_sort_by_key(&sorted, [](const history::SourceKeyChange* ch) { return ch->key.view(); });
  } else {
    std::stable_sort(sorted.begin(), sorted.end(), by_key);
  }
  std::vector<const history::SourceKeyChange*>& out = scratch->out;
  out.clear();
  for (size_t i = 0; i < sorted.size();) {
    size_t j = i + 1;
    while (j < sorted.size() && !by_key(sorted[i], sorted[j]))
      ++j;
    if (sorted[i]->before != sorted[j - 1]->after) out.push_back(sorted[j - 1]);  // a net change
    i = j;
  }
  return out;
}

// Nodes and the source history of every captured key.
void add_nodes(const history::History& h, const HistoryKeys& space, TransactionGraph* g,
               Keys* keys) {
  const std::map<uint32_t, std::vector<uint32_t>> captured = keyed_bindings_by_table(h);
  ChangeScratch scratch;
  for (const history::SourceCommit* c : commit_order(h)) {
    const std::vector<const history::SourceKeyChange*>& changes =
        real_changes(*c, captured, &scratch);
    if (changes.empty()) continue;
    const size_t node = g->nodes.size();
    g->nodes.push_back(c);
    for (const history::SourceKeyChange* ch : changes) {
      const uint32_t id = space.change(*c, *ch);
      CDC_ASSERT(id != HistoryKeys::kNone, "a captured table has a key space");
      for (uint32_t b : captured.at(ch->table))
        keys->add_change(b, id, ch->key, c->commit_lsn, node);
    }
  }
  keys->finish();
}

bool same(const Sighting& a, const Sighting& b) {
  return a.binding == b.binding && a.key == b.key && a.version == b.version &&
         a.doc.txn == b.doc.txn && a.doc.doc == b.doc.doc && a.dest.txn == b.dest.txn &&
         a.dest.index == b.dest.index && a.row == b.row;
}

// A reader's view: per key in view, its sighting and where its version falls
// in the key's history. The transactions it sees last and misses first are
// kept in two heaps, pruned lazily: a heap entry counts while its key's entry
// still points at that change.
class View {
 public:
  View(const history::History& h, const Keys& keys) : h_(h), keys_(keys), view_(keys.size()) {}

  // The transactions of the destination being read, which sightings of
  // destination rows point into. REQUIRES: they outlive every entry set
  // from them (a destination reader clears the view before the next).
  void read_destination_txns(const std::vector<TxnRef>* txns) { dest_txns_ = txns; }

  void set(size_t id, const Sighting& s) {
    erase(id);
    const KeyHistory k = keys_.at(id);
    const auto next = std::upper_bound(k.lsns.begin(), k.lsns.end(), s.version);
    const size_t next_pos = static_cast<size_t>(next - k.lsns.begin());
    view_[id] = packed(s, next_pos);
    CDC_ASSERT(same(unpacked(view_[id], k), s),
               "a view entry gives back the sighting it was set from");
    ++present_;
    if (next_pos > 0) lasts_.push({k.lsns[next_pos - 1], id});
    if (next_pos < k.lsns.size()) nexts_.push({k.lsns[next_pos], id});
    prune();
  }
  void erase(size_t id) {
    if (!view_[id].present()) return;
    view_[id] = Entry{};
    --present_;
  }
  void erase_binding(uint32_t binding) {
    for (size_t id = 0; id < view_.size(); ++id) {
      if (view_[id].present() && keys_.at(id).binding == binding) erase(id);
    }
  }
  void clear() {
    for (const Item& item : lasts_.items())
      erase(item.second);
    for (const Item& item : nexts_.items())
      erase(item.second);
    CDC_ASSERT(present_ == 0, "every key in view has a change in a heap");
    lasts_.clear();
    nexts_.clear();
  }

  // The latest transaction seen and the earliest missed, when missed <= seen.
  std::optional<Observation> overtaken() {
    const std::optional<Item> last = top(&lasts_, -1);
    const std::optional<Item> next = top(&nexts_, 0);
    if (!last || !next) return std::nullopt;
    const auto& [seen_lsn, seen_id] = *last;
    const auto& [missed_lsn, missed_id] = *next;
    if (seen_lsn < missed_lsn) return std::nullopt;
    const Entry& seen = view_[seen_id];
    const Entry& missed = view_[missed_id];
    Observation o;
    o.seen = keys_.at(seen_id).nodes[seen.next_pos - 1];
    o.missed = keys_.at(missed_id).nodes[missed.next_pos];
    o.saw = sighting_of(seen_id);
    o.stale = sighting_of(missed_id);
    CDC_ASSERT(o.missed <= o.seen, "the missed transaction committed no later than the seen one");
    return o;
  }

 private:
  // A key's sighting, packed in 16 bytes: the binding and key follow from
  // the key's id, the version from the document or row, and the document,
  // row and destination txn from their positions, so an entry holds only
  // where what set the view lies (a view has an entry per key of the
  // history). Present while it names a document or a destination txn.
  static constexpr uint32_t kNone = UINT32_MAX;
  struct Entry {
    uint32_t doc_txn = kNone;  // index in h.collection_txns; kNone: a destination row set it
    uint32_t item = 0;         // the document's index in that txn, or the row's in the upserts
    uint32_t dest = kNone;     // the destination txn's position in dest_txns_, or kNone
    uint32_t next_pos = 0;     // first change after the version; the last one seen is before it
    bool present() const { return doc_txn != kNone || dest != kNone; }
  };
  static_assert(sizeof(Entry) == 16);
  Entry packed(const Sighting& s, size_t next_pos) const {
    CDC_ASSERT((s.doc.doc != nullptr) != (s.row != nullptr), "a document or a row set the view");
    CDC_ASSERT(next_pos < kNone, "positions fit 32 bits");
    Entry e;
    if (s.doc.doc != nullptr) {
      e.doc_txn = position(h_.collection_txns, s.doc.txn);
      e.item = position(s.doc.txn->docs, s.doc.doc);
    } else {
      e.item = position(s.dest.txn->upserts, s.row);
    }
    if (s.dest.txn != nullptr) {
      CDC_ASSERT(dest_txns_ != nullptr && s.dest.index >= 1 && s.dest.index <= dest_txns_->size() &&
                     (*dest_txns_)[s.dest.index - 1].txn == s.dest.txn,
                 "a destination txn of the reader");
      e.dest = static_cast<uint32_t>(s.dest.index - 1);
    }
    e.next_pos = static_cast<uint32_t>(next_pos);
    return e;
  }
  template <class T>
  static uint32_t position(const std::vector<T>& v, const T* item) {
    CDC_ASSERT(item >= v.data() && item < v.data() + v.size() && v.size() < kNone,
               "an item of the vector");
    return static_cast<uint32_t>(item - v.data());
  }
  // The sighting that set key `id`'s view. REQUIRES: the key is in view.
  Sighting sighting_of(size_t id) const { return unpacked(view_[id], keys_.at(id)); }
  // The sighting entry `e` of key `k` holds. REQUIRES: e.present().
  Sighting unpacked(const Entry& e, const KeyHistory& k) const {
    CDC_ASSERT(e.present(), "a key in view");
    Sighting s;
    s.binding = k.binding;
    s.key = k.key;
    if (e.dest != kNone) s.dest = (*dest_txns_)[e.dest];
    if (e.doc_txn != kNone) {
      const history::CollectionTxn& txn = h_.collection_txns[e.doc_txn];
      s.doc = DocRef{&txn, &txn.docs[e.item]};
      s.version = s.doc.doc->lsn;
    } else {
      s.row = &s.dest.txn->upserts[e.item];
      s.version = s.row->lsn;
    }
    return s;
  }
  using Item = std::pair<Lsn, size_t>;  // (lsn of a change, key)
  // A binary heap of items on a vector, its top the greatest under `Less`
  // (as std::priority_queue), with access to all items for clear() and pruning.
  template <class Less>
  class Heap {
   public:
    void push(Item item) {
      items_.push_back(item);
      std::push_heap(items_.begin(), items_.end(), Less());
    }
    const Item& peek() const { return items_.front(); }
    void pop() {
      std::pop_heap(items_.begin(), items_.end(), Less());
      items_.pop_back();
    }
    bool empty() const { return items_.empty(); }
    size_t size() const { return items_.size(); }
    void clear() { items_.clear(); }
    const std::vector<Item>& items() const { return items_; }
    // Keeps the items `keep` accepts, in heap order again.
    template <class Keep>
    void retain(Keep keep) {
      items_.erase(std::remove_if(items_.begin(), items_.end(),
                                  [&](const Item& item) { return !keep(item); }),
                   items_.end());
      std::make_heap(items_.begin(), items_.end(), Less());
    }

   private:
    std::vector<Item> items_;
  };
  using LastsHeap = Heap<std::less<Item>>;     // greatest first
  using NextsHeap = Heap<std::greater<Item>>;  // least first

  // Whether heap item (lsn, id) still counts: key `id` is in view and its
  // change at `offset` from next_pos (-1: the last seen, 0: the first missed)
  // is at `lsn`.
  bool counts(const Item& item, int offset) const {
    const auto& [lsn, id] = item;
    const Entry& e = view_[id];
    const KeyHistory k = keys_.at(id);
    const size_t pos = e.next_pos + static_cast<size_t>(offset);  // wraps below 0: too big
    return e.present() && pos < k.lsns.size() && k.lsns[pos] == lsn;
  }

  // Drops items that no longer count once they outnumber those in view, so
  // the heaps stay within a constant factor of the view. (Twice instead of
  // four times made this checker 2% dearer in BM_EndToEndChanges, whose
  // views churn, for memory a large run's peak no longer depends on.)
  void prune() {
    constexpr size_t kSlack = 1024;
    if (lasts_.size() > 4 * present_ + kSlack)
      lasts_.retain([&](const Item& item) { return counts(item, -1); });
    if (nexts_.size() > 4 * present_ + kSlack)
      nexts_.retain([&](const Item& item) { return counts(item, 0); });
  }

  // The heap's top item that still counts, dropping those that no longer do.
  template <class H>
  std::optional<Item> top(H* heap, int offset) {
    for (; !heap->empty(); heap->pop()) {
      if (counts(heap->peek(), offset)) return heap->peek();
    }
    return std::nullopt;
  }

  const history::History& h_;
  const Keys& keys_;
  const std::vector<TxnRef>* dest_txns_ = nullptr;
  std::vector<Entry> view_;
  size_t present_ = 0;
  LastsHeap lasts_;
  NextsHeap nexts_;
};

// Collects observations, one per (seen, missed) pair.
class Builder {
 public:
  Builder(const history::History& h, const HistoryKeys& space, TransactionGraph* g,
          const Keys& keys)
      : h_(h), space_(space), g_(g), keys_(keys) {}

  void read_collections(const Reader& r, const std::set<uint32_t>& bindings);
  void read_destination(const Reader& r, const history::MaterializationBinding& m);

 private:
  // Sets the view of the key whose id in `binding`'s table is `table_id`,
  // when captured.
  bool set(View* view, uint32_t binding, uint32_t table_id, Sighting s);
  void sight(View* view, uint32_t id, uint32_t binding, Sighting s);
  // The key id of every document of the history, in history order
  // (kNoKey: no captured transaction changed its key), found once for all
  // the readers.
  const std::vector<uint32_t>& doc_ids();
  // After one step of reader `reader`: records the step's observed edge, if any.
  void note(View* view, size_t reader, const history::CollectionTxn* collection_step,
            const TxnRef& destination_step);
  std::vector<uint32_t> reset_bindings(const history::BackfillOp& op) const;
  // The documents of key `id`, in history order.
  std::span<const DocRef> docs_of_key(size_t id);

  const history::History& h_;
  const HistoryKeys& space_;
  TransactionGraph* g_;
  const Keys& keys_;
  std::set<std::pair<size_t, size_t>> recorded_;
  // Every key's documents, grouped by key (key id's from docs_start_[id] to
  // docs_start_[id + 1]): built on first use.
  std::vector<uint32_t> docs_start_;
  std::vector<DocRef> docs_by_key_;
  std::optional<std::vector<uint32_t>> doc_ids_;  // built on first use
  // One view for every reader in turn (a view holds an entry per key: the
  // readers share its memory instead of each allocating and zeroing its own).
  std::optional<View> view_;
  View& empty_view() {
    if (view_) {
      view_->clear();
    } else {
      view_.emplace(h_, keys_);
    }
    return *view_;
  }
};

bool Builder::set(View* view, uint32_t binding, uint32_t table_id, Sighting s) {
  const std::optional<size_t> id = keys_.find(binding, table_id);
  if (!id) return false;  // no captured transaction changed the key: nothing to judge
  sight(view, static_cast<uint32_t>(*id), binding, s);
  return true;
}

void Builder::sight(View* view, uint32_t id, uint32_t binding, Sighting s) {
  s.binding = binding;
  s.key = keys_.at(id).key;
  view->set(id, s);
  ++g_->sightings;
}

const std::vector<uint32_t>& Builder::doc_ids() {
  if (!doc_ids_) {
    doc_ids_.emplace();
    for (const history::CollectionTxn& txn : h_.collection_txns) {
      for (const history::Document& d : txn.docs) {
        const std::optional<size_t> id = keys_.find(d.binding, space_.doc(txn, d));
        doc_ids_->push_back(id ? static_cast<uint32_t>(*id) : kNoKey);
      }
    }
  }
  return *doc_ids_;
}

void Builder::note(View* view, size_t reader, const history::CollectionTxn* collection_step,
                   const TxnRef& destination_step) {
  std::optional<Observation> o = view->overtaken();
  if (!o || !recorded_.emplace(o->seen, o->missed).second) return;
  o->reader = reader;
  o->collection_step = collection_step;
  o->destination_step = destination_step;
  g_->observed.push_back(std::move(*o));
}

// The keyed bindings whose collection a data flow backfill reset.
std::vector<uint32_t> Builder::reset_bindings(const history::BackfillOp& op) const {
  std::set<std::string> collections;
  for (uint32_t b : op.capture_bindings) {
    if (const history::Binding* binding = find_binding(h_, b))
      collections.insert(binding->collection);
  }
  std::vector<uint32_t> out;
  for (const history::Binding* b : keyed_bindings(h_)) {
    if (collections.count(b->collection) != 0) out.push_back(b->id);
  }
  return out;
}

void Builder::read_collections(const Reader& r, const std::set<uint32_t>& bindings) {
  View& view = empty_view();
  std::vector<const history::BackfillOp*> resets;
  for (const history::BackfillOp& op : h_.backfill_ops) {
    if (op.type == history::BackfillOp::Type::kDataFlow) resets.push_back(&op);
  }
  size_t next_reset = 0;
  const size_t reader = g_->readers.size();
  g_->readers.push_back(r);
  const std::vector<uint32_t>& ids = doc_ids();
  size_t doc_no = 0;  // every document's number in history order
  for (const history::CollectionTxn& txn : h_.collection_txns) {
    for (; next_reset < resets.size() && resets[next_reset]->tick <= txn.tick; ++next_reset) {
      for (uint32_t b : reset_bindings(*resets[next_reset])) {
        if (bindings.count(b) != 0) view.erase_binding(b);
      }
    }
    for (const history::Document& d : txn.docs) {
      const uint32_t id = ids.at(doc_no++);
      // Nothing to judge of a key no captured transaction changed.
      if (bindings.count(d.binding) == 0 || id == kNoKey) continue;
      Sighting s;
      s.version = d.lsn;
      s.doc = DocRef{&txn, &d};
      sight(&view, id, d.binding, s);
    }
    note(&view, reader, &txn, TxnRef{});
  }
  CDC_ASSERT(doc_no == ids.size(), "every document was read");
}

std::span<const DocRef> Builder::docs_of_key(size_t id) {
  if (docs_start_.empty()) {
    const std::vector<uint32_t>& ids = doc_ids();
    docs_start_ = group_starts(keys_.size(), ids, [](uint32_t k) { return k; });
    CDC_ASSERT(docs_start_.back() <= ids.size(), "at most one entry per document");
    docs_by_key_.resize(docs_start_.back());
    std::vector<uint32_t> next(docs_start_.begin(), docs_start_.end() - 1);
    size_t doc_no = 0;
    for (const history::CollectionTxn& txn : h_.collection_txns) {
      for (const history::Document& d : txn.docs) {
        const uint32_t k = ids.at(doc_no++);
        if (k != kNoKey) docs_by_key_[next[k]++] = DocRef{&txn, &d};
      }
    }
    CDC_ASSERT(doc_no == ids.size(), "every document was placed");
  }
  CDC_ASSERT(id + 1 < docs_start_.size(), "a key of the graph");
  return std::span<const DocRef>(docs_by_key_)
      .subspan(docs_start_[id], docs_start_[id + 1] - docs_start_[id]);
}

void Builder::read_destination(const Reader& r, const history::MaterializationBinding& m) {
  View& view = empty_view();
  const size_t reader = g_->readers.size();
  g_->readers.push_back(r);
  const uint32_t b = m.capture_binding;
  const std::vector<TxnRef> txns = destination_txns_of(h_, m.id);
  view.read_destination_txns(&txns);
  for (const TxnRef& t : txns) {
    if (t.txn->truncated_first) view.clear();
    for (const history::DestinationRow& row : t.txn->upserts) {
      Sighting s;
      s.version = row.lsn;
      s.dest = t;
      s.row = &row;
      set(&view, b, space_.upsert(*t.txn, row), s);
    }
    if (m.strategy == history::UpdateStrategy::kMerge) {
      for (size_t i = 0; i < t.txn->deletes.size(); ++i) {
        const uint32_t table_id = space_.deleted(*t.txn, i);
        const std::optional<size_t> id = keys_.find(b, table_id);
        if (!id) continue;
        const std::span<const DocRef> docs = docs_of_key(*id);
        const auto after =
            std::upper_bound(docs.begin(), docs.end(), t.txn->read_through_seq,
                             [](uint64_t seq, const DocRef& d) { return seq < d.txn->seq; });
        if (after == docs.begin() || std::prev(after)->doc->op != history::DocOp::kDelete) {
          view.erase(*id);  // no delete document explains it: its version is unknown
          continue;
        }
        Sighting s;
        s.version = std::prev(after)->doc->lsn;
        s.dest = t;
        s.doc = *std::prev(after);
        set(&view, b, table_id, s);
      }
    }
    note(&view, reader, nullptr, t);
  }
  view.clear();  // no entry outlives `txns`
  view.read_destination_txns(nullptr);
}

}  // namespace

TransactionGraph build_transaction_graph(const history::History& h) {
  TransactionGraph g;
  if (keyed_bindings(h).empty()) return g;  // nothing captured to order
  const std::shared_ptr<const HistoryKeys> space = history_keys(h);
  Keys keys(*space);
  add_nodes(h, *space, &g, &keys);
  Builder builder(h, *space, &g, keys);
  std::set<uint32_t> all;
  for (const history::Binding* b : keyed_bindings(h)) {
    builder.read_collections(Reader{Reader::Kind::kCollection, b->id}, {b->id});
    all.insert(b->id);
  }
  if (all.size() > 1) builder.read_collections(Reader{Reader::Kind::kCollections, 0}, all);
  for (const history::MaterializationBinding& m : h.materializations) {
    const history::Binding* capture = find_binding(h, m.capture_binding);
    if (capture == nullptr || capture->keyless) continue;
    builder.read_destination(Reader{Reader::Kind::kDestination, m.id}, m);
  }
  return g;
}

std::string describe_reader(const history::History& h, const Reader& r) {
  switch (r.kind) {
    case Reader::Kind::kCollection: {
      const history::Binding* b = find_binding(h, r.binding);
      return "a reader of the collection of " +
             (b != nullptr ? describe_binding(*b) : "binding " + std::to_string(r.binding));
    }
    case Reader::Kind::kCollections: {
      std::string s = "a reader of the collections of bindings";
      const char* sep = " ";
      for (const history::Binding* b : keyed_bindings(h)) {
        s += sep + std::to_string(b->id);
        sep = ", ";
      }
      return s + " together";
    }
    case Reader::Kind::kDestination:
      for (const history::MaterializationBinding& m : h.materializations) {
        if (m.id == r.binding)
          return "a reader of the destination of " + describe_materialization(m);
      }
      return "a reader of the destination of materialization " + std::to_string(r.binding);
  }
  return "?";
}

std::string describe_step(const Observation& o) {
  if (o.collection_step != nullptr) {
    return "collection txn seq " + std::to_string(o.collection_step->seq) + " (tick " +
           std::to_string(o.collection_step->tick) + ")";
  }
  return describe_txn(o.destination_step);
}

std::string describe_sighting(const Sighting& s) {
  if (s.row != nullptr) return describe_row_ref(RowRef{s.dest, s.row});
  if (s.dest.txn != nullptr) {
    return "deleted by " + describe_txn(s.dest) + ", applying the " +
           describe_doc(*s.doc.txn, *s.doc.doc);
  }
  CDC_ASSERT(s.doc.txn != nullptr && s.doc.doc != nullptr, "a sighting names what set it");
  return describe_doc(*s.doc.txn, *s.doc.doc);
}

}  // namespace cdc::properties::detail
