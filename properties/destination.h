// Destinations as the checkers see them: the destination transactions of one
// materialization binding replayed in order (DESIGN §7), and the witness
// lines that name them. Pure functions; returned pointers point into the
// History given and live as long as it does.
//
// Replay. A binding's destination transactions are the DestinationTxns with
// txn.binding == m, in h.destination_txns order; "destination txn i of m" is
// the i-th of them, counting from 1. A txn with truncated_first empties the
// table first. Merge: its upserts set key -> row, then its deletes erase keys
// (a key appears at most once per merge txn, so the order does not matter).
// Delta: its upserts are appended as rows, in order; deletes are ignored (a
// delta destination keeps a delete as a row with op d).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "properties/history.h"
#include "properties/history_keys.h"
#include "properties/key_ids.h"

namespace cdc::properties::detail {

// One destination transaction and its 1-based position among its binding's.
struct TxnRef {
  const history::DestinationTxn* txn = nullptr;
  size_t index = 0;
};

// One stored row and the transaction that wrote it.
struct RowRef {
  TxnRef txn;
  const history::DestinationRow* row = nullptr;
};

// Row `row` of the upserts of txns[txn]: how a replay that keeps positions
// instead of references names a row. REQUIRES: both positions in range.
RowRef row_at(const std::vector<TxnRef>& txns, uint32_t txn, uint32_t row);

// Values by key id for replaying a destination's transactions: a
// truncation (clear()) resets the ids written since the last one, not the
// whole table, so a replay with many truncations stays linear in its rows.
template <class T>
class ReplayById {
 public:
  explicit ReplayById(size_t ids) : values_(ids) {}
  const T& operator[](uint32_t id) const { return values_.at(id); }
  // The value of `id`, to write; the next clear() resets it.
  T& set(uint32_t id) {
    written_.push_back(id);
    return values_.at(id);
  }
  void clear() {
    for (const uint32_t id : written_)
      values_[id] = T{};
    written_.clear();
  }
  std::vector<T> take() && { return std::move(values_); }

 private:
  std::vector<T> values_;
  std::vector<uint32_t> written_;  // since the last clear(), with repeats
};

// A materialization binding together with the capture binding it reads.
struct MaterializationRef {
  const history::MaterializationBinding* mat = nullptr;
  const history::Binding* capture = nullptr;
};

// Materialization bindings with `strategy`, in h.materializations order,
// whose capture binding exists and (when keyed_only) has a key.
std::vector<MaterializationRef> materializations_of(const history::History& h,
                                                    history::UpdateStrategy strategy,
                                                    bool keyed_only);

// The destination transactions of materialization binding `m`, in order.
std::vector<TxnRef> destination_txns_of(const history::History& h, uint32_t m);

// The final state of a merge destination: its rows in bytewise key order, one
// per key (views of keys in the History), and the last transaction that
// upserted or deleted each key.
struct MergeState {
  std::vector<std::pair<std::string_view, RowRef>> rows;
  // The row of `key`, or nullptr when the destination does not hold it.
  const RowRef* row(std::string_view key) const;
  // The last txn that upserted or deleted `key`, or nullptr when none did.
  const TxnRef* last_touch(std::string_view key) const;

  // Keys by id: those of the table's key space (history_keys.h) when built
  // from a History, else every key a transaction touched, in first-touch
  // order.
  const TableKeys* table = nullptr;
  std::shared_ptr<const HistoryKeys> table_owner;  // keeps `table` alive
  KeyIds touched;                                  // when table is null
  std::vector<TxnRef> last;  // by id; txn null: no transaction touched the key
};
// From transactions alone (no History to take key ids from).
MergeState replay_merge(const std::vector<TxnRef>& txns);

// The same by the ids of the table's key space (history_keys.h), for
// checkers that walk keys in id order: row(id) is the key's row (txn and
// row null: the destination does not hold it), last(id) the last txn that
// touched it (txn null: none did). A key takes 12 bytes (positions, not
// references): a table of millions of keys is replayed beside the history.
class MergeById {
 public:
  std::shared_ptr<const HistoryKeys> keys;
  const TableKeys* table = nullptr;

  // REQUIRES: id < table->size().
  RowRef row(uint32_t id) const;
  // Asks the processor for what row(id) reads: the destination row
  // (kRecords), then its fields (kRows).
  void prefetch_row(uint32_t id, FetchStage stage) const;
  TxnRef last(uint32_t id) const;

 private:
  friend MergeById final_merge_by_id(const history::History& h, uint32_t m);
  static constexpr uint32_t kNone = UINT32_MAX;
  // A row: its txn's position in txns_ and its index in that txn's upserts;
  // txn kNone: no row; kRecorded: recorded_[row], a recorded final row that
  // no transaction explains.
  struct RowAt {
    static constexpr uint32_t kRecorded = kNone - 1;
    uint32_t txn = kNone;
    uint32_t row = 0;
  };
  void replay(const history::History& h, uint32_t m);
  void take_recorded(const history::History& h, uint32_t m);

  std::vector<TxnRef> txns_;    // the materialization's transactions
  std::vector<RowAt> rows_;     // by id
  std::vector<uint32_t> last_;  // by id: a position in txns_, or kNone
  std::vector<const history::DestinationRow*> recorded_;
};

// The final rows of a delta destination, in append order.
std::vector<RowRef> replay_delta(const std::vector<TxnRef>& txns);

// The destination of materialization binding m as the run left it: the
// recorded final state when there is one (it also shows damage that no
// transaction made), else the replay. A row that the replay does not explain
// carries a TxnRef without a transaction.
MergeState final_merge_state(const history::History& h, uint32_t m);
MergeById final_merge_by_id(const history::History& h, uint32_t m);
std::vector<RowRef> final_delta_rows(const history::History& h, uint32_t m);

// Witness lines.
// "materialization 2 (merge into d7, reading c7 of binding 1)".
std::string describe_materialization(const history::MaterializationBinding& m);
// "destination txn 3 of materialization 2 at tick 31 (read through collection
// seq 3, truncated first)".
std::string describe_txn(const TxnRef& t);
// "row "k1" op c lsn 0/12C from collection seq 2 (snapshot): ('k1',3)".
std::string describe_dest_row(const history::DestinationRow& r);
// describe_dest_row, then ", written by " describe_txn.
std::string describe_row_ref(const RowRef& r);

}  // namespace cdc::properties::detail
