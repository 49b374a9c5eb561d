// Statement outcomes and table contents.
//
// Per step: both sides must succeed, or fail the same way (unique violation,
// lock not available, row not found). Per observation (after each commit and
// maintenance step, and at the end): every table holds the same rows (by id)
// with the same values. The first few disagreements are reported; later ones
// usually follow from them.
#pragma once

#include "conformance/comparison.h"
#include "conformance/trace.h"
#include "conformance/workload.h"

namespace cdc::conformance {

Comparison compare_outcomes(const Workload& w, const RunTrace& t);

}  // namespace cdc::conformance
