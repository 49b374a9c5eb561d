// `cdcsim explore`: many seeds of scenario files and/or of every matrix cell
// (swarm testing on), in parallel threads, sharded if asked; then the first
// failures (and, if asked, examples of allowed violations) are shrunk, and a
// report is written as explore.json, explore.md and explore.html, with the
// shrunk schedules under shrunk/.
//
// Results are collected by work-item index, so they do not depend on the
// number of threads; with --budget-s the set of seeds run depends on time,
// and so may a shrink that runs out of its budget.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cdc::cli {

struct ExploreArgs {
  std::vector<std::string> files;
  bool matrix = false;  // also every matrix cell (always, when no files are given)
  uint64_t seeds = 20;
  double budget_s = 0;  // 0: no budget, run every seed
  uint32_t jobs = 1;
  std::string shard = "0/1";  // I/N
  std::string out_dir = "out";
  uint32_t shrink = 3;          // failures to shrink
  uint32_t demos = 0;           // allowed violations to shrink and show (one per property)
  double shrink_budget_s = 10;  // per shrunk case
};

int run_explore(const ExploreArgs& args);

}  // namespace cdc::cli
