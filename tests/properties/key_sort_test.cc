// sort_by_key (properties/key_sort.cc): both of its ways, the radix sort of
// few differing prefix bytes and the comparison sort, give bytewise order.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cstdint>
#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "properties/key_ids.h"

namespace cdc::properties::testing {
namespace {

// Sorting by key agrees with bytewise order, also where eight-byte prefixes
// tie (longer keys, a key that is another's prefix); equal keys under two
// tags come by id.
TEST(KeySortTest, IsBytewiseOrder) {
  const std::vector<std::string> keys = {
      "abcdefgh-2",          "abcdefgh", "b",        "abcdefgh-10",
      std::string("a\0", 2), "a",        "\xff\x01", "abcdefgg"};
  detail::KeyIds ids;
  std::vector<uint32_t> order;
  for (const std::string& k : keys)
    order.push_back(ids.add(0, k));
  order.push_back(ids.add(7, "b"));
  detail::sort_by_key(ids, &order);
  std::vector<std::string> want = keys;
  want.push_back("b");
  std::sort(want.begin(), want.end());
  ASSERT_EQ(order.size(), want.size());
  for (size_t i = 0; i < order.size(); ++i)
    EXPECT_EQ(ids.key(order[i]), want[i]) << i;
  const auto b0 = std::find(order.begin(), order.end(), 2u);
  ASSERT_NE(b0, order.end());
  ASSERT_NE(b0 + 1, order.end());
  EXPECT_EQ(*(b0 + 1), 8u);  // "b" under tag 7, added later
}

// An integer key's eight big-endian bytes (a sign-flipped int64, as the key
// encoding writes it).
std::string int_key(int64_t v) {
  const uint64_t biased = static_cast<uint64_t>(v) ^ (uint64_t{1} << 63);
  std::string out(8, '\0');
  for (size_t i = 0; i < 8; ++i)
    out[i] = static_cast<char>((biased >> (56 - 8 * i)) & 0xff);
  return out;
}

// The order sort_by_key promises, by a plain comparison of whole keys.
std::vector<uint32_t> reference_order(const detail::KeyIds& ids, std::vector<uint32_t> order) {
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    const int c = ids.key(a).compare(ids.key(b));
    return c != 0 ? c < 0 : a < b;
  });
  return order;
}

// Key spaces of each shape sort_by_key meets, small and past the radix
// sort's threshold, in any order of ids and any subset: integers over a
// narrow or a wide range (four differing bytes or more), short texts that
// share their first bytes (ties within eight bytes settled by the rest),
// and keys differing anywhere.
RC_GTEST_PROP(KeySortProps, AgreesWithAComparisonOfWholeKeys, ()) {
  const int shape = *rc::gen::inRange(0, 4);
  const int64_t span = *rc::gen::element<int64_t>(1, 300, int64_t{1} << 20, int64_t{1} << 40);
  const int64_t base = *rc::gen::element<int64_t>(-5, 0, int64_t{1} << 33, -(int64_t{1} << 50));
  const size_t n = *rc::gen::element<size_t>(0, 1, 2, 17, 255, 256, 900);
  std::deque<std::string> keys;  // the views the ids keep stay valid
  detail::KeyIds ids;
  std::vector<uint32_t> order;
  for (size_t i = 0; i < n; ++i) {
    std::string key;
    if (shape == 0) {
      key = int_key(base + *rc::gen::inRange<int64_t>(0, span));
    } else if (shape == 1) {
      key = "prefix-" + std::string(*rc::gen::inRange<size_t>(0, 4), 'a');
      key += *rc::gen::element('\0', 'a', 'b');
    } else if (shape == 2) {
      key = *rc::gen::container<std::string>(*rc::gen::inRange<size_t>(0, 12),
                                             rc::gen::element('\0', 'a', '\xff'));
    } else {
      key = int_key(base + static_cast<int64_t>(i) * (span + 1)) + "tail";
    }
    keys.push_back(key);
    const uint32_t tag = *rc::gen::element<uint32_t>(0, 0, 0, 7);
    const uint32_t id = ids.add(tag, keys.back());
    if (*rc::gen::element(0, 1, 1, 1) == 1) order.push_back(id);
  }
  std::sort(order.begin(), order.end());
  order.erase(std::unique(order.begin(), order.end()), order.end());
  for (size_t i = order.size(); i > 1; --i)
    std::swap(order[i - 1], order[*rc::gen::inRange<size_t>(0, i)]);
  const std::vector<uint32_t> want = reference_order(ids, order);
  detail::sort_by_key(ids, &order);
  RC_ASSERT(order == want);
}

}  // namespace
}  // namespace cdc::properties::testing
