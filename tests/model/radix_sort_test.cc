// radix_sort_by (model/radix_sort.h) leaves records as std::stable_sort by
// key would: ascending keys, equal keys in their first order.
#include "model/radix_sort.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

namespace cdc::testing {
namespace {

struct Record {
  uint64_t key = 0;
  uint32_t first_place = 0;
  bool operator==(const Record&) const = default;
};

// Keys over a narrow range (repeats, one differing byte), a wide one, or
// one differing byte high up; fewer records than the radix threshold and
// more.
RC_GTEST_PROP(RadixSortProps, IsAStableSortByKey, ()) {
  const size_t n = *rc::gen::element<size_t>(0, 1, 5, 32, 33, 255, 256, 1000, 3000);
  const int shape = *rc::gen::inRange(0, 3);
  const uint64_t base = *rc::gen::element<uint64_t>(0, 0x7f00'0000'0000, ~uint64_t{0} - 5000);
  std::vector<Record> records(n);
  for (uint32_t i = 0; i < n; ++i) {
    const uint64_t draw = *rc::gen::inRange<uint64_t>(0, 3000);
    const uint64_t key = shape == 0   ? base + draw % 7
                         : shape == 1 ? *rc::gen::arbitrary<uint64_t>()
                                      : base ^ ((draw % 3) << 48);
    records[i] = Record{key, i};
  }
  std::vector<Record> want = records;
  std::stable_sort(want.begin(), want.end(),
                   [](const Record& a, const Record& b) { return a.key < b.key; });
  radix_sort_by(&records, [](const Record& r) { return r.key; });
  RC_ASSERT(records == want);
}

TEST(RadixSortTest, EqualKeysKeepTheirOrder) {
  std::vector<std::pair<uint64_t, int>> v;
  for (int i = 0; i < 600; ++i)
    v.emplace_back(static_cast<uint64_t>((i * 7919) % 3) << 40, i);
  radix_sort_by(&v, [](const auto& p) { return p.first; });
  for (size_t i = 1; i < v.size(); ++i) {
    ASSERT_LE(v[i - 1].first, v[i].first) << i;
    if (v[i - 1].first == v[i].first) {
      EXPECT_LT(v[i - 1].second, v[i].second) << i;
    }
  }
}

}  // namespace
}  // namespace cdc::testing
