#include "sim/final_rows.h"

#include <algorithm>
#include <cstdint>
#include <utility>

#include "model/assert.h"
#include "model/radix_sort.h"

namespace cdc::sim {

namespace {

// find_all() checks its answers against find() for inputs up to this many
// rows: every small world's, at a search each.
constexpr size_t kCheckedRows = 64;

// How many stored rows and index entries ahead find_all() asks for what it
// will read: enough to keep several misses in flight.
constexpr size_t kFetchAhead = 8;

// A block's place in the order the index sorts by: its address as an
// integer (the lookups below compare the same integers).
uint64_t address_of(const Value* block) {
  return static_cast<uint64_t>(reinterpret_cast<uintptr_t>(block));
}
bool before(const Value* a, const Value* b) {
  return address_of(a) < address_of(b);
}

// Whether upsert r is the stored row (key, v): the same block of fields (the
// caller's match) and every other member equal.
bool same_row(const history::DestinationRow& r, const CompactKey& key, const DestValue& v) {
  return r.fields.begin() == v.fields.begin() && r.key == key && r.present_mask == v.present_mask &&
         r.lsn == v.lsn && r.collection_seq == v.collection_seq &&
         r.op == static_cast<history::DocOp>(v.op) && r.snapshot == v.snapshot;
}

}  // namespace

FinalRowIndex::FinalRowIndex(const history::History& h, std::string_view destination) : h_(h) {
  CDC_ASSERT(h.destination_txns.size() < history::FinalRowRef::kOwned,
             "destination transactions fit a 32-bit index");
  for (uint32_t t = 0; t < h.destination_txns.size(); ++t) {
    const history::DestinationTxn& txn = h.destination_txns[t];
    if (h.materializations.at(txn.binding).destination != destination) continue;
    CDC_ASSERT(txn.upserts.size() < UINT32_MAX, "a transaction's rows fit a 32-bit index");
    for (uint32_t r = 0; r < txn.upserts.size(); ++r) {
      const Value* block = txn.upserts[r].fields.begin();
      if (block != nullptr) entries_.push_back(Entry{block, t, r});
    }
  }
  // Entries were made in (txn, row) order, and the sort keeps that order
  // among a block's entries.
  radix_sort_by(&entries_, [](const Entry& e) { return address_of(e.block); });
}

std::optional<history::FinalRowRef> FinalRowIndex::find(const CompactKey& key,
                                                        const DestValue& value) const {
  const Value* block = value.fields.begin();
  if (block == nullptr) return std::nullopt;
  const auto first =
      std::lower_bound(entries_.begin(), entries_.end(), block,
                       [&](const Entry& e, const Value* b) { return before(e.block, b); });
  const auto end =
      std::upper_bound(first, entries_.end(), block,
                       [&](const Value* b, const Entry& e) { return before(b, e.block); });
  return last_equal(first, end, key, value);
}

// The last equal upsert: the one the stored row was written by, or one
// indistinguishable from it.
std::optional<history::FinalRowRef> FinalRowIndex::last_equal(
    std::vector<Entry>::const_iterator first, std::vector<Entry>::const_iterator end,
    const CompactKey& key, const DestValue& value) const {
  for (auto it = end; it != first;) {
    --it;
    const history::DestinationRow& r = h_.destination_txns[it->txn].upserts[it->row];
    if (same_row(r, key, value)) return history::FinalRowRef{it->txn, it->row};
  }
  return std::nullopt;
}

void FinalRowIndex::find_all(std::span<const Stored> rows,
                             std::span<std::optional<history::FinalRowRef>> out) const {
  CDC_ASSERT(out.size() == rows.size(), "one answer per stored row");
  // Each row's block read once, then sorted with it: comparing through the
  // rows would fetch a scattered row per comparison.
  CDC_ASSERT(rows.size() < UINT32_MAX, "stored rows fit a 32-bit index");
  std::vector<std::pair<const Value*, uint32_t>> order(rows.size());
  for (uint32_t i = 0; i < order.size(); ++i)
    order[i] = {rows[i].value->fields.begin(), i};
  radix_sort_by(&order, [](const auto& o) { return address_of(o.first); });
  // `first`..`end`: the entries of the current row's block; both only advance.
  auto first = entries_.begin();
  auto end = entries_.begin();
  // The upserts of entries [first, fetched) have been asked for ahead.
  size_t fetched = 0;
  for (size_t j = 0; j < order.size(); ++j) {
    const auto& [block, i] = order[j];
    // The stored row and answer 2 * kFetchAhead rows on, then what that
    // stored row points at kFetchAhead rows on (it has arrived by then).
    if (j + 2 * kFetchAhead < order.size()) {
      const uint32_t later = order[j + 2 * kFetchAhead].second;
      __builtin_prefetch(&rows[later]);
      __builtin_prefetch(&out[later], 1);
    }
    if (j + kFetchAhead < order.size()) {
      const Stored& next = rows[order[j + kFetchAhead].second];
      __builtin_prefetch(next.key);
      __builtin_prefetch(next.value);
    }
    out[i].reset();
    if (block == nullptr) continue;
    if (first == end || first->block != block) {
      first = end;
      while (first != entries_.end() && before(first->block, block))
        ++first;
      end = first;
      while (end != entries_.end() && end->block == block)
        ++end;
    }
    fetch_upserts(static_cast<size_t>(first - entries_.begin()),
                  static_cast<size_t>(end - entries_.begin()), &fetched);
    out[i] = last_equal(first, end, *rows[i].key, *rows[i].value);
    CDC_ASSERT(rows.size() > kCheckedRows || out[i] == find(*rows[i].key, *rows[i].value),
               "the walk finds what a search finds");
  }
}

// Asks for the upserts of the entries from `first` to kFetchAhead past
// `end` that *fetched has not reached: the walk reads them soon, scattered
// over the history's transactions.
void FinalRowIndex::fetch_upserts(size_t first, size_t end, size_t* fetched) const {
  const size_t to = std::min(end + kFetchAhead, entries_.size());
  for (size_t e = std::max(*fetched, first); e < to; ++e) {
    const Entry& entry = entries_[e];
    __builtin_prefetch(&h_.destination_txns[entry.txn].upserts[entry.row]);
  }
  *fetched = std::max(*fetched, to);
}

}  // namespace cdc::sim
