// Strong types for the identifiers and positions of the source model.
//
// Xid      32-bit transaction id as PostgreSQL stores it in a tuple header.
//          Ordering of Xids is modular (see xid.h); operator< on the raw
//          value is available only through raw() on purpose.
// FullXid  64-bit epoch-qualified id: epoch << 32 | xid. Totally ordered.
// Lsn      64-bit WAL position, strictly increasing. Totally ordered.
// TableId  index of a table in the database catalogue (never reused).
// Ctid     physical row position (block, offset); offsets start at 1.
#pragma once

#include <compare>
#include <cstdint>
#include <string>

#include "model/strong_int.h"

namespace cdc {

struct LsnTag {};
struct FullXidTag {};
struct TableIdTag {};

using Lsn = StrongInt<LsnTag, uint64_t>;
using FullXid = StrongInt<FullXidTag, uint64_t>;
using TableId = StrongInt<TableIdTag, uint32_t>;

// Xid has no operator<: comparing xids must go through xid_precedes().
class Xid {
 public:
  constexpr Xid() = default;
  constexpr explicit Xid(uint32_t v) : value_(v) {}
  constexpr uint32_t value() const { return value_; }
  constexpr bool operator==(const Xid&) const = default;

 private:
  uint32_t value_ = 0;
};

struct Ctid {
  uint32_t block = 0;
  uint16_t offset = 0;  // 1-based line pointer; 0 means "before the first tuple of the block"
  constexpr auto operator<=>(const Ctid&) const = default;
};

std::string to_string(Lsn lsn);    // PostgreSQL style "0/16B3748"
std::string to_string(Ctid ctid);  // "(0,1)"
// Appends to_string(ctid) to *out.
void append_ctid(Ctid ctid, std::string* out);
// The longest to_string(Ctid): "(block,offset)", 10 and 5 digits and three characters.
inline constexpr size_t kCtidTextMax = 18;

}  // namespace cdc
