// A 64-bit FNV-1a hash used to fingerprint histories: same seed, same history,
// same fingerprint. Not cryptographic; only stable and order-sensitive.
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <string>
#include <string_view>

#include "model/value.h"

namespace cdc::sim {

class Fingerprint {
 public:
  // FNV-1a over the bytes; a run of zero bytes is one multiplication per 8.
  void add(std::string_view bytes) {
    size_t zeros = 0;
    for (unsigned char c : bytes) {
      if (c == 0) {
        ++zeros;
        continue;
      }
      skip_zeros(&zeros);
      hash_ ^= c;
      hash_ *= kPrime;
    }
    skip_zeros(&zeros);
    add_u64_raw(bytes.size());  // keeps "ab"+"c" apart from "a"+"bc"
  }
  void add_u64(uint64_t v) { add_u64_raw(v); }
  // A row, value by value (type tag, then the value), without rendering it.
  void add_row(const Row& row) {
    add_u64_raw(row.size());
    for (const Value& v : row) {
      if (v.is_null()) {
        add_u64_raw(0);
      } else if (v.is_int64()) {
        add_u64_raw(1);
        add_u64_raw(static_cast<uint64_t>(v.as_int64()));
      } else {
        add_u64_raw(2);
        add(v.as_text());
      }
    }
  }
  uint64_t value() const { return hash_; }
  std::string hex() const;

 private:
  static constexpr uint64_t kPrime = 0x100000001b3ULL;
  // kPrimePowers[k] = kPrime^k mod 2^64: FNV-1a of k zero bytes multiplies
  // the hash by it (xor with 0 changes nothing).
  static constexpr std::array<uint64_t, 9> kPrimePowers = [] {
    std::array<uint64_t, 9> p{};
    p[0] = 1;
    for (size_t k = 1; k < p.size(); ++k)
      p[k] = p[k - 1] * kPrime;
    return p;
  }();
  // The 8 bytes of v, least significant first, as FNV-1a: the significant
  // bytes one by one, then the zero bytes above them in one multiplication
  // (the same hash as eight steps; most values hashed are small).
  void add_u64_raw(uint64_t v) {
    const int significant = (64 - std::countl_zero(v) + 7) / 8;
    for (int i = 0; i < significant; ++i) {
      hash_ ^= (v >> (8 * i)) & 0xff;
      hash_ *= kPrime;
    }
    hash_ *= kPrimePowers[static_cast<size_t>(8 - significant)];
  }
  // FNV-1a of *zeros zero bytes; then *zeros is 0.
  void skip_zeros(size_t* zeros) {
    for (; *zeros >= 8; *zeros -= 8)
      hash_ *= kPrimePowers[8];
    hash_ *= kPrimePowers[*zeros];
    *zeros = 0;
  }
  uint64_t hash_ = 0xcbf29ce484222325ULL;
};

}  // namespace cdc::sim
