// The "which backfill should I use" page (docs/which-backfill/): each row of
// the documentation's "If I want to... Then I should..." table, the scenario
// files that solve the row's problem on one world (the documented backfill
// and its alternatives, same seeds and workload), and for each what the runs
// cost (reports/costs.h) and which properties held. Built by
// campaign/which_backfill.h; this file only renders it, as Markdown (the
// page) and JSON (every run's numbers).
//
// Contract: pure functions of the page; no timings, so the same runs give
// the same bytes. Numbers over seeds are shown as the median (the lower of
// the two middle values for an even count) with [min-max] when they differ.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "reports/costs.h"

namespace cdc::reports {

struct AlternativeRuns {
  std::string label;         // e.g. "data flow backfill"
  std::string file;          // the scenario file, as the page names it
  bool documented = false;   // what the row's "Then I should..." says
  bool no_backfill = false;  // the file's operations without its backfills
  std::vector<uint64_t> seeds;
  std::vector<CostValues> costs;       // per seed
  std::vector<std::string> workloads;  // per seed: digest of the source workload
  // Per property (property_names() order): runs where it held, was violated,
  // could not be judged.
  std::vector<std::string> properties;
  std::vector<std::array<uint64_t, 3>> verdicts;
};

struct DecisionRowRuns {
  uint32_t row = 0;    // 1..10 in the documentation's table
  std::string want;    // "If I want to..."
  std::string should;  // "Then I should..."
  std::string note;    // what the comparison shows, in a sentence or two
  std::vector<AlternativeRuns> alternatives;
};

struct WhichBackfillPage {
  std::string command;  // how it was produced
  uint64_t seeds = 0;   // per alternative
  std::vector<DecisionRowRuns> rows;
};

// Median and range of metric `metric` over an alternative's runs: "m" or
// "m [lo-hi]".
std::string median_range(const AlternativeRuns& a, size_t metric);
// Whether every alternative of the row ran the same source workload on each seed.
bool same_workloads(const DecisionRowRuns& r);

std::string which_backfill_markdown(const WhichBackfillPage& p);
std::string which_backfill_json(const WhichBackfillPage& p);

}  // namespace cdc::reports
