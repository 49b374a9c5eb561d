#include "reports/matrix_html.h"

#include <fmt/core.h>

#include "model/assert.h"
#include "properties/expectations.h"
#include "reports/html.h"
#include "reports/matrix_summary.h"
#include "sim/configurations.h"

namespace cdc::reports {

namespace {

const char* css_class(MatrixShade s) {
  switch (s) {
    case MatrixShade::kHolds:
      return "m-holds";
    case MatrixShade::kExpected:
      return "m-expected";
    case MatrixShade::kLimitation:
      return "m-limitation";
    case MatrixShade::kUnexpected:
      return "m-unexpected";
    case MatrixShade::kUnknown:
      return "m-unknown";
    case MatrixShade::kNotApplicable:
      return "m-na";
  }
  return "m-na";
}

// The text shown in a table cell: a mark and, for violations, the count.
std::string mark(const sim::PropertyTally& t, uint64_t runs) {
  switch (shade(t)) {
    case MatrixShade::kUnexpected:
      return fmt::format("\u2717{}", t.violated_unexpected);
    case MatrixShade::kExpected:
      return fmt::format("~{}", t.violated_expected);
    case MatrixShade::kLimitation:
      return fmt::format("L{}", t.known_limitation);
    case MatrixShade::kHolds:
      return t.holds == runs ? "\u2713" : fmt::format("\u2713{}", t.holds);
    case MatrixShade::kUnknown:
      return "?";
    case MatrixShade::kNotApplicable:
      return "";
  }
  return "";
}

std::string tooltip(const sim::MatrixRow& r, const std::string& property,
                    const sim::PropertyTally& t) {
  std::string s = fmt::format(
      "{} \u00b7 {}\n{} runs: {} hold, {} unknown, {} violated as allowed ({} as known "
      "limitations), {} violated unexpectedly",
      sim::cell_name(r.cell), property, r.runs, t.holds, t.unknown, t.violated_expected,
      t.known_limitation, t.violated_unexpected);
  if (t.first_unexpected_seed) {
    s += fmt::format("\nfirst unexpected: seed {}: {}", *t.first_unexpected_seed,
                     t.unexpected_explanation);
  }
  if (t.first_expected_seed) {
    s += fmt::format("\nfirst allowed: seed {}: {}", *t.first_expected_seed, t.expected_reason);
  }
  return s;
}

std::string header(const sim::Matrix& m) {
  std::string out =
      "<thead><tr><th>backfill</th><th>mode</th><th>strategy</th><th>faults</th><th>key</th>";
  for (const std::string& p : m.property_names)
    out += "<th class=\"prop\"><span>" + html_escape(p) + "</span></th>";
  return out + "</tr></thead>";
}

std::string row_html(const sim::Matrix& m, const sim::MatrixRow& r) {
  std::string out = fmt::format(
      "<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th>",
      html_escape(properties::to_string(r.cell.backfill)),
      html_escape(std::string(to_string(r.cell.mode)) +
                  (r.cell.algorithm == CaptureAlgorithm::kEstuary
                       ? ""
                       : std::string(" (") + to_string(r.cell.algorithm) + ")")),
      html_escape(to_string(r.cell.strategy)), html_escape(properties::to_string(r.cell.faults)),
      html_escape(properties::to_string(r.cell.key)));
  for (const std::string& p : m.property_names) {
    const auto it = r.properties.find(p);
    const sim::PropertyTally t = it == r.properties.end() ? sim::PropertyTally{} : it->second;
    out += fmt::format("<td class=\"{}\" title=\"{}\">{}</td>", css_class(shade(t)),
                       html_escape(tooltip(r, p, t)), html_escape(mark(t, r.runs)));
  }
  return out + "</tr>";
}

// One collapsed section per key kind holding its cells' full rows.
std::string detail_tables(const sim::Matrix& m) {
  std::string out;
  for (const auto& [kname, k] : sim::key_kind_names()) {
    std::string rows;
    size_t n = 0;
    for (const sim::MatrixRow& r : m.rows) {
      if (r.cell.key != k) continue;
      rows += row_html(m, r);
      ++n;
    }
    if (n == 0) continue;
    out += fmt::format(
        "<details class=\"matrix-group\"><summary>{}: {} cells, one row per cell and a column "
        "per property</summary><div class=\"scroll\"><table class=\"matrix\">{}<tbody>{}"
        "</tbody></table></div></details>",
        html_escape(properties::to_string(k)), n, header(m), rows);
  }
  return out;
}

}  // namespace

std::string matrix_html(const sim::Matrix& m) {
  CDC_ASSERT(!m.property_names.empty() || m.rows.empty(), "matrix rows need property columns");
  std::string out = matrix_summary_html(m);
  out += fmt::format(
      "<p class=\"legend\"><span class=\"swatch m-holds\">\u2713</span> holds in every judged "
      "run <span class=\"swatch m-expected\">~n</span> violated in n runs, as the expectations "
      "allow <span class=\"swatch m-limitation\">Ln</span> violated in n runs, only as a known "
      "limitation <span class=\"swatch m-unexpected\">\u2717n</span> violated unexpectedly in n "
      "runs <span class=\"swatch m-unknown\">?</span> could not be judged <span class=\"swatch "
      "m-na\">&nbsp;</span> not applicable. {} runs, {} seed(s) per cell from seed {}; open a key "
      "kind for its cells, hover a cell for its counts and reasons.</p>",
      m.runs, m.options.seeds, m.options.first_seed);
  out += detail_tables(m);
  CDC_ASSERT(out.find("<script") == std::string::npos, "no script in the matrix table");
  return out;
}

const char* matrix_html_css() {
  return "table.matrix{border-collapse:collapse;font-size:12px}"
         "table.matrix th,table.matrix td{border:1px solid #d0d7de;padding:2px 5px}"
         "table.matrix tbody th{text-align:left;font-weight:400;white-space:nowrap;"
         "background:#f6f8fa}"
         "table.matrix td{text-align:center;min-width:22px;font-family:ui-monospace,monospace}"
         "table.matrix th.prop{vertical-align:bottom;height:150px;padding:4px 2px}"
         "table.matrix th.prop span{writing-mode:vertical-rl;transform:rotate(180deg);"
         "white-space:nowrap;font-weight:600}"
         ".m-holds{background:#dafbe1;color:#1a7f37}"
         ".m-expected{background:#fff1c2;color:#7d4e00}"
         ".m-limitation{background:#e8e1f7;color:#5a32a3}"
         "table.pivot td{min-width:14px;padding:1px 3px}"
         "table.pivot th.group{text-align:center;font-weight:600}"
         "table.pivot th.sub{font-weight:400;color:#57606a}"
         "details.matrix-group{margin:6px 0}details.matrix-group summary{cursor:pointer;"
         "font-weight:600}"
         ".m-unexpected{background:#ffcecb;color:#a40e26;font-weight:700}"
         ".m-unknown{background:#eaeef2;color:#57606a}"
         ".m-na{background:#ffffff}"
         ".swatch{display:inline-block;min-width:22px;text-align:center;border:1px solid "
         "#d0d7de;margin:0 4px 0 10px;font-family:ui-monospace,monospace}";
}

}  // namespace cdc::reports
