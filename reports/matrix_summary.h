// The guarantee matrix summarised per cell, for people: each cell gets one
// verdict, and the cells are counted and pivoted so that a page shows which
// guarantees hold where, which are violated as the documentation warns, and
// which fail only through a known limitation.
//
// A cell's verdict is the worst of its properties, in this order:
//   unexpected   some property expected to hold was violated;
//   documented   some property was violated as the documentation warns;
//   limitation   violations only through known limitations of the algorithm;
//   holds        nothing violated and something judged;
//   unknown      nothing could be judged.
//
// Contract: pure functions of the matrix; rows and properties in the order
// the matrix holds them; all HTML text escaped; no script.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/matrix.h"

namespace cdc::reports {

// How one property's tally over a cell's runs reads, worst first: the one
// classification every matrix report (HTML shading, Markdown verdicts, the
// cell summary) uses.
enum class MatrixShade : unsigned char {
  kHolds,
  kExpected,
  kLimitation,
  kUnexpected,
  kUnknown,
  kNotApplicable,
};
const char* to_string(MatrixShade s);  // "holds", "expected", "unexpected", "unknown", "n/a"

MatrixShade shade(const sim::PropertyTally& t);

enum class CellVerdict : unsigned char { kHolds, kDocumented, kLimitation, kUnexpected, kUnknown };
const char* to_string(CellVerdict v);  // "holds", "documented", "limitation", ...

struct CellSummary {
  CellVerdict verdict = CellVerdict::kUnknown;
  std::vector<std::string> unexpected;   // properties violated unexpectedly
  std::vector<std::string> documented;   // violated as the documentation warns
  std::vector<std::string> limitations;  // violated only as known limitations
};

CellSummary summarize(const sim::MatrixRow& r);

struct CellCounts {
  uint64_t holds = 0;
  uint64_t documented = 0;
  uint64_t limitation = 0;
  uint64_t unexpected = 0;
  uint64_t unknown = 0;
};

CellCounts count_cells(const sim::Matrix& m);

// The counts and, per key kind, a pivot (rows: backfill type and mode;
// columns: fault class and strategy) of one-symbol verdicts, with a legend.
std::string matrix_summary_markdown(const sim::Matrix& m);

// The same pivot as one HTML table (column groups per key kind), each entry
// coloured by its verdict with the violated properties in its tooltip.
std::string matrix_summary_html(const sim::Matrix& m);

}  // namespace cdc::reports
