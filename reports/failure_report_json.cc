// report_json (reports/failure_report.h).

#include <nlohmann/json.hpp>

#include "model/assert.h"
#include "properties/helpers.h"
#include "reports/failure_report.h"
#include "reports/key_timeline_json.h"
#include "reports/matrix_report.h"

namespace cdc::reports {

namespace {

using nlohmann::json;

json verdict_json(const properties::Verdict& v) {
  json j{{"property", v.property},
         {"outcome", properties::to_string(v.outcome)},
         {"explanation", v.explanation},
         {"witness", v.witness}};
  if (v.subject) {
    j["subject"] = {
        {"binding", v.subject->binding},
        {"key_text", v.subject->key_text.empty() ? properties::detail::render_key(v.subject->key)
                                                 : v.subject->key_text},
        {"key_hex", hex_bytes(v.subject->key)}};
  } else {
    j["subject"] = nullptr;
  }
  return j;
}

json case_json(const ReportCase& c) {
  json j{{"title", c.title},
         {"target", c.target},
         {"seed", c.seed},
         {"item", c.item},
         {"finding", c.finding},
         {"demo", c.demo},
         {"unexpected", c.unexpected},
         {"expectation", c.expectation},
         {"reproduce", c.reproduce},
         {"fingerprint", c.fingerprint},
         {"verdict", verdict_json(c.verdict)},
         {"timeline", c.timeline ? key_timeline_json(*c.timeline) : json()}};
  if (c.shrunk_path.empty() && c.shrunk_yaml.empty()) {
    j["shrunk"] = nullptr;
  } else {
    j["shrunk"] = {{"path", c.shrunk_path},
                   {"yaml", c.shrunk_yaml},
                   {"steps_before", c.steps_before},
                   {"steps_after", c.steps_after},
                   {"seconds", c.shrink_seconds}};
  }
  return j;
}

json tallies_json(const std::map<std::string, sim::PropertyTally>& tallies) {
  json out = json::object();
  for (const auto& [name, t] : tallies)
    out[name] = property_tally_json(t);
  return out;
}

json runs_json(const ExploreReport& r) {
  json records = json::array();
  for (const RunRecord& x : r.run_records) {
    records.push_back({{"item", x.item},
                       {"target", x.target},
                       {"seed", x.seed},
                       {"fingerprint", x.fingerprint},
                       {"failed", x.failed},
                       {"costs", cost_values_json(x.costs)}});
  }
  return records;
}

json plan_json(const ExploreReport& r) {
  json file_rows = json::array();
  for (const FileRow& f : r.file_rows)
    file_rows.push_back(
        {{"file", f.file}, {"runs", f.runs}, {"properties", tallies_json(f.properties)}});
  json failures = json::array();
  for (const FailureRecord& f : r.failures) {
    failures.push_back(
        {{"item", f.item}, {"property", f.property}, {"why", f.why}, {"reproduce", f.reproduce}});
  }
  return {{"mutant", r.mutant},
          {"cells", r.cells},
          {"shard_index", r.shard_index},
          {"shard_count", r.shard_count},
          {"planned", r.planned},
          {"shrink", r.shrink},
          {"demos", r.demos},
          {"file_rows", file_rows},
          {"failures", failures}};
}

}  // namespace

std::string report_json(const ExploreReport& r) {
  json j;
  j["schema_version"] = 2;
  j["command"] = r.command;
  j["files"] = r.files;
  j["seeds"] = r.seeds;
  j["runs"] = r.runs;
  j["failed_runs"] = r.failed_runs;
  j["seconds"] = r.seconds;
  j.update(plan_json(r));
  j["violations_by_property"] = json::object();
  for (const auto& [property, n] : r.violations_by_property)
    j["violations_by_property"][property] = n;
  j["matrix"] = r.matrix ? json::parse(matrix_json(*r.matrix)) : json();
  json cases = json::array();
  for (const ReportCase& c : r.cases)
    cases.push_back(case_json(c));
  j["cases"] = std::move(cases);
  j["run_records"] = runs_json(r);
  j["situations"] = situations_json(r.situations);
  j["cost_metrics"] = cost_metric_names_json();
  j["costs"] = costs_json(r.costs);
  CDC_ASSERT(j["cases"].size() == r.cases.size(), "one JSON case per report case");
  return j.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace cdc::reports
