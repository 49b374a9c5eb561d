// StrongInt<Tag, Rep>: an integer that does not mix with other integers.
//
// Transaction ids, LSNs, table ids and ticks all are 32- or 64-bit integers;
// giving each its own type makes `lsn < xid` a compile error. Arithmetic is
// deliberately absent: each strong type's own header defines the operations
// that make sense for it (xid arithmetic is modular, LSN arithmetic is not).
#pragma once

#include <compare>
#include <cstdint>
#include <functional>

namespace cdc {

template <typename Tag, typename Rep>
class StrongInt {
 public:
  using rep_type = Rep;
  constexpr StrongInt() = default;
  constexpr explicit StrongInt(Rep v) : value_(v) {}
  constexpr Rep value() const { return value_; }
  constexpr auto operator<=>(const StrongInt&) const = default;

 private:
  Rep value_{};
};

}  // namespace cdc

template <typename Tag, typename Rep>
struct std::hash<cdc::StrongInt<Tag, Rep>> {
  size_t operator()(const cdc::StrongInt<Tag, Rep>& v) const noexcept {
    return std::hash<Rep>{}(v.value());
  }
};
