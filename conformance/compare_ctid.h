// ctid movement: which rows moved, not where to.
//
// Between two consecutive observations a row (by id, present in both) moved
// if its ctid changed. Without a rewrite in between (VACUUM FULL, or the
// commit of a transaction that ran TRUNCATE) the rows that moved must be the
// same on both sides: exactly the rows whose update committed in between.
// After a rewrite, which rows keep their position depends on the physical
// layout before it (a row stays only if everything before it was kept), so
// the moved sets are compared only when both sides had the same layout
// (same ids at the same ctids); otherwise the report says so.
//
// Exact ctids are not compared: the model lays out a fixed number of tuples
// per page and always appends, PostgreSQL fills 8 kB pages by bytes and reuses
// line pointers freed by VACUUM and pruning. The notes say how often the
// layouts were nevertheless identical.
#pragma once

#include "conformance/comparison.h"
#include "conformance/trace.h"
#include "conformance/workload.h"

namespace cdc::conformance {

Comparison compare_ctid(const Workload& w, const RunTrace& t);

}  // namespace cdc::conformance
