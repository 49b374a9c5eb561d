// The guarantee matrix (sim::Matrix) as a compact HTML table for the failure
// report page: first the summary pivot (reports/matrix_summary.h), then per
// key kind a collapsed section with one row per cell (backfill, mode,
// strategy, faults, key), one column per property, each table cell coloured by the tallies:
//   unexpected  some run violated a property expected to hold;
//   expected    some run violated it where the expectations allow it;
//   limitation  every allowed violation was a known limitation;
//   holds       it held in every judged run (some may be unknown);
//   unknown     no run could judge it;
//   n/a         no tally.
// A cell's title attribute (a tooltip) gives the counts, the first seed and
// the reason or explanation. A legend precedes the table.
//
// Contract: pure; all text escaped (reports/html.h); no script. The table
// uses the CSS classes documented in matrix_html_css().
#pragma once

#include <string>

#include "reports/matrix_summary.h"
#include "sim/matrix.h"

namespace cdc::reports {

// The legend and the <table class="matrix">.
std::string matrix_html(const sim::Matrix& m);

// The CSS the table needs (classes matrix, m-holds, m-expected, m-unexpected,
// m-unknown, m-na, legend), for the page's <style>.
const char* matrix_html_css();

}  // namespace cdc::reports
