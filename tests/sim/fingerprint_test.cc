// The fingerprint's hash: its steps against their definition, written out
// separately here, and the separations a fingerprint relies on (a value's
// bytes, text split differently, trailing zero bytes, order).
#include "sim/fingerprint.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace cdc::sim {
namespace {

// The definition: from the initial state, each word w makes the state
// ((s ^ w) * M) ^ (that >> 32); text is its 8-byte little-endian words (the
// last zero-padded) and then its length; the value is fmix64 of the state.
uint64_t reference(const std::vector<uint64_t>& values, std::string_view text) {
  uint64_t s = 0x6a09e667f3bcc908ULL;
  auto step = [&](uint64_t w) {
    s = (s ^ w) * 0x9e3779b97f4a7c15ULL;
    s ^= s >> 32;
  };
  for (uint64_t v : values)
    step(v);
  for (size_t i = 0; i < text.size(); i += 8) {
    uint64_t w = 0;
    for (size_t b = 0; b < 8 && i + b < text.size(); ++b)
      w |= uint64_t{static_cast<unsigned char>(text[i + b])} << (8 * b);
    step(w);
  }
  step(text.size());
  s ^= s >> 33;
  s *= 0xff51afd7ed558ccdULL;
  s ^= s >> 33;
  s *= 0xc4ceb9fe1a85ec53ULL;
  s ^= s >> 33;
  return s;
}

TEST(FingerprintTest, StepsFollowTheirDefinition) {
  const std::vector<uint64_t> values = {0, 1, 0xff, 0x8000000000000000ULL, 0xffffffffffffffffULL,
                                        42};
  for (size_t n = 0; n <= values.size(); ++n) {
    const std::vector<uint64_t> prefix(values.begin(), values.begin() + static_cast<long>(n));
    for (const std::string_view text :
         {std::string_view(""), std::string_view("\0", 1), std::string_view("key\0text", 8),
          std::string_view("\x80\0\0\0\0\0\0\0\0\0\0\x35", 12),
          std::string_view("xy\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 19)}) {
      Fingerprint f;
      for (uint64_t v : prefix)
        f.add_u64(v);
      f.add(text);
      EXPECT_EQ(f.value(), reference(prefix, text)) << n << " values, " << text.size() << " bytes";
    }
  }
}

std::string hex_of(const std::vector<std::string>& texts) {
  Fingerprint f;
  for (const std::string& t : texts)
    f.add(t);
  return f.hex();
}

TEST(FingerprintTest, SeparatesSplitsPaddingAndOrder) {
  const std::vector<std::vector<std::string>> inputs = {{"ab", "c"},
                                                        {"a", "bc"},
                                                        {"abc"},
                                                        {"a"},
                                                        {std::string("a\0", 2)},
                                                        {std::string(8, 'x')},
                                                        {std::string(9, 'x')},
                                                        {"c", "ab"},
                                                        {},
                                                        {""},
                                                        {"", ""}};
  std::set<std::string> seen;
  for (const auto& in : inputs)
    EXPECT_TRUE(seen.insert(hex_of(in)).second) << in.size() << " texts collide";
  Fingerprint zero;
  zero.add_u64(0);
  Fingerprint one;
  one.add_u64(1);
  EXPECT_NE(zero.value(), one.value());
  EXPECT_EQ(zero.hex().size(), 16u);
}

TEST(FingerprintTest, RowsHashTypeTagsAndValues) {
  auto hex_row = [](const Row& r) {
    Fingerprint f;
    f.add_row(r);
    return f.hex();
  };
  // NULL, 0 and the empty text differ; so do 1 and "1".
  std::set<std::string> seen;
  for (const Row& r :
       {Row{Value::null()}, Row{Value::int64(0)}, Row{Value::text("")}, Row{Value::int64(1)},
        Row{Value::text("1")}, Row{}, Row{Value::null(), Value::null()}})
    EXPECT_TRUE(seen.insert(hex_row(r)).second) << to_string(r);
}

}  // namespace
}  // namespace cdc::sim
