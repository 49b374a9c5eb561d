// The report of an exploration on disk: explore.json (everything, schema
// version 2), explore.md, explore.html, the guarantee matrix alone as
// matrix.json and matrix.md, optionally JUnit XML, and the shrunk schedules
// under shrunk/. Every file is written atomically; on an error
// nothing more is written and the message names the file.
//
// read_report() is the inverse of the JSON rendering for what a merge needs:
// counts, plan, tallies, failures, run records and cases (verdicts and
// shrunk schedules; a case's timeline is rebuilt by running what it shows,
// see campaign/merge.h).
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "model/status.h"
#include "reports/failure_report.h"
#include "reports/junit.h"

namespace cdc::campaign {

// JUnit: one suite per scenario file and per matrix cell, one case per
// property; a failure where some run of it failed, skipped where the row
// never ran (the budget ended first).
std::vector<reports::JUnitSuite> junit_suites(const reports::ExploreReport& r);

// Writes explore.{json,md,html}, shrunk/*.yaml and, with a matrix,
// matrix.{json,md} under `out_dir`, and the JUnit XML to `junit` unless it
// is empty.
Status write_report(const reports::ExploreReport& r, const std::string& out_dir,
                    const std::string& junit);

// Parses explore.json text; errors are "<name>: message".
std::variant<reports::ExploreReport, std::string> read_report(const std::string& text,
                                                              const std::string& name);

}  // namespace cdc::campaign
