// The capture algorithms side by side, on the cells they share: for each
// fault class, a table of every property (rows) by algorithm and update
// strategy (columns), summed over the backfill types, modes and key kinds
// that every algorithm of the matrix offers (sim::algorithm_applies), and
// under it the command that shrinks one counterexample of each violated
// entry into a schedule.
//
// An entry reads: "holds" (judged, never violated), "documented N/R" (N of
// R runs violated it, each allowed by the algorithm's own documentation),
// "limitation N/R" (violations that are known limitations of the modelled
// algorithm; the expectations' reason says whether its documentation admits
// them), "UNEXPECTED N/R", or "unknown". A worse class wins an entry that has
// several.
//
// Contract: pure functions of the matrix; "" when it holds cells of fewer
// than two algorithms; all HTML text escaped; no script.
#pragma once

#include <string>

#include "sim/matrix.h"

namespace cdc::reports {

std::string comparison_markdown(const sim::Matrix& m);
std::string comparison_html(const sim::Matrix& m);

}  // namespace cdc::reports
