// What runs cost, in reports: the scalar measures of history::Costs as a
// fixed list of metrics, one run's values, their totals over the runs of a
// target (a scenario file or a matrix cell), and their renderings as JSON,
// Markdown, HTML and plain text (`cdcsim run` prints the text).
//
// Totals keep, per metric, the sum and the maximum over runs, so that the
// totals of shards add up to the totals of the whole (merge sums sums and
// takes the larger maximum); a mean is the sum over the runs.
//
// Contract: pure functions; targets render in name order; the same values
// give the same bytes.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "properties/history.h"

namespace cdc::reports {

struct CostMetric {
  const char* name;   // JSON name, e.g. "rows_read"
  const char* title;  // column title, e.g. "rows read"
  uint64_t history::Costs::*field;
};

inline constexpr size_t kCostMetrics = 16;
const std::array<CostMetric, kCostMetrics>& cost_metrics();

// The index of the metric named `name` in cost_metrics(), or kCostMetrics.
size_t cost_metric_index(const std::string& name);

// One run's values, in the order of cost_metrics().
using CostValues = std::array<uint64_t, kCostMetrics>;
CostValues cost_values(const history::Costs& c);

struct CostTotals {
  uint64_t runs = 0;
  CostValues sum{}, max{};
};
using CostsByTarget = std::map<std::string, CostTotals>;  // by target name

void add_costs(CostTotals* t, const CostValues& run);
// Adds the totals of other runs of the same targets.
void merge_costs(CostsByTarget* into, const CostsByTarget& from);

// A run's values as a JSON array in metric order; read back by name order
// given in `names` (the report's "cost_metrics"). An error message when a
// name is unknown or the sizes differ.
nlohmann::json cost_values_json(const CostValues& v);
std::string cost_values_from_json(const nlohmann::json& j, const std::vector<std::string>& names,
                                  CostValues* v);
nlohmann::json cost_metric_names_json();

// [{"target","runs","sum":{...},"max":{...}}, ...] in target order.
nlohmann::json costs_json(const CostsByTarget& c);
std::string costs_from_json(const nlohmann::json& j, CostsByTarget* c);

// Mean (max) per target of the main metrics; empty when there are none.
std::string costs_markdown(const CostsByTarget& c);
std::string costs_html(const CostsByTarget& c);
// One run's costs in a few lines, downtimes listed.
std::string costs_text(const history::Costs& c);

}  // namespace cdc::reports
