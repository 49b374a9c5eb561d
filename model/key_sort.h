// sort_ids_by_key: numbers (ids, positions) in bytewise order of the keys
// they name, ties in key by number.
//
// The checkers sort every key of a table once or twice (the timeline's
// keys, a destination's final keys), millions at scale, and a merge
// materialization sorts each transaction's documents by key. A comparison
// sort of (first eight bytes, id) pairs cost more there than numbering the
// keys. Most key spaces differ in few of their first eight bytes: an
// integer key of up to 2^32 values differs in its last four, a text key
// space may share its leading bytes. Then each id and those differing bytes
// fit one 64-bit word, and a radix sort (model/radix_sort.h) orders the
// words in one pass a byte, reading no key again; ids whose first eight
// bytes tie are then ordered by their whole keys. Key spaces differing in
// more bytes take a comparison sort, first eight bytes first.
//
// Below kRadixFrom ids the comparison sort runs. Memory: the radix way
// holds 16 bytes an id while it sorts (a word and its scratch copy), as
// the comparison way's (prefix, id) pairs do.
//
// Contract: afterwards `ids` is ordered by `before` below, a strict total
// order on distinct ids: the same order either way, so which way ran never
// reaches output. REQUIRES: key_of(id) returns a std::string_view that
// stays valid and unchanged during the call.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "model/assert.h"
#include "model/key_encoding.h"
#include "model/radix_sort.h"

namespace cdc {

namespace key_sort_detail {

// The bytes of a prefix (8 bytes, big-endian) a word can hold beside a
// 32-bit id.
inline constexpr size_t kWordBytes = 4;

// The shifts of the prefix bytes where `differ` has a bit set, the most
// significant first; how many into *count.
std::array<unsigned, 8> differing_bytes(uint64_t differ, size_t* count);
// The bytes of `prefix` at `shifts` (count of them), the first most
// significant, above `id`.
uint64_t packed_word(uint64_t prefix, const std::array<unsigned, 8>& shifts, size_t count,
                     uint32_t id);

// Whether id a's key sorts before id b's: bytewise, then by id.
template <class KeyOf>
bool before(const KeyOf& key_of, uint32_t a, uint32_t b) {
  const int c = std::string_view(key_of(a)).compare(key_of(b));
  return c != 0 ? c < 0 : a < b;
}

// Writes the words' ids back into ids, each run whose first eight bytes
// tie (equal bits above 32) ordered by `before`.
template <class KeyOf>
void settle_ties(const KeyOf& key_of, const std::vector<uint64_t>& words,
                 std::vector<uint32_t>* ids) {
  const size_t n = words.size();
  for (size_t i = 0; i < n; ++i)
    (*ids)[i] = static_cast<uint32_t>(words[i]);
  for (size_t first = 0, last = 0; first < n; first = last) {
    last = first + 1;
    while (last < n && (words[last] >> 32) == (words[first] >> 32))
      ++last;
    if (last - first < 2) continue;
    std::sort(ids->begin() + static_cast<std::ptrdiff_t>(first),
              ids->begin() + static_cast<std::ptrdiff_t>(last),
              [&](uint32_t a, uint32_t b) { return before(key_of, a, b); });
  }
}

// The radix way, when the prefixes differ in at most kWordBytes bytes;
// returns false, changing nothing, when they differ in more.
template <class KeyOf>
bool sort_by_few_bytes(const KeyOf& key_of, std::vector<uint32_t>* ids) {
  const size_t n = ids->size();
  std::vector<uint64_t> words(n);
  uint64_t all_and = ~uint64_t{0};
  uint64_t all_or = 0;
  for (size_t i = 0; i < n; ++i) {
    words[i] = key_prefix(key_of((*ids)[i]));
    all_and &= words[i];
    all_or |= words[i];
  }
  size_t count = 0;
  const std::array<unsigned, 8> shifts = differing_bytes(all_and ^ all_or, &count);
  if (count > kWordBytes) return false;
  // Differing bytes side by side (an integer key's lowest) are one shift
  // and one mask away from their packed form.
  const bool side_by_side = count == 0 || shifts[0] - shifts[count - 1] == 8 * (count - 1);
  const unsigned lowest = count == 0 ? 0 : shifts[count - 1];
  const uint64_t mask = count == 0 ? 0 : ~uint64_t{0} >> (64 - 8 * count);
  for (size_t i = 0; i < n; ++i) {
    words[i] = side_by_side ? (((words[i] >> lowest) & mask) << 32) | (*ids)[i]
                            : packed_word(words[i], shifts, count, (*ids)[i]);
  }
  radix_sort_by(&words, [](uint64_t w) { return w >> 32; });
  settle_ties(key_of, words, ids);
  return true;
}

// The comparison way: first eight bytes, then `before`.
template <class KeyOf>
void sort_by_comparisons(const KeyOf& key_of, std::vector<uint32_t>* ids) {
  std::vector<std::pair<uint64_t, uint32_t>> by_prefix;
  by_prefix.reserve(ids->size());
  for (const uint32_t id : *ids)
    by_prefix.emplace_back(key_prefix(key_of(id)), id);
  std::sort(by_prefix.begin(), by_prefix.end(), [&](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first < b.first;
    return before(key_of, a.second, b.second);
  });
  for (size_t i = 0; i < by_prefix.size(); ++i)
    (*ids)[i] = by_prefix[i].second;
}

}  // namespace key_sort_detail

template <class KeyOf>
void sort_ids_by_key(std::vector<uint32_t>* ids, const KeyOf& key_of) {
  if (ids->size() < 2) return;
  CDC_ASSERT(ids->size() <= UINT32_MAX, "ids fit 32 bits");
  // Below the radix sort's threshold, packing words costs more than it
  // saves.
  if (ids->size() < kRadixFrom || !key_sort_detail::sort_by_few_bytes(key_of, ids)) {
    key_sort_detail::sort_by_comparisons(key_of, ids);
  }
}

// Sorts items stably by the key key_of(item) views (a std::string_view
// valid during the call): sort_ids_by_key over their positions, which
// orders equal keys by position. REQUIRES: T is movable.
template <class T, class KeyOf>
void stable_sort_by_key(std::vector<T>* items, const KeyOf& key_of) {
  if (items->size() < kRadixFrom) {
    std::stable_sort(items->begin(), items->end(), [&](const T& a, const T& b) {
      return std::string_view(key_of(a)) < std::string_view(key_of(b));
    });
    return;
  }
  std::vector<uint32_t> order(items->size());
  for (uint32_t i = 0; i < order.size(); ++i)
    order[i] = i;
  sort_ids_by_key(&order, [&](uint32_t i) { return key_of((*items)[i]); });
  std::vector<T> sorted;
  sorted.reserve(items->size());
  for (const uint32_t i : order)
    sorted.push_back(std::move((*items)[i]));
  items->swap(sorted);
}

}  // namespace cdc
