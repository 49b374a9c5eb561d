// Every key of a history as a dense id, found once and shared by the checkers
// of one check_all call (timeline.h, TimelineScope), so that no checker hashes
// a key the history names again.
//
// Key spaces. Each source table some keyed binding reads has one space. Ids below
// the table's SourceTimeline::id_count() are the timeline's own ids: the keys
// the source changed, numbered in the order it first changed them. The ids
// above them are keys that only documents, chunk rows or destination rows
// name (a damaged or outside history can hold such keys), numbered in the
// order this class meets them: documents, then destination transactions,
// then the recorded final destinations, then chunks, each in history order.
// Ids follow the history alone, so iterating by id is deterministic.
//
// Positions. A source change is numbered by its place among all source
// changes in history order (its id comes from the timeline, not hashed again).
// A document is numbered by its place among all documents in
// history order, and likewise destination upserts, destination deletes,
// final destination rows and chunk rows; the accessors take references into
// the History and compute the place from their addresses.
//
// Invariants: every item whose binding exists and has a key has the id of
// its key in that binding's table's space; every other document, change or
// chunk row has kNone. A materialization whose capture binding does not
// exist or is keyless has a space of its own, with an empty timeline. Views and references point
// into the History, which outlives this object.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "properties/history.h"
#include "properties/key_ids.h"
#include "properties/timeline.h"

namespace cdc::properties::detail {

// What a walk over ids asks the processor for ahead of reading it: first
// the records that hold or name an id's row, then (once they have arrived,
// their contents giving the row's address) the row's block.
enum class FetchStage : uint8_t { kRecords, kRows };

// The keys of one source table.
class TableKeys {
 public:
  explicit TableKeys(std::shared_ptr<const SourceTimeline> timeline);

  const SourceTimeline& timeline() const { return *timeline_; }
  size_t size() const { return changed_ + extra_.size(); }
  // Whether the source ever changed key `id`.
  bool changed(uint32_t id) const { return id < changed_; }
  std::string_view key(uint32_t id) const;
  std::optional<uint32_t> find(std::string_view key) const;
  // The key's timeline entry, or nullopt for a key the source never changed.
  std::optional<TimelineKey> entry(uint32_t id) const;
  // The key's row after every source commit, or nullptr when absent (or
  // never changed).
  const SharedRow* final_row(uint32_t id) const;
  // Asks the processor for what final_row(id) reads: the change holding
  // the row (kRecords), or the row's block (kRows, once the change is in).
  void prefetch_final_row(uint32_t id, FetchStage stage) const;
  // The ids of the keys the source never changed, in bytewise key order.
  const std::vector<uint32_t>& unchanged_in_key_order() const { return unchanged_sorted_; }
  // Every id, in bytewise key order.
  const std::vector<uint32_t>& in_key_order() const { return all_sorted_; }
  // The id whose key comes first in key order among those `pred` accepts,
  // or nullopt. Walks ids in id order (the order per-id arrays lie in) and
  // asks `pred` only of keys below the best found so far. The walk
  // compares rows scattered over the history, reached through records
  // scattered as well, so it asks the processor for them ahead:
  // fetch(id, kRecords) 2 * kFetchAhead ids before pred(id) may be called,
  // fetch(id, kRows) kFetchAhead ids before (the records have arrived).
  static constexpr uint32_t kFetchAhead = 8;
  template <class Pred, class Fetch>
  std::optional<uint32_t> first_in_key_order(Pred pred, Fetch fetch) const {
    std::optional<uint32_t> first;
    const uint32_t n = static_cast<uint32_t>(size());
    for (uint32_t id = 0; id < n; ++id) {
      if (id + 2 * kFetchAhead < n) fetch(id + 2 * kFetchAhead, FetchStage::kRecords);
      if (id + kFetchAhead < n) fetch(id + kFetchAhead, FetchStage::kRows);
      if (first && key(id) >= key(*first)) continue;
      if (pred(id)) first = id;
    }
    return first;
  }

  // The id of each of `keys` into out[i], each added when new, in order.
  // REQUIRES: building (HistoryKeys only); the keys lie in the History;
  // out has keys.size() elements.
  void add(std::span<const std::string_view> keys, std::span<uint32_t> out);
  // Sorts the keys. REQUIRES: every key is added.
  void finish();

 private:
  std::shared_ptr<const SourceTimeline> timeline_;
  size_t changed_ = 0;
  KeyIds extra_;  // keys the source never changed; id here + changed_
  std::vector<uint32_t> unchanged_sorted_;
  std::vector<uint32_t> all_sorted_;
};

class HistoryKeys {
 public:
  static constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();

  explicit HistoryKeys(const history::History& h);
  HistoryKeys(const HistoryKeys&) = delete;
  HistoryKeys& operator=(const HistoryKeys&) = delete;

  // The key space of source table `table_id`, or nullptr when no keyed
  // binding reads it.
  const TableKeys* table(uint32_t table_id) const;
  // The space of capture binding `binding`'s table. REQUIRES: it exists and
  // has a key.
  const TableKeys& of_binding(uint32_t binding) const;
  // The space of the table materialization `m` reads (when its capture
  // binding does not exist or is keyless: a space of its own, with no
  // source keys).
  // REQUIRES: m is a materialization of the history.
  const TableKeys& of_materialization(uint32_t m) const;

  // REQUIRES of each: the item and its container lie in the History given
  // to the constructor.
  uint32_t change(const history::SourceCommit& c, const history::SourceKeyChange& ch) const;
  uint32_t doc(const history::CollectionTxn& txn, const history::Document& d) const;
  uint32_t upsert(const history::DestinationTxn& txn, const history::DestinationRow& r) const;
  uint32_t deleted(const history::DestinationTxn& txn, size_t index) const;
  // Final row `index` of materialization binding m (history::FinalRows).
  uint32_t final_row(uint32_t m, size_t index) const;
  uint32_t chunk_row(const history::Chunk& c, const history::ChunkRow& r) const;

 private:
  template <class T>
  static size_t index_in(const std::vector<T>& v, const T& item);
  void add_documents();
  void add_destinations();
  void add_chunks();
  void add_changes();
  TableKeys* space_of_binding(uint32_t binding);

  const history::History& h_;
  std::map<uint32_t, TableKeys> tables_;               // by table id
  std::map<uint32_t, TableKeys*> by_binding_;          // capture binding id -> its table's space
  std::map<uint32_t, TableKeys*> by_materialization_;  // materialization id -> likewise
  std::map<uint32_t, TableKeys> orphans_;      // by materialization id: those without a binding
  std::vector<size_t> first_change_;           // by source commit, then the end
  std::vector<uint32_t> changes_;              // by source change
  std::vector<size_t> first_doc_;              // by collection txn, then the end
  std::vector<uint32_t> docs_;                 // by document
  std::vector<size_t> first_upsert_;           // by destination txn, then the end
  std::vector<uint32_t> upserts_;              // by upsert
  std::vector<size_t> first_delete_;           // by destination txn, then the end
  std::vector<uint32_t> deletes_;              // by delete
  std::vector<std::vector<uint32_t>> finals_;  // by final destination, then row
  std::vector<size_t> first_chunk_row_;        // by chunk, then the end
  std::vector<uint32_t> chunk_rows_;           // by chunk row
};

// The history's keys, shared in a TimelineScope over `h` (made afresh
// outside one).
std::shared_ptr<const HistoryKeys> history_keys(const history::History& h);

}  // namespace cdc::properties::detail
