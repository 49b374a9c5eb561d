// The decoded change stream of the slot created before the workload: the
// transactions in commit order, each with its changes in canonical form
// (decoded_text.h): operation, table, old key / old row presence and values,
// new tuple values, unchanged TOAST columns. PostgreSQL decodes with
// test_decoding (include-xids, skip-empty-xacts), read with
// pg_logical_slot_peek_changes; the model with its LogicalStream. Xids are
// compared by compare_xmin, LSNs not at all (the model's are synthetic).
#pragma once

#include "conformance/comparison.h"
#include "conformance/trace.h"
#include "conformance/workload.h"

namespace cdc::conformance {

void probe_decoding(Sides& sides, RunTrace* t);

Comparison compare_decoding(const Workload& w, const RunTrace& t);

// The first difference between two decoded streams, or "" if equal.
std::string first_stream_difference(const std::vector<CanonTxn>& model,
                                    const std::vector<CanonTxn>& pg);

}  // namespace cdc::conformance
