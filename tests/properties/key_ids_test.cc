#include "properties/key_ids.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace cdc::properties::testing {
namespace {

// Ids follow the order of addition; adding again gives the same id; the tag
// tells apart equal keys; every key survives the table's growth.
TEST(KeyIdsTest, IdsFollowAdditionAndSurviveGrowth) {
  std::vector<std::string> keys;
  for (int i = 0; i < 5000; ++i)
    keys.push_back("key-" + std::to_string((i * 7919) % 5000));
  detail::KeyIds ids;
  for (size_t i = 0; i < keys.size(); ++i) {
    EXPECT_EQ(ids.add(1, keys[i]), i);
    EXPECT_EQ(ids.add(1, keys[i]), i);
  }
  EXPECT_EQ(ids.size(), keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    ASSERT_EQ(ids.find(1, keys[i]), i);
    EXPECT_EQ(ids.key(static_cast<uint32_t>(i)), keys[i]);
    EXPECT_EQ(ids.tag(static_cast<uint32_t>(i)), 1u);
  }
  EXPECT_EQ(ids.find(2, keys[0]), std::nullopt);
  EXPECT_EQ(ids.find(1, "key-5000"), std::nullopt);
  EXPECT_EQ(ids.add(2, keys[0]), keys.size());
  EXPECT_EQ(ids.find(2, keys[0]), keys.size());
  EXPECT_EQ(ids.find(1, keys[0]), 0u);
}

// Sorting by key agrees with bytewise order, also where eight-byte prefixes
// tie (longer keys, a key that is another's prefix); equal keys under two
// tags come by id.
TEST(KeyIdsTest, SortByKeyIsBytewiseOrder) {
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

TEST(KeyIdsTest, AnEmptySetFindsNothing) {
  const detail::KeyIds ids;
  EXPECT_EQ(ids.size(), 0u);
  EXPECT_EQ(ids.find(0, ""), std::nullopt);
  EXPECT_EQ(ids.find(0, "k"), std::nullopt);
}

}  // namespace
}  // namespace cdc::properties::testing
