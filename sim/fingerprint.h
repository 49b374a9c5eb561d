// A 64-bit hash used to fingerprint histories: same seed, same history,
// same fingerprint. Not cryptographic; only stable and order-sensitive.
//
// Word at a time: each step xors a 64-bit word into the state, multiplies by
// an odd constant (low bits reach the high ones) and xors the high half into
// the low one (high bits reach the low ones). Both are bijections of the
// state, so no step merges two different histories' states. Text is hashed
// in 8-byte little-endian words (the last one zero-padded), then its length,
// which keeps "ab" + "c" apart from "a" + "bc" and "a" from "a\0". The
// value is the state through one final mixing (murmur3's fmix64).
//
// This replaced FNV-1a (one multiplication per byte, 8 per integer) in the
// seventh performance round: fingerprints printed before then differ.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

#include "model/value.h"

namespace cdc::sim {

class Fingerprint {
 public:
  void add(std::string_view bytes) {
    size_t i = 0;
    for (; bytes.size() - i >= 8; i += 8)
      step(load(bytes.data() + i, 8));
    if (i < bytes.size()) step(load(bytes.data() + i, bytes.size() - i));
    step(bytes.size());
  }
  void add_u64(uint64_t v) { step(v); }
  // A row, value by value (type tag, then the value), without rendering it.
  void add_row(std::span<const Value> row) {
    step(row.size());
    for (const Value& v : row) {
      if (v.is_null()) {
        step(0);
      } else if (v.is_int64()) {
        step(1);
        step(static_cast<uint64_t>(v.as_int64()));
      } else {
        step(2);
        add(v.as_text());
      }
    }
  }
  uint64_t value() const {
    uint64_t h = state_;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
  }
  std::string hex() const;

  // The word of n <= 8 bytes, little-endian, zero-padded: what add() steps.
  static uint64_t load(const char* p, size_t n) {
    unsigned char b[8] = {};
    std::memcpy(b, p, n);
    uint64_t w = 0;
    std::memcpy(&w, b, sizeof w);
    if constexpr (std::endian::native == std::endian::big) w = __builtin_bswap64(w);
    return w;
  }

 private:
  static constexpr uint64_t kMultiplier = 0x9e3779b97f4a7c15ULL;  // odd: a bijection
  void step(uint64_t word) {
    state_ = (state_ ^ word) * kMultiplier;
    state_ ^= state_ >> 32;
  }
  uint64_t state_ = 0x6a09e667f3bcc908ULL;
};

}  // namespace cdc::sim
