// The fingerprint's FNV-1a: the shortcut over a value's zero high bytes gives
// the hash of all eight bytes, step by step (goldens depend on it).
#include "sim/fingerprint.h"

#include <gtest/gtest.h>

#include <vector>

namespace cdc::sim {
namespace {

// FNV-1a over the 8 bytes of each value, least significant first, then over
// the bytes of `text` and its length: the definition, one byte at a time.
uint64_t reference(const std::vector<uint64_t>& values, std::string_view text) {
  uint64_t h = 0xcbf29ce484222325ULL;
  auto step = [&](uint64_t v) {
    for (int i = 0; i < 8; ++i) {
      h ^= (v >> (8 * i)) & 0xff;
      h *= 0x100000001b3ULL;
    }
  };
  for (uint64_t v : values)
    step(v);
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  step(text.size());
  return h;
}

TEST(FingerprintTest, ValuesHashAsTheirEightBytesOneByOne) {
  const std::vector<uint64_t> values = {0,
                                        1,
                                        0xff,
                                        0x100,
                                        0x1234,
                                        0xabcdef,
                                        0x8000000000000000ULL,
                                        0x00ff00ff00ff00ffULL,
                                        0xffffffffffffffffULL,
                                        0x0000010000000000ULL,
                                        42};
  for (size_t n = 0; n <= values.size(); ++n) {
    const std::vector<uint64_t> prefix(values.begin(), values.begin() + static_cast<long>(n));
    Fingerprint f;
    for (uint64_t v : prefix)
      f.add_u64(v);
    f.add(std::string_view("key\0text", 8));
    EXPECT_EQ(f.value(), reference(prefix, std::string_view("key\0text", 8))) << n << " values";
  }
  // Text with runs of zero bytes, shorter and longer than 8.
  for (const std::string_view text :
       {std::string_view("\0", 1), std::string_view("a\0\0b", 4),
        std::string_view("\x80\0\0\0\0\0\0\0\0\0\0\x35", 12),
        std::string_view("\0\0\0\0\0\0\0\0", 8),
        std::string_view("xy\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 19)}) {
    Fingerprint f;
    f.add(text);
    EXPECT_EQ(f.value(), reference({}, text)) << text.size() << " bytes";
  }
  Fingerprint zero;
  zero.add_u64(0);
  Fingerprint one;
  one.add_u64(1);
  EXPECT_NE(zero.value(), one.value());
}

}  // namespace
}  // namespace cdc::sim
