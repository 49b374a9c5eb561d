// Shapes of the queries the capture issues against the source, and of their
// results.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/status.h"
#include "model/types.h"
#include "model/value.h"

namespace cdc {

// One row as a query returns it, with the system columns ctid and xmin.
// xmin is the raw stored value even for frozen tuples (PostgreSQL 9.4+).
struct ScannedRow {
  Ctid ctid;
  Xid xmin;
  bool frozen = false;
  Row row;
};

// Rows returned before an error, plus the status. A query that fails part way
// (statement timeout) has a non-ok status and a prefix of its rows.
struct QueryResult {
  std::vector<ScannedRow> rows;
  Status status;
};

// Order of a keyset chunk: the key columns' own collations (ORDER BY k), or
// bytewise for every text column (ORDER BY k COLLATE "C").
enum class KeyOrder : uint8_t { kDatabase, kBytewise };

// The xmin predicates users write:
//   kRaw               xmin::text::bigint >= threshold  (unsigned 32-bit compare;
//                      after a wrap, newer rows have smaller numbers)
//   kWrapAware         ((xmin::text::bigint - threshold) << 32 >> 32) >= 0
//                      (sign-extended 32-bit difference)
//   kWrapAwareBounded  kWrapAware, and also
//                      ((xmin::text::bigint - upper) << 32 >> 32) < 0
//                      with upper the current xid
struct XminFilter {
  enum class Kind : uint8_t { kRaw, kWrapAware, kWrapAwareBounded };
  Kind kind = Kind::kWrapAware;
  Xid threshold;
  Xid upper;  // kWrapAwareBounded only

  bool matches(Xid xmin) const;
  std::string sql() const;
};

struct QueryOptions {
  std::optional<XminFilter> xmin_filter;
  // Fault injection: the statement is cancelled after returning this many rows
  // (or all of them, if fewer), with "canceling statement due to statement timeout".
  std::optional<uint32_t> fail_after_rows;
};

}  // namespace cdc
