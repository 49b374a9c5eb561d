#include "model/query.h"

#include "model/xid.h"

namespace cdc {

namespace {
int32_t signed_difference(Xid a, Xid b) {
  return static_cast<int32_t>(a.value() - b.value());
}
}  // namespace

XminFilter backfill_filter(std::optional<Xid> min, std::optional<Xid> max) {
  XminFilter f;
  f.kind = XminFilter::Kind::kBackfill;
  f.min = min;
  f.max = max;
  return f;
}

bool XminFilter::matches(Xid xmin, Xid snapshot_xmax) const {
  switch (kind) {
    case Kind::kRaw:
      return xmin.value() >= threshold.value();
    case Kind::kWrapAware:
      return signed_difference(xmin, threshold) >= 0;
    case Kind::kWrapAwareBounded:
      return signed_difference(xmin, threshold) >= 0 && signed_difference(xmin, upper) < 0;
    case Kind::kBackfill:
      return xid_is_normal(xmin) && (!min || signed_difference(xmin, *min) >= 0) &&
             (!max || signed_difference(*max, xmin) >= 0) &&
             signed_difference(snapshot_xmax, xmin) >= 0;
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
    case Kind::kBackfill: {
      std::string sql = "xmin::text::bigint >= 3";
      if (min)
        sql +=
            " AND ((xmin::text::bigint - " + std::to_string(min->value()) + ") << 32 >> 32) >= 0";
      if (max)
        sql +=
            " AND ((" + std::to_string(max->value()) + " - xmin::text::bigint) << 32 >> 32) >= 0";
      return sql +
             " AND ((txid_snapshot_xmax(txid_current_snapshot()) - xmin::text::bigint) << 32 >> "
             "32) >= 0";
    }
  }
  CDC_ASSERT(false, "unknown xmin filter kind");
  return "";
}

}  // namespace cdc
