#include "sim/prng.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cstdint>
#include <limits>
#include <vector>

namespace cdc::sim {
namespace {

constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

std::vector<uint64_t> first_outputs(Prng p, size_t n) {
  std::vector<uint64_t> out;
  for (size_t i = 0; i < n; ++i)
    out.push_back(p.next_u64());
  return out;
}

// ---------------------------------------------------------------------------
// Stream stability
// ---------------------------------------------------------------------------

TEST(PrngTest, StreamForSeed42IsPinned) {
  // Hard-coded once (and checked against an independent xoshiro256** +
  // splitmix64 implementation): any change to the generator or its seeding
  // changes every recorded run, so it must show up here.
  Prng p(42);
  EXPECT_EQ(p.next_u64(), 0x15780b2e0c2ec716ULL);
  EXPECT_EQ(p.next_u64(), 0x6104d9866d113a7eULL);
  EXPECT_EQ(p.next_u64(), 0xae17533239e499a1ULL);
  EXPECT_EQ(p.next_u64(), 0xecb8ad4703b360a1ULL);
  EXPECT_EQ(p.seed(), 42u);
}

TEST(PrngTest, SameSeedSameStream) {
  EXPECT_EQ(first_outputs(Prng(7), 16), first_outputs(Prng(7), 16));
  EXPECT_NE(first_outputs(Prng(7), 16), first_outputs(Prng(8), 16));
  // Seed zero is valid (splitmix64 seeding never yields an all-zero state).
  EXPECT_NE(first_outputs(Prng(0), 4), std::vector<uint64_t>(4, 0));
}

TEST(PrngTest, ForkedStreamsDifferFromParentAndEachOther) {
  const Prng parent(42);
  const std::vector<uint64_t> parent_out = first_outputs(parent, 8);
  const std::vector<uint64_t> child1 = first_outputs(parent.fork(1), 8);
  const std::vector<uint64_t> child2 = first_outputs(parent.fork(2), 8);
  const std::vector<uint64_t> child0 = first_outputs(parent.fork(0), 8);
  EXPECT_NE(child1, parent_out);
  EXPECT_NE(child2, parent_out);
  EXPECT_NE(child0, parent_out);
  EXPECT_NE(child1, child2);
  EXPECT_NE(child0, child1);
  EXPECT_NE(child0, child2);
  // The same parent seed and stream id give the same child stream.
  EXPECT_EQ(first_outputs(Prng(42).fork(1), 8), child1);
  // A different parent seed gives a different child for the same id.
  EXPECT_NE(first_outputs(Prng(43).fork(1), 8), child1);
}

TEST(PrngTest, ForkDoesNotDependOnParentUsage) {
  Prng used(42);
  for (int i = 0; i < 100; ++i)
    used.next_u64();
  EXPECT_EQ(first_outputs(used.fork(5), 8), first_outputs(Prng(42).fork(5), 8));
}

TEST(PrngTest, ForkDoesNotAdvanceParent) {
  Prng p(42);
  (void)p.fork(3);
  EXPECT_EQ(p.next_u64(), 0x15780b2e0c2ec716ULL);
}

RC_GTEST_PROP(PrngProps, ForksWithDistinctIdsDiffer,
              (uint64_t seed, uint64_t id_a, uint64_t id_b)) {
  RC_PRE(id_a != id_b);
  const Prng parent(seed);
  RC_ASSERT(first_outputs(parent.fork(id_a), 4) != first_outputs(parent.fork(id_b), 4));
  RC_ASSERT(first_outputs(parent.fork(id_a), 4) == first_outputs(Prng(seed).fork(id_a), 4));
}

// ---------------------------------------------------------------------------
// Ranges
// ---------------------------------------------------------------------------

RC_GTEST_PROP(PrngProps, BelowStaysBelowBound, (uint64_t seed)) {
  const uint64_t bound =
      *rc::gen::oneOf(rc::gen::inRange<uint64_t>(1, 17), rc::gen::positive<uint64_t>(),
                      rc::gen::elementOf(std::vector<uint64_t>{
                          1, 2, (uint64_t{1} << 63) + 1, std::numeric_limits<uint64_t>::max()}));
  Prng p(seed);
  for (int i = 0; i < 64; ++i) {
    RC_ASSERT(p.below(bound) < bound);
  }
}

// below() is rejection sampling over next_u64(), whatever shortcut it takes
// (a power of two rejects nothing and reduces by a mask): the same draws.
RC_GTEST_PROP(PrngProps, BelowIsRejectionSampling, (uint64_t seed)) {
  const uint64_t bound = *rc::gen::oneOf(
      rc::gen::inRange<uint64_t>(1, 70), rc::gen::positive<uint64_t>(),
      rc::gen::map(rc::gen::inRange(0, 64), [](int k) { return uint64_t{1} << k; }));
  Prng p(seed);
  Prng raw(seed);
  const uint64_t threshold = (0 - bound) % bound;
  for (int i = 0; i < 64; ++i) {
    uint64_t r = raw.next_u64();
    while (r < threshold)
      r = raw.next_u64();
    RC_ASSERT(p.below(bound) == r % bound);
  }
}

TEST(PrngTest, BelowOneIsAlwaysZero) {
  Prng p(1);
  for (int i = 0; i < 100; ++i)
    EXPECT_EQ(p.below(1), 0u);
}

TEST(PrngTest, BelowSmallBoundHitsEveryValue) {
  Prng p(3);
  std::vector<int> seen(6, 0);
  for (int i = 0; i < 600; ++i)
    ++seen[p.below(6)];
  for (int count : seen)
    EXPECT_GT(count, 0);
}

RC_GTEST_PROP(PrngProps, RangeInclusiveStaysInBounds, (uint64_t seed)) {
  const int64_t x =
      *rc::gen::oneOf(rc::gen::arbitrary<int64_t>(),
                      rc::gen::elementOf(std::vector<int64_t>{kMin, kMin + 1, -1, 0, 1, kMax}));
  const int64_t y =
      *rc::gen::oneOf(rc::gen::arbitrary<int64_t>(),
                      rc::gen::elementOf(std::vector<int64_t>{kMin, -1, 0, 1, kMax - 1, kMax}));
  const int64_t lo = x < y ? x : y;
  const int64_t hi = x < y ? y : x;
  Prng p(seed);
  for (int i = 0; i < 64; ++i) {
    const int64_t v = p.range_inclusive(lo, hi);
    RC_ASSERT(lo <= v);
    RC_ASSERT(v <= hi);
  }
}

TEST(PrngTest, RangeInclusiveCoversBothEnds) {
  Prng p(9);
  bool saw_lo = false;
  bool saw_hi = false;
  for (int i = 0; i < 200; ++i) {
    const int64_t v = p.range_inclusive(-2, 2);
    EXPECT_GE(v, -2);
    EXPECT_LE(v, 2);
    saw_lo = saw_lo || v == -2;
    saw_hi = saw_hi || v == 2;
  }
  EXPECT_TRUE(saw_lo);
  EXPECT_TRUE(saw_hi);
}

TEST(PrngTest, RangeInclusiveHandlesDegenerateAndExtremeRanges) {
  Prng p(11);
  EXPECT_EQ(p.range_inclusive(5, 5), 5);
  EXPECT_EQ(p.range_inclusive(kMin, kMin), kMin);
  EXPECT_EQ(p.range_inclusive(kMax, kMax), kMax);
  // The full int64 range: both signs must appear.
  bool saw_negative = false;
  bool saw_non_negative = false;
  for (int i = 0; i < 64; ++i) {
    const int64_t v = p.range_inclusive(kMin, kMax);
    saw_negative = saw_negative || v < 0;
    saw_non_negative = saw_non_negative || v >= 0;
  }
  EXPECT_TRUE(saw_negative);
  EXPECT_TRUE(saw_non_negative);
  // Ranges whose width does not fit in int64.
  for (int i = 0; i < 64; ++i) {
    EXPECT_GE(p.range_inclusive(kMin, 0), kMin);
    EXPECT_LE(p.range_inclusive(kMin, 0), 0);
    EXPECT_GE(p.range_inclusive(-1, kMax), -1);
  }
}

// ---------------------------------------------------------------------------
// Chance
// ---------------------------------------------------------------------------

TEST(PrngTest, ChanceZeroNeverAndOneAlways) {
  Prng p(5);
  for (int i = 0; i < 1000; ++i) {
    EXPECT_FALSE(p.chance({0, 1}));
    EXPECT_TRUE(p.chance({1, 1}));
    EXPECT_FALSE(p.chance({0, 7}));
    EXPECT_TRUE(p.chance({7, 7}));
  }
}

TEST(PrngTest, ChanceOneInFourHasRoughlyThatFrequency) {
  Prng p(2024);
  int hits = 0;
  for (int i = 0; i < 10000; ++i)
    hits += p.chance({1, 4}) ? 1 : 0;
  // Expected 2500 with a standard deviation of about 43; the bound is loose.
  EXPECT_GT(hits, 2200);
  EXPECT_LT(hits, 2800);
}

TEST(PrngDeathTest, RejectsInvalidArguments) {
  Prng p(1);
  EXPECT_DEATH(p.below(0), "below");
  EXPECT_DEATH(p.range_inclusive(1, 0), "empty range");
  EXPECT_DEATH(p.chance({2, 1}), "invalid ratio");
  EXPECT_DEATH(p.chance({0, 0}), "invalid ratio");
}

}  // namespace
}  // namespace cdc::sim
