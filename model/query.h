// Shapes of the queries the capture issues against the source, and of their
// results.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/shared_row.h"
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
  SharedRow row;  // the heap's own block (heap.h)
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
// and the one the capture applies when min_backfill_xid or max_backfill_xid
// is set (kBackfill; Estuary's source-postgres builds the same predicate):
//   xmin::text::bigint >= 3                                    a normal xid
//   AND ((xmin::text::bigint - min) << 32 >> 32) >= 0          if min is set
//   AND ((max - xmin::text::bigint) << 32 >> 32) >= 0          if max is set
//   AND ((txid_snapshot_xmax(txid_current_snapshot())
//         - xmin::text::bigint) << 32 >> 32) >= 0              always
// Both bounds are inclusive and modulo 2^32 (the sign of the low 32 bits of
// the difference), so a range whose min is just before the wrap and whose max
// just after it holds the xids across the wrap. The last term keeps out rows
// whose xmin is more than 2^31 xids older than the snapshot's xmax: compared
// modulo 2^32 such a row (necessarily frozen) looks newer than any recent
// bound. The snapshot xmax is a 64-bit txid; only its low 32 bits matter here.
// (The connector's max_backfill_xid term is not in the connector source we
// read, which has only the minimum; it is modelled as the mirror image of the
// minimum's term, as the user documentation describes the field.)
struct XminFilter {
  enum class Kind : uint8_t { kRaw, kWrapAware, kWrapAwareBounded, kBackfill };
  Kind kind = Kind::kWrapAware;
  Xid threshold;
  Xid upper;                              // kWrapAwareBounded only
  std::optional<Xid> min = std::nullopt;  // kBackfill only
  std::optional<Xid> max = std::nullopt;  // kBackfill only

  // `snapshot_xmax`: the query's snapshot xmax (used by kBackfill only).
  bool matches(Xid xmin, Xid snapshot_xmax) const;
  std::string sql() const;
};

// The capture's filter for a chunk under these bounds (kBackfill).
XminFilter backfill_filter(std::optional<Xid> min, std::optional<Xid> max);

struct QueryOptions {
  std::optional<XminFilter> xmin_filter;
  // Fault injection: the statement is cancelled after returning this many rows
  // (or all of them, if fewer), with "canceling statement due to statement timeout".
  std::optional<uint32_t> fail_after_rows;
};

}  // namespace cdc
