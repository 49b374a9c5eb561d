// The queries a capture issues.
//
// Keyset chunks (WHERE (k) > (cursor) ORDER BY k [COLLATE "C"] LIMIT n, with
// and without an xmin filter): whole walks of every keyed table under the
// key's own collations and under "C", each side following its own cursor, and
// single chunks from random cursors. Rows and their order must be equal.
//
// ctid ranges (WHERE ctid > a AND ctid <= b): ctids are each side's own, so
// each side is checked against the model's semantics on its own layout:
//   - ranges ((p,0), (p+w,0)] over every page and one past the end partition
//     the live rows (each exactly once);
//   - a range between the ctids of the rows ranked i-1 and j-1 returns the
//     rows ranked i..j-1.
// Where both sides have the same live rows in the same physical order, the
// rank ranges return the same rows on both sides.
#pragma once

#include "conformance/comparison.h"
#include "conformance/trace.h"
#include "conformance/workload.h"
#include "sim/prng.h"

namespace cdc::conformance {

void probe_chunks(Sides& sides, const Workload& w, sim::Prng prng, RunTrace* t);
void probe_ctid_ranges(Sides& sides, const Workload& w, sim::Prng prng, RunTrace* t);

Comparison compare_chunks(const Workload& w, const RunTrace& t);

}  // namespace cdc::conformance
