#include "model/query.h"

namespace cdc {

namespace {
int32_t signed_difference(Xid a, Xid b) {
  return static_cast<int32_t>(a.value() - b.value());
}
}  // namespace

bool XminFilter::matches(Xid xmin) const {
  switch (kind) {
    case Kind::kRaw:
      return xmin.value() >= threshold.value();
    case Kind::kWrapAware:
      return signed_difference(xmin, threshold) >= 0;
    case Kind::kWrapAwareBounded:
      return signed_difference(xmin, threshold) >= 0 && signed_difference(xmin, upper) < 0;
  }
  CDC_ASSERT(false, "unknown xmin filter kind");
  return false;
}

std::string XminFilter::sql() const {
  const std::string t = std::to_string(threshold.value());
  switch (kind) {
    case Kind::kRaw:
      return "xmin::text::bigint >= " + t;
    case Kind::kWrapAware:
      return "((xmin::text::bigint - " + t + ") << 32 >> 32) >= 0";
    case Kind::kWrapAwareBounded:
      return "((xmin::text::bigint - " + t + ") << 32 >> 32) >= 0 AND ((xmin::text::bigint - " +
             std::to_string(upper.value()) + ") << 32 >> 32) < 0";
  }
  CDC_ASSERT(false, "unknown xmin filter kind");
  return "";
}

}  // namespace cdc
