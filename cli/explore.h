// `cdcsim explore`: many seeds of scenario files (or, without files, of every
// matrix cell with swarm testing), in parallel threads, sharded if asked.
// Results are collected by work-item index, so they do not depend on the
// number of threads; with --budget-s the set of seeds run depends on time.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cdc::cli {

struct ExploreArgs {
  std::vector<std::string> files;
  uint64_t seeds = 20;
  double budget_s = 0;  // 0: no budget, run every seed
  uint32_t jobs = 1;
  std::string shard = "0/1";  // I/N
  std::string out_dir = "out";
};

int run_explore(const ExploreArgs& args);

}  // namespace cdc::cli
