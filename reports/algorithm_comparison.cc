#include "reports/algorithm_comparison.h"

#include <fmt/core.h>

#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <vector>

#include "reports/html.h"
#include "sim/configurations.h"

namespace cdc::reports {

namespace {

using properties::FaultClass;

// One column of a fault class's table.
struct Column {
  CaptureAlgorithm algorithm;
  UpdateStrategy strategy;
  auto operator<=>(const Column&) const = default;
};

struct Entry {
  uint64_t runs = 0, judged = 0, documented = 0, limitation = 0, unexpected = 0;
  std::optional<std::pair<std::string, uint64_t>> example;  // cell spec, seed
};

using Table = std::map<Column, std::map<std::string, Entry>>;  // column -> property -> entry

std::set<CaptureAlgorithm> algorithms_of(const sim::Matrix& m) {
  std::set<CaptureAlgorithm> out;
  for (const sim::MatrixRow& r : m.rows)
    out.insert(r.cell.algorithm);
  return out;
}

bool shared(const sim::MatrixCell& c, const std::set<CaptureAlgorithm>& algorithms) {
  for (CaptureAlgorithm a : algorithms)
    if (!sim::algorithm_applies(a, c.mode, c.key)) return false;
  return true;
}

void add(Entry* e, const sim::MatrixRow& r, const sim::PropertyTally& t) {
  e->runs += r.runs;
  e->judged += t.holds + t.violated_expected + t.violated_unexpected;
  e->limitation += t.known_limitation;
  e->documented += t.violated_expected - t.known_limitation;
  e->unexpected += t.violated_unexpected;
  const std::optional<uint64_t> seed =
      t.first_unexpected_seed ? t.first_unexpected_seed : t.first_expected_seed;
  if (!e->example && seed) e->example = std::pair{sim::cell_spec(r.cell), *seed};
}

std::map<FaultClass, Table> tables_of(const sim::Matrix& m) {
  const std::set<CaptureAlgorithm> algorithms = algorithms_of(m);
  std::map<FaultClass, Table> out;
  for (const sim::MatrixRow& r : m.rows) {
    if (!shared(r.cell, algorithms)) continue;
    Table& t = out[r.cell.faults];
    for (const auto& [property, tally] : r.properties)
      add(&t[Column{r.cell.algorithm, r.cell.strategy}][property], r, tally);
  }
  return out;
}

std::string entry_text(const Entry& e) {
  if (e.unexpected > 0) return fmt::format("UNEXPECTED {}/{}", e.unexpected, e.runs);
  if (e.limitation > 0) return fmt::format("limitation {}/{}", e.limitation, e.runs);
  if (e.documented > 0) return fmt::format("documented {}/{}", e.documented, e.runs);
  return e.judged > 0 ? "holds" : "unknown";
}

std::string column_name(const Column& c) {
  return std::string(to_string(c.algorithm)) + " " + to_string(c.strategy);
}

std::string shrink_command(const std::string& property, const Entry& e) {
  return fmt::format("cdcsim shrink --cell {} --seed {} --property {}", e.example->first,
                     e.example->second, property);
}

std::string table_markdown(FaultClass f, const Table& t, const std::vector<std::string>& props) {
  std::string out = fmt::format("### Fault class: {}\n\n| property |", properties::to_string(f));
  std::string rule = "|---|";
  for (const auto& [column, entries] : t) {
    out += " " + column_name(column) + " |";
    rule += "---|";
  }
  out += "\n" + rule + "\n";
  std::string examples;
  for (const std::string& p : props) {
    out += "| " + p + " |";
    for (const auto& [column, entries] : t) {
      const auto it = entries.find(p);
      const Entry e = it == entries.end() ? Entry{} : it->second;
      out += " " + entry_text(e) + " |";
      if (e.example) {
        examples += fmt::format("- {} / {}: `{}`\n", column_name(column), p, shrink_command(p, e));
      }
    }
    out += "\n";
  }
  if (!examples.empty()) out += "\nCounterexamples, each shrunk by its command:\n\n" + examples;
  return out + "\n";
}

}  // namespace

std::string comparison_markdown(const sim::Matrix& m) {
  if (algorithms_of(m).size() < 2) return "";
  std::string out =
      "## Algorithms side by side\n\n"
      "Each capture algorithm on the matrix cells every algorithm offers, summed over backfill "
      "types, modes and key kinds; an entry counts the runs that violated the property. "
      "\"documented\": allowed by the algorithm's own documentation; \"limitation\": a known "
      "limitation of the modelled algorithm, whose reason in the expectations says whether its "
      "documentation admits it (reasons that start \"Finding:\" are ones no documentation "
      "admits); \"UNEXPECTED\": violated where it should hold.\n\n";
  for (const auto& [f, t] : tables_of(m))
    out += table_markdown(f, t, m.property_names);
  return out;
}

std::string comparison_html(const sim::Matrix& m) {
  if (algorithms_of(m).size() < 2) return "";
  std::string out = "<h2>Algorithms side by side</h2>";
  for (const auto& [f, t] : tables_of(m)) {
    out += "<h3>Fault class: " + html_escape(properties::to_string(f)) +
           "</h3><table class=\"comparison\"><tr><th>property</th>";
    for (const auto& [column, entries] : t)
      out += "<th>" + html_escape(column_name(column)) + "</th>";
    out += "</tr>";
    for (const std::string& p : m.property_names) {
      out += "<tr><td>" + html_escape(p) + "</td>";
      for (const auto& [column, entries] : t) {
        const auto it = entries.find(p);
        const Entry e = it == entries.end() ? Entry{} : it->second;
        const std::string title =
            e.example ? " title=\"" + html_escape(shrink_command(p, e)) + "\"" : std::string();
        out += "<td" + title + ">" + html_escape(entry_text(e)) + "</td>";
      }
      out += "</tr>";
    }
    out += "</table>";
  }
  return out;
}

}  // namespace cdc::reports
