#include "model/heap.h"

#include <algorithm>

#include "model/key_encoding.h"
#include "model/mutants.h"
#include "model/xid.h"

namespace cdc {

HeapTable::HeapTable(TableSchema schema)
    : schema_(std::move(schema)),
      key_types_(schema_.key_types()),
      key_collations_(schema_.key_collations()),
      bytewise_collations_(key_types_.size(), Collation::kC) {
  CDC_ASSERT(schema_.validate().is_ok(), "heap built from an invalid schema");
  bytewise_differs_ =
      schema_.has_primary_key() && std::any_of(key_collations_.begin(), key_collations_.end(),
                                               [](Collation c) { return c != Collation::kC; });
}

uint32_t HeapTable::page_count() const {
  const uint32_t per = schema_.tuples_per_page;
  return (slot_count() + per - 1) / per;
}

uint32_t HeapTable::append(SharedRow row, Xid xmin, uint32_t prev) {
  CDC_ASSERT(tuples_.size() < kNoSlot, "heap slot space exhausted");
  CDC_ASSERT(xid_is_normal(xmin), "a new tuple's xmin is its writer's (normal) xid");
  CDC_ASSERT(prev == kNoSlot || prev < tuples_.size(), "a version follows an existing one");
  CDC_ASSERT(row.size() == schema_.columns.size(), "a tuple holds a value per column");
  HeapTuple t;
  t.row = std::move(row);
  t.xmin = xmin;
  t.prev = prev;
  tuples_.push_back(std::move(t));
  CDC_ASSERT(tuples_.back().xmin == xmin && tuples_.back().row.size() == schema_.columns.size(),
             "the new tuple holds its writer's xid and its row");
  return static_cast<uint32_t>(tuples_.size() - 1);
}

HeapTuple& HeapTable::tuple(uint32_t slot) {
  CDC_ASSERT(slot < tuples_.size(), "slot out of range");
  return tuples_[slot];
}

const HeapTuple& HeapTable::tuple(uint32_t slot) const {
  CDC_ASSERT(slot < tuples_.size(), "slot out of range");
  return tuples_[slot];
}

void HeapTable::prefetch_tuple(uint32_t slot) const {
  CDC_ASSERT(slot < tuples_.size(), "slot out of range");
  __builtin_prefetch(&tuples_[slot]);
}

void HeapTable::prefetch_row(uint32_t slot) const {
  tuple(slot).row.prefetch();
}

Ctid HeapTable::ctid_of(uint32_t slot) const {
  const uint32_t per = schema_.tuples_per_page;
  return Ctid{slot / per, static_cast<uint16_t>(slot % per + 1)};
}

std::optional<uint32_t> HeapTable::slot_of(Ctid ctid) const {
  const uint32_t per = schema_.tuples_per_page;
  if (ctid.offset == 0 || ctid.offset > per) return std::nullopt;
  const uint64_t slot = uint64_t{ctid.block} * per + (ctid.offset - 1u);
  if (slot >= tuples_.size()) return std::nullopt;
  return static_cast<uint32_t>(slot);
}

uint32_t HeapTable::first_slot_after(Ctid ctid) const {
  const uint32_t per = schema_.tuples_per_page;
  const uint64_t offset = ctid.offset > per ? per : ctid.offset;
  const uint64_t slot = uint64_t{ctid.block} * per + offset;
  return slot >= tuples_.size() ? slot_count() : static_cast<uint32_t>(slot);
}

std::string HeapTable::index_key(const Key& key) const {
  CDC_ASSERT(schema_.has_primary_key(), "index_key on a table without a primary key");
  return encode_key(key, key_types_, key_collations_);
}

std::string HeapTable::index_key_of_row(std::span<const Value> row) const {
  CDC_ASSERT(schema_.has_primary_key(), "index_key_of_row on a table without a primary key");
  return encode_row_key(row, schema_.primary_key, key_types_, key_collations_);
}

std::optional<uint32_t> HeapTable::index_find(std::string_view ikey) const {
  return index_.find(ikey);  // the index takes the rightmost fast path itself
}

std::string HeapTable::bytewise_key_of_row(std::span<const Value> row) const {
  CDC_ASSERT(schema_.has_primary_key(), "bytewise_key_of_row on a table without a primary key");
  return encode_row_key(row, schema_.primary_key, key_types_, bytewise_collations_);
}

std::string HeapTable::bytewise_key_of_slot(uint32_t slot) const {
  return bytewise_key_of_row(shared_row(slot));
}

const KeyIndex& HeapTable::bytewise_index() const {
  CDC_ASSERT(bytewise_differs_, "a bytewise index of a key that sorts bytewise already");
  if (!bytewise_built_) {
    CDC_ASSERT(bytewise_index_.empty(), "an unbuilt bytewise index is empty");
    std::vector<std::pair<std::string, uint32_t>> entries;
    entries.reserve(index_.size());
    for (auto it = index_.begin(); it != index_.end(); ++it)
      entries.emplace_back(bytewise_key_of_slot(it.slot()), it.slot());
    // Ascending, so that each entry takes the index's rightmost fast path.
    std::sort(entries.begin(), entries.end());
    for (const auto& [key, slot] : entries)
      bytewise_index_.set(key, slot);
    bytewise_built_ = true;
  }
  check_bytewise_in_step();
  return bytewise_index_;
}

void HeapTable::check_bytewise_in_step() const {
  CDC_ASSERT(bytewise_built_ ? bytewise_index_.size() == index_.size() : bytewise_index_.empty(),
             "the bytewise index has an entry per key once built, and none before");
}

void HeapTable::index_set(const std::string& ikey, uint32_t slot) {
  CDC_ASSERT(slot < tuples_.size(), "index entry to a missing slot");
  index_.set(ikey, slot);
  if (bytewise_built_) bytewise_index_.set(bytewise_key_of_slot(slot), slot);
  check_bytewise_in_step();
}

void HeapTable::index_erase(const std::string& ikey) {
  const std::optional<uint32_t> slot = index_.find(ikey);
  if (!slot) return;
  if (bytewise_built_) bytewise_index_.erase(bytewise_key_of_slot(*slot));
  index_.erase(ikey);
  check_bytewise_in_step();
}

void HeapTable::rewrite(const std::vector<uint32_t>& keep, bool freeze) {
  decltype(tuples_) tuples;  // the same store, segment size included
  for (size_t i = 0; i < keep.size(); ++i) {
    const uint32_t slot = keep[i];
    CDC_ASSERT(i == 0 || keep[i - 1] < slot, "rewrite keeps tuples in physical order, once");
    HeapTuple t = tuple(slot);
    CDC_ASSERT(!t.has(kRemoved), "rewrite keeps a removed tuple");
    t.prev = kNoSlot;
    if (freeze) t.flags |= kFrozen;
    if (freeze && mutant_active(Mutant::kVacuumFullOverwritesXmin)) t.xmin = kFrozenXid;
    tuples.push_back(t);
  }
  tuples_ = std::move(tuples);
  CDC_ASSERT(tuples_.size() == keep.size(), "rewrite keeps exactly the tuples asked for");
  index_.clear();
  bytewise_index_.clear();
  bytewise_built_ = false;  // bytewise_index() builds it again when asked
  if (!schema_.has_primary_key()) return;
  for (uint32_t s = 0; s < tuples_.size(); ++s) {
    const std::string ikey = index_key_of_row(shared_row(s));
    CDC_ASSERT(!index_.find(ikey), "rewrite kept two versions of one key");
    index_.set(ikey, s);
  }
}

size_t HeapTable::memory_bytes() const {
  size_t rows = 0;
  for (size_t slot = 0; slot < tuples_.size(); ++slot)
    rows += SharedRow::bytes_for(tuples_[slot].row.size());
  const size_t bytes = tuples_.capacity() * sizeof(HeapTuple) + rows + index_.memory_bytes() +
                       bytewise_index_.memory_bytes();
  CDC_ASSERT(bytes >= tuples_.size() * (sizeof(HeapTuple) + SharedRow::bytes_for(0)),
             "the estimate covers the tuples and their rows");
  return bytes;
}

}  // namespace cdc
