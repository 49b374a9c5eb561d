// read_report (campaign/report_files.h): explore.json back into a report.
#include <fmt/core.h>

#include <nlohmann/json.hpp>

#include "campaign/report_files.h"

namespace cdc::campaign {

namespace {

using nlohmann::json;

std::string unhex(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  return out;
}

sim::PropertyTally tally_of(const json& p) {
  sim::PropertyTally t;
  t.holds = p.at("holds").get<uint64_t>();
  t.unknown = p.at("unknown").get<uint64_t>();
  t.violated_expected = p.at("violated_as_expected").get<uint64_t>();
  t.known_limitation = p.value("known_limitation", uint64_t{0});
  t.violated_unexpected = p.at("violated_unexpectedly").get<uint64_t>();
  if (p.contains("expected_seed")) {
    t.first_expected_seed = p.at("expected_seed").get<uint64_t>();
    t.expected_reason = p.at("expectation").get<std::string>();
  }
  if (p.contains("unexpected_seed")) {
    t.first_unexpected_seed = p.at("unexpected_seed").get<uint64_t>();
    t.unexpected_explanation = p.at("explanation").get<std::string>();
  }
  return t;
}

std::map<std::string, sim::PropertyTally> tallies_of(const json& j) {
  std::map<std::string, sim::PropertyTally> out;
  for (const auto& [name, p] : j.items())
    out[name] = tally_of(p);
  return out;
}

sim::Matrix matrix_of(const json& j) {
  sim::Matrix m;
  m.options.seeds = j.at("options").at("seeds").get<uint64_t>();
  m.options.first_seed = j.at("options").at("first_seed").get<uint64_t>();
  m.options.safety_ticks = j.at("options").at("safety_ticks").get<uint64_t>();
  m.options.liveness_ticks_max = j.at("options").at("liveness_ticks_max").get<uint64_t>();
  m.runs = j.at("runs").get<uint64_t>();
  m.unexpected = j.at("unexpected_violations").get<uint64_t>();
  m.property_names = j.at("properties").get<std::vector<std::string>>();
  for (const json& c : j.at("cells")) {
    const std::string spec = c.at("cell").at("spec").get<std::string>();
    const std::optional<sim::MatrixCell> cell = sim::parse_cell_spec(spec);
    if (!cell) throw std::runtime_error("unknown matrix cell " + spec);
    sim::MatrixRow& row = m.rows.emplace_back();
    row.cell = *cell;
    row.runs = c.at("runs").get<uint64_t>();
    if (c.contains("properties")) row.properties = tallies_of(c.at("properties"));
  }
  return m;
}

properties::Verdict verdict_of(const json& j) {
  properties::Verdict v;
  v.property = j.at("property").get<std::string>();
  const std::string outcome = j.at("outcome").get<std::string>();
  v.outcome = outcome == "violated"  ? properties::Verdict::Outcome::kViolated
              : outcome == "unknown" ? properties::Verdict::Outcome::kUnknown
                                     : properties::Verdict::Outcome::kHolds;
  v.explanation = j.at("explanation").get<std::string>();
  v.witness = j.at("witness").get<std::vector<std::string>>();
  if (!j.at("subject").is_null()) {
    v.subject =
        properties::Verdict::Subject{j.at("subject").at("binding").get<uint32_t>(),
                                     unhex(j.at("subject").at("key_hex").get<std::string>()),
                                     j.at("subject").value("key_text", std::string())};
  }
  return v;
}

reports::ReportCase case_of(const json& j) {
  reports::ReportCase c;
  c.title = j.at("title").get<std::string>();
  c.target = j.at("target").get<std::string>();
  c.seed = j.at("seed").get<uint64_t>();
  c.item = j.at("item").get<size_t>();
  c.finding = j.at("finding").get<size_t>();
  c.demo = j.at("demo").get<bool>();
  c.unexpected = j.at("unexpected").get<bool>();
  c.expectation = j.at("expectation").get<std::string>();
  c.reproduce = j.at("reproduce").get<std::string>();
  c.fingerprint = j.at("fingerprint").get<std::string>();
  c.verdict = verdict_of(j.at("verdict"));
  if (const json& s = j.at("shrunk"); !s.is_null()) {
    c.shrunk_path = s.at("path").get<std::string>();
    c.shrunk_yaml = s.at("yaml").get<std::string>();
    c.steps_before = s.at("steps_before").get<size_t>();
    c.steps_after = s.at("steps_after").get<size_t>();
    c.shrink_seconds = s.at("seconds").get<double>();
  }
  return c;
}

void read_plan(const json& j, reports::ExploreReport* r) {
  r->command = j.at("command").get<std::string>();
  r->mutant = j.at("mutant").get<std::string>();
  r->files = j.at("files").get<std::vector<std::string>>();
  r->cells = j.at("cells").get<std::vector<std::string>>();
  r->seeds = j.at("seeds").get<uint64_t>();
  r->runs = j.at("runs").get<uint64_t>();
  r->failed_runs = j.at("failed_runs").get<uint64_t>();
  r->seconds = j.at("seconds").get<double>();
  r->shard_index = j.at("shard_index").get<uint64_t>();
  r->shard_count = j.at("shard_count").get<uint64_t>();
  r->planned = j.at("planned").get<uint64_t>();
  r->shrink = j.at("shrink").get<uint32_t>();
  r->demos = j.at("demos").get<uint32_t>();
  r->violations_by_property = j.at("violations_by_property").get<std::map<std::string, uint64_t>>();
}

// Each run's costs and the totals per target (reports without them: none).
std::string read_costs(const json& j, reports::ExploreReport* r) {
  if (!j.contains("cost_metrics")) return "";
  const auto names = j.at("cost_metrics").get<std::vector<std::string>>();
  const json& records = j.at("run_records");
  for (size_t i = 0; i < r->run_records.size(); ++i) {
    std::string err = reports::cost_values_from_json(records[i].at("costs"), names,
                                                     &r->run_records[i].costs);
    if (!err.empty()) return err;
  }
  return reports::costs_from_json(j.at("costs"), &r->costs);
}

void read_records(const json& j, reports::ExploreReport* r) {
  for (const json& f : j.at("file_rows")) {
    r->file_rows.push_back({f.at("file").get<std::string>(), f.at("runs").get<uint64_t>(),
                            tallies_of(f.at("properties"))});
  }
  for (const json& f : j.at("failures")) {
    r->failures.push_back({f.at("item").get<size_t>(), f.at("property").get<std::string>(),
                           f.at("why").get<std::string>(), f.at("reproduce").get<std::string>()});
  }
  for (const json& x : j.at("run_records")) {
    r->run_records.push_back({x.at("item").get<size_t>(), x.at("target").get<std::string>(),
                              x.at("seed").get<uint64_t>(), x.at("fingerprint").get<std::string>(),
                              x.at("failed").get<bool>(), {}});
  }
  for (const json& c : j.at("cases"))
    r->cases.push_back(case_of(c));
  if (!j.at("matrix").is_null()) r->matrix = matrix_of(j.at("matrix"));
}

}  // namespace

std::variant<reports::ExploreReport, std::string> read_report(const std::string& text,
                                                              const std::string& name) {
  try {
    const json j = json::parse(text);
    if (!j.is_object() || j.value("schema_version", 0) != 2) {
      return name + ": not an explore report of schema version 2 (written by cdcsim explore)";
    }
    reports::ExploreReport r;
    read_plan(j, &r);
    read_records(j, &r);
    if (j.contains("situations")) {
      const std::string err = reports::situations_from_json(j.at("situations"), &r.situations);
      if (!err.empty()) return name + ": malformed explore report: " + err;
    }
    if (const std::string err = read_costs(j, &r); !err.empty()) {
      return name + ": malformed explore report: " + err;
    }
    if (r.run_records.size() != r.runs || r.failures.size() != r.failed_runs) {
      return name + ": malformed explore report: the run and failure records do not add up";
    }
    return r;
  } catch (const std::exception& e) {
    return fmt::format("{}: malformed explore report: {}", name, e.what());
  }
}

}  // namespace cdc::campaign
