// What a campaign runs: sources (scenario files, then matrix cells) times
// seeds 1..N, as work items in seed-major order — item i is seed
// i / sources + 1 of source i % sources — so that a short budget still
// covers every source, and a shard I/N takes the items with i % N == I.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "campaign/target.h"

namespace cdc::campaign {

struct Plan {
  std::vector<Source> sources;  // files first, then cells
  uint64_t seeds = 0;

  size_t items() const { return sources.size() * seeds; }
  const Source& source_of(size_t item) const { return sources[item % sources.size()]; }
  uint64_t seed_of(size_t item) const { return item / sources.size() + 1; }
  Target target(size_t item) const { return target_of(source_of(item), seed_of(item)); }
};

// The plan of `files` and `cells` over `seeds` seeds; an error
// ("file:line:column: message") when a file does not load.
std::variant<Plan, std::string> make_plan(const std::vector<std::string>& files,
                                          const std::vector<sim::MatrixCell>& cells,
                                          uint64_t seeds);

// "I/N" with 0 <= I < N; false when malformed.
bool parse_shard(const std::string& text, uint64_t* index, uint64_t* count);

}  // namespace cdc::campaign
