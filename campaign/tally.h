// Tallies of judged runs per property (a matrix row, or a scenario file's
// row): how many runs held, could not be judged, were violated as the
// expectations allow, or failed; the first (lowest) seed of each kind with
// its reason. Runs are added in seed order, so "first" is the lowest seed;
// merging shards keeps the lowest seed of each side.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "campaign/judge.h"
#include "sim/matrix.h"

namespace cdc::campaign {

using Tallies = std::map<std::string, sim::PropertyTally>;  // by property name

// Adds one judged run at `seed`; returns how many of its verdicts are
// unexpected (a violation where the property should hold, or an unmet
// expectation of a file).
uint64_t add_run(Tallies* t, uint64_t seed, const Judgement& j);

// Adds `from` (the tallies of other seeds of the same row) into `into`.
void merge_tallies(Tallies* into, const Tallies& from);

}  // namespace cdc::campaign
