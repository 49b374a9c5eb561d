#include "reports/failure_report.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "properties/checkers.h"
#include "properties/expectations.h"
#include "sim/configurations.h"
#include "sim/matrix.h"
#include "tests/properties/destination_builder.h"
#include "tests/properties/history_builder.h"

namespace cdc::reports {
namespace {

using namespace cdc::properties::testing;  // NOLINT: the builders' vocabulary

size_t count(const std::string& text, const std::string& part) {
  size_t n = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1))
    ++n;
  return n;
}

// A report of two hand-made cases: one with a timeline, one without.
ExploreReport hand_made() {
  ExploreReport r;
  r.command = "cdcsim explore scenarios/catalogue/x.yaml --seeds 4";
  r.files = {"scenarios/catalogue/x.yaml"};
  r.seeds = 4;
  r.runs = 4;
  r.failed_runs = 2;
  r.seconds = 0.5;
  r.violations_by_property = {{"convergence", 1}, {"liveness", 1}};
  History h = clean_merge().build();
  h.collection_txns.pop_back();  // lose the delete of k2
  ReportCase a;
  a.title = "x.yaml seed 3";
  a.reproduce = "cdcsim run scenarios/catalogue/x.yaml --seed 3";
  a.fingerprint = "0123abcd";
  a.verdict = properties::check_convergence(h);
  a.verdict.explanation += " Also: a < b && c > \"d\".";
  a.timeline = key_timeline(h, a.verdict.subject->binding, a.verdict.subject->key);
  a.shrunk_path = "out/shrunk/x-seed3.yaml";
  a.shrunk_yaml = "seed: 3\nscript: [{tick: 5, op: upgrade}]  # <&>\n";
  a.steps_before = 12;
  a.steps_after = 2;
  a.shrink_seconds = 0.25;
  ReportCase b;
  b.title = "x.yaml seed 4";
  b.unexpected = false;
  b.expectation = "documented: \"may never drain\"";
  b.reproduce = "cdcsim run scenarios/catalogue/x.yaml --seed 4";
  b.verdict = properties::Verdict::violation("liveness", "Let the run end. Then ..., but no.",
                                             {"drained never"});
  r.cases = {a, b};
  return r;
}

TEST(FailureReportTest, JsonParsesWithSchemaVersionTwoAndTheCases) {
  const ExploreReport r = hand_made();
  const nlohmann::json j = nlohmann::json::parse(report_json(r));
  EXPECT_EQ(j["schema_version"], 2);
  EXPECT_TRUE(j["run_records"].is_array());
  EXPECT_EQ(j["shard_count"], 1);
  EXPECT_EQ(j["command"], r.command);
  EXPECT_EQ(j["runs"], 4);
  EXPECT_EQ(j["violations_by_property"]["convergence"], 1);
  EXPECT_TRUE(j["matrix"].is_null());
  ASSERT_EQ(j["cases"].size(), 2u);
  const nlohmann::json& a = j["cases"][0];
  EXPECT_EQ(a["reproduce"], r.cases[0].reproduce);
  EXPECT_EQ(a["verdict"]["property"], "convergence");
  EXPECT_EQ(a["verdict"]["subject"]["key_text"], "\"k2\"");
  EXPECT_EQ(a["verdict"]["subject"]["key_hex"], "6b32");
  EXPECT_EQ(a["verdict"]["subject"]["binding"], kBinding);
  EXPECT_EQ(a["timeline"]["key_hex"], "6b32");
  EXPECT_EQ(a["timeline"]["commits"].size(), 2u);
  EXPECT_EQ(a["timeline"]["commits"][1]["commit_lsn"], "0/190");
  EXPECT_TRUE(a["timeline"]["commits"][1]["after"].is_null());
  EXPECT_FALSE(a["timeline"]["entries"].empty());
  EXPECT_EQ(a["timeline"]["entries"][0].count("lane"), 1u);
  EXPECT_EQ(a["shrunk"]["steps_after"], 2);
  EXPECT_EQ(a["shrunk"]["yaml"], r.cases[0].shrunk_yaml);
  const nlohmann::json& b = j["cases"][1];
  EXPECT_FALSE(b["unexpected"].get<bool>());
  EXPECT_TRUE(b["timeline"].is_null());
  EXPECT_TRUE(b["verdict"]["subject"].is_null());
  EXPECT_TRUE(b["shrunk"].is_null());
}

TEST(FailureReportTest, HtmlEscapesTextAndDrawsOneSvgPerCaseWithATimeline) {
  const std::string html = report_html(hand_made());
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("a &lt; b &amp;&amp; c &gt; &quot;d&quot;."), std::string::npos);
  EXPECT_EQ(html.find("a < b && c > \"d\""), std::string::npos);
  EXPECT_NE(html.find("# &lt;&amp;&gt;"), std::string::npos);  // the shrunk YAML
  EXPECT_EQ(count(html, "<svg"), 1u);                          // only case 1 has a timeline
  EXPECT_EQ(count(html, "<article class=\"case"), 2u);
  EXPECT_NE(html.find("<code>cdcsim run scenarios/catalogue/x.yaml --seed 3</code>"),
            std::string::npos);
  EXPECT_NE(html.find("<details class=\"shrunk\">"), std::string::npos);
  EXPECT_NE(html.find("UNEXPECTED"), std::string::npos);
  EXPECT_NE(html.find("ALLOWED"), std::string::npos);
  EXPECT_NE(html.find("documented: &quot;may never drain&quot;"), std::string::npos);
  EXPECT_EQ(html.find("table class=\"matrix\""), std::string::npos);  // no matrix given
  // Self-contained: no script, no external resource.
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("http"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("src="), std::string::npos);
}

