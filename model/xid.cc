#include "model/xid.h"

#include "model/assert.h"

namespace cdc {

namespace {
// Number of normal xids in one epoch: 2^32 - 3.
constexpr uint64_t kNormalPerEpoch = (uint64_t{1} << 32) - kFirstNormalXid.value();
}  // namespace

Xid xid_advance_by(Xid x, uint64_t n) {
  CDC_ASSERT(xid_is_normal(x), "advancing a special xid");
  const uint64_t index = x.value() - kFirstNormalXid.value();  // position among normal xids
  const uint64_t moved = (index + n % kNormalPerEpoch) % kNormalPerEpoch;
  return Xid(static_cast<uint32_t>(moved + kFirstNormalXid.value()));
}

Xid xid_retreat_for_limit(Xid x, uint32_t n) {
  uint32_t v = x.value() - n;
  if (v < kFirstNormalXid.value()) v += kFirstNormalXid.value();
  return Xid(v);
}

Xid xid_limit_below(Xid x, uint32_t n) {
  uint32_t v = x.value() - n;
  if (v < kFirstNormalXid.value()) v -= kFirstNormalXid.value();
  return Xid(v);
}

Xid xid_add_for_limit(Xid x, uint32_t n) {
  uint32_t v = x.value() + n;
  if (v < kFirstNormalXid.value()) v += kFirstNormalXid.value();
  return Xid(v);
}

XidLimits XidLimits::from_oldest(Xid oldest) {
  CDC_ASSERT(xid_is_normal(oldest), "oldest xid must be normal");
  XidLimits l;
  l.oldest = oldest;
  l.wrap_limit = xid_add_for_limit(oldest, 0x7fffffffu);
  l.stop_limit = xid_limit_below(l.wrap_limit, kXidStopMargin);
  l.warn_limit = xid_limit_below(l.wrap_limit, kXidWarnMargin);
  return l;
}

XidCounter::XidCounter(FullXid next) : next_(next) {
  CDC_ASSERT(xid_is_normal(xid_of(next)), "next xid must be normal");
}

FullXid XidCounter::assign() {
  const FullXid given = next_;
  skip(1);
  return given;
}

void XidCounter::skip(uint64_t n) {
  const FullXid before = next_;
  uint64_t full = next_.value();
  for (uint64_t left = n; left > 0;) {
    const uint64_t room = 0xffffffffULL - (full & 0xffffffffULL);  // xids left in this epoch
    if (left <= room) {
      full += left;
      left = 0;
    } else {
      left -= room + 1;
      full = ((full >> 32) + 1) << 32 | kFirstNormalXid.value();  // wrap: skip 0..2
    }
  }
  next_ = FullXid(full);
  CDC_ASSERT(xid_is_normal(next()), "counter landed on a special xid");
  CDC_ASSERT(next_ >= before, "full xids never go backwards");
}

void XidCounter::reset(Xid x, uint32_t epoch) {
  CDC_ASSERT(xid_is_normal(x), "pg_resetwal needs a normal xid");
  next_ = full_xid(epoch, x);
}

}  // namespace cdc
