// Merging the reports of `explore --shard I/N` runs into the report of the
// whole exploration, as one unsharded run of the same seeds would give it.
//
// Shard I ran the items i with i % N == I of the same plan, so: counts and
// tallies add up (the first seed of each kind is the lowest of the shards');
// run and failure records interleave by item; the shrunk failures are the
// first `shrink` failing items of all shards, and the examples the first
// violation of each allowed property, up to `demos` — every shard shrank its
// own first ones, which include all of those. Each case's timeline is
// rebuilt by running what it shows: its shrunk schedule (a scenario text)
// or its target at its seed, under the report's mutant.
#pragma once

#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "reports/failure_report.h"

namespace cdc::campaign {

struct NamedReport {
  std::string name;  // the file it was read from, for messages
  reports::ExploreReport report;
};

// An error names the report that does not fit: a different plan (files,
// cells, seeds, mutant, shrink and demo counts), a shard count that differs,
// a shard given twice or missing. A shard whose time budget ran out merges
// as it is; the merged report's runs < planned says so.
std::variant<reports::ExploreReport, std::string> merge_reports(
    const std::vector<NamedReport>& shards, const std::string& command);

}  // namespace cdc::campaign
