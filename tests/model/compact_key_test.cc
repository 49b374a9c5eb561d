// CompactKey: owns its bytes as a std::string does, inline or on the heap,
// and orders and hashes as the string of the same bytes.
#include "model/compact_key.h"

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <unordered_set>
#include <vector>

namespace cdc {
namespace {

// Byte strings either side of the inline limit, with bytes above 0x7f.
rc::Gen<std::string> gen_bytes() {
  return rc::gen::mapcat(rc::gen::inRange<size_t>(0, 2 * KeyBytes::kInline + 2), [](size_t n) {
    return rc::gen::container<std::string>(
        n, rc::gen::map(rc::gen::inRange(0, 256), [](int b) { return static_cast<char>(b); }));
  });
}

RC_GTEST_PROP(CompactKeyProps, OrdersAndComparesAsItsString, ()) {
  const std::string a = *gen_bytes();
  const std::string b = *rc::gen::oneOf(rc::gen::just(a), gen_bytes());
  const CompactKey ka = a, kb = b;
  RC_ASSERT(ka.view() == a);
  RC_ASSERT(ka.size() == a.size());
  RC_ASSERT((ka == kb) == (a == b));
  RC_ASSERT((ka < kb) == (a < b));
  RC_ASSERT((ka <=> kb) == (a <=> b));
  RC_ASSERT((ka == b) == (a == b));
  RC_ASSERT((ka < b) == (a < b));
  RC_ASSERT((std::hash<CompactKey>()(ka) == std::hash<std::string>()(a)));
}

RC_GTEST_PROP(CompactKeyProps, CopiesAndMovesOwnTheirBytes, ()) {
  const std::string a = *gen_bytes();
  const std::string b = *gen_bytes();
  CompactKey x = a;
  CompactKey y = x;  // a copy outlives its source
  x = b;
  RC_ASSERT(y == a && x == b);
  CompactKey z = std::move(y);
  RC_ASSERT(z == a && y.empty());  // NOLINT(bugprone-use-after-move): moved-from is empty
  z = std::move(x);
  RC_ASSERT(z == b && x.empty());  // NOLINT(bugprone-use-after-move)
  CompactKey& self = z;
  z = self;
  RC_ASSERT(z == b);
}

TEST(CompactKeyTest, MapsOrderAsOverStrings) {
  const std::vector<std::string> keys = {
      "", "\x01", "abc", "abd", std::string(40, 'x'), std::string(16, 'a'), "\xff", "ab"};
  std::map<CompactKey, int> compact;
  std::map<std::string, int> strings;
  for (size_t i = 0; i < keys.size(); ++i) {
    compact.emplace(keys[i], static_cast<int>(i));
    strings.emplace(keys[i], static_cast<int>(i));
  }
  ASSERT_EQ(compact.size(), strings.size());
  auto it = strings.begin();
  for (const auto& [k, v] : compact) {
    EXPECT_EQ(k.str(), it->first);
    EXPECT_EQ(v, it->second);
    ++it;
  }
  const std::unordered_set<CompactKey> set(keys.begin(), keys.end());
  EXPECT_EQ(set.count(CompactKey(std::string(40, 'x'))), 1u);
  EXPECT_EQ(set.count(CompactKey("zz")), 0u);
}

TEST(CompactKeyTest, SixteenBytesWhateverItsLength) {
  EXPECT_EQ(sizeof(CompactKey), 16u);
  const CompactKey inline_key(std::string(KeyBytes::kInline, 'k'));
  const CompactKey heap_key(std::string(KeyBytes::kInline + 1, 'k'));
  EXPECT_EQ(inline_key.size(), KeyBytes::kInline);
  EXPECT_EQ(heap_key.size(), KeyBytes::kInline + 1);
  EXPECT_LT(inline_key, heap_key);
  EXPECT_TRUE(CompactKey().empty());
}

}  // namespace
}  // namespace cdc
