// report_markdown (reports/failure_report.h).

#include <fmt/core.h>

#include <algorithm>

#include "model/assert.h"
#include "properties/destination.h"
#include "properties/helpers.h"
#include "reports/algorithm_comparison.h"
#include "reports/failure_report.h"
#include "reports/matrix_report.h"
#include "reports/timeline_entries.h"

namespace cdc::reports {

namespace {

// Text for one cell of a Markdown table: pipes escaped, line breaks as <br>.
std::string cell(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n') {
      out += "<br>";
    } else if (c != '\r') {
      out += c;
    }
  }
  return out;
}

// A fenced code block whose fence is longer than any backtick run inside.
std::string fenced(const std::string& text, const std::string& info) {
  size_t longest = 0, run = 0;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  const std::string fence(std::max<size_t>(3, longest + 1), '`');
  std::string body = text;
  if (body.empty() || body.back() != '\n') body += '\n';
  return fence + info + "\n" + body + fence + "\n";
}

// The matrix report with every heading one level deeper.
std::string nested_matrix(const sim::Matrix& m) {
  const std::string md = matrix_markdown(m);
  std::string out;
  size_t start = 0;
  while (start < md.size()) {
    size_t end = md.find('\n', start);
    if (end == std::string::npos) end = md.size() - 1;
    const std::string line = md.substr(start, end - start + 1);
    out += (line.rfind('#', 0) == 0 ? "#" : "") + line;
    start = end + 1;
  }
  return out;
}

std::string header(const ExploreReport& r) {
  std::string out = "# cdcsim explore report\n\n";
  out += fenced(r.command, "sh") + "\n";
  size_t unexpected = 0;
  for (const ReportCase& c : r.cases)
    unexpected += c.unexpected ? 1 : 0;
  out += fmt::format(
      "| files | seeds | runs | failed runs | seconds | cases | unexpected | allowed |\n"
      "|---|---|---|---|---|---|---|---|\n| {} | {} | {} | {} | {:.1f} | {} | {} | {} |\n\n",
      r.files.size(), r.seeds, r.runs, r.failed_runs, r.seconds, r.cases.size(), unexpected,
      r.cases.size() - unexpected);
  for (const std::string& f : r.files)
    out += "- `" + f + "`\n";
  if (!r.files.empty()) out += "\n";
  if (!r.violations_by_property.empty()) {
    out += "## Violations by property\n\n| property | runs |\n|---|---|\n";
    for (const auto& [property, n] : r.violations_by_property)
      out += fmt::format("| {} | {} |\n", cell(property), n);
    out += "\n";
  }
  return out + situations_markdown(r.situations) + costs_markdown(r.costs);
}

std::string timeline_md(const KeyTimeline& t) {
  std::string out =
      fmt::format("#### Timeline of key {} of {}\n\n", cell(t.key_text), cell(t.binding_text));
  out += "| tick | lane | what | detail |\n|---|---|---|---|\n";
  for (const TimelineEntry& e : timeline_entries(t)) {
    out += fmt::format("| {} | {} | {} | {} |\n", e.tick, lane_title(e.lane), cell(e.label),
                       cell(e.detail));
  }
  out += t.drain.reached ? fmt::format("\nThe run drained at tick {} to lsn {}.\n", t.drain.tick,
                                       to_string(t.drain.source_flush_lsn))
                         : std::string("\nThe run did not drain.\n");
  out += "\nAt the end" + std::string(t.end.recorded ? "" : " (replayed)") + ":\n\n";
  if (t.end.documents.empty()) out += "- the collection holds no document of the key\n";
  for (const TimelineDocument& d : t.end.documents) {
    out += fmt::format("- collection: document {} (seq {}) op {} lsn {}{}: {}\n", d.id, d.seq,
                       properties::detail::doc_op_name(d.op), to_string(d.lsn),
                       d.snapshot ? " snapshot" : "", cell(to_string(d.fields)));
  }
  if (t.materializations.empty()) out += "- no materialization reads the binding\n";
  for (const history::MaterializationBinding& m : t.materializations) {
    bool any = false;
    for (const TimelineFinalRow& r : t.end.destination_rows) {
      if (r.materialization != m.id) continue;
      any = true;
      out += "- destination " + cell(m.destination) + ": " +
             cell(properties::detail::describe_dest_row(r.row)) + "\n";
    }
    if (!any) out += "- destination " + cell(m.destination) + ": no row for the key\n";
  }
  return out + "\n";
}

std::string case_md(size_t index, const ReportCase& c) {
  std::string out = fmt::format("### {}. {} — {}\n\n", index + 1, c.title,
                                c.unexpected ? "**UNEXPECTED**" : "allowed");
  if (!c.unexpected && !c.expectation.empty()) out += "Allowed: " + c.expectation + "\n\n";
  out += "Reproduce:\n\n" + fenced(c.reproduce, "sh") + "\n";
  if (!c.fingerprint.empty()) out += "Fingerprint: `" + c.fingerprint + "`\n\n";
  out += fmt::format("**{}** {}:\n\n> {}\n\n", c.verdict.property,
                     properties::to_string(c.verdict.outcome), cell(c.verdict.explanation));
  if (!c.verdict.witness.empty()) {
    out += "Witness:\n\n";
    for (const std::string& w : c.verdict.witness)
      out += "- " + cell(w) + "\n";
    out += "\n";
  }
  if (c.verdict.subject) {
    out += fmt::format("Subject: key {} of binding {}\n\n",
                       c.verdict.subject->key_text.empty()
                           ? properties::detail::render_key(c.verdict.subject->key)
                           : c.verdict.subject->key_text,
                       c.verdict.subject->binding);
  }
  if (c.timeline) out += timeline_md(*c.timeline);
  if (!c.shrunk_path.empty() || !c.shrunk_yaml.empty()) {
    out += fmt::format("Shrunk schedule `{}`: {} steps → {} steps in {:.1f} s\n\n", c.shrunk_path,
                       c.steps_before, c.steps_after, c.shrink_seconds);
    out += fenced(c.shrunk_yaml, "yaml") + "\n";
  }
  return out;
}

}  // namespace

std::string report_markdown(const ExploreReport& r) {
  std::string out = header(r);
  if (r.matrix) out += nested_matrix(*r.matrix) + "\n" + comparison_markdown(*r.matrix);
  out += "## Cases\n\n";
  if (r.cases.empty()) out += "No failing run.\n";
  for (size_t i = 0; i < r.cases.size(); ++i)
    out += case_md(i, r.cases[i]);
  CDC_ASSERT(out.rfind("# cdcsim explore report", 0) == 0, "the report opens with its title");
  return out;
}

}  // namespace cdc::reports
