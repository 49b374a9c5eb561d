#include "properties/key_ids.h"

#include <gtest/gtest.h>

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

TEST(KeyIdsTest, AnEmptySetFindsNothing) {
  const detail::KeyIds ids;
  EXPECT_EQ(ids.size(), 0u);
  EXPECT_EQ(ids.find(0, ""), std::nullopt);
  EXPECT_EQ(ids.find(0, "k"), std::nullopt);
}

}  // namespace
}  // namespace cdc::properties::testing
