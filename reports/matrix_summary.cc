#include "reports/matrix_summary.h"

#include <fmt/core.h>

#include <map>
#include <tuple>

#include "model/assert.h"
#include "reports/html.h"
#include "sim/configurations.h"

namespace cdc::reports {

const char* to_string(MatrixShade s) {
  switch (s) {
    case MatrixShade::kHolds:
      return "holds";
    case MatrixShade::kExpected:
      return "expected";
    case MatrixShade::kLimitation:
      return "limitation";
    case MatrixShade::kUnexpected:
      return "unexpected";
    case MatrixShade::kUnknown:
      return "unknown";
    case MatrixShade::kNotApplicable:
      return "n/a";
  }
  return "?";
}

MatrixShade shade(const sim::PropertyTally& t) {
  if (t.violated_unexpected > 0) return MatrixShade::kUnexpected;
  if (t.violated_expected > t.known_limitation) return MatrixShade::kExpected;
  if (t.known_limitation > 0) return MatrixShade::kLimitation;
  if (t.holds > 0) return MatrixShade::kHolds;
  if (t.unknown > 0) return MatrixShade::kUnknown;
  return MatrixShade::kNotApplicable;
}

const char* to_string(CellVerdict v) {
  switch (v) {
    case CellVerdict::kHolds:
      return "holds";
    case CellVerdict::kDocumented:
      return "documented";
    case CellVerdict::kLimitation:
      return "limitation";
    case CellVerdict::kUnexpected:
      return "unexpected";
    case CellVerdict::kUnknown:
      return "unknown";
  }
  return "?";
}

CellSummary summarize(const sim::MatrixRow& r) {
  CellSummary s;
  bool judged = false;
  for (const auto& [property, t] : r.properties) {
    CDC_ASSERT(t.known_limitation <= t.violated_expected, "limitations are allowed violations");
    judged = judged || t.holds > 0 || t.violated_expected > 0 || t.violated_unexpected > 0;
    switch (shade(t)) {
      case MatrixShade::kUnexpected:
        s.unexpected.push_back(property);
        break;
      case MatrixShade::kExpected:
        s.documented.push_back(property);
        break;
      case MatrixShade::kLimitation:
        s.limitations.push_back(property);
        break;
      case MatrixShade::kHolds:
      case MatrixShade::kUnknown:
      case MatrixShade::kNotApplicable:
        break;
    }
  }
  if (!s.unexpected.empty()) {
    s.verdict = CellVerdict::kUnexpected;
  } else if (!s.documented.empty()) {
    s.verdict = CellVerdict::kDocumented;
  } else if (!s.limitations.empty()) {
    s.verdict = CellVerdict::kLimitation;
  } else {
    s.verdict = judged ? CellVerdict::kHolds : CellVerdict::kUnknown;
  }
  return s;
}

CellCounts count_cells(const sim::Matrix& m) {
  CellCounts c;
  for (const sim::MatrixRow& r : m.rows) {
    switch (summarize(r).verdict) {
      case CellVerdict::kHolds:
        ++c.holds;
        break;
      case CellVerdict::kDocumented:
        ++c.documented;
        break;
      case CellVerdict::kLimitation:
        ++c.limitation;
        break;
      case CellVerdict::kUnexpected:
        ++c.unexpected;
        break;
      case CellVerdict::kUnknown:
        ++c.unknown;
        break;
    }
  }
  return c;
}

namespace {

using properties::BackfillType;
using properties::FaultClass;
using properties::KeyKind;

// Where a cell sits in the pivot.
using RowKey = std::tuple<CaptureAlgorithm, BackfillType, BackfillMode>;
using ColumnKey = std::tuple<FaultClass, UpdateStrategy>;
using PivotKey = std::tuple<KeyKind, RowKey, ColumnKey>;

std::map<PivotKey, const sim::MatrixRow*> pivot(const sim::Matrix& m) {
  std::map<PivotKey, const sim::MatrixRow*> out;
  for (const sim::MatrixRow& r : m.rows) {
    const sim::MatrixCell& c = r.cell;
    out[{c.key, {c.algorithm, c.backfill, c.mode}, {c.faults, c.strategy}}] = &r;
  }
  return out;
}

const char* symbol(CellVerdict v) {
  switch (v) {
    case CellVerdict::kHolds:
      return "\u2713";
    case CellVerdict::kDocumented:
      return "D";
    case CellVerdict::kLimitation:
      return "L";
    case CellVerdict::kUnexpected:
      return "\u2717";
    case CellVerdict::kUnknown:
      return "?";
  }
  return "?";
}

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v)
    out += (out.empty() ? "" : ", ") + s;
  return out;
}

// The properties behind a verdict, for a tooltip or a footnote.
std::string why(const CellSummary& s) {
  std::string out;
  if (!s.unexpected.empty()) out += "unexpected: " + joined(s.unexpected) + "\n";
  if (!s.documented.empty()) out += "documented: " + joined(s.documented) + "\n";
  if (!s.limitations.empty()) out += "known limitation: " + joined(s.limitations) + "\n";
  return out;
}

const char* kLegend =
    "\u2713 every property holds (or cannot be judged) in every run; D some property is "
    "violated as the documentation warns; L violations only through known limitations; "
    "\u2717 a property expected to hold is violated; ? nothing could be judged.";

std::string counts_line(const sim::Matrix& m) {
  const CellCounts c = count_cells(m);
  return fmt::format(
      "{} cells: {} hold, {} violated as documented, {} known limitation only, {} unexpected, "
      "{} unknown.",
      m.rows.size(), c.holds, c.documented, c.limitation, c.unexpected, c.unknown);
}

