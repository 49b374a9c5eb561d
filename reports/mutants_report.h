// The kill table of `cdcsim mutants`: for each seeded bug (model/mutants.h),
// whether two hunts caught it, what caught it first, how fast, and how short
// its shrunk schedule is; plus the baseline runs without any mutant that make
// the kills meaningful.
//
// The two hunts (the table's two columns) explore different plans:
// - unaided: the cells of the guarantee matrix alone, no scenario file: what
//   the harness's generic generation finds by itself;
// - aided: scenario files (the catalogue by default) and the cells. Absent
//   when the command ran with --unaided-only.
//
// Two renderings of the same content:
// - mutants_json: everything, "schema_version": 2;
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

// What one hunt of one mutant found.
struct HuntOutcome {
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
  std::string reproduce;               // cdcsim replay ... --mutant NAME --fingerprint F
  bool confirmed_by_baseline = false;  // the baseline of this plan ran the same runs clean
  // The whole hunt.
  uint64_t runs = 0;
  double seconds = 0;
};

// Which hunt's kill was shrunk: the unaided one when there is one, else the
// aided one.
enum class ShrunkHunt { kUnaided, kAided };

struct MutantOutcome {
  std::string name, component, description;
  HuntOutcome unaided;
  std::optional<HuntOutcome> aided;  // none with --unaided-only
  std::optional<ShrunkHunt> shrunk_from;
  std::optional<size_t> shrunk_steps_before, shrunk_steps_after;  // when shrunk
  bool shrink_complete = false;
  double shrink_seconds = 0;

  bool killed() const { return unaided.killed || (aided && aided->killed); }
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
  double budget_s_per_mutant = 0;  // per hunt
  double shrink_budget_s = 0;
  uint32_t jobs = 1;
  uint64_t seeds_max = 0;          // seeds per file or cell, at most
  bool aided = true;               // false: --unaided-only, no aided hunt ran
  std::vector<std::string> files;  // scenario files of the aided plan
  size_t cells = 0;                // matrix cells, in both plans
  BaselineOutcome unaided_baseline;
  std::optional<BaselineOutcome> aided_baseline;  // when aided
  std::vector<MutantOutcome> mutants;
};

// One column of the kill table summed up.
struct HuntSummary {
  size_t killed = 0, total = 0;
  std::optional<double> median_seconds_to_kill, worst_seconds_to_kill;
  std::vector<std::string> survivors;
};

struct MutantsSummary {
  HuntSummary unaided;
  std::optional<HuntSummary> aided;  // when the report is aided
  size_t killed = 0, total = 0;      // killed by either hunt
  std::optional<double> median_shrunk_steps;
  std::vector<std::string> survivors;  // killed by neither hunt
};

const char* hunt_name(ShrunkHunt h);  // "unaided" or "aided"
MutantsSummary summarize(const MutantsReport& r);
std::string mutants_json(const MutantsReport& r);
std::string mutants_markdown(const MutantsReport& r);

}  // namespace cdc::reports
