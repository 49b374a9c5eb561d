// The cost meter: measures history::Costs while a run is recorded. The
// recorder (sim/recorder.h) feeds it what it records — chunks, collection
// transactions, source commits and destination transactions, in the order
// they happen — and the world asks for the totals once the run has ended.
//
// Counters (rows read, documents, destination rows) add up what the history
// holds. Downtime needs the source as it was when a table was truncated,
// which a history can only rebuild by replaying; the meter instead takes the
// recorder's current source rows at that moment and keeps, per
// materialization binding, the keys (keyed tables) or rows (keyless ones)
// the destination table holds. A downtime ends at the first destination or
// source commit after which the table holds every row still required: the
// rows the source held at the truncate, updated by later source changes and
// less those the source has since deleted (see history::Downtime).
//
// The keys a keyed table shows are needed only while a downtime is open
// and when the table is truncated (to count the rows dropped), so the
// meter applies a keyed table's transactions lazily: it keeps views of
// their upserts and deletes and applies them then. A run whose
// destinations are never truncated numbers no destination key.
//
// Determinism: ordered containers only; no clock. Nothing here reaches the
// fingerprint.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "properties/history.h"
#include "properties/key_ids.h"

namespace cdc::sim {

// A source table's committed rows by the recorder's identity (the DocKey of
// a keyed row, "ctid:..." of a keyless one). Hashed: it is only looked up,
// copied, and walked by holds_all, whose answer is the same in any order.
using SourceRows = std::unordered_map<history::DocKey, SharedRow>;

class CostMeter {
 public:
  // `shared_ids`, if given, is the dictionary of (source table, key) ids the
  // meter numbers destination keys in: the recorder passes its source
  // state's (sim/source_state.h), so a key both hold is hashed and viewed
  // once. Without one the meter keeps its own. REQUIRES: `shared_ids`
  // outlives the meter's last destination transaction.
  explicit CostMeter(properties::detail::KeyIds* shared_ids = nullptr) : shared_ids_(shared_ids) {}

  void on_chunk(const history::Chunk& c);
  void on_collection_txn(const history::CollectionTxn& t);
  // `t` is committed at `tick`; `m` is its materialization binding, `b` the
  // capture binding it reads, `source_now` the rows of b's table now (asked
  // for only when `t` empties the table first). REQUIRES: the destination
  // transactions of each binding come in commit order; the rows of
  // t.upserts and t.deletes stay where they are while the meter lives (the
  // recorder moves `t` into the history, whose vectors keep them in place).
  void on_destination_txn(uint64_t tick, const history::DestinationTxn& t,
                          const history::MaterializationBinding& m, const history::Binding& b,
                          const std::function<SourceRows()>& source_now);
  // A source commit (after the recorder applied it): open downtimes follow
  // its changes to the rows they require, and may end.
  void on_source_commit(const history::SourceCommit& c);

  // The totals of the run that ended at `end_tick`: open downtimes are
  // counted to it and marked unended; delta duplicates and backfill times are
  // taken from `h` (its final state recorded).
  history::Costs finish(const history::History& h, uint64_t end_tick);

 private:
  // What one destination table holds, as far as downtime needs it.
  struct Table {
    bool keyless = false;
    // A keyed table is judged by key alone: the keys it shows (a merge
    // table's keys, a delta table's keys with a row that is not a delete),
    // as ids of (source_table, key) in ids(), and a flag per id.
    uint32_t source_table = 0;
    std::vector<uint8_t> shown;  // by id of ids(); an id past its end: not shown
    uint64_t shown_count = 0;
    std::map<history::DocKey, SharedRow> merged;  // keyless merge: key -> fields
    std::map<std::string, uint64_t> appended;     // keyless delta: fields -> rows
    uint64_t rows = 0;  // keyed merge: counted when the pending transactions are applied
    // Keyed: the transactions since the last truncate not yet applied to
    // `shown` (catch_up() applies them), as views into their rows.
    struct Pending {
      std::span<const history::DestinationRow> upserts;
      std::span<const history::DocKey> deletes;
      bool merge = true;
    };
    std::vector<Pending> pending;
  };
  struct Open {
    size_t index = 0;       // into costs_.downtimes
    uint32_t table_id = 0;  // source table
    SourceRows required;    // identity -> row the table must hold
  };

  properties::detail::KeyIds& ids() { return shared_ids_ ? *shared_ids_ : own_ids_; }
  const properties::detail::KeyIds& ids() const { return shared_ids_ ? *shared_ids_ : own_ids_; }
  bool show(Table* t, std::string_view key);
  uint64_t show_all(Table* t, std::span<const history::DestinationRow> upserts);
  // Applies a keyed table's pending transactions to its shown keys (and a
  // merge table's row count). Nothing to do for a keyless table.
  void catch_up(Table* t);
  uint64_t hide(Table* t, std::string_view key);
  bool shows(const Table& t, std::string_view key) const;
  void apply(Table* t, const history::DestinationTxn& txn, history::UpdateStrategy s);
  bool holds_all(const Table& t, const SourceRows& required) const;
  void close_if_whole(uint32_t m, uint64_t tick);

  properties::detail::KeyIds* shared_ids_ = nullptr;
  properties::detail::KeyIds own_ids_;  // used without shared ids
  history::Costs costs_;
  std::map<uint32_t, Table> tables_;  // by materialization binding
  std::map<uint32_t, Open> open_;     // by materialization binding
};

}  // namespace cdc::sim
