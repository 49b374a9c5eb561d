// The harness's only source of randomness.
//
// Prng is xoshiro256** (Blackman & Vigna), seeded through splitmix64 so that
// any 64-bit seed gives a well-mixed state. Every component that needs
// randomness forks its own stream with fork(stream_id): the child's state
// depends only on the parent's seed and the id, never on how much the parent
// has been used, so adding draws in one component does not perturb another.
//
// Probabilities are integer ratios (Ratio), never floating point, and ranges
// are drawn without modulo bias, so the output is the same on every platform
// and standard library.
#pragma once

#include <array>
#include <cstdint>

#include "model/assert.h"

namespace cdc::sim {

// numerator / denominator, 0 <= numerator <= denominator, denominator > 0.
struct Ratio {
  uint64_t numerator = 0;
  uint64_t denominator = 1;
};

// One step of splitmix64 on `state`; returns the next output.
uint64_t splitmix64(uint64_t* state);

class Prng {
 public:
  explicit Prng(uint64_t seed);

  uint64_t seed() const { return seed_; }
  uint64_t next_u64() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  // Uniform in [0, bound). REQUIRES: bound > 0.
  uint64_t below(uint64_t bound) {
    CDC_ASSERT(bound > 0, "below(0)");
    // A power of two divides 2^64: nothing is rejected, and r % bound is a mask.
    if ((bound & (bound - 1)) == 0) return next_u64() & (bound - 1);
    // Rejection sampling: discard the draws below 2^64 mod bound (the top
    // partial copy of [0, bound), shifted to the bottom). That threshold is
    // below `bound`, so a draw of at least `bound` is kept without computing
    // it: one division a draw instead of two, the same draws kept.
    const uint64_t r = next_u64();
    if (r >= bound || r >= (0 - bound) % bound) return r % bound;
    return below_rejected(bound);
  }
  // Uniform in [lo, hi] (inclusive). REQUIRES: lo <= hi.
  int64_t range_inclusive(int64_t lo, int64_t hi);
  // True with probability r.numerator / r.denominator.
  bool chance(Ratio r) {
    CDC_ASSERT(r.denominator > 0 && r.numerator <= r.denominator, "invalid ratio");
    if (r.numerator == 0) return false;
    return below(r.denominator) < r.numerator;
  }
  // An independent stream identified by stream_id (see file comment).
  Prng fork(uint64_t stream_id) const;

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  // below() after its first draw was rejected: the draws that follow.
  uint64_t below_rejected(uint64_t bound);

  uint64_t seed_;
  std::array<uint64_t, 4> s_;
};

}  // namespace cdc::sim
