// The failure report of an exploration (`cdcsim explore`): what was run, how
// many runs failed on which properties, the guarantee matrix when cells were
// explored, and for each failing (or demonstrating) run the verdict with its
// explanation and witness, the timeline of the key it is about, and the
// shrunk schedule that still fails.
//
// Three renderings of the same content:
// - report_json: everything, timeline entries included (nlohmann::json,
//   "schema_version": 1); keys as text and as hex, LSNs PostgreSQL style;
//   invalid UTF-8 in any text becomes U+FFFD.
// - report_markdown: the same as text; a timeline is a table.
// - report_html: ONE self-contained page: inline CSS, inline SVG (one
//   picture per case with a timeline, reports/timeline_svg.h), no script,
//   no external resource; every text escaped (reports/html.h).
//
// Contract: pure functions of the report; the same report gives the same
// bytes (maps are ordered, nothing reads a clock).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "properties/verdict.h"
#include "reports/costs.h"
#include "reports/key_timeline.h"
#include "reports/situation_coverage.h"
#include "sim/matrix.h"

namespace cdc::reports {

struct ReportCase {    // one failing (or demonstrating) run
  std::string title;   // e.g. "slot-failure-recovery-loses-deletes.yaml seed 3"
  std::string target;  // the scenario file or the cell's spec
  uint64_t seed = 0;
  size_t item = 0;          // the run's index in the whole (unsharded) exploration
  size_t finding = 0;       // the finding's index among the run's findings
  bool demo = false;        // an example of an allowed violation, not a failure
  bool unexpected = true;   // false: a violation the expectations allow (documented/known)
  std::string expectation;  // why it is allowed (empty when unexpected)
  std::string reproduce;    // the one command that reproduces it
  std::string fingerprint;
  properties::Verdict verdict;          // property, explanation, witness, subject
  std::optional<KeyTimeline> timeline;  // of verdict.subject, when there is one
  std::string shrunk_path;              // YAML file of the shrunk schedule ("" if not shrunk)
  std::string shrunk_yaml;              // its text
  size_t steps_before = 0, steps_after = 0;
  double shrink_seconds = 0;
};

// The tallies of one scenario file over its seeds (a matrix row's twin).
struct FileRow {
  std::string file;
  uint64_t runs = 0;
  std::map<std::string, sim::PropertyTally> properties;  // by property name
};

struct RunRecord {  // one run that ran
  size_t item = 0;
  std::string target;
  uint64_t seed = 0;
  std::string fingerprint;
  bool failed = false;  // some finding is unexpected
  CostValues costs{};   // what the run cost (reports/costs.h)
};

struct FailureRecord {  // one failing run: its first failure
  size_t item = 0;
  std::string property;
  std::string why;
  std::string reproduce;  // replay command with --fingerprint
};

struct ExploreReport {
  std::string command;             // how the report was produced
  std::string mutant;              // the active mutant ("" for none)
  std::vector<std::string> files;  // scenario files explored
  std::vector<std::string> cells;  // specs of the matrix cells explored
  uint64_t seeds = 0, runs = 0, failed_runs = 0;
  uint64_t shard_index = 0, shard_count = 1;
  uint64_t planned = 0;            // runs this shard planned (runs < planned: budget spent)
  uint32_t shrink = 0, demos = 0;  // how many failures and examples it was asked to shrink
  double seconds = 0;
  std::map<std::string, uint64_t> violations_by_property;  // counts
  std::optional<sim::Matrix> matrix;    // guarantee matrix, when cells were explored
  std::vector<FileRow> file_rows;       // per scenario file, in `files` order
  std::vector<RunRecord> run_records;   // in item order
  std::vector<FailureRecord> failures;  // every failing run, in item order
  std::vector<ReportCase> cases;        // shrunk failures, then demos, in item order
  SituationRuns situations;             // runs that reached each situation
  CostsByTarget costs;                  // what the runs of each file and cell cost
};

std::string report_json(const ExploreReport& r);
std::string report_markdown(const ExploreReport& r);
std::string report_html(const ExploreReport& r);

}  // namespace cdc::reports
