#include "properties/key_ids.h"

#include <algorithm>
#include <functional>
#include <utility>

#include "model/assert.h"
#include "model/key_encoding.h"
#include "model/key_sort.h"

namespace cdc::properties::detail {

namespace {

uint64_t cell_value(uint64_t hash, size_t id) {
  return (hash & ~uint64_t{0xffffffff}) | (id + 1);
}
uint32_t id_in(uint64_t cell) {
  return static_cast<uint32_t>(cell & 0xffffffff) - 1;
}
bool same_hash(uint64_t cell, uint64_t hash) {
  return (cell >> 32) == (hash >> 32);
}

}  // namespace

// The tag is spread over the high bits too: a key's home is the top bits of
// its hash, and one key under several tags (a binding's and a table's, two
// bindings of one table) must not share a home and its stored bits.
uint64_t KeyIds::hash_of(uint32_t tag, std::string_view key) {
  return static_cast<uint64_t>(std::hash<std::string_view>()(key)) ^
         (uint64_t{tag} * 0x9e3779b97f4a7c15ULL);
}

size_t KeyIds::cell_of(uint32_t tag, std::string_view key, uint64_t hash) const {
  const size_t mask = table_.size() - 1;
  size_t i = home(hash);
  for (size_t probes = 0; probes < table_.size(); ++probes, i = (i + 1) & mask) {
    const uint64_t cell = table_[i];
    if (cell == 0) return i;
    if (same_hash(cell, hash) && tags_[id_in(cell)] == tag && keys_[id_in(cell)] == key) return i;
  }
  CDC_ASSERT(false, "a table kept at most three quarters full has an empty cell");
  return 0;
}

uint32_t KeyIds::add(uint32_t tag, std::string_view key) {
  return add_hashed(tag, key, hash_of(tag, key));
}

uint32_t KeyIds::add_hashed(uint32_t tag, std::string_view key, uint64_t hash) {
  size_t i = cell_of(tag, key, hash);
  if (table_[i] != 0) return id_in(table_[i]);
  CDC_ASSERT(keys_.size() < (size_t{1} << 31), "key ids fit a table of at most 2^32 cells");
  keys_.push_back(key);
  tags_.push_back(tag);
  if (4 * keys_.size() > 3 * table_.size()) {
    grow();
    i = cell_of(tag, key, hash);
    CDC_ASSERT(table_[i] == 0, "a grown table holds the old keys only");
  }
  table_[i] = cell_value(hash, keys_.size() - 1);
  return static_cast<uint32_t>(keys_.size() - 1);
}

std::optional<uint32_t> KeyIds::find(uint32_t tag, std::string_view key) const {
  const uint64_t cell = table_[cell_of(tag, key, hash_of(tag, key))];
  if (cell == 0) return std::nullopt;
  return id_in(cell);
}

void KeyIds::prefetch_group(uint32_t tag, const std::string_view* keys, size_t n,
                            uint64_t* hash) const {
  CDC_ASSERT(n <= kGroup, "a group fits its buffers");
  for (size_t i = 0; i < n; ++i) {
    hash[i] = hash_of(tag, keys[i]);
    __builtin_prefetch(&table_[home(hash[i])]);
  }
  // The first probe's id, whose key is the likely match.
  uint32_t candidate[kGroup];
  for (size_t i = 0; i < n; ++i) {
    const uint64_t cell = table_[home(hash[i])];
    candidate[i] = cell != 0 && same_hash(cell, hash[i]) ? id_in(cell) : kMissing;
    if (candidate[i] != kMissing) {
      __builtin_prefetch(&keys_[candidate[i]]);
      __builtin_prefetch(&tags_[candidate[i]]);
    }
  }
  for (size_t i = 0; i < n; ++i) {
    if (candidate[i] != kMissing) __builtin_prefetch(keys_[candidate[i]].data());
  }
}

void KeyIds::find_many(uint32_t tag, std::span<const std::string_view> keys,
                       std::span<uint32_t> out) const {
  CDC_ASSERT(out.size() == keys.size(), "one result per key");
  uint64_t hash[kGroup];
  for (size_t base = 0; base < keys.size(); base += kGroup) {
    const size_t n = std::min(kGroup, keys.size() - base);
    prefetch_group(tag, &keys[base], n, hash);
    for (size_t i = 0; i < n; ++i) {
      const uint64_t cell = table_[cell_of(tag, keys[base + i], hash[i])];
      out[base + i] = cell == 0 ? kMissing : id_in(cell);
    }
  }
}

// A group's prefetches are wasted, not wrong, when an add in it grows the
// table: every add probes from the hash alone.
void KeyIds::add_many(uint32_t tag, std::span<const std::string_view> keys,
                      std::span<uint32_t> out) {
  CDC_ASSERT(out.size() == keys.size(), "one result per key");
  uint64_t hash[kGroup];
  for (size_t base = 0; base < keys.size(); base += kGroup) {
    const size_t n = std::min(kGroup, keys.size() - base);
    prefetch_group(tag, &keys[base], n, hash);
    for (size_t i = 0; i < n; ++i)
      out[base + i] = add_hashed(tag, keys[base + i], hash[i]);
  }
}

void sort_by_key(const KeyIds& keys, std::vector<uint32_t>* ids) {
  sort_ids_by_key(ids, [&](uint32_t id) { return keys.key(id); });
}

// Doubles the table and puts every cell in the new one, from its home under
// the new size (the caller places the newest id). A cell keeps the hash bits
// its home is made of, so no key is hashed or read.
void KeyIds::grow() {
  CDC_ASSERT(shift_ > 32, "a table of at most 2^32 cells");
  std::vector<uint64_t> old(table_.size() * 2, 0);
  old.swap(table_);
  --shift_;
  const size_t mask = table_.size() - 1;
  size_t moved = 0;
  for (const uint64_t cell : old) {
    if (cell == 0) continue;
    size_t i = home(cell & ~uint64_t{0xffffffff});
    for (size_t probes = 0; table_[i] != 0; ++probes, i = (i + 1) & mask) {
      CDC_ASSERT(probes < table_.size(), "a grown table has an empty cell");
    }
    table_[i] = cell;
    ++moved;
  }
  CDC_ASSERT(moved + 1 == keys_.size(), "every id but the newest has moved");
}

}  // namespace cdc::properties::detail
