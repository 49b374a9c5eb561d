#include "model/segmented_vector.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cstdint>
#include <vector>

namespace cdc {

namespace {

using Small = SegmentedVector<uint64_t, 4>;  // segments of 16

// The store against a vector, through random runs of appends: every
// element reads back, the size and capacity agree, and back() is the last
// element appended.
RC_GTEST_PROP(SegmentedVectorTest, MatchesAVectorThroughAppends, ()) {
  Small store;
  std::vector<uint64_t> ref;
  const std::vector<int> runs = *rc::gen::container<std::vector<int>>(rc::gen::inRange(0, 40));
  uint64_t next = 0;
  for (int run : runs) {
    for (int i = 0; i <= run; ++i) {
      const uint64_t v = next++;
      store.push_back(v);  // the const& overload
      ref.push_back(v);
    }
    RC_ASSERT(store.size() == ref.size());
    RC_ASSERT(!store.empty());
    RC_ASSERT(store.capacity() >= store.size());
    RC_ASSERT(store.back() == ref.back());
    for (size_t i = 0; i < ref.size(); ++i)
      RC_ASSERT(store[i] == ref[i]);
  }
  RC_ASSERT(store.empty() == ref.empty());
}

// Elements never move: an address taken before many later appends, across
// many segments, still holds its element, and full segments are reserved
// whole rather than grown.
TEST(SegmentedVectorTest, ElementsStayPutAsTheStoreGrows) {
  Small store;
  for (uint64_t i = 0; i < 40; ++i)
    store.push_back(uint64_t{i});
  const uint64_t* at_35 = &store[35];
  const uint64_t* at_3 = &store[3];
  for (uint64_t i = 40; i < 1000; ++i)
    store.push_back(uint64_t{i});
  EXPECT_EQ(&store[35], at_35);
  EXPECT_EQ(&store[3], at_3);
  EXPECT_EQ(store[35], 35u);
  EXPECT_EQ(store.back(), 999u);
  // 62 full segments and one of 8: every segment past the first reserved
  // whole, the first grown to exactly one segment.
  EXPECT_EQ(store.capacity(), 63 * Small::kSegment);
}

}  // namespace
}  // namespace cdc
