#include "reports/costs.h"

#include <fmt/core.h>

#include <algorithm>

#include "model/assert.h"
#include "reports/html.h"

namespace cdc::reports {

const std::array<CostMetric, kCostMetrics>& cost_metrics() {
  using C = history::Costs;
  static const std::array<CostMetric, kCostMetrics> kMetrics = {{
      {"chunks", "chunks", &C::chunks},
      {"rows_read", "rows read", &C::rows_read},
      {"snapshot_docs", "snapshot docs", &C::snapshot_docs},
      {"change_docs", "change docs", &C::change_docs},
      {"dest_rows_written", "dest rows written", &C::dest_rows_written},
      {"dest_rows_deleted", "dest rows deleted", &C::dest_rows_deleted},
      {"dest_rows_dropped", "dest rows dropped", &C::dest_rows_dropped},
      {"downtimes", "downtimes", &C::downtime_count},
      {"downtime_ticks", "downtime ticks", &C::downtime_ticks},
      {"downtime_ticks_max", "longest downtime", &C::downtime_ticks_max},
      {"downtimes_unended", "unended downtimes", &C::downtimes_unended},
      {"delta_duplicates", "delta duplicates", &C::delta_duplicates},
      {"backfills", "backfills", &C::backfills},
      {"backfills_unfinished", "unfinished backfills", &C::backfills_unfinished},
      {"backfill_ticks", "backfill ticks", &C::backfill_ticks},
      {"backfill_ticks_max", "longest backfill", &C::backfill_ticks_max},
  }};
  return kMetrics;
}

CostValues cost_values(const history::Costs& c) {
  CostValues v{};
  for (size_t i = 0; i < kCostMetrics; ++i)
    v[i] = c.*cost_metrics()[i].field;
  return v;
}

void add_costs(CostTotals* t, const CostValues& run) {
  ++t->runs;
  for (size_t i = 0; i < kCostMetrics; ++i) {
    t->sum[i] += run[i];
    t->max[i] = std::max(t->max[i], run[i]);
  }
}

void merge_costs(CostsByTarget* into, const CostsByTarget& from) {
  for (const auto& [target, t] : from) {
    CostTotals& sum = (*into)[target];
    sum.runs += t.runs;
    for (size_t i = 0; i < kCostMetrics; ++i) {
      sum.sum[i] += t.sum[i];
      sum.max[i] = std::max(sum.max[i], t.max[i]);
    }
  }
}

nlohmann::json cost_values_json(const CostValues& v) {
  return nlohmann::json(std::vector<uint64_t>(v.begin(), v.end()));
}

size_t cost_metric_index(const std::string& name) {
  for (size_t i = 0; i < kCostMetrics; ++i) {
    if (name == cost_metrics()[i].name) return i;
  }
  return kCostMetrics;
}

std::string cost_values_from_json(const nlohmann::json& j, const std::vector<std::string>& names,
                                  CostValues* v) {
  *v = CostValues{};
  if (!j.is_array() || j.size() != names.size()) return "a run's costs do not match cost_metrics";
  for (size_t n = 0; n < names.size(); ++n) {
    const size_t i = cost_metric_index(names[n]);
    if (i == kCostMetrics) return "unknown cost metric \"" + names[n] + "\"";
    (*v)[i] = j[n].get<uint64_t>();
  }
  return "";
}

nlohmann::json cost_metric_names_json() {
  nlohmann::json names = nlohmann::json::array();
  for (const CostMetric& m : cost_metrics())
    names.push_back(m.name);
  return names;
}

nlohmann::json costs_json(const CostsByTarget& c) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [target, t] : c) {
    nlohmann::json sum = nlohmann::json::object(), max = nlohmann::json::object();
    for (size_t i = 0; i < kCostMetrics; ++i) {
      sum[cost_metrics()[i].name] = t.sum[i];
      max[cost_metrics()[i].name] = t.max[i];
    }
    out.push_back({{"target", target}, {"runs", t.runs}, {"sum", sum}, {"max", max}});
  }
  return out;
}

