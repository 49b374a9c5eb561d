#include "model/status.h"

namespace cdc {

const char* to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::kUnknownTable:
      return "unknown_table";
    case ErrorCode::kUnknownTransaction:
      return "unknown_transaction";
    case ErrorCode::kUnknownSlot:
      return "unknown_slot";
    case ErrorCode::kDuplicateObject:
      return "duplicate_object";
    case ErrorCode::kInvalidArgument:
      return "invalid_argument";
    case ErrorCode::kUniqueViolation:
      return "unique_violation";
    case ErrorCode::kLockNotAvailable:
      return "lock_not_available";
    case ErrorCode::kRowNotFound:
      return "row_not_found";
    case ErrorCode::kWraparoundStop:
      return "wraparound_stop";
    case ErrorCode::kSlotLost:
      return "slot_lost";
    case ErrorCode::kSlotInUse:
      return "slot_in_use";
    case ErrorCode::kObjectInUse:
      return "object_in_use";
    case ErrorCode::kQueryCanceled:
      return "query_canceled";
    case ErrorCode::kNoSavepoint:
      return "no_savepoint";
  }
  CDC_ASSERT(false, "unknown error code");
  return "unknown";
}

}  // namespace cdc
