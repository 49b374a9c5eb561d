// A 64-bit FNV-1a hash used to fingerprint histories: same seed, same history,
// same fingerprint. Not cryptographic; only stable and order-sensitive.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "model/value.h"

namespace cdc::sim {

class Fingerprint {
 public:
  void add(std::string_view bytes) {
    for (unsigned char c : bytes) {
      hash_ ^= c;
      hash_ *= 0x100000001b3ULL;
    }
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
  void add_u64_raw(uint64_t v) {
    for (int i = 0; i < 8; ++i) {
      hash_ ^= (v >> (8 * i)) & 0xff;
      hash_ *= 0x100000001b3ULL;
    }
  }
  uint64_t hash_ = 0xcbf29ce484222325ULL;
};

}  // namespace cdc::sim
