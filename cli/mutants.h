// `cdcsim mutants`: the detection power of the checkers. For each seeded bug
// (model/mutants.h) it switches the mutant on and explores scenario files and
// every matrix cell seed by seed, as explore does (seed 1 of every source,
// then seed 2, ...), until the FIRST unexpected finding or the per-mutant
// budget; that run is shrunk. A baseline exploration without any mutant must
// find nothing over the same runs, or the kills mean nothing. Writes
// mutants.json and mutants.md (reports/mutants_report.h) atomically and
// prints the kill table.
//
// Exit codes: 0 when it ran (whatever it found: the report says), 2 on bad
// input (unknown mutant name, bad scenario file, bad number).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cdc::cli {

struct MutantsArgs {
  std::vector<std::string> files;  // scenario files; none: scenarios/catalogue/*.yaml if present
  std::string names;               // comma-separated mutant names; empty: every mutant
  double budget_s_per_mutant = 60;
  double shrink_budget_s = 10;
  uint32_t jobs = 2;
  uint64_t seeds = 1000;  // seeds per file or cell, at most
  std::string out_dir = "out/mutants";
};

int run_mutants(const MutantsArgs& args);

// "error: unknown mutant "x"; known mutants: a, b, ..." (for every command's
// --mutant option too).
std::string unknown_mutant_message(const std::string& name);

}  // namespace cdc::cli
