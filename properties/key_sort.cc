// sort_by_key (key_ids.h): ids in bytewise order of their keys.
//
// The checkers sort every key of a table once or twice (the timeline's
// keys, a destination's final keys), millions at scale, and a comparison
// sort there cost more than numbering the keys. Most key spaces differ in
// few bytes of their first eight: an integer key of up to 2^32 values
// differs in its last four, a text key space may share its leading bytes.
// Then each id and those differing bytes fit one 64-bit word, and a radix
// sort orders the words in one pass a byte, with no key read again.
//
// Invariant of both ways: the order is the unique one of the comparator
// `before` (first eight bytes, then every byte, then the id); a run of
// ids whose first eight bytes tie is settled by `before` itself.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "model/assert.h"
#include "model/key_encoding.h"
#include "properties/key_ids.h"

namespace cdc::properties::detail {

namespace {

// The bytes of a prefix (8 bytes, big-endian) that a word can hold beside
// a 32-bit id.
constexpr size_t kWordBytes = 4;
// Below this many ids a comparison sort of the words beats the radix
// sort's 256 counters a pass.
constexpr size_t kRadixFrom = 256;

// Whether id a's key sorts before id b's: bytewise, then (equal keys
// under two tags) by id.
bool before(const KeyIds& keys, uint32_t a, uint32_t b) {
  const int c = keys.key(a).compare(keys.key(b));
  return c != 0 ? c < 0 : a < b;
}

// The shifts of the prefix bytes where `differ` has a bit set, the most
// significant first; how many into *count.
std::array<unsigned, 8> differing_bytes(uint64_t differ, size_t* count) {
  std::array<unsigned, 8> shifts{};
  *count = 0;
  for (unsigned shift = 56;; shift -= 8) {
    if (((differ >> shift) & 0xff) != 0) shifts[(*count)++] = shift;
    if (shift == 0) return shifts;
  }
}

// Stable radix sort of `words` by their bits from 32 up, `bytes` bytes of
// them, least significant byte first.
void radix_sort_high(std::vector<uint64_t>* words, size_t bytes) {
  std::vector<uint64_t> scratch(words->size());
  for (size_t pass = 0; pass < bytes; ++pass) {
    const unsigned shift = static_cast<unsigned>(32 + 8 * pass);
    std::array<size_t, 257> start{};
    for (const uint64_t w : *words)
      ++start[((w >> shift) & 0xff) + 1];
    for (size_t d = 0; d < 256; ++d)
      start[d + 1] += start[d];
    for (const uint64_t w : *words)
      scratch[start[(w >> shift) & 0xff]++] = w;
    words->swap(scratch);
  }
}

// The ids whose words tie above bit 32 (equal first eight bytes), each run
// ordered by `before`, written back into ids.
void settle_ties(const KeyIds& keys, const std::vector<uint64_t>& words,
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
              [&](uint32_t a, uint32_t b) { return before(keys, a, b); });
  }
}

// sort_by_key when the ids' prefixes differ in at most kWordBytes bytes;
// returns false, changing nothing, when they differ in more.
bool sort_by_few_bytes(const KeyIds& keys, std::vector<uint32_t>* ids) {
  const size_t n = ids->size();
  std::vector<uint64_t> words(n);
  uint64_t all_and = ~uint64_t{0};
  uint64_t all_or = 0;
  for (size_t i = 0; i < n; ++i) {
    words[i] = key_prefix(keys.key((*ids)[i]));
    all_and &= words[i];
    all_or |= words[i];
  }
  size_t count = 0;
  const std::array<unsigned, 8> shifts = differing_bytes(all_and ^ all_or, &count);
  if (count > kWordBytes) return false;
  for (size_t i = 0; i < n; ++i) {
    uint64_t packed = 0;
    for (size_t c = 0; c < count; ++c)
      packed = (packed << 8) | ((words[i] >> shifts[c]) & 0xff);
    words[i] = (packed << 32) | (*ids)[i];
  }
  if (n < kRadixFrom) {
    std::sort(words.begin(), words.end());
  } else {
    radix_sort_high(&words, count);
  }
  settle_ties(keys, words, ids);
  return true;
}

// sort_by_key by comparisons: prefixes first, then `before`.
void sort_by_comparisons(const KeyIds& keys, std::vector<uint32_t>* ids) {
  std::vector<std::pair<uint64_t, uint32_t>> by_prefix;
  by_prefix.reserve(ids->size());
  for (const uint32_t id : *ids)
    by_prefix.emplace_back(key_prefix(keys.key(id)), id);
  std::sort(by_prefix.begin(), by_prefix.end(), [&](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first < b.first;
    return before(keys, a.second, b.second);
  });
  for (size_t i = 0; i < by_prefix.size(); ++i)
    (*ids)[i] = by_prefix[i].second;
}

}  // namespace

void sort_by_key(const KeyIds& keys, std::vector<uint32_t>* ids) {
  if (ids->size() < 2) return;
  CDC_ASSERT(ids->size() <= UINT32_MAX, "ids fit 32 bits");
  if (!sort_by_few_bytes(keys, ids)) sort_by_comparisons(keys, ids);
}

}  // namespace cdc::properties::detail
