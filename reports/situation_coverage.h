// Situation coverage in reports: for each situation of model/situations.h,
// how many runs of an exploration reached it, rendered as JSON, Markdown,
// HTML and plain text (what `cdcsim explore` prints). A situation no run
// reached is flagged in every format: a bug hiding there cannot be found by
// these runs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/situations.h"

namespace cdc::reports {

// Runs that reached each situation, indexed by Situation; empty when the
// report has no coverage (an older report).
using SituationRuns = std::vector<uint64_t>;

// Adds one run's situations. REQUIRES: runs is empty or has kSituations entries.
void add_situations(SituationRuns* runs, const SituationSet& reached);
// Sums `from` into `into` (either may be empty).
void add_situation_runs(SituationRuns* into, const SituationRuns& from);
// How many situations at least one run reached.
size_t situations_reached(const SituationRuns& runs);

// [{"name","group","runs"}, ...] in the order of situations().
nlohmann::json situations_json(const SituationRuns& runs);
// Reads what situations_json wrote; an error message on an unknown name.
std::string situations_from_json(const nlohmann::json& j, SituationRuns* runs);

std::string situations_markdown(const SituationRuns& runs);
std::string situations_html(const SituationRuns& runs);
// The counts by group in plain text, unreached ones marked.
std::string situations_text(const SituationRuns& runs);

}  // namespace cdc::reports
