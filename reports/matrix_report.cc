#include "reports/matrix_report.h"

#include <fmt/core.h>

#include <nlohmann/json.hpp>

#include "properties/expectations.h"
#include "reports/matrix_summary.h"

namespace cdc::reports {

namespace {

nlohmann::json cell_json(const sim::MatrixCell& c) {
  return {{"spec", sim::cell_spec(c)},
          {"backfill", properties::to_string(c.backfill)},
          {"mode", to_string(c.mode)},
          {"strategy", to_string(c.strategy)},
          {"faults", properties::to_string(c.faults)},
          {"key", properties::to_string(c.key)},
          {"algorithm", to_string(c.algorithm)}};
}

// "holds 200/200", "violated as documented (seed 3)", "VIOLATED UNEXPECTEDLY (seed 7)", "unknown".
std::string verdict_word(const sim::PropertyTally& t, uint64_t runs) {
  switch (shade(t)) {
    case MatrixShade::kUnexpected:
      return fmt::format("**UNEXPECTED** {}/{} (seed {})", t.violated_unexpected, runs,
                         *t.first_unexpected_seed);
    case MatrixShade::kExpected:
      return fmt::format("as expected {}/{} (seed {})", t.violated_expected, runs,
                         *t.first_expected_seed);
    case MatrixShade::kLimitation:
      return fmt::format("known limitation {}/{} (seed {})", t.known_limitation, runs,
                         *t.first_expected_seed);
    case MatrixShade::kHolds:
      if (t.unknown) return fmt::format("holds {}/{}", t.holds, runs);
      return fmt::format("holds {}", runs);
    case MatrixShade::kUnknown:
      return fmt::format("unknown {}/{}", t.unknown, runs);
    case MatrixShade::kNotApplicable:
      return "n/a";
  }
  return "?";
}

}  // namespace

nlohmann::json property_tally_json(const sim::PropertyTally& t) {
  nlohmann::json p{{"holds", t.holds},
                   {"unknown", t.unknown},
                   {"violated_as_expected", t.violated_expected},
                   {"known_limitation", t.known_limitation},
                   {"violated_unexpectedly", t.violated_unexpected}};
  if (t.first_expected_seed) {
    p["expected_seed"] = *t.first_expected_seed;
    p["expectation"] = t.expected_reason;
  }
  if (t.first_unexpected_seed) {
    p["unexpected_seed"] = *t.first_unexpected_seed;
    p["explanation"] = t.unexpected_explanation;
  }
  return p;
}

std::string matrix_json(const sim::Matrix& m) {
  nlohmann::json j;
  j["schema_version"] = 1;
  j["options"] = {{"first_seed", m.options.first_seed},
                  {"seeds", m.options.seeds},
                  {"safety_ticks", m.options.safety_ticks},
                  {"liveness_ticks_max", m.options.liveness_ticks_max}};
  j["runs"] = m.runs;
  j["unexpected_violations"] = m.unexpected;
  j["properties"] = m.property_names;
  j["expectations"] = properties::describe_expectations();
  nlohmann::json rows = nlohmann::json::array();
  for (const sim::MatrixRow& r : m.rows) {
    nlohmann::json row{{"cell", cell_json(r.cell)}, {"runs", r.runs}};
    for (const auto& [name, t] : r.properties)
      row["properties"][name] = property_tally_json(t);
    rows.push_back(std::move(row));
  }
  j["cells"] = std::move(rows);
  return j.dump(2) + "\n";
}

std::string matrix_markdown(const sim::Matrix& m) {
  std::string out = "# Guarantee matrix\n\n";
  out += fmt::format(
      "{} runs: {} seeds (from {}) per cell, {} safety ticks each. {} unexpected violations.\n\n",
      m.runs, m.options.seeds, m.options.first_seed, m.options.safety_ticks, m.unexpected);
  out +=
      "Each cell is backfill type / requested mode / update strategy / fault class / key kind, "
      "and captures one table of that key kind. \"holds N\": "
      "the property held in all N runs (\"holds k/N\": held in k, the rest could not be judged); "
      "\"as expected\": violated in some runs where the expectations allow it (the first seed "
      "is given; reasons below); \"UNEXPECTED\": a violation of a property that should hold; "
      "\"unknown\": could not be judged (e.g. the run never drained); \"n/a\": not applicable. "
      "Reproduce a seed of a cell with `cdcsim replay --cell SPEC --seed S`, where SPEC "
      "is the cell's spelling in the second column.\n\n";
  out += matrix_summary_markdown(m) + "\n## Cells\n\n";
  out += "| cell | spec |";
  for (const std::string& p : m.property_names)
    out += " " + p + " |";
  out += "\n|---|---|";
  for (size_t i = 0; i < m.property_names.size(); ++i)
    out += "---|";
  out += "\n";
  for (const sim::MatrixRow& r : m.rows) {
    out += "| " + sim::cell_name(r.cell) + " | `" + sim::cell_spec(r.cell) + "` |";
    for (const std::string& p : m.property_names) {
      auto it = r.properties.find(p);
      out += " " +
             (it == r.properties.end() ? std::string("n/a") : verdict_word(it->second, r.runs)) +
             " |";
    }
    out += "\n";
  }
  out += "\n## Expectations\n\n";
  for (const std::string& e : properties::describe_expectations())
    out += "- " + e + "\n";
  return out;
}

}  // namespace cdc::reports
