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
#include "reports/key_timeline.h"
#include "sim/matrix.h"

namespace cdc::reports {

struct ReportCase {         // one failing (or demonstrating) run
  std::string title;        // e.g. "slot-failure-recovery-loses-deletes.yaml seed 3"
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

struct ExploreReport {
  std::string command;             // how the report was produced
  std::vector<std::string> files;  // scenario files explored
  uint64_t seeds = 0, runs = 0, failed_runs = 0;
  double seconds = 0;
  std::map<std::string, uint64_t> violations_by_property;  // counts
  std::optional<sim::Matrix> matrix;  // guarantee matrix, when cells were explored
  std::vector<ReportCase> cases;
};

std::string report_json(const ExploreReport& r);
std::string report_markdown(const ExploreReport& r);
std::string report_html(const ExploreReport& r);

}  // namespace cdc::reports
