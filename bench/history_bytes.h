// Where a history's memory goes: an estimate of the bytes each part of a
// history holds (the records themselves, their vectors' spare capacity, and
// the heap blocks of strings too long for their in-object buffer and of
// rows). Long text values shared between rows are counted once per holder,
// so texts are over-counted; the demo tables' texts are short and inline.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "properties/history.h"

namespace cdc::bench {

struct HistoryBytes {
  size_t source = 0;        // source commits and their key changes (before and after rows)
  size_t chunks = 0;        // backfill chunks and the keys they read
  size_t collections = 0;   // collection transactions and their documents
  size_t destinations = 0;  // destination transactions and their rows
  size_t final_state = 0;   // the destinations' recorded final rows (references, and copies)
  size_t total() const { return source + chunks + collections + destinations + final_state; }
};

namespace detail {

constexpr size_t kSmallString = 15;  // libstdc++'s in-object buffer

inline size_t heap_of(const std::string& s) {
  return s.size() > kSmallString ? s.capacity() + 1 : 0;
}
inline size_t heap_of(const CompactKey& k) {
  return k.size() > KeyBytes::kInline ? k.size() : 0;
}
// A shared row's block, split evenly between its holders (rounded to the
// nearest byte), so a block the history holds in several places counts once
// over all of them (the world is gone when this runs: every holder left is in
// the history).
inline size_t heap_of(const SharedRow& r) {
  if (r.empty()) return 0;
  const size_t holders = r.use_count();
  return (SharedRow::bytes_for(r.size()) + holders / 2) / holders;
}
inline size_t heap_of(const history::DestinationRow& r) {
  return heap_of(r.key) + heap_of(r.fields);
}

}  // namespace detail

inline HistoryBytes history_bytes(const history::History& h) {
  using namespace detail;
  HistoryBytes b;
  b.source = h.source_commits.capacity() * sizeof(history::SourceCommit);
  for (const history::SourceCommit& c : h.source_commits) {
    b.source += c.changes.capacity() * sizeof(history::SourceKeyChange);
    for (const history::SourceKeyChange& k : c.changes) {
      b.source +=
          heap_of(k.key) + (k.before ? heap_of(*k.before) : 0) + (k.after ? heap_of(*k.after) : 0);
    }
  }
  b.chunks = h.chunks.capacity() * sizeof(history::Chunk);
  for (const history::Chunk& c : h.chunks) {
    b.chunks += c.rows.capacity() * sizeof(history::ChunkRow);
    b.chunks += c.order_keys.capacity() * sizeof(history::DbOrderKey);
    for (const history::ChunkRow& r : c.rows)
      b.chunks += heap_of(r.key);
    for (const history::DbOrderKey& k : c.order_keys)
      b.chunks += heap_of(k);
  }
  b.collections = h.collection_txns.capacity() * sizeof(history::CollectionTxn);
  for (const history::CollectionTxn& t : h.collection_txns) {
    b.collections += t.docs.capacity() * sizeof(history::Document);
    for (const history::Document& d : t.docs) {
      b.collections += heap_of(d.key) + heap_of(d.fields);
    }
  }
  b.destinations = h.destination_txns.capacity() * sizeof(history::DestinationTxn);
  for (const history::DestinationTxn& t : h.destination_txns) {
    b.destinations += t.upserts.capacity() * sizeof(history::DestinationRow) +
                      t.deletes.capacity() * sizeof(history::DocKey);
    for (const history::DestinationRow& r : t.upserts)
      b.destinations += heap_of(r);
    for (const history::DocKey& k : t.deletes)
      b.destinations += heap_of(k);
  }
  for (const std::vector<history::FinalRowRef>& refs : h.final_state.destinations)
    b.final_state += refs.capacity() * sizeof(history::FinalRowRef);
  b.final_state += h.final_state.owned.capacity() * sizeof(history::DestinationRow);
  for (const history::DestinationRow& r : h.final_state.owned)
    b.final_state += heap_of(r);
  b.final_state += h.final_state.surviving_doc_ids.capacity() * sizeof(uint32_t);
  return b;
}

}  // namespace cdc::bench
