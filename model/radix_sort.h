// radix_sort_by: a stable sort of records by a 64-bit integer key, in one
// pass per byte in which the keys differ.
//
// The checkers and the final state sort millions of records by an integer
// (a key's differing bytes, a row block's address). A comparison sort
// takes about n log n comparisons, each a branch the processor mispredicts
// half the time. Here one pass finds the bytes the keys differ in; then
// each such byte, least significant first, costs a counting pass and a
// stable scatter into a second array. Keys that differ in three bytes (a
// million integers, addresses within one heap region) take three.
//
// Contract: afterwards the records ascend by key, and records with equal
// keys keep their order, as std::stable_sort by key would leave them.
// Memory: a second array of the records while sorting (none when every
// key is equal; below kRadixFrom records std::stable_sort runs, and an
// insertion sort up to kInsertionUpTo).
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace cdc {

// Below this many records a comparison sort beats 256 counters a pass.
inline constexpr size_t kRadixFrom = 256;
// Up to this many, an insertion sort, which allocates nothing.
inline constexpr size_t kInsertionUpTo = 32;

// A stable sort by key_of without allocating, for a few records (often
// in order already).
template <class T, class KeyOf>
void insertion_sort_by(std::vector<T>* items, const KeyOf& key_of) {
  for (size_t i = 1; i < items->size(); ++i) {
    const uint64_t k = key_of((*items)[i]);
    if (!(k < key_of((*items)[i - 1]))) continue;
    T item = std::move((*items)[i]);
    size_t j = i;
    for (; j > 0 && k < key_of((*items)[j - 1]); --j)
      (*items)[j] = std::move((*items)[j - 1]);
    (*items)[j] = std::move(item);
  }
}

// REQUIRES: T is default-constructible and movable; key_of(const T&)
// returns a uint64_t and is the same for a record wherever it lies.
template <class T, class KeyOf>
void radix_sort_by(std::vector<T>* items, const KeyOf& key_of) {
  const size_t n = items->size();
  if (n <= kInsertionUpTo) {
    insertion_sort_by(items, key_of);
    return;
  }
  if (n < kRadixFrom) {
    std::stable_sort(items->begin(), items->end(),
                     [&](const T& a, const T& b) { return key_of(a) < key_of(b); });
    return;
  }
  uint64_t all_and = ~uint64_t{0};
  uint64_t all_or = 0;
  for (const T& t : *items) {
    const uint64_t k = key_of(t);
    all_and &= k;
    all_or |= k;
  }
  const uint64_t differ = all_and ^ all_or;
  std::vector<T> scratch;
  for (unsigned shift = 0; shift < 64; shift += 8) {
    if (((differ >> shift) & 0xff) == 0) continue;
    if (scratch.empty()) scratch.resize(n);
    std::array<size_t, 257> start{};
    for (const T& t : *items)
      ++start[((key_of(t) >> shift) & 0xff) + 1];
    for (size_t d = 0; d < 256; ++d)
      start[d + 1] += start[d];
    for (T& t : *items)
      scratch[start[(key_of(t) >> shift) & 0xff]++] = std::move(t);
    items->swap(scratch);
  }
}

}  // namespace cdc
