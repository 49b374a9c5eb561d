// Dense ids for the keys of a history: (tag, key) pairs numbered in the order
// they are first added, found by hash.
//
// The checkers judge millions of keys; an ordered map of strings costs a
// descent of string comparisons per lookup and a node per key. KeyIds keeps
// views of the keys (which live in the History), their tags (a table or a
// binding id) and an open-addressing table of ids, so a lookup costs one hash
// and a few probes. Ids follow the order of addition, which follows the
// history, so iterating by id is deterministic; hashes never reach output.
//
// Invariants: table_.size() is a power of two, at least 4/3 of size() (and
// at least 2); cell value 0 is empty, else it holds id i as i + 1 in its low 32
// bits and the high 32 bits of the id's hash above them (compared before the
// key's bytes); every id has exactly one cell, reached by linear probing from
// its home: the top log2(table_.size()) bits of its hash. The home is read
// from those stored bits, so doubling the table moves cells without hashing
// or reading a key again. Three quarters full at most (linear probing then
// takes under three probes for a key present, nine for one absent, most in
// one cache line of eight cells): a table of 10M keys takes 2^24 cells, not
// the 2^25 a half-full bound would take (8 bytes a cell).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace cdc::properties::detail {

class KeyIds {
 public:
  // The id of (tag, key), added when new. REQUIRES: `key`'s bytes outlive
  // this object.
  uint32_t add(uint32_t tag, std::string_view key);
  std::optional<uint32_t> find(uint32_t tag, std::string_view key) const;
  // find() of each of `keys`, into out[i] (kMissing when absent). Looks
  // keys up in groups, fetching each group's cells, then ids, then key
  // bytes ahead of use, so their cache misses overlap instead of following
  // one another. REQUIRES: out has keys.size() elements.
  static constexpr uint32_t kMissing = UINT32_MAX;
  void find_many(uint32_t tag, std::span<const std::string_view> keys,
                 std::span<uint32_t> out) const;
  // add() of each of `keys` in order, into out[i]: the same ids as adding
  // them one by one, with the probes' cache misses overlapped as in
  // find_many(). REQUIRES: out has keys.size() elements; every key's bytes
  // outlive this object.
  void add_many(uint32_t tag, std::span<const std::string_view> keys, std::span<uint32_t> out);

  size_t size() const { return keys_.size(); }
  std::string_view key(uint32_t id) const { return keys_.at(id); }
  uint32_t tag(uint32_t id) const { return tags_.at(id); }

 private:
  static uint64_t hash_of(uint32_t tag, std::string_view key);
  // The cell holding (tag, key), whose hash is `hash`, or the empty cell
  // where it would go.
  size_t cell_of(uint32_t tag, std::string_view key, uint64_t hash) const;
  // add() of a key whose hash is `hash`.
  uint32_t add_hashed(uint32_t tag, std::string_view key, uint64_t hash);
  void grow();
  size_t home(uint64_t hash) const { return static_cast<size_t>(hash >> shift_); }
  // Group size of find_many and add_many.
  static constexpr size_t kGroup = 16;
  // Hashes keys[0..n) into hash[] and fetches the cache lines their lookups
  // will read: first probe cells, then the ids' keys and tags, then the key
  // bytes. REQUIRES: n <= kGroup.
  void prefetch_group(uint32_t tag, const std::string_view* keys, size_t n, uint64_t* hash) const;
  std::vector<std::string_view> keys_;  // by id
  std::vector<uint32_t> tags_;          // by id
  // 64 cells to begin with: a small run's few hundred keys then grow the
  // table three times instead of eight.
  static constexpr unsigned kFirstLog2Cells = 6;
  std::vector<uint64_t> table_ = std::vector<uint64_t>(size_t{1} << kFirstLog2Cells, 0);
  unsigned shift_ = 64 - kFirstLog2Cells;  // 64 - log2(table_.size()), at least 32
};

// The ids in `ids` ordered by their keys, bytewise (equal keys under
// different tags: by id): sort_ids_by_key (model/key_sort.h).
void sort_by_key(const KeyIds& keys, std::vector<uint32_t>* ids);

}  // namespace cdc::properties::detail