std::string costs_from_json(const nlohmann::json& j, CostsByTarget* c) {
  c->clear();
  if (!j.is_array()) return "costs is not an array";
  for (const nlohmann::json& e : j) {
    CostTotals& t = (*c)[e.at("target").get<std::string>()];
    t.runs = e.at("runs").get<uint64_t>();
    for (const auto& [name, value] : e.at("sum").items()) {
      const size_t i = cost_metric_index(name);
      if (i == kCostMetrics) return "unknown cost metric \"" + name + "\"";
      t.sum[i] = value.get<uint64_t>();
      t.max[i] = e.at("max").at(name).get<uint64_t>();
    }
  }
  return "";
}

namespace {

// The metrics the tables show, by name.
constexpr std::array<const char*, 9> kShown = {
    "rows_read",         "snapshot_docs",     "change_docs",
    "dest_rows_written", "dest_rows_deleted", "downtime_ticks",
    "downtimes_unended", "delta_duplicates",  "backfill_ticks_max"};

std::string mean_max(const CostTotals& t, size_t i) {
  const double mean = t.runs ? static_cast<double>(t.sum[i]) / static_cast<double>(t.runs) : 0.0;
  return fmt::format("{:.1f} / {}", mean, t.max[i]);
}

const char* intro() {
  return "Mean / max per run. Rows read by backfill chunks; documents committed to "
         "collections; destination rows written and deleted; downtime: ticks a destination "
         "table was missing rows after a truncate or drop (summed over tables; unended: still "
         "missing when the run ended); delta duplicates; the longest capture backfill from "
         "request to completion.";
}

}  // namespace

std::string costs_markdown(const CostsByTarget& c) {
  if (c.empty()) return "";
  std::string out = std::string("## Costs\n\n") + intro() + "\n\n| target | runs |";
  std::string rule = "|---|---|";
  for (const char* name : kShown) {
    out += fmt::format(" {} |", cost_metrics()[cost_metric_index(name)].title);
    rule += "---|";
  }
  out += "\n" + rule + "\n";
  for (const auto& [target, t] : c) {
    out += fmt::format("| `{}` | {} |", target, t.runs);
    for (const char* name : kShown)
      out += " " + mean_max(t, cost_metric_index(name)) + " |";
    out += "\n";
  }
  return out + "\n";
}

std::string costs_html(const CostsByTarget& c) {
  if (c.empty()) return "";
  std::string out = std::string("<h2>Costs</h2><p>") + html_escape(intro()) +
                    "</p><table class=\"plain\"><tr><th>target</th><th>runs</th>";
  for (const char* name : kShown)
    out += "<th>" + html_escape(cost_metrics()[cost_metric_index(name)].title) + "</th>";
  out += "</tr>";
  for (const auto& [target, t] : c) {
    out += fmt::format("<tr><td><code>{}</code></td><td>{}</td>", html_escape(target), t.runs);
    for (const char* name : kShown)
      out += "<td>" + mean_max(t, cost_metric_index(name)) + "</td>";
    out += "</tr>";
  }
  return out + "</table>";
}

std::string costs_text(const history::Costs& c) {
  std::string out = fmt::format(
      "costs: {} rows read in {} chunks; collections: {} snapshot + {} change documents; "
      "destinations: {} rows written, {} deleted, {} dropped; delta duplicates: {}\n",
      c.rows_read, c.chunks, c.snapshot_docs, c.change_docs, c.dest_rows_written,
      c.dest_rows_deleted, c.dest_rows_dropped, c.delta_duplicates);
  out += fmt::format(
      "  backfills: {} ({} unfinished), {} ticks from request to completion (longest {})\n",
      c.backfills, c.backfills_unfinished, c.backfill_ticks, c.backfill_ticks_max);
  out += fmt::format("  downtime: {} ticks over {} truncated tables (longest {}){}\n",
                     c.downtime_ticks, c.downtimes.size(), c.downtime_ticks_max,
                     c.downtimes_unended
                         ? fmt::format(", {} UNENDED at the end of the run", c.downtimes_unended)
                         : "");
  for (const history::Downtime& d : c.downtimes) {
    out += fmt::format("    materialization {}: ticks {}-{} ({} ticks, {} rows dropped){}\n",
                       d.materialization, d.start_tick, d.end_tick, d.ticks(), d.rows_dropped,
                       d.ended ? "" : " still missing rows at the end");
  }
  CDC_ASSERT(c.downtime_count == c.downtimes.size(), "the count of downtimes is their number");
  return out;
}

}  // namespace cdc::reports
