#include "properties/key_ids.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <deque>
#include <map>
#include <string>
#include <string_view>
#include <utility>
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

// Against a map: any mix of short keys (NUL bytes and shared prefixes
// included), long ones and tags gets the ids of first addition, and finds
// exactly what was added.
RC_GTEST_PROP(KeyIdsProps, AgreesWithAMapOfFirstAdditions, ()) {
  // Short keys, keys past eight bytes behind one shared eight-byte prefix
  // (which sort_by_key compares first), long keys.
  const auto draw_key = [] {
    const int shape = *rc::gen::inRange(0, 5);
    const size_t length = shape < 3   ? *rc::gen::inRange<size_t>(0, 9)
                          : shape < 4 ? *rc::gen::inRange<size_t>(9, 12)
                                      : *rc::gen::inRange<size_t>(250, 260);
    std::string key(length, 'a');
    for (size_t i = shape == 3 ? 8 : 0; i < key.size(); ++i)
      key[i] = *rc::gen::element('\0', 'a', 'b');
    return key;
  };
  const auto draw_tag = [] { return *rc::gen::element<uint32_t>(0, 1, 254, 255, 300, 511); };
  std::deque<std::string> keys;  // the views the ids keep stay valid
  std::map<std::pair<uint32_t, std::string>, uint32_t> want;
  detail::KeyIds ids;
  const size_t steps = *rc::gen::inRange<size_t>(0, 300);
  for (size_t i = 0; i < steps; ++i) {
    const uint32_t tag = draw_tag();
    keys.push_back(draw_key());
    const auto [it, added] = want.emplace(std::pair(tag, keys.back()), ids.size());
    RC_ASSERT(ids.add(tag, keys.back()) == it->second);
  }
  RC_ASSERT(ids.size() == want.size());
  // add_many, over groups of every size, growth and repeats within a group
  // included, gives the ids of adding one by one: old keys keep theirs.
  std::vector<std::string_view> more;
  for (size_t i = *rc::gen::inRange<size_t>(0, 80); i > 0; --i) {
    const bool old_key = *rc::gen::element(0, 1) == 0 && !keys.empty();
    if (!old_key) keys.push_back(draw_key());
    more.push_back(old_key ? keys[*rc::gen::inRange<size_t>(0, keys.size())] : keys.back());
    if (*rc::gen::element(0, 3) == 0) more.push_back(more.back());  // a repeat in the group
  }
  const uint32_t many_tag = draw_tag();
  std::vector<uint32_t> added(more.size(), detail::KeyIds::kMissing);
  ids.add_many(many_tag, more, added);
  for (size_t i = 0; i < more.size(); ++i) {
    const auto [it, fresh] = want.emplace(std::pair(many_tag, std::string(more[i])), want.size());
    RC_ASSERT(added[i] == it->second);
  }
  RC_ASSERT(ids.size() == want.size());
  for (size_t i = 0; i < 100; ++i) {
    const uint32_t tag = draw_tag();
    const std::string key = draw_key();
    const auto it = want.find(std::pair(tag, key));
    RC_ASSERT(ids.find(tag, key) ==
              (it == want.end() ? std::nullopt : std::optional<uint32_t>(it->second)));
  }
  // find_many, over groups of every size, agrees with the map too.
  const uint32_t tag = draw_tag();
  std::vector<std::string> probes;
  for (size_t i = *rc::gen::inRange<size_t>(0, 40); i > 0; --i)
    probes.push_back(*rc::gen::element(0, 1) == 0 || keys.empty()
                         ? draw_key()
                         : keys[*rc::gen::inRange<size_t>(0, keys.size())]);
  const std::vector<std::string_view> views(probes.begin(), probes.end());
  std::vector<uint32_t> found(views.size(), 0);
  ids.find_many(tag, views, found);
  for (size_t i = 0; i < probes.size(); ++i) {
    const auto it = want.find(std::pair(tag, probes[i]));
    RC_ASSERT(found[i] == (it == want.end() ? detail::KeyIds::kMissing : it->second));
  }
}

TEST(KeyIdsTest, AnEmptySetFindsNothing) {
  const detail::KeyIds ids;
  EXPECT_EQ(ids.size(), 0u);
  EXPECT_EQ(ids.find(0, ""), std::nullopt);
  EXPECT_EQ(ids.find(0, "k"), std::nullopt);
}

}  // namespace
}  // namespace cdc::properties::testing
