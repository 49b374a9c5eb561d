// Costs in exploration reports (reports/costs.h): each run's values and the
// totals per target survive the JSON, add up over shards in a merge and show
// in Markdown and HTML; and the "which backfill" page (campaign/
// which_backfill.h) on one decision-table row.
#include <gtest/gtest.h>

#include "campaign/exploration.h"
#include "campaign/merge.h"
#include "campaign/report_files.h"
#include "campaign/which_backfill.h"
#include "reports/failure_report.h"

namespace cdc::campaign {
namespace {

const std::string kCatalogue = std::string(CDCSIM_SOURCE_DIR) + "/scenarios/catalogue";
const std::string kFile = kCatalogue + "/row2-materialization-backfill.yaml";

reports::ExploreReport explore_shard(uint64_t index, uint64_t count) {
  ExplorationOptions o;
  o.files = {kFile};
  o.cells = {sim::all_cells().front()};
  o.seeds = 2;
  o.shard_index = index;
  o.shard_count = count;
  o.shrink = 0;
  return std::get<reports::ExploreReport>(explore(o));
}

size_t metric(const char* name) {
  return reports::cost_metric_index(name);
}

TEST(CostsReport, RunCostsAndTotalsReadBackAndAddUpOverShards) {
  const reports::ExploreReport whole = explore_shard(0, 1);
  ASSERT_EQ(whole.costs.size(), 2u);  // the file and the cell
  const reports::CostTotals& file = whole.costs.at(kFile);
  EXPECT_EQ(file.runs, 2u);
  EXPECT_GT(file.sum[metric("downtime_ticks")], 0u);  // a materialization backfill drops tables
  EXPECT_GT(file.max[metric("rows_read")], 0u);
  uint64_t rows_read = 0;
  for (const reports::RunRecord& r : whole.run_records)
    rows_read += r.target == kFile ? r.costs[metric("rows_read")] : 0;
  EXPECT_EQ(rows_read, file.sum[metric("rows_read")]);

  std::vector<NamedReport> shards;
  for (uint64_t i = 0; i < 2; ++i) {
    const reports::ExploreReport part = explore_shard(i, 2);
    auto back = read_report(reports::report_json(part), "shard");
    ASSERT_TRUE(std::holds_alternative<reports::ExploreReport>(back))
        << std::get<std::string>(back);
    const reports::ExploreReport& b = std::get<reports::ExploreReport>(back);
    EXPECT_EQ(reports::report_json(b), reports::report_json(part));  // costs included
    shards.push_back({"shard " + std::to_string(i), b});
  }
  auto merged = merge_reports(shards, "cdcsim merge");
  ASSERT_TRUE(std::holds_alternative<reports::ExploreReport>(merged));
  const reports::ExploreReport& m = std::get<reports::ExploreReport>(merged);
  ASSERT_EQ(m.costs.size(), whole.costs.size());
  for (const auto& [target, t] : whole.costs) {
    EXPECT_EQ(m.costs.at(target).runs, t.runs) << target;
    EXPECT_EQ(m.costs.at(target).sum, t.sum) << target;
    EXPECT_EQ(m.costs.at(target).max, t.max) << target;
  }
  for (size_t i = 0; i < m.run_records.size(); ++i)
    EXPECT_EQ(m.run_records[i].costs, whole.run_records[i].costs);
  EXPECT_NE(reports::report_markdown(m).find("## Costs"), std::string::npos);
  EXPECT_NE(reports::report_html(m).find("<h2>Costs</h2>"), std::string::npos);
}

TEST(CostsReport, AnUnknownMetricInAReportIsAnError) {
  std::string json = reports::report_json(explore_shard(0, 1));
  const std::string known = "\"rows_read\"";
  json.replace(json.find(known), known.size(), "\"rows_reed\"");
  const auto r = read_report(json, "x.json");
  ASSERT_TRUE(std::holds_alternative<std::string>(r));
  EXPECT_NE(std::get<std::string>(r).find("rows_reed"), std::string::npos);
}

TEST(WhichBackfillPage, OneRowWithItsNoBackfillBaseline) {
  WhichBackfillOptions o;
  o.catalogue_dir = kCatalogue;
  o.rows = {{2,
             "Rebuild destination tables",
             "Use a Materialization Backfill",
             "",
             {{"row2-materialization-backfill.yaml", "materialization backfill", true, false},
              {"row2-materialization-backfill.yaml", "no backfill", false, true}}}};
  o.seeds = 2;
  o.jobs = 2;
  o.command = "test";
  const auto page = which_backfill(o);
  ASSERT_TRUE(std::holds_alternative<reports::WhichBackfillPage>(page));
  const reports::WhichBackfillPage& p = std::get<reports::WhichBackfillPage>(page);
  ASSERT_EQ(p.rows.size(), 1u);
  const reports::AlternativeRuns& backfill = p.rows[0].alternatives[0];
  const reports::AlternativeRuns& none = p.rows[0].alternatives[1];
  EXPECT_EQ(backfill.seeds, (std::vector<uint64_t>{1, 2}));  // from the file's own seed
  EXPECT_TRUE(reports::same_workloads(p.rows[0]));
  for (size_t s = 0; s < 2; ++s) {
    EXPECT_GT(backfill.costs[s][metric("downtime_ticks")], 0u);
    EXPECT_EQ(backfill.costs[s][metric("downtimes_unended")], 0u);
    EXPECT_EQ(none.costs[s][metric("downtime_ticks")], 0u);
    // Nothing is re-read from the source: the same rows as without a backfill.
    EXPECT_EQ(backfill.costs[s][metric("rows_read")], none.costs[s][metric("rows_read")]);
    EXPECT_GT(backfill.costs[s][metric("dest_rows_written")],
              none.costs[s][metric("dest_rows_written")]);
  }
  const std::string md = reports::which_backfill_markdown(p);
  EXPECT_NE(md.find("## Row 2"), std::string::npos);
  EXPECT_NE(md.find("without its backfills"), std::string::npos);
  EXPECT_NE(md.find("destination_convergence"), std::string::npos);
  o.jobs = 1;
  const auto again = which_backfill(o);
  EXPECT_EQ(reports::which_backfill_markdown(std::get<reports::WhichBackfillPage>(again)), md);
  EXPECT_EQ(reports::which_backfill_json(std::get<reports::WhichBackfillPage>(again)),
            reports::which_backfill_json(p));
}

TEST(WhichBackfillPage, AMissingScenarioFileIsAnError) {
  WhichBackfillOptions o;
  o.catalogue_dir = kCatalogue;
  o.rows = {{1, "w", "s", "", {{"no-such-file.yaml", "x", true, false}}}};
  EXPECT_TRUE(std::holds_alternative<std::string>(which_backfill(o)));
}

TEST(WhichBackfillPage, EveryDecisionRowNamesCatalogueFiles) {
  ASSERT_EQ(decision_rows().size(), 10u);
  for (const DecisionRow& r : decision_rows()) {
    ASSERT_FALSE(r.alternatives.empty()) << r.row;
    EXPECT_TRUE(r.alternatives.front().documented) << r.row;
    for (const DecisionAlternative& a : r.alternatives) {
      const auto t = file_target(kCatalogue + "/" + a.file, std::nullopt);
      EXPECT_TRUE(std::holds_alternative<Target>(t)) << a.file;
    }
  }
}

}  // namespace
}  // namespace cdc::campaign
