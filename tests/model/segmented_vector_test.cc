#include "model/segmented_vector.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cstdint>
#include <deque>
#include <vector>

namespace cdc {
namespace {

using Small = SegmentedVector<uint64_t, 4>;  // segments of 16

// The store against a deque, through random appends, front drops and
// clears: every element reads back, and a drop frees only whole segments
// that lie before the first element kept.
RC_GTEST_PROP(SegmentedVectorTest, MatchesADequeThroughAppendsAndDrops, ()) {
  Small store;
  std::deque<uint64_t> ref;
  const std::vector<int> ops = *rc::gen::container<std::vector<int>>(rc::gen::inRange(0, 100));
  uint64_t next = 0;
  for (int op : ops) {
    if (op < 80) {
      for (int i = 0; i <= op % 7; ++i) {
        store.push_back(next);
        ref.push_back(next++);
      }
    } else if (op < 98) {
      const size_t first_kept = ref.empty() ? 0 : static_cast<size_t>(op) * 7919 % (ref.size() + 1);
      const size_t dropped = store.drop_segments_before(first_kept);
      RC_ASSERT(dropped % Small::kSegment == 0);
      RC_ASSERT(dropped <= first_kept);
      RC_ASSERT(first_kept - dropped < Small::kSegment || dropped + Small::kSegment >= ref.size());
      ref.erase(ref.begin(), ref.begin() + static_cast<std::ptrdiff_t>(dropped));
    } else {
      store.clear();
      ref.clear();
    }
    RC_ASSERT(store.size() == ref.size());
    RC_ASSERT(store.capacity() >= store.size());
    for (size_t i = 0; i < ref.size(); ++i)
      RC_ASSERT(store[i] == ref[i]);
  }
}

// Elements never move: an address taken before later appends (across many
// segments) and before a front drop still holds the element.
TEST(SegmentedVectorTest, ElementsStayPutAsTheStoreGrowsAndDropsItsFront) {
  Small store;
  for (uint64_t i = 0; i < 40; ++i)
    store.push_back(i);
  const uint64_t* at_35 = &store[35];
  for (uint64_t i = 40; i < 1000; ++i)
    store.push_back(i);
  EXPECT_EQ(&store[35], at_35);
  EXPECT_EQ(store.drop_segments_before(35), 32u);  // two whole segments of 16
  EXPECT_EQ(store.size(), 968u);
  EXPECT_EQ(&store[3], at_35);
  EXPECT_EQ(store[0], 32u);
  EXPECT_EQ(store.back(), 999u);
}

// Dropping everything keeps the last segment to append to.
TEST(SegmentedVectorTest, DroppingEveryElementKeepsTheLastSegment) {
  Small store;
  EXPECT_EQ(store.drop_segments_before(0), 0u);
  for (uint64_t i = 0; i < 48; ++i)
    store.push_back(i);
  EXPECT_EQ(store.drop_segments_before(48), 32u);
  EXPECT_EQ(store.size(), 16u);
  store.push_back(48);
  EXPECT_EQ(store[16], 48u);
  EXPECT_EQ(store[0], 32u);
}

}  // namespace
}  // namespace cdc
