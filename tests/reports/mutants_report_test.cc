#include "reports/mutants_report.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace cdc::reports {
namespace {

HuntOutcome kill(const std::string& name, const std::string& target, double seconds) {
  HuntOutcome h;
  h.killed = true;
  h.property = "convergence";
  h.why = "convergence should hold, but is violated: Let k = 0x01 be a key. Then ...";
  h.target = target;
  h.seed = 3;
  h.runs_to_kill = 7;
  h.seconds_to_kill = seconds;
  h.reproduce = "cdcsim replay " + target + " --seed 3 --mutant " + name;
  h.confirmed_by_baseline = true;
  h.runs = 7;
  h.seconds = seconds;
  return h;
}

HuntOutcome survived(uint64_t runs, double seconds) {
  HuntOutcome h;
  h.runs = runs;
  h.seconds = seconds;
  return h;
}

// Killed by the aided hunt, and by the unaided one when `unaided_seconds`
// is given; the unaided kill is the one shrunk when there is one.
MutantOutcome mutant(const std::string& name, std::optional<double> unaided_seconds,
                     double aided_seconds, size_t shrunk_after) {
  MutantOutcome m;
  m.name = name;
  m.component = "capture";
  m.description = "A mistake | with a bar.";
  m.unaided = unaided_seconds ? kill(name, "capture/Normal/merge/none/int", *unaided_seconds)
                              : survived(900, 60);
  m.aided = kill(name, "scenarios/catalogue/x.yaml", aided_seconds);
  m.shrunk_from = unaided_seconds ? ShrunkHunt::kUnaided : ShrunkHunt::kAided;
  m.shrunk_steps_before = 100;
  m.shrunk_steps_after = shrunk_after;
  m.shrink_complete = true;
  return m;
}

// Three mutants killed aided (two of them unaided too) and one survivor.
MutantsReport hand_made() {
  MutantsReport r;
  r.command = "cdcsim mutants --budget-s-per-mutant 60";
  r.budget_s_per_mutant = 60;
  r.shrink_budget_s = 10;
  r.jobs = 2;
  r.seeds_max = 1000;
  r.files = {"scenarios/catalogue/x.yaml"};
  r.cells = 160;
  r.unaided_baseline.runs = 7;
  r.unaided_baseline.clean_prefix_runs = 7;
  r.aided_baseline = r.unaided_baseline;
  r.mutants = {mutant("a-b", 3.0, 1.0, 4), mutant("c-d", std::nullopt, 5.0, 2),
               mutant("e-f", 4.0, 2.0, 9)};
  MutantOutcome survivor;
  survivor.name = "g-h";
  survivor.component = "collections";
  survivor.description = "Survives.";
  survivor.unaided = survived(5000, 60);
  survivor.aided = survived(4000, 60);
  r.mutants.push_back(survivor);
  return r;
}

// The same mutants hunted unaided only.
MutantsReport unaided_only() {
  MutantsReport r = hand_made();
  r.aided = false;
  r.files.clear();
  r.aided_baseline.reset();
  for (MutantOutcome& m : r.mutants) {
    m.aided.reset();
    if (m.shrunk_from == ShrunkHunt::kAided) {
      m.shrunk_from.reset();
      m.shrunk_steps_before.reset();
      m.shrunk_steps_after.reset();
    }
  }
  return r;
}

TEST(MutantsReportTest, SummaryCountsKillsPerHuntAndTakesMediansOverKilledMutants) {
  const MutantsSummary s = summarize(hand_made());
  EXPECT_EQ(s.unaided.killed, 2u);
  EXPECT_EQ(s.unaided.total, 4u);
  EXPECT_DOUBLE_EQ(*s.unaided.median_seconds_to_kill, 3.5);
  EXPECT_DOUBLE_EQ(*s.unaided.worst_seconds_to_kill, 4.0);
  EXPECT_EQ(s.unaided.survivors, (std::vector<std::string>{"c-d", "g-h"}));
  ASSERT_TRUE(s.aided.has_value());
  EXPECT_EQ(s.aided->killed, 3u);
  EXPECT_DOUBLE_EQ(*s.aided->median_seconds_to_kill, 2.0);
  EXPECT_DOUBLE_EQ(*s.aided->worst_seconds_to_kill, 5.0);
  EXPECT_EQ(s.killed, 3u);
  EXPECT_EQ(s.total, 4u);
  EXPECT_DOUBLE_EQ(*s.median_shrunk_steps, 4.0);
  EXPECT_EQ(s.survivors, std::vector<std::string>{"g-h"});
  const MutantsSummary none = summarize(MutantsReport{});
  EXPECT_FALSE(none.unaided.median_seconds_to_kill.has_value());
  EXPECT_FALSE(none.median_shrunk_steps.has_value());
  EXPECT_FALSE(summarize(unaided_only()).aided.has_value());
}

TEST(MutantsReportTest, JsonHoldsBothHuntsOfEveryMutantAndBothBaselines) {
  const nlohmann::json j = nlohmann::json::parse(mutants_json(hand_made()));
  EXPECT_EQ(j["schema_version"], 2);
  EXPECT_EQ(j["summary"]["unaided"]["killed"], 2);
  EXPECT_EQ(j["summary"]["unaided"]["median_seconds_to_kill"], 3.5);
  EXPECT_EQ(j["summary"]["aided"]["killed"], 3);
  EXPECT_EQ(j["summary"]["aided"]["worst_seconds_to_kill"], 5.0);
  EXPECT_EQ(j["summary"]["killed"], 3);
  ASSERT_EQ(j["mutants"].size(), 4u);
  const nlohmann::json& a = j["mutants"][0];
  EXPECT_EQ(a["unaided"]["target"], "capture/Normal/merge/none/int");
  EXPECT_EQ(a["unaided"]["runs_to_kill"], 7);
  EXPECT_EQ(a["aided"]["target"], "scenarios/catalogue/x.yaml");
  EXPECT_EQ(a["shrunk"]["of"], "unaided");
  EXPECT_EQ(a["shrunk"]["steps_after"], 4);
  EXPECT_EQ(j["mutants"][1]["shrunk"]["of"], "aided");
  EXPECT_FALSE(j["mutants"][1]["unaided"]["killed"]);
  EXPECT_FALSE(j["mutants"][1]["unaided"].contains("property"));
  EXPECT_FALSE(j["mutants"][3]["killed"]);
  EXPECT_TRUE(j["baseline"]["unaided"]["clean"]);
  EXPECT_TRUE(j["baseline"]["aided"]["clean"]);
  EXPECT_FALSE(j["baseline"]["aided"].contains("failure"));
  EXPECT_EQ(j["explored"]["aided"]["files"].size(), 1u);
  EXPECT_EQ(j["explored"]["unaided"]["files"].size(), 0u);
}

TEST(MutantsReportTest, JsonWithoutTheAidedHuntSaysSo) {
  const nlohmann::json j = nlohmann::json::parse(mutants_json(unaided_only()));
  EXPECT_TRUE(j["options"]["unaided_only"]);
  EXPECT_TRUE(j["explored"]["aided"].is_null());
  EXPECT_TRUE(j["baseline"]["aided"].is_null());
  EXPECT_TRUE(j["summary"]["aided"].is_null());
  for (const nlohmann::json& m : j["mutants"])
    EXPECT_TRUE(m["aided"].is_null()) << m;
  EXPECT_EQ(j["summary"]["killed"], 2);
}

TEST(MutantsReportTest, MarkdownTableNamesKillsOfBothHuntsSurvivorsAndAFailedBaseline) {
  MutantsReport r = hand_made();
  std::string md = mutants_markdown(r);
  EXPECT_NE(md.find("**Unaided: 2/4 killed**"), std::string::npos) << md;
  EXPECT_NE(md.find("**Aided: 3/4 killed**"), std::string::npos) << md;
  EXPECT_NE(md.find("| unaided: killed |"), std::string::npos) << md;
  EXPECT_NE(md.find("| `a-b` | capture | yes | `convergence` | capture/Normal/merge/none/int (3) | 7 "
                    "| 3.00 | yes | `convergence` | scenarios/catalogue/x.yaml (3) | 7 | 1.00 | "
                    "100 → 4 (unaided) |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| `c-d` | capture | **survived** | - | - | 900 | 60.00 | yes |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("100 → 2 (aided) |"), std::string::npos) << md;
  EXPECT_NE(md.find("## Survivors\n\n- `g-h`"), std::string::npos);
  // The expectation, not the checker's explanation; descriptions keep their bars.
  EXPECT_NE(md.find("Caught unaided by `convergence` (convergence should hold, but is violated)"),
            std::string::npos);
  EXPECT_EQ(md.find("Let k = 0x01"), std::string::npos);
  EXPECT_NE(md.find("Aided baseline: without any mutant the same exploration ran 7 runs"),
            std::string::npos);
  r.aided_baseline->clean = false;
  r.aided_baseline->failure = "no_loss at cdcsim replay --cell x --seed 2";
  md = mutants_markdown(r);
  EXPECT_NE(md.find("**Aided baseline FAILED**"), std::string::npos);
  EXPECT_NE(md.find("no_loss at cdcsim replay --cell x --seed 2"), std::string::npos);
}

TEST(MutantsReportTest, MarkdownWithoutTheAidedHuntHasOnlyTheUnaidedColumns) {
  const std::string md = mutants_markdown(unaided_only());
  EXPECT_NE(md.find("did not run (`--unaided-only`)"), std::string::npos) << md;
  EXPECT_NE(md.find("| unaided: killed"), std::string::npos) << md;
  EXPECT_EQ(md.find("| aided: killed"), std::string::npos) << md;
  EXPECT_EQ(md.find("**Aided"), std::string::npos) << md;
  EXPECT_EQ(md.find("Aided baseline"), std::string::npos) << md;
  EXPECT_NE(md.find("| `c-d` | capture | **survived** | - | - | 900 | 60.00 | - |\n"),
            std::string::npos)
      << md;
}

}  // namespace
}  // namespace cdc::reports
