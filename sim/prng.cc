#include "sim/prng.h"

namespace cdc::sim {
uint64_t splitmix64(uint64_t* state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

Prng::Prng(uint64_t seed) : seed_(seed) {
  uint64_t sm = seed;
  for (auto& word : s_)
    word = splitmix64(&sm);
  // xoshiro's state must not be all zero; splitmix64 never yields four zeros
  // in a row, but the invariant is cheap to keep explicit.
  CDC_ASSERT((s_[0] | s_[1] | s_[2] | s_[3]) != 0, "xoshiro state is all zero");
}

uint64_t Prng::below_rejected(uint64_t bound) {
  for (int attempt = 1; attempt < 1000; ++attempt) {
    const uint64_t r = next_u64();
    if (r >= bound || r >= (0 - bound) % bound) return r % bound;
  }
  CDC_ASSERT(false, "rejection sampling did not terminate");
  return 0;
}

int64_t Prng::range_inclusive(int64_t lo, int64_t hi) {
  CDC_ASSERT(lo <= hi, "empty range");
  const uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo);
  const uint64_t offset = span == UINT64_MAX ? next_u64() : below(span + 1);
  return static_cast<int64_t>(static_cast<uint64_t>(lo) + offset);
}

Prng Prng::fork(uint64_t stream_id) const {
  uint64_t sm = seed_ ^ 0x5bd1e9955bd1e995ULL;
  const uint64_t a = splitmix64(&sm);
  uint64_t mixed = a ^ (stream_id * 0xd6e8feb86659fd93ULL);
  return Prng(splitmix64(&mixed));
}

}  // namespace cdc::sim
