// PostgreSQL transaction-id arithmetic (32-bit, modular) and the xid counter.
//
// Facts modelled (PostgreSQL 15, src/backend/access/transam):
//   - 0 invalid, 1 bootstrap, 2 frozen, 3 first normal xid;
//   - after 4294967295 the next xid is 3 (0..2 are skipped) and the epoch of
//     the 64-bit full id (epoch << 32 | xid) increments;
//   - two normal xids compare modulo 2^32: a precedes b iff (int32)(a - b) < 0;
//     if either is special, they compare as unsigned integers;
//   - wrap limit = oldest unfrozen xid + 2^31; writes (xid assignment) are
//     refused within 3,000,000 xids of it, a warning starts 40,000,000 before;
//   - pg_resetwal -x X sets the next xid (epoch unchanged) and sets the oldest
//     xid to X - 2,000,000,000 (moved past the special ids if it falls on them).
#pragma once

#include <cstdint>

#include "model/types.h"

namespace cdc {

inline constexpr Xid kInvalidXid{0};
inline constexpr Xid kBootstrapXid{1};
inline constexpr Xid kFrozenXid{2};
inline constexpr Xid kFirstNormalXid{3};

inline constexpr uint32_t kXidStopMargin = 3'000'000;
inline constexpr uint32_t kXidWarnMargin = 40'000'000;
inline constexpr uint32_t kResetwalOldestDistance = 2'000'000'000;

constexpr bool xid_is_normal(Xid x) {
  return x.value() >= kFirstNormalXid.value();
}

// a < b in PostgreSQL's TransactionIdPrecedes sense.
constexpr bool xid_precedes(Xid a, Xid b) {
  if (!xid_is_normal(a) || !xid_is_normal(b)) return a.value() < b.value();
  return static_cast<int32_t>(a.value() - b.value()) < 0;
}
constexpr bool xid_precedes_or_equals(Xid a, Xid b) {
  return a == b || xid_precedes(a, b);
}
constexpr bool xid_follows(Xid a, Xid b) {
  return xid_precedes(b, a);
}

// x advanced by one, skipping the special ids on wrap (TransactionIdAdvance).
constexpr Xid xid_advance(Xid x) {
  const uint32_t next = x.value() + 1;
  return next < kFirstNormalXid.value() ? kFirstNormalXid : Xid(next);
}

// x advanced by n normal xids (n applications of xid_advance, in O(1)).
Xid xid_advance_by(Xid x, uint64_t n);

// x moved back by n raw steps, then past the special ids as pg_resetwal does
// for the oldest xid (if the result is special, add 3).
Xid xid_retreat_for_limit(Xid x, uint32_t n);

// x moved back by n raw steps; a result on a special id moves below it (subtract
// 3), as varsup.c does for the stop and warn limits.
Xid xid_limit_below(Xid x, uint32_t n);

// x moved forward by n raw steps, then past the special ids (limit arithmetic).
Xid xid_add_for_limit(Xid x, uint32_t n);

constexpr Xid xid_of(FullXid f) {
  return Xid(static_cast<uint32_t>(f.value()));
}
constexpr uint32_t epoch_of(FullXid f) {
  return static_cast<uint32_t>(f.value() >> 32);
}
constexpr FullXid full_xid(uint32_t epoch, Xid x) {
  return FullXid((static_cast<uint64_t>(epoch) << 32) | x.value());
}

// The wraparound limits derived from the oldest unfrozen xid in the cluster.
struct XidLimits {
  Xid oldest;      // datfrozenxid: no unfrozen tuple is older than this
  Xid warn_limit;  // assigning at or past this logs a warning
  Xid stop_limit;  // assigning at or past this is refused
  Xid wrap_limit;  // oldest + 2^31 - 1

  static XidLimits from_oldest(Xid oldest);
};

// The cluster's next-xid counter (ShmemVariableCache->nextXid).
//
// INVARIANT: next() is always a normal xid.
class XidCounter {
 public:
  explicit XidCounter(FullXid next = full_xid(0, kFirstNormalXid));

  FullXid next_full() const { return next_; }
  Xid next() const { return xid_of(next_); }
  uint32_t epoch() const { return epoch_of(next_); }

  // Returns the next xid and advances past it (wrapping into a new epoch).
  FullXid assign();
  // Advances by n xids without handing them out (xids burned elsewhere).
  void skip(uint64_t n);
  // pg_resetwal -x X [-e epoch]. REQUIRES: xid_is_normal(x).
  void reset(Xid x, uint32_t epoch);

 private:
  FullXid next_;
};

}  // namespace cdc
