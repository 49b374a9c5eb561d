// Error values for expected failures.
//
// Anything the simulated world or a user can cause (writing past the xid stop
// limit, reading a lost slot, naming an unknown table, a statement timeout)
// comes back as an Error with a code and a message in PostgreSQL's words where
// PostgreSQL has some. Programmer errors are CDC_ASSERTs instead.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "model/assert.h"

namespace cdc {

enum class ErrorCode {
  kUnknownTable,
  kUnknownTransaction,
  kUnknownSlot,
  kDuplicateObject,
  kInvalidArgument,
  kUniqueViolation,
  kLockNotAvailable,  // another running transaction holds the row or table
  kRowNotFound,
  kWraparoundStop,  // writes refused near the xid wrap limit
  kSlotLost,        // slot invalidated by max_slot_wal_keep_size
  kSlotInUse,
  kObjectInUse,    // e.g. VACUUM FULL while a writer is active
  kQueryCanceled,  // statement timeout after some rows were returned
  kNoSavepoint,
};

const char* to_string(ErrorCode code);

struct Error {
  ErrorCode code;
  std::string message;
};

// Status: success or an Error.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error e) : error_(std::move(e)) {}  // NOLINT: implicit by design
  static Status ok() { return {}; }
  bool is_ok() const { return !error_.has_value(); }
  const Error& error() const {
    CDC_ASSERT(error_.has_value(), "error() on an ok Status");
    return *error_;
  }
  ErrorCode code() const { return error().code; }
  const std::string& message() const { return error().message; }

 private:
  std::optional<Error> error_;
};

// Result<T>: a value or an Error.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T v) : v_(std::move(v)) {}      // NOLINT: implicit by design
  Result(Error e) : v_(std::move(e)) {}  // NOLINT: implicit by design
  bool is_ok() const { return v_.index() == 0; }
  const T& value() const& {
    CDC_ASSERT(is_ok(), "value() on an error Result");
    return std::get<0>(v_);
  }
  T& value() & {
    CDC_ASSERT(is_ok(), "value() on an error Result");
    return std::get<0>(v_);
  }
  // By value, so that `for (x : f().value())` never dangles.
  T value() && {
    CDC_ASSERT(is_ok(), "value() on an error Result");
    return std::get<0>(std::move(v_));
  }
  const Error& error() const {
    CDC_ASSERT(!is_ok(), "error() on an ok Result");
    return std::get<1>(v_);
  }
  ErrorCode code() const { return error().code; }
  Status status() const { return is_ok() ? Status() : Status(error()); }

 private:
  std::variant<T, Error> v_;
};

}  // namespace cdc