// The pivot's rows for key kind k that hold a cell, in matrix order: Estuary's
// backfill / mode rows, then each other algorithm's ("… / debezium").
std::vector<std::pair<RowKey, std::string>> pivot_rows(
    const std::map<PivotKey, const sim::MatrixRow*>& p, KeyKind k) {
  std::vector<std::pair<RowKey, std::string>> out;
  for (const auto& [aname, a] : sim::algorithm_names()) {
    for (const auto& [bname, b] : sim::backfill_type_names()) {
      for (const auto& [mname, mode] : sim::mode_names()) {
        const RowKey row{a, b, mode};
        bool any = false;
        for (auto it = p.lower_bound({k, row, {}}); it != p.end(); ++it) {
          if (std::get<0>(it->first) != k || std::get<1>(it->first) != row) break;
          any = true;
        }
        if (!any) continue;
        const std::string suffix = a == CaptureAlgorithm::kEstuary ? "" : " / " + aname;
        out.emplace_back(row, bname + " / " + mname + suffix);
      }
    }
  }
  return out;
}

std::string markdown_pivot(const std::map<PivotKey, const sim::MatrixRow*>& p, KeyKind k) {
  std::string out = "| backfill / mode |";
  std::string rule = "|---|";
  for (const auto& [fname, f] : sim::fault_class_names()) {
    for (const auto& [sname, s] : sim::strategy_names()) {
      out += " " + fname + " " + sname + " |";
      rule += ":-:|";
    }
  }
  out += "\n" + rule + "\n";
  for (const auto& [row, label] : pivot_rows(p, k)) {
    out += "| " + label + " |";
    for (const auto& [fname, f] : sim::fault_class_names()) {
      for (const auto& [sname, s] : sim::strategy_names()) {
        const auto it = p.find({k, row, {f, s}});
        out +=
            std::string(" ") + (it == p.end() ? "" : symbol(summarize(*it->second).verdict)) + " |";
      }
    }
    out += "\n";
  }
  return out;
}

}  // namespace

std::string matrix_summary_markdown(const sim::Matrix& m) {
  std::string out = "## Summary\n\n" + counts_line(m) + "\n\n" + kLegend + "\n";
  const auto p = pivot(m);
  for (const auto& [kname, k] : sim::key_kind_names()) {
    out += fmt::format("\n### {} (`{}`)\n\n", properties::to_string(k), kname);
    out += markdown_pivot(p, k);
  }
  return out;
}

namespace {

const char* verdict_class(CellVerdict v) {
  switch (v) {
    case CellVerdict::kHolds:
      return "m-holds";
    case CellVerdict::kDocumented:
      return "m-expected";
    case CellVerdict::kLimitation:
      return "m-limitation";
    case CellVerdict::kUnexpected:
      return "m-unexpected";
    case CellVerdict::kUnknown:
      return "m-unknown";
  }
  return "m-na";
}

std::string html_head() {
  std::string top = "<thead><tr><th rowspan=\"3\">backfill</th><th rowspan=\"3\">mode</th>";
  std::string mid = "<tr>";
  std::string low = "<tr>";
  const size_t per_key = sim::fault_class_names().size() * sim::strategy_names().size();
  for (const auto& [kname, k] : sim::key_kind_names()) {
    top += fmt::format("<th class=\"group\" colspan=\"{}\">{}</th>", per_key,
                       html_escape(properties::to_string(k)));
    for (const auto& [fname, f] : sim::fault_class_names()) {
      mid += fmt::format("<th class=\"group\" colspan=\"{}\">{}</th>", sim::strategy_names().size(),
                         html_escape(fname));
      for (const auto& [sname, s] : sim::strategy_names())
        low += "<th class=\"sub\">" + html_escape(sname.substr(0, 1)) + "</th>";
    }
  }
  return top + "</tr>" + mid + "</tr>" + low + "</tr></thead>";
}

std::string html_entry(const sim::MatrixRow* r) {
  if (r == nullptr) return "<td class=\"m-na\"></td>";
  const CellSummary s = summarize(*r);
  const std::string title =
      fmt::format("{}\n{} runs\n{}", sim::cell_spec(r->cell), r->runs, why(s));
  return fmt::format("<td class=\"{}\" title=\"{}\">{}</td>", verdict_class(s.verdict),
                     html_escape(title), symbol(s.verdict));
}

}  // namespace

std::string matrix_summary_html(const sim::Matrix& m) {
  const auto p = pivot(m);
  std::string out = "<p class=\"legend\">" + html_escape(counts_line(m)) + " " +
                    html_escape(kLegend) +
                    " Columns: key kind, fault class, strategy (m merge, d delta); hover an "
                    "entry for its violated properties.</p>";
  out += "<div class=\"scroll\"><table class=\"matrix pivot\">" + html_head() + "<tbody>";
  for (const auto& [aname, a] : sim::algorithm_names()) {
    for (const auto& [bname, b] : sim::backfill_type_names()) {
      for (const auto& [mname, mode] : sim::mode_names()) {
        const RowKey row{a, b, mode};
        std::string entries;
        bool any = false;
        for (const auto& [kname, k] : sim::key_kind_names()) {
          for (const auto& [fname, f] : sim::fault_class_names()) {
            for (const auto& [sname, s] : sim::strategy_names()) {
              const auto it = p.find({k, row, {f, s}});
              any = any || it != p.end();
              entries += html_entry(it == p.end() ? nullptr : it->second);
            }
          }
        }
        if (!any) continue;
        const std::string suffix = a == CaptureAlgorithm::kEstuary ? "" : " (" + aname + ")";
        out += "<tr><th>" + html_escape(bname) + "</th><th>" + html_escape(mname + suffix) +
               "</th>" + entries + "</tr>";
      }
    }
  }
  return out + "</tbody></table></div>";
}

}  // namespace cdc::reports
