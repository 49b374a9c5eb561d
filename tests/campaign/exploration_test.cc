// Explorations: the guarantee matrix has no unexpected violation on two
// seeds per cell; a report does not depend on the number of threads; and
// explore.json reads back into the same report (what merge relies on).
#include "campaign/exploration.h"

#include <gtest/gtest.h>

#include "campaign/report_files.h"
#include "model/mutants.h"
#include "reports/matrix_report.h"

namespace cdc::campaign {
namespace {

TEST(ExplorationTest, EveryMatrixCellHasNoUnexpectedViolationOnTwoSeeds) {
  ExplorationOptions o;
  o.cells = sim::all_cells();
  o.seeds = 2;
  o.runner.jobs = 2;
  o.shrink = 0;
  const reports::ExploreReport r = std::get<reports::ExploreReport>(explore(o));
  ASSERT_TRUE(r.matrix.has_value());
  // Estuary: 4 backfill types x 5 modes x 2 strategies x 5 fault classes x 4
  // key kinds; Debezium: 4 x 2 modes (Normal, OnlyChanges) x 2 x 5 x 3 keyed
  // kinds; Flink CDC: 4 x 3 modes (Precise, Normal, OnlyChanges) x 2 x 5 x 3.
  EXPECT_EQ(r.matrix->rows.size(), 800u + 240u + 360u);
  EXPECT_EQ(r.runs, 2u * (800u + 240u + 360u));
  for (const sim::MatrixRow& row : r.matrix->rows) {
    for (const auto& [name, t] : row.properties) {
      EXPECT_EQ(t.violated_unexpected, 0u)
          << sim::cell_spec(row.cell) << " / " << name << ": seed "
          << t.first_unexpected_seed.value_or(0) << ": " << t.unexpected_explanation;
    }
  }
  EXPECT_EQ(r.failed_runs, 0u);
  const std::string md = reports::matrix_markdown(*r.matrix);
  EXPECT_NE(md.find("`capture/Normal/delta/none/keyless`"), std::string::npos);
}

ExplorationOptions small(uint32_t jobs) {
  ExplorationOptions o;
  o.files = {std::string(CDCSIM_SOURCE_DIR) + "/scenarios/catalogue/crashes-during-backfill.yaml"};
  o.cells = {*sim::parse_cell_spec("none/OnlyChanges/merge/none/int"),
             *sim::parse_cell_spec("capture/Normal/delta/crashes/locale-text")};
  o.seeds = 3;
  o.runner.jobs = jobs;
  o.demos = 2;
  o.shrink_budget_s = 1000;  // no shrink stops on time
  return o;
}

TEST(ExplorationTest, TheReportDoesNotDependOnTheThreadsAndReadsBack) {
  set_active_mutant(Mutant::kMergeDeleteIgnored);
  reports::ExploreReport one = std::get<reports::ExploreReport>(explore(small(1)));
  reports::ExploreReport two = std::get<reports::ExploreReport>(explore(small(2)));
  set_active_mutant(Mutant::kNone);
  EXPECT_GT(one.failed_runs, 0u);
  EXPECT_EQ(one.mutant, "merge-delete-ignored");
  ASSERT_FALSE(one.cases.empty());
  one.seconds = two.seconds = 0;
  for (auto* r : {&one, &two}) {
    for (reports::ReportCase& c : r->cases)
      c.shrink_seconds = 0;
  }
  EXPECT_EQ(reports::report_json(one), reports::report_json(two));
  const auto back = read_report(reports::report_json(one), "explore.json");
  ASSERT_TRUE(std::holds_alternative<reports::ExploreReport>(back)) << std::get<std::string>(back);
  reports::ExploreReport b = std::get<reports::ExploreReport>(back);
  // Timelines are not read back (merge rebuilds them by running the case).
  for (size_t i = 0; i < b.cases.size(); ++i)
    b.cases[i].timeline = one.cases[i].timeline;
  EXPECT_EQ(reports::report_json(b), reports::report_json(one));
}

TEST(ExplorationTest, ReadingAMalformedReportIsAnError) {
  for (const char* text :
       {"", "{", "[]", R"({"schema_version": 1})", R"({"schema_version": 2, "command": 3})"}) {
    const auto r = read_report(text, "x.json");
    ASSERT_TRUE(std::holds_alternative<std::string>(r)) << text;
    EXPECT_EQ(std::get<std::string>(r).rfind("x.json: ", 0), 0u) << std::get<std::string>(r);
  }
}

}  // namespace
}  // namespace cdc::campaign
