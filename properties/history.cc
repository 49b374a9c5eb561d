#include "properties/history.h"

namespace cdc::history {

const char* to_string(ResolvedMode m) {
  switch (m) {
    case ResolvedMode::kPrecise:
      return "Precise";
    case ResolvedMode::kNormal:
      return "Normal";
    case ResolvedMode::kWithoutPrimaryKey:
      return "Without Primary Key";
    case ResolvedMode::kOnlyChanges:
      return "Only Changes";
  }
  return "?";
}

const char* to_string(UpdateStrategy s) {
  return s == UpdateStrategy::kMerge ? "merge" : "delta";
}

const char* to_string(RowMove::Cause c) {
  switch (c) {
    case RowMove::Cause::kUpdate:
      return "UPDATE";
    case RowMove::Cause::kVacuumFull:
      return "VACUUM FULL";
    case RowMove::Cause::kTruncateRewrite:
      return "the rewrite of a TRUNCATE";
  }
  return "?";
}

}  // namespace cdc::history
