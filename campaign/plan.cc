#include "campaign/plan.h"

#include <stdexcept>

#include "model/assert.h"

namespace cdc::campaign {

std::variant<Plan, std::string> make_plan(const std::vector<std::string>& files,
                                          const std::vector<sim::MatrixCell>& cells,
                                          uint64_t seeds) {
  Plan p;
  p.seeds = seeds;
  for (const std::string& f : files) {
    std::variant<Target, std::string> t = file_target(f, std::nullopt);
    if (const auto* err = std::get_if<std::string>(&t)) return *err;
    p.sources.push_back({f, std::nullopt});
  }
  for (const sim::MatrixCell& c : cells)
    p.sources.push_back({"", c});
  CDC_ASSERT(p.sources.size() == files.size() + cells.size(), "one source per file and cell");
  return p;
}

bool parse_shard(const std::string& text, uint64_t* index, uint64_t* count) {
  const size_t slash = text.find('/');
  if (slash == std::string::npos) return false;
  try {
    size_t used = 0;
    *index = std::stoull(text.substr(0, slash), &used);
    if (used != slash) return false;
    *count = std::stoull(text.substr(slash + 1), &used);
    if (used != text.size() - slash - 1) return false;
  } catch (const std::logic_error&) {
    return false;
  }
  return *count > 0 && *index < *count;
}

}  // namespace cdc::campaign
