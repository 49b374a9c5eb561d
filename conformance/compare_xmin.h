// xmin and xids.
//
// The model starts at PostgreSQL's next xid, so xids compare value for value;
// reports show them as offsets from the first xid of the workload (modulo
// 2^32, like age()). Compared:
//   - the xmin of every live row at every observation;
//   - the xid of every decoded transaction, and the next xid at the end;
//   - the rows each xmin filter variant of model/query.h returns (raw,
//     wrap-aware, wrap-aware bounded by the next xid) for thresholds drawn
//     around the workload's xids, at their antipode, and across the wrap when
//     the workload crossed it;
//   - the rows the capture's filter returns (min_backfill_xid alone,
//     max_backfill_xid alone, both, and both around the wrap when the
//     workload crossed it), with the snapshot xmax term evaluated by each
//     side (PostgreSQL: txid_snapshot_xmax(txid_current_snapshot())). No row
//     of a workload is 2^31 xids old, so here that term keeps every row; the
//     conformance test xid_bounds_conformance_test.cc ages rows past it.
#pragma once

#include "conformance/comparison.h"
#include "conformance/trace.h"
#include "conformance/workload.h"
#include "sim/prng.h"

namespace cdc::conformance {

// Runs the filter queries on both sides into t->filters (and t->next_xid).
void probe_xmin_filters(Sides& sides, const Workload& w, sim::Prng prng, RunTrace* t);

Comparison compare_xmin(const Workload& w, const RunTrace& t);

}  // namespace cdc::conformance
