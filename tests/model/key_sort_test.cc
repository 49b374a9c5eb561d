// sort_ids_by_key (model/key_sort.h): both of its ways, the radix sort of
// few differing prefix bytes and the comparison sort, give the order of a
// comparison of whole keys.
#include "model/key_sort.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace cdc::testing {
namespace {

// An integer key's eight big-endian bytes (a sign-flipped int64, as the key
// encoding writes it).
std::string int_key(int64_t v) {
  const uint64_t biased = static_cast<uint64_t>(v) ^ (uint64_t{1} << 63);
  std::string out(8, '\0');
  for (size_t i = 0; i < 8; ++i)
    out[i] = static_cast<char>((biased >> (56 - 8 * i)) & 0xff);
  return out;
}

// The order sort_ids_by_key promises: whole keys, then ids.
std::vector<uint32_t> reference_order(const std::vector<std::string>& keys,
                                      std::vector<uint32_t> ids) {
  std::sort(ids.begin(), ids.end(), [&](uint32_t a, uint32_t b) {
    const int c = keys[a].compare(keys[b]);
    return c != 0 ? c < 0 : a < b;
  });
  return ids;
}

std::vector<uint32_t> sorted(const std::vector<std::string>& keys, std::vector<uint32_t> ids) {
  sort_ids_by_key(&ids, [&](uint32_t id) { return std::string_view(keys[id]); });
  return ids;
}

// Eight-byte prefixes that tie (longer keys, a key that is another's
// prefix, a NUL byte), and equal keys, which come by id.
TEST(KeySortTest, IsBytewiseOrderThenIdOrder) {
  const std::vector<std::string> keys = {
      "abcdefgh-2", "abcdefgh", "b", "abcdefgh-10", std::string("a\0", 2), "a",
      "\xff\x01",   "abcdefgg", "b"};
  std::vector<uint32_t> ids(keys.size());
  for (uint32_t i = 0; i < ids.size(); ++i)
    ids[i] = static_cast<uint32_t>(ids.size()) - 1 - i;
  const std::vector<uint32_t> want = {5, 4, 7, 1, 3, 0, 2, 8, 6};
  EXPECT_EQ(sorted(keys, ids), want);
}

// A million-wide integer key space past the radix threshold, in reverse:
// the radix way's result, checked element by element.
TEST(KeySortTest, ManyIntegerKeysComeInNumericOrder) {
  std::vector<std::string> keys;
  std::vector<uint32_t> ids;
  for (int64_t i = 0; i < 5000; ++i) {
    keys.push_back(int_key(-2500 + i * 397));
    ids.push_back(static_cast<uint32_t>(4999 - i));
  }
  const std::vector<uint32_t> got = sorted(keys, ids);
  ASSERT_EQ(got.size(), keys.size());
  for (uint32_t i = 0; i < got.size(); ++i)
    EXPECT_EQ(got[i], i) << i;
}

// Key spaces of each shape the sort meets, small and past the radix
// threshold, in any order of ids and any subset: integers over a narrow or
// a wide range (up to four differing bytes, or more), short texts sharing
// their first bytes (ties within eight bytes settled by the rest), keys
// differing anywhere, integers differing in two bytes apart, and repeated
// keys.
RC_GTEST_PROP(KeySortProps, AgreesWithAComparisonOfWholeKeys, ()) {
  const int shape = *rc::gen::inRange(0, 5);
  const int64_t span = *rc::gen::element<int64_t>(1, 300, int64_t{1} << 20, int64_t{1} << 40);
  const int64_t base = *rc::gen::element<int64_t>(-5, 0, int64_t{1} << 33, -(int64_t{1} << 50));
  const size_t n = *rc::gen::element<size_t>(0, 1, 2, 17, 255, 256, 900);
  std::vector<std::string> keys;
  std::vector<uint32_t> ids;
  for (size_t i = 0; i < n; ++i) {
    if (shape == 0) {
      keys.push_back(int_key(base + *rc::gen::inRange<int64_t>(0, span)));
    } else if (shape == 1) {
      std::string key = "prefix-" + std::string(*rc::gen::inRange<size_t>(0, 4), 'a');
      keys.push_back(key + *rc::gen::element('\0', 'a', 'b'));
    } else if (shape == 2) {
      keys.push_back(*rc::gen::container<std::string>(*rc::gen::inRange<size_t>(0, 12),
                                                      rc::gen::element('\0', 'a', '\xff')));
    } else if (shape == 3) {
      keys.push_back(int_key(base + static_cast<int64_t>(i) * (span + 1)) + "tail");
    } else {  // two differing bytes apart: the packing's general way
      const int64_t high = *rc::gen::inRange<int64_t>(0, 3) << 40;
      keys.push_back(int_key(base ^ high ^ *rc::gen::inRange<int64_t>(0, 7)));
    }
    if (*rc::gen::element(0, 1, 1, 1) == 1) ids.push_back(static_cast<uint32_t>(i));
  }
  for (size_t i = ids.size(); i > 1; --i)
    std::swap(ids[i - 1], ids[*rc::gen::inRange<size_t>(0, i)]);
  RC_ASSERT(sorted(keys, ids) == reference_order(keys, ids));
}

// stable_sort_by_key is std::stable_sort by key, on items of any kind.
RC_GTEST_PROP(KeySortProps, StableSortByKeyIsAStableSort, ()) {
  const size_t n = *rc::gen::element<size_t>(0, 1, 3, 40, 300, 700);
  std::vector<std::pair<std::string, size_t>> items;
  for (size_t i = 0; i < n; ++i) {
    const bool integer = *rc::gen::element(0, 1) == 0;
    items.emplace_back(integer ? int_key(*rc::gen::inRange<int64_t>(-40, 40))
                               : *rc::gen::container<std::string>(*rc::gen::inRange<size_t>(0, 10),
                                                                  rc::gen::element('a', 'b')),
                       i);
  }
  std::vector<std::pair<std::string, size_t>> want = items;
  std::stable_sort(want.begin(), want.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  stable_sort_by_key(&items, [](const auto& item) { return std::string_view(item.first); });
  RC_ASSERT(items == want);
}

}  // namespace
}  // namespace cdc::testing
