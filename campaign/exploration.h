// An exploration: many seeds of scenario files and matrix cells, run in
// parallel (campaign/runner.h), each run judged (campaign/judge.h), tallied
// per file and per cell (the guarantee matrix), the first failures — and
// examples of allowed violations, one per property — shrunk, and everything
// gathered into one report (reports/failure_report.h).
//
// Determinism: outcomes are stored by item and summarized in item order, so
// the report does not depend on --jobs; only a time budget (which items ran)
// and a shrink that runs out of its budget depend on the clock. A report
// records its shard, its plan and every run's fingerprint, so that the
// reports of shards I/N merge into the report of the whole (campaign/merge.h).
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "campaign/judge.h"
#include "campaign/runner.h"
#include "campaign/target.h"
#include "reports/failure_report.h"
#include "sim/matrix.h"

namespace cdc::campaign {

struct ExplorationOptions {
  std::vector<std::string> files;
  std::vector<sim::MatrixCell> cells;  // non-empty: the report has a matrix of these rows
  uint64_t seeds = 20;
  uint64_t shard_index = 0, shard_count = 1;
  RunnerOptions runner;  // jobs, time budget, progress
  uint32_t shrink = 3;   // failures to shrink
  uint32_t demos = 0;    // allowed violations to shrink and show (one per property)
  double shrink_budget_s = 10;
  std::string command;  // how the report was produced
};

// REQUIRES: shard_index < shard_count, seeds >= 1. An error message when a
// scenario file does not load.
std::variant<reports::ExploreReport, std::string> explore(const ExplorationOptions& o);

// Builds a report case for a finding of `t`'s run: the shrunk run when the
// property is violated (its explanation and timeline are the smallest), else
// the run itself. Used by explore and merge.
reports::ReportCase make_case(const Target& t, const std::string& fingerprint, const Finding& f,
                              double shrink_budget_s);

// The case's verdict and timeline from the run it shows: the shrunk YAML
// when there is one, else the target's run. Merge uses it to rebuild cases.
void show_run(reports::ReportCase* c, const history::History& h);

// "shrunk/<stem>-seed-<S>-<property>.yaml"
std::string shrunk_path(const Target& t, const std::string& property);

}  // namespace cdc::campaign
