// report_html (reports/failure_report.h): one self-contained page.

#include <fmt/core.h>

#include "model/assert.h"
#include "properties/destination.h"
#include "properties/helpers.h"
#include "reports/algorithm_comparison.h"
#include "reports/failure_report.h"
#include "reports/html.h"
#include "reports/matrix_html.h"
#include "reports/timeline_entries.h"
#include "reports/timeline_svg.h"

namespace cdc::reports {

namespace {

constexpr char kCss[] =
    "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;color:#1f2328;"
    "margin:0;background:#ffffff}"
    "main{padding:16px 28px 40px}"
    "h1{font-size:22px;margin:0 0 8px}h2{font-size:18px;margin:28px 0 10px;"
    "border-bottom:1px solid #d0d7de;padding-bottom:4px}"
    "h3{font-size:16px;margin:0 0 10px}h4{font-size:13px;margin:14px 0 6px;color:#57606a;"
    "text-transform:uppercase;letter-spacing:.03em}"
    "code,pre{font-family:ui-monospace,'DejaVu Sans Mono',Menlo,Consolas,monospace;"
    "font-size:12.5px}"
    "pre{background:#f6f8fa;border:1px solid #d0d7de;border-radius:6px;padding:8px 10px;"
    "margin:4px 0;white-space:pre-wrap;word-break:break-all}"
    ".counts{display:flex;flex-wrap:wrap;gap:10px;margin:10px 0}"
    ".count{border:1px solid #d0d7de;border-radius:6px;padding:6px 14px;min-width:80px;"
    "background:#f6f8fa}"
    ".count b{display:block;font-size:20px}"
    ".count.bad{background:#ffebe9;border-color:#ff8182}"
    "tr.bad td{background:#ffebe9}"
    ".count.warn{background:#fff8c5;border-color:#d4a72c}"
    "table.plain{border-collapse:collapse;font-size:13px}"
    "table.plain th,table.plain td{border:1px solid #d0d7de;padding:3px 8px;text-align:left;"
    "vertical-align:top}"
    "table.plain th{background:#f6f8fa}"
    ".badge{display:inline-block;font-size:11px;font-weight:700;border-radius:10px;"
    "padding:1px 8px;margin-right:8px;vertical-align:2px}"
    ".badge.unexpected{background:#cf222e;color:#ffffff}"
    ".badge.allowed{background:#bf8700;color:#ffffff}"
    "article.case{border:1px solid #d0d7de;border-left:6px solid #cf222e;border-radius:6px;"
    "padding:14px 18px;margin:18px 0}"
    "article.case.allowed{border-left-color:#bf8700}"
    ".explanation{background:#fff8f0;border-left:3px solid #fb8f44;margin:6px 0;"
    "padding:8px 12px}"
    ".explanation b{color:#953800}"
    "ul.witness{margin:4px 0;padding-left:20px}ul.witness li{margin:2px 0}"
    ".scroll{overflow-x:auto;max-width:100%;border:1px solid #d0d7de;border-radius:6px;"
    "margin:6px 0}"
    ".scroll svg{display:block}"
    "details{margin:8px 0}summary{cursor:pointer;color:#0969da}"
    "nav ol{margin:4px 0;padding-left:22px}nav li{margin:2px 0}"
    ".muted{color:#57606a}"
    "p.legend{font-size:12px;color:#57606a}";

std::string count_box(const std::string& name, const std::string& value, const char* tone) {
  return fmt::format("<div class=\"count {}\"><b>{}</b>{}</div>", tone, html_escape(value),
                     html_escape(name));
}

std::string header(const ExploreReport& r, size_t unexpected) {
  std::string out = "<h1>cdcsim explore report</h1>";
  out += "<pre><code>" + html_escape(r.command) + "</code></pre><div class=\"counts\">";
  out += count_box("runs", std::to_string(r.runs), "");
  out += count_box("failed runs", std::to_string(r.failed_runs), r.failed_runs ? "bad" : "");
  out += count_box("seeds", std::to_string(r.seeds), "");
  out += count_box("scenario files", std::to_string(r.files.size()), "");
  out += count_box("seconds", fmt::format("{:.1f}", r.seconds), "");
  out += count_box("unexpected cases", std::to_string(unexpected), unexpected ? "bad" : "");
  out += count_box("allowed cases", std::to_string(r.cases.size() - unexpected),
                   r.cases.size() > unexpected ? "warn" : "");
  out += "</div>";
  if (!r.files.empty()) {
    out += fmt::format("<details><summary>{} scenario file(s)</summary><ul>", r.files.size());
    for (const std::string& f : r.files)
      out += "<li><code>" + html_escape(f) + "</code></li>";
    out += "</ul></details>";
  }
  if (!r.violations_by_property.empty()) {
    out +=
        "<h2>Violations by property</h2><table class=\"plain\"><tr><th>property</th>"
        "<th>runs</th></tr>";
    for (const auto& [property, n] : r.violations_by_property)
      out += fmt::format("<tr><td>{}</td><td>{}</td></tr>", html_escape(property), n);
    out += "</table>";
  }
  return out + situations_html(r.situations) + costs_html(r.costs);
}

std::string contents(const ExploreReport& r) {
  if (r.cases.empty()) return "";
  std::string out = "<nav><h2>Cases</h2><ol>";
  for (size_t i = 0; i < r.cases.size(); ++i) {
    const ReportCase& c = r.cases[i];
    out += fmt::format(
        "<li><a href=\"#case-{}\">{}</a> <span class=\"muted\">{} \u00b7 {}</span>"
        "</li>",
        i + 1, html_escape(c.title), html_escape(c.verdict.property),
        c.unexpected ? "unexpected" : "allowed");
  }
  return out + "</ol></nav>";
}

// The explanation with its "Let", "Then" and "but" in bold.
std::string explanation_html(const std::string& text) {
  std::string out = html_escape(text);
  const std::pair<const char*, const char*> marks[] = {
      {"Let ", "<b>Let</b> "}, {". Then ", ". <b>Then</b> "}, {", but ", ", <b>but</b> "}};
  size_t from = 0;
  for (const auto& [word, bold] : marks) {
    const size_t at = out.find(word, from);
    if (at == std::string::npos) continue;
    out.replace(at, std::string(word).size(), bold);
    from = at + std::string(bold).size();
  }
  return out;
}

std::string end_html(const KeyTimeline& t) {
  std::string out = "<h4>At the end of the run</h4><ul>";
  if (t.end.documents.empty()) out += "<li>the collection holds no document of the key</li>";
  for (const TimelineDocument& d : t.end.documents) {
    out += fmt::format(
        "<li>collection: document {} (seq {}, tick {}) op {} lsn {}{}: <code>{}"
        "</code></li>",
        d.id, d.seq, d.tick, properties::detail::doc_op_name(d.op), to_string(d.lsn),
        d.snapshot ? " snapshot" : "", html_escape(to_string(d.fields)));
  }
  for (const history::MaterializationBinding& m : t.materializations) {
    bool any = false;
    for (const TimelineFinalRow& r : t.end.destination_rows) {
      if (r.materialization != m.id) continue;
      any = true;
      out += "<li>destination " + html_escape(m.destination) + ": <code>" +
             html_escape(properties::detail::describe_dest_row(r.row)) + "</code></li>";
    }
    if (!any) out += "<li>destination " + html_escape(m.destination) + ": no row for the key</li>";
  }
  out += t.drain.reached ? fmt::format("<li>the run drained at tick {} to lsn {}</li>",
                                       t.drain.tick, to_string(t.drain.source_flush_lsn))
                         : std::string("<li>the run did not drain</li>");
  return out + "</ul>";
}

std::string timeline_html(const KeyTimeline& t) {
  std::string out = "<h4>Timeline of key " + html_escape(t.key_text) + " of " +
                    html_escape(t.binding_text) + "</h4>";
  out += "<div class=\"scroll\">" + timeline_svg(t) + "</div>";
  const std::vector<TimelineEntry> entries = timeline_entries(t);
  out += fmt::format(
      "<details><summary>The timeline as a table ({} entries)</summary>"
      "<table class=\"plain\"><tr><th>tick</th><th>lane</th><th>what</th>"
      "<th>detail</th></tr>",
      entries.size());
  for (const TimelineEntry& e : entries) {
    out +=
        fmt::format("<tr><td>{}</td><td>{}</td><td><code>{}</code></td><td>{}</td></tr>", e.tick,
                    html_escape(lane_title(e.lane)), html_escape(e.label), html_escape(e.detail));
  }
  return out + "</table></details>" + end_html(t);
}

std::string case_html(size_t index, const ReportCase& c) {
  const char* tone = c.unexpected ? "unexpected" : "allowed";
  std::string out = fmt::format(
      "<article class=\"case {0}\" id=\"case-{1}\"><h3><span class=\"badge {0}\">{2}</span>{1}. "
      "{3}</h3>",
      tone, index + 1, c.unexpected ? "UNEXPECTED" : "ALLOWED", html_escape(c.title));
  if (!c.unexpected && !c.expectation.empty()) {
    out += "<p><b>Allowed:</b> " + html_escape(c.expectation) + "</p>";
  }
  out += "<h4>Reproduce</h4><pre><code>" + html_escape(c.reproduce) + "</code></pre>";
  if (!c.fingerprint.empty()) {
    out += "<p class=\"muted\">fingerprint <code>" + html_escape(c.fingerprint) + "</code></p>";
  }
  out += fmt::format("<h4>Property <code>{}</code> {}</h4><div class=\"explanation\">{}</div>",
                     html_escape(c.verdict.property),
                     html_escape(properties::to_string(c.verdict.outcome)),
                     explanation_html(c.verdict.explanation));
  if (!c.verdict.witness.empty()) {
    out += "<h4>Witness</h4><ul class=\"witness\">";
    for (const std::string& w : c.verdict.witness)
      out += "<li><code>" + html_escape(w) + "</code></li>";
    out += "</ul>";
  }
  if (c.timeline) out += timeline_html(*c.timeline);
  if (!c.shrunk_path.empty() || !c.shrunk_yaml.empty()) {
    out += fmt::format(
        "<details class=\"shrunk\"><summary>Shrunk schedule <code>{}</code>: {} steps \u2192 {} "
        "steps in {:.1f} s</summary><pre><code>{}</code></pre></details>",
        html_escape(c.shrunk_path), c.steps_before, c.steps_after, c.shrink_seconds,
        html_escape(c.shrunk_yaml));
  }
  return out + "</article>";
}

}  // namespace

std::string report_html(const ExploreReport& r) {
  size_t unexpected = 0;
  for (const ReportCase& c : r.cases)
    unexpected += c.unexpected ? 1 : 0;
  std::string out = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
      "content=\"width=device-width, initial-scale=1\"><title>cdcsim explore: {} failed run(s), "
      "{} unexpected case(s)</title><style>{}{}</style></head><body><main>",
      r.failed_runs, unexpected, kCss, matrix_html_css());
  out += header(r, unexpected);
  if (r.matrix) {
    out += "<h2>Guarantee matrix</h2>" + matrix_html(*r.matrix) + comparison_html(*r.matrix);
  }
  out += contents(r);
  if (r.cases.empty()) out += "<p>No failing run.</p>";
  for (size_t i = 0; i < r.cases.size(); ++i)
    out += case_html(i, r.cases[i]);
  out += "</main></body></html>\n";
  CDC_ASSERT(out.find("<script") == std::string::npos, "the page runs no script");
  return out;
}

}  // namespace cdc::reports
