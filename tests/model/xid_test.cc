#include "model/xid.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

namespace cdc {
namespace {

TEST(XidTest, AdvanceSkipsSpecialIdsOnWrap) {
  EXPECT_EQ(xid_advance(Xid(4294967294u)), Xid(4294967295u));
  EXPECT_EQ(xid_advance(Xid(4294967295u)), kFirstNormalXid);
  EXPECT_EQ(xid_advance_by(Xid(4294967203u), 101), Xid(11));
  EXPECT_EQ(xid_advance_by(Xid(3), (uint64_t{1} << 32) - 3), Xid(3));  // a whole epoch
}

TEST(XidTest, ModularComparison) {
  EXPECT_TRUE(xid_precedes(Xid(4294967000u), Xid(11)));  // 11 is newer after a wrap
  EXPECT_FALSE(xid_precedes(Xid(11), Xid(4294967000u)));
  EXPECT_TRUE(xid_precedes(Xid(100), Xid(101)));
  EXPECT_FALSE(xid_precedes(Xid(100), Xid(100)));
  // Special ids compare as unsigned integers, before every normal id.
  EXPECT_TRUE(xid_precedes(kFrozenXid, Xid(4294967295u)));
  EXPECT_TRUE(xid_precedes(kBootstrapXid, kFrozenXid));
}

TEST(XidTest, CounterWrapsIntoTheNextEpoch) {
  XidCounter c(full_xid(0, Xid(4294967294u)));
  EXPECT_EQ(c.assign(), full_xid(0, Xid(4294967294u)));
  EXPECT_EQ(c.assign(), full_xid(0, Xid(4294967295u)));
  EXPECT_EQ(c.assign(), full_xid(1, Xid(3)));
  EXPECT_EQ(c.epoch(), 1u);
  c.skip((uint64_t{1} << 32) - 3);  // exactly one epoch of normal xids
  EXPECT_EQ(c.next_full(), full_xid(2, Xid(4)));
}

TEST(XidTest, ResetKeepsOrSetsTheEpoch) {
  XidCounter c(full_xid(5, Xid(1000)));
  c.reset(Xid(4294967000u), c.epoch());
  EXPECT_EQ(c.next_full(), full_xid(5, Xid(4294967000u)));
}

TEST(XidTest, WraparoundLimitsFollowPostgres) {
  // varsup.c: xidWrapLimit = oldest + (MaxTransactionId >> 1).
  const XidLimits l = XidLimits::from_oldest(Xid(1000));
  EXPECT_EQ(l.wrap_limit, Xid(1000u + 0x7fffffffu));
  EXPECT_EQ(l.stop_limit, Xid(1000u + 0x7fffffffu - 3'000'000u));
  EXPECT_EQ(l.warn_limit, Xid(1000u + 0x7fffffffu - 40'000'000u));
  // A wrap limit landing on a special id moves past it (adds 3)...
  const XidLimits w = XidLimits::from_oldest(Xid(0x80000000u));
  EXPECT_EQ(w.wrap_limit, Xid(4294967295u));
  const XidLimits v = XidLimits::from_oldest(Xid(0x80000002u));
  EXPECT_EQ(v.wrap_limit, Xid(1 + 3));
  // ...while a stop limit landing on one moves below it (subtracts 3).
  const XidLimits s = XidLimits::from_oldest(Xid(0x80000001u + 3'000'000u + 1));
  EXPECT_EQ(s.wrap_limit, Xid(3'000'001u));
  EXPECT_EQ(s.stop_limit, Xid(4294967295u - 1));
}

// Modular comparison agrees with comparing 64-bit full ids whenever the two
// ids are less than 2^31 apart.
RC_GTEST_PROP(XidProperty, ModularComparisonAgreesWithFullIds, ()) {
  const uint64_t base = *rc::gen::inRange<uint64_t>(3, uint64_t{1} << 40);
  const uint64_t gap = *rc::gen::inRange<uint64_t>(0, (uint64_t{1} << 31) - 1);
  XidCounter a(full_xid(static_cast<uint32_t>(base >> 32),
                        Xid(std::max<uint32_t>(3, static_cast<uint32_t>(base)))));
  XidCounter b = a;
  b.skip(gap);
  const FullXid fa = a.next_full(), fb = b.next_full();
  RC_ASSERT(fa <= fb);
  RC_ASSERT(xid_precedes(xid_of(fa), xid_of(fb)) == (fa < fb));
  RC_ASSERT(xid_precedes(xid_of(fb), xid_of(fa)) == false);
  RC_ASSERT(xid_follows(xid_of(fb), xid_of(fa)) == (fa < fb));
}

// skip(n) is n single assignments, and xid_advance_by agrees with both.
RC_GTEST_PROP(XidProperty, SkipEqualsRepeatedAssignment, ()) {
  const uint32_t start = *rc::gen::inRange<uint32_t>(4294966000u, 4294967295u);
  const uint32_t n = *rc::gen::inRange<uint32_t>(0, 3000);
  XidCounter bulk(full_xid(0, Xid(start)));
  XidCounter single = bulk;
  bulk.skip(n);
  for (uint32_t i = 0; i < n; ++i)
    single.assign();
  RC_ASSERT(bulk.next_full() == single.next_full());
  RC_ASSERT(xid_advance_by(Xid(start), n) == single.next());
}

}  // namespace
}  // namespace cdc