TEST(FailureReportTest, MarkdownHasEachReproduceCommandAndTheTimelineAsATable) {
  const ExploreReport r = hand_made();
  const std::string md = report_markdown(r);
  for (const ReportCase& c : r.cases)
    EXPECT_NE(md.find("```sh\n" + c.reproduce + "\n```"), std::string::npos) << c.reproduce;
  EXPECT_NE(md.find("| tick | lane | what | detail |"), std::string::npos);
  EXPECT_NE(md.find("| 400 | source commits | del 0/190 |"), std::string::npos);
  EXPECT_NE(md.find("**UNEXPECTED**"), std::string::npos);
  EXPECT_NE(md.find("```yaml\nseed: 3\n"), std::string::npos);
}

TEST(FailureReportTest, RendersAnEmptyReport) {
  ExploreReport r;
  r.command = "cdcsim explore";
  EXPECT_NE(report_html(r).find("No failing run."), std::string::npos);
  EXPECT_NE(report_markdown(r).find("No failing run."), std::string::npos);
  EXPECT_TRUE(nlohmann::json::parse(report_json(r))["cases"].empty());
}

// A real run: Only Changes never backfills, so rows that existed before the
// capture started never reach the collection (convergence is violated).
TEST(FailureReportTest, ARealRunWithAMatrix) {
  const sim::RunResult run = sim::run_world(
      sim::configured_world(1, BackfillMode::kOnlyChanges, properties::FaultClass::kNone));
  std::optional<properties::Verdict> convergence;
  for (const properties::Verdict& v : properties::check_all(run.history)) {
    if (v.property == "convergence") convergence = v;
  }
  ASSERT_TRUE(convergence && convergence->violated());
  ASSERT_TRUE(convergence->subject);
  ReportCase c;
  c.title = "Only Changes seed 1";
  c.unexpected = false;
  c.expectation = properties::expectation(BackfillMode::kOnlyChanges, "convergence",
                                          properties::situations(run.history))
                      .reason;
  c.reproduce = "cdcsim world --seed 1 --mode OnlyChanges --faults none";
  c.fingerprint = run.fingerprint;
  c.verdict = *convergence;
  c.timeline = key_timeline(run.history, c.verdict.subject->binding, c.verdict.subject->key);
  EXPECT_FALSE(c.timeline->commits.empty());
  EXPECT_FALSE(c.timeline->operations.empty());
  EXPECT_TRUE(c.timeline->end.recorded);

  sim::Matrix m;
  m.options.seeds = 1;
  m.property_names = properties::property_names();
  for (const sim::MatrixCell& cell : sim::all_cells()) {
    if (cell.backfill == properties::BackfillType::kCapture &&
        cell.strategy == cdc::UpdateStrategy::kMerge &&
        cell.faults == properties::FaultClass::kNone) {
      sim::MatrixRow& row = m.rows.emplace_back();
      row.cell = cell;
      row.runs = 1;
      row.properties["convergence"].holds = 1;
    }
  }
  ExploreReport r;
  r.command = "cdcsim explore --seeds 1";
  r.seeds = 1;
  r.runs = 1;
  r.failed_runs = 1;
  r.matrix = m;
  r.cases = {c};
  const std::string html = report_html(r);
  EXPECT_NE(html.find("<table class=\"matrix\">"), std::string::npos);
  // One row per cell in the key kinds' sections, and one per mode in the pivot
  // (Estuary's five modes, Debezium's Normal and Only Changes, then Flink's
  // Precise, Normal and Only Changes).
  EXPECT_EQ(count(html, "<tr><th>capture</th>"), m.rows.size() + sim::mode_names().size() + 5);
  EXPECT_NE(html.find("<th>Precise (flink)</th>"), std::string::npos);
  EXPECT_NE(html.find("<th>Normal (debezium)</th>"), std::string::npos);
  EXPECT_NE(html.find("<h2>Algorithms side by side</h2>"), std::string::npos);
  EXPECT_NE(html.find("<table class=\"matrix pivot\">"), std::string::npos);
  EXPECT_NE(html.find("<details class=\"matrix-group\">"), std::string::npos);
  EXPECT_EQ(count(html, "<svg"), 1u);
  EXPECT_NE(html.find(c.reproduce), std::string::npos);
  const nlohmann::json j = nlohmann::json::parse(report_json(r));
  EXPECT_EQ(j["matrix"]["schema_version"], 1);
  EXPECT_EQ(j["matrix"]["cells"].size(), m.rows.size());
  EXPECT_NE(report_markdown(r).find("## Guarantee matrix"), std::string::npos);
  EXPECT_EQ(html, report_html(r));  // deterministic
}

}  // namespace
}  // namespace cdc::reports
