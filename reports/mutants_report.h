// The kill table of `cdcsim mutants`: for each seeded bug (model/mutants.h),
// whether exploring the catalogue and the guarantee matrix caught it, what
// caught it first, how fast, and how short its shrunk schedule is; plus the
// baseline run without any mutant that makes the kills meaningful.
//
// Two renderings of the same content:
// - mutants_json: everything, "schema_version": 1;
// - mutants_markdown: the kill table and its summary.
//
// Contract: pure functions of the report (the seconds in it were measured by
// the caller; nothing here reads a clock).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cdc::reports {

struct MutantOutcome {
  std::string name, component, description;
  bool killed = false;
  // When killed: the first run with an unexpected finding, in seed-major
  // order, and its first unexpected violation (or, if it has none, its first
  // unmet expectation).
  std::string property;  // the property violated (or whose expectation was unmet)
  std::string why;       // what was expected of it there
  std::string target;    // scenario file or matrix cell
  uint64_t seed = 0;
  uint64_t runs_to_kill = 0;  // runs in seed-major order up to and including the failing one
  double seconds_to_kill = 0;
  std::string reproduce;  // cdcsim replay ... --mutant NAME --fingerprint F
  std::optional<size_t> shrunk_steps_before, shrunk_steps_after;  // when shrunk
  bool shrink_complete = false;
  double shrink_seconds = 0;
  bool confirmed_by_baseline = false;  // the baseline ran the same runs clean
  // The whole exploration of this mutant.
  uint64_t runs = 0;
  double seconds = 0;
};

struct BaselineOutcome {
  uint64_t runs = 0;               // runs made without any mutant
  uint64_t clean_prefix_runs = 0;  // the first N runs in seed-major order all passed
  double seconds = 0;
  bool clean = true;       // no unexpected finding at all
  std::string failure;     // else: the first one, with its replay command
  bool covers_all = true;  // clean_prefix_runs reaches every kill's runs_to_kill
};

struct MutantsReport {
  std::string command;
  double budget_s_per_mutant = 0;
  double shrink_budget_s = 0;
  uint32_t jobs = 1;
  uint64_t seeds_max = 0;          // seeds per file or cell, at most
  std::vector<std::string> files;  // scenario files explored
  size_t cells = 0;                // matrix cells explored
  BaselineOutcome baseline;
  std::vector<MutantOutcome> mutants;
};

struct MutantsSummary {
  size_t killed = 0, total = 0;
  std::optional<double> median_seconds_to_kill, worst_seconds_to_kill;
  std::optional<double> median_shrunk_steps;
  std::vector<std::string> survivors;
};

MutantsSummary summarize(const MutantsReport& r);
std::string mutants_json(const MutantsReport& r);
std::string mutants_markdown(const MutantsReport& r);

}  // namespace cdc::reports
