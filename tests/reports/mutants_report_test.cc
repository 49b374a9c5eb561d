#include "reports/mutants_report.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace cdc::reports {
namespace {

MutantOutcome killed(const std::string& name, double seconds, size_t shrunk_after) {
  MutantOutcome m;
  m.name = name;
  m.component = "capture";
  m.description = "A mistake | with a bar.";
  m.killed = true;
  m.property = "convergence";
  m.why = "convergence should hold, but is violated: Let k = 0x01 be a key. Then ...";
  m.target = "scenarios/catalogue/x.yaml";
  m.seed = 3;
  m.runs_to_kill = 7;
  m.seconds_to_kill = seconds;
  m.reproduce = "cdcsim replay scenarios/catalogue/x.yaml --seed 3 --mutant " + name;
  m.shrunk_steps_before = 100;
  m.shrunk_steps_after = shrunk_after;
  m.shrink_complete = true;
  m.confirmed_by_baseline = true;
  m.runs = 7;
  m.seconds = seconds;
  return m;
}

// Three killed mutants and one survivor.
MutantsReport hand_made() {
  MutantsReport r;
  r.command = "cdcsim mutants --budget-s-per-mutant 60";
  r.budget_s_per_mutant = 60;
  r.shrink_budget_s = 10;
  r.jobs = 2;
  r.seeds_max = 1000;
  r.files = {"scenarios/catalogue/x.yaml"};
  r.cells = 160;
  r.baseline.runs = 7;
  r.baseline.clean_prefix_runs = 7;
  r.mutants = {killed("a-b", 1.0, 4), killed("c-d", 5.0, 2), killed("e-f", 2.0, 9)};
  MutantOutcome survivor;
  survivor.name = "g-h";
  survivor.component = "collections";
  survivor.description = "Survives.";
  survivor.runs = 5000;
  survivor.seconds = 60;
  r.mutants.push_back(survivor);
  return r;
}

TEST(MutantsReportTest, SummaryCountsKillsAndTakesMediansOverKilledMutants) {
  const MutantsSummary s = summarize(hand_made());
  EXPECT_EQ(s.killed, 3u);
  EXPECT_EQ(s.total, 4u);
  EXPECT_DOUBLE_EQ(*s.median_seconds_to_kill, 2.0);
  EXPECT_DOUBLE_EQ(*s.worst_seconds_to_kill, 5.0);
  EXPECT_DOUBLE_EQ(*s.median_shrunk_steps, 4.0);
  EXPECT_EQ(s.survivors, std::vector<std::string>{"g-h"});
  const MutantsSummary none = summarize(MutantsReport{});
  EXPECT_FALSE(none.median_seconds_to_kill.has_value());
  EXPECT_FALSE(none.median_shrunk_steps.has_value());
}

TEST(MutantsReportTest, JsonHoldsEveryMutantAndTheBaseline) {
  const nlohmann::json j = nlohmann::json::parse(mutants_json(hand_made()));
  EXPECT_EQ(j["schema_version"], 1);
  EXPECT_EQ(j["summary"]["killed"], 3);
  EXPECT_EQ(j["summary"]["median_seconds_to_kill"], 2.0);
  ASSERT_EQ(j["mutants"].size(), 4u);
  EXPECT_EQ(j["mutants"][0]["shrunk"]["steps_after"], 4);
  EXPECT_EQ(j["mutants"][0]["runs_to_kill"], 7);
  EXPECT_FALSE(j["mutants"][3]["killed"]);
  EXPECT_FALSE(j["mutants"][3].contains("property"));
  EXPECT_TRUE(j["baseline"]["clean"]);
  EXPECT_FALSE(j["baseline"].contains("failure"));
}

TEST(MutantsReportTest, MarkdownTableNamesKillsSurvivorsAndAFailedBaseline) {
  MutantsReport r = hand_made();
  std::string md = mutants_markdown(r);
  EXPECT_NE(md.find("**3/4 killed**"), std::string::npos) << md;
  EXPECT_NE(md.find("| `a-b` | capture | yes | `convergence` | scenarios/catalogue/x.yaml (3) | 7 "
                    "| 1.00 | 100 → 4 |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| `g-h` | collections | **survived** (5000 runs)"), std::string::npos);
  EXPECT_NE(md.find("## Survivors\n\n- `g-h`"), std::string::npos);
  // The expectation, not the checker's explanation; descriptions keep their bars.
  EXPECT_NE(md.find("(convergence should hold, but is violated)"), std::string::npos);
  EXPECT_EQ(md.find("Let k = 0x01"), std::string::npos);
  EXPECT_NE(md.find("found nothing, covering every run"), std::string::npos);
  r.baseline.clean = false;
  r.baseline.failure = "no_loss at cdcsim replay --cell x --seed 2";
  md = mutants_markdown(r);
  EXPECT_NE(md.find("**Baseline FAILED**"), std::string::npos);
  EXPECT_NE(md.find("no_loss at cdcsim replay --cell x --seed 2"), std::string::npos);
}

}  // namespace
}  // namespace cdc::reports
