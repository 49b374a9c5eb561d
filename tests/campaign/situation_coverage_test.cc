// Situation coverage: the matrix's generic generation reaches every listed
// situation within a small fixed exploration (every cell, seeds 1..kSeeds),
// and the coverage survives the report's JSON and a merge of shards.
#include <gtest/gtest.h>

#include "campaign/exploration.h"
#include "campaign/merge.h"
#include "campaign/report_files.h"
#include "model/situations.h"
#include "reports/failure_report.h"

namespace cdc::campaign {
namespace {

constexpr uint64_t kSeeds = 10;

reports::ExploreReport matrix_exploration(uint64_t seeds, uint64_t shard_index = 0,
                                          uint64_t shard_count = 1, size_t cells = SIZE_MAX) {
  ExplorationOptions o;
  o.cells = sim::all_cells();
  if (cells < o.cells.size()) o.cells.resize(cells);
  o.seeds = seeds;
  o.shard_index = shard_index;
  o.shard_count = shard_count;
  o.runner.jobs = 2;
  o.shrink = 0;
  return std::get<reports::ExploreReport>(explore(o));
}

TEST(SituationCoverage, TheMatrixReachesEverySituationInTenSeeds) {
  const reports::ExploreReport r = matrix_exploration(kSeeds);
  ASSERT_EQ(r.situations.size(), kSituations);
  std::string never;
  for (const SituationInfo& s : situations()) {
    if (r.situations[static_cast<size_t>(s.situation)] == 0) never += std::string(" ") + s.name;
  }
  EXPECT_EQ(never, "") << "situations no run of " << r.runs << " reached";
  EXPECT_EQ(reports::situations_reached(r.situations), kSituations);
  for (uint64_t n : r.situations)
    EXPECT_LE(n, r.runs);
}

TEST(SituationCoverage, CountsSurviveTheJsonAndAddUpOverShards) {
  const reports::ExploreReport whole = matrix_exploration(2, 0, 1, 80);
  std::vector<NamedReport> shards;
  for (uint64_t i = 0; i < 2; ++i) {
    const reports::ExploreReport part = matrix_exploration(2, i, 2, 80);
    auto back = read_report(reports::report_json(part), "shard");
    ASSERT_TRUE(std::holds_alternative<reports::ExploreReport>(back));
    EXPECT_EQ(std::get<reports::ExploreReport>(back).situations, part.situations);
    shards.push_back({"shard " + std::to_string(i), std::get<reports::ExploreReport>(back)});
  }
  auto merged = merge_reports(shards, "cdcsim merge");
  ASSERT_TRUE(std::holds_alternative<reports::ExploreReport>(merged));
  EXPECT_EQ(std::get<reports::ExploreReport>(merged).situations, whole.situations);
}

TEST(SituationCoverage, AnUnknownSituationInAReportIsAnError) {
  reports::ExploreReport r = matrix_exploration(1, 0, 1, 80);
  std::string json = reports::report_json(r);
  const std::string known = "\"chunk-exactly-limit\"";
  ASSERT_NE(json.find(known), std::string::npos);
  json.replace(json.find(known), known.size(), "\"chunk-nearly-limit\"");
  auto back = read_report(json, "r.json");
  ASSERT_TRUE(std::holds_alternative<std::string>(back));
  EXPECT_NE(std::get<std::string>(back).find("unknown situation \"chunk-nearly-limit\""),
            std::string::npos);
}

TEST(SituationList, NamesAreUniqueAndFollowTheEnumeration) {
  ASSERT_EQ(situations().size(), kSituations);
  for (size_t i = 0; i < kSituations; ++i) {
    const SituationInfo& s = situations()[i];
    EXPECT_EQ(static_cast<size_t>(s.situation), i);
    EXPECT_EQ(situation_named(s.name), s.situation);
    EXPECT_STRNE(s.group, "");
    EXPECT_STRNE(s.description, "");
  }
  EXPECT_FALSE(situation_named("no-such-situation").has_value());
}

TEST(SituationList, MarksGoToTheRecorderOfTheRunOnly) {
  reached(Situation::kJumpAhead);  // no recorder: nothing happens
  SituationSet seen;
  {
    const SituationRecorder recorder;
    reached(Situation::kChunkEmpty);
    reached(Situation::kChunkEmpty);
    seen = recorder.reached();
  }
  EXPECT_EQ(seen.count(), 1u);
  EXPECT_TRUE(seen.test(static_cast<size_t>(Situation::kChunkEmpty)));
  const SituationRecorder next;
  EXPECT_EQ(next.reached().count(), 0u);
}

}  // namespace
}  // namespace cdc::campaign
