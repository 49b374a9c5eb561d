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
  uint64_t next_u64();
  // Uniform in [0, bound). REQUIRES: bound > 0.
  uint64_t below(uint64_t bound);
  // Uniform in [lo, hi] (inclusive). REQUIRES: lo <= hi.
  int64_t range_inclusive(int64_t lo, int64_t hi);
  // True with probability r.numerator / r.denominator.
  bool chance(Ratio r);
  // An independent stream identified by stream_id (see file comment).
  Prng fork(uint64_t stream_id) const;

 private:
  uint64_t seed_;
  std::array<uint64_t, 4> s_;
};

}  // namespace cdc::sim
