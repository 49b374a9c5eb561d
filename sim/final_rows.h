// The rows a destination table holds when a run ends, found among the rows
// the history's destination transactions wrote, so the history's final
// state can name them (history::FinalRowRef) instead of copying them.
//
// A stored row is the row a transaction upserted, sharing its fields' block
// (the recorder copies the SharedRow, never the values), unless a fault
// changed it in place: a corruption garbles a row's fields into a new block.
// So the index sorts the upserts into one destination table by the address
// of their fields' block, and a stored row is the last upsert with its block
// whose key, mask, version, collection transaction, op and snapshot flag are
// its own; a row with no such upsert (or no fields) is not found and the
// caller keeps a copy.
//
// Invariants: entries_ is sorted by (block, txn, row) and holds one entry
// for every upsert with fields of a transaction into the destination.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "model/materialization.h"
#include "properties/history.h"

namespace cdc::sim {

class FinalRowIndex {
 public:
  // Indexes the upserts of h's destination transactions into table
  // `destination`. REQUIRES: h outlives the index and does not change.
  FinalRowIndex(const history::History& h, std::string_view destination);

  // The upsert equal to the stored row (key, value): the last of them in
  // commit order, or nullopt when none is.
  std::optional<history::FinalRowRef> find(const CompactKey& key, const DestValue& value) const;

  // A stored row, as find_all() takes it.
  struct Stored {
    const CompactKey* key = nullptr;
    const DestValue* value = nullptr;
  };
  // find() of every row of `rows`, into out[i]. The rows are taken in the
  // order of their blocks and the index walked once beside them, instead of
  // one search per row, each reading entries scattered over the index.
  // REQUIRES: out has rows.size() elements.
  void find_all(std::span<const Stored> rows,
                std::span<std::optional<history::FinalRowRef>> out) const;

 private:
  struct Entry {
    const Value* block = nullptr;  // the fields' block: the sort key
    uint32_t txn = 0;
    uint32_t row = 0;
  };
  // The last of entries [first, end) that is the stored row (key, value).
  std::optional<history::FinalRowRef> last_equal(std::vector<Entry>::const_iterator first,
                                                 std::vector<Entry>::const_iterator end,
                                                 const CompactKey& key,
                                                 const DestValue& value) const;
  // Fetches the upserts find_all() reads next (final_rows.cc).
  void fetch_upserts(size_t first, size_t end, size_t* fetched) const;
  const history::History& h_;
  std::vector<Entry> entries_;
};

}  // namespace cdc::sim
