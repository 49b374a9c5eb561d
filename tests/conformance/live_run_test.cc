// Live runs: what keyed_only leaves out of a scenario, and whole runs of
// catalogue scenarios against a real PostgreSQL 15 whose histories the
// checkers judge (one that loses nothing; one that reproduces the Debezium
// read-only finding on the server's own xids; one whose slot the server
// invalidates).
#include "conformance/live_run.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>

#include "outside/history_reader.h"
#include "outside/support.h"
#include "scenarios/loader.h"

namespace cdc::conformance {
namespace {

TableSchema table(const std::string& name, bool keyed) {
  TableSchema s;
  s.name = name;
  s.columns = {{"id", ColumnType::kInt64, Collation::kC, false, false},
               {"v", ColumnType::kInt64, Collation::kC, false, true}};
  if (keyed) s.primary_key = {0};
  return s;
}

sim::Statement insert_into(uint32_t t, int64_t id) {
  sim::Statement st;
  st.kind = sim::Statement::Kind::kInsert;
  st.table = t;
  st.row = {Value::int64(id), Value::int64(1)};
  return st;
}

TEST(LiveRunTest, KeyedOnlyLeavesOutKeylessTablesWithTheirStatementsAndFaults) {
  sim::WorldOptions o;
  o.tables = {table("a", true), table("events", false), table("c", true)};
  for (const TableSchema& s : o.tables)
    o.bindings.push_back(CaptureBinding{s.name, "acme/" + s.name, BackfillMode::kAutomatic});
  o.schedule.emplace();
  o.schedule->initial = {insert_into(0, 1), insert_into(1, 2), insert_into(2, 3)};
  sim::Statement commit;
  commit.kind = sim::Statement::Kind::kCommit;
  o.schedule->statements = {insert_into(1, 4), commit, insert_into(2, 5)};
  o.schedule->faults = {{1, sim::FaultKind::kVacuumFull, 1, 0, 0},
                        {2, sim::FaultKind::kVacuumFull, 2, 0, 0},
                        {3, sim::FaultKind::kBackfillOne, 0, 1, 0},
                        {4, sim::FaultKind::kBackfillOne, 0, 2, 0}};
  std::vector<std::string> notes;
  const sim::WorldOptions k = keyed_only(o, &notes);
  ASSERT_EQ(k.tables.size(), 2u);
  EXPECT_EQ(k.tables[1].name, "c");
  ASSERT_EQ(k.bindings.size(), 2u);
  EXPECT_EQ(k.bindings[1].table, "c");
  ASSERT_EQ(k.schedule->initial.size(), 2u);
  EXPECT_EQ(k.schedule->initial[1].table, 1u);  // c moved from 2 to 1
  ASSERT_EQ(k.schedule->statements.size(), 2u);
  EXPECT_EQ(k.schedule->statements[0].kind, sim::Statement::Kind::kCommit);
  EXPECT_EQ(k.schedule->statements[1].table, 1u);
  ASSERT_EQ(k.schedule->faults.size(), 2u);
  EXPECT_EQ(k.schedule->faults[0].table, 1u);    // the VACUUM FULL of c
  EXPECT_EQ(k.schedule->faults[1].binding, 1u);  // the backfill of c's binding
  EXPECT_EQ(notes.size(), 2u);
}

// Loads a catalogue scenario (explicit schedule), runs it live and judges
// the history it wrote.
std::vector<properties::Verdict> live_verdicts(const std::string& name, LiveResult* result) {
  const std::string file = std::string(CDCSIM_SOURCE_DIR) + "/scenarios/catalogue/" + name;
  const scenarios::LoadResult loaded = scenarios::load_scenario_file(file);
  EXPECT_TRUE(std::holds_alternative<scenarios::Scenario>(loaded));
  if (!std::holds_alternative<scenarios::Scenario>(loaded)) return {};
  std::vector<std::string> notes;
  const sim::WorldOptions o = live_options(std::get<scenarios::Scenario>(loaded).options, &notes);
  const std::string path =
      (std::filesystem::temp_directory_path() / ("cdcsim-live-" + name + ".jsonl")).string();
  Result<LiveResult> r = run_live(o, path);
  EXPECT_TRUE(r.is_ok()) << (r.is_ok() ? "" : r.error().message);
  if (!r.is_ok()) return {};
  *result = r.value();
  EXPECT_FALSE(std::filesystem::exists(path + ".partial"));
  Result<outside::OutsideHistory> h = outside::read_outside_history_file(path);
  EXPECT_TRUE(h.is_ok()) << (h.is_ok() ? "" : h.error().message);
  std::filesystem::remove(path);
  return h.is_ok() ? outside::judge_outside(h.value().history) : std::vector<properties::Verdict>{};
}

std::string outcome_of(const std::vector<properties::Verdict>& vs, const std::string& property) {
  for (const properties::Verdict& v : vs) {
    if (v.property == property) return properties::to_string(v.outcome);
  }
  return "absent";
}

TEST(LiveRunTest, ADeleteInsideADebeziumWindowLosesNothingOnTheServer) {
  LiveResult r;
  const std::vector<properties::Verdict> vs =
      live_verdicts("debezium-delete-inside-window.yaml", &r);
  EXPECT_TRUE(r.drained);
  EXPECT_GE(r.source_commits, 8u);
  EXPECT_GE(r.collection_txns, 2u);
  EXPECT_GE(r.destination_txns, 1u);
  EXPECT_EQ(outcome_of(vs, "convergence"), "holds");
  EXPECT_EQ(outcome_of(vs, "no_loss"), "holds");
  EXPECT_EQ(outcome_of(vs, "destination_convergence"), "holds");
}

// pg_resetwal starts the server 6 xids before the wrap; after the burn its
// snapshots carry epoch 1 while test_decoding gives 32-bit ids: the
// read-only window never opens, as the model predicts.
TEST(LiveRunTest, TheReadOnlyEpochFindingHoldsOnTheServersOwnXids) {
  LiveResult r;
  const std::vector<properties::Verdict> vs =
      live_verdicts("debezium-read-only-after-wrap.yaml", &r);
  EXPECT_TRUE(r.drained);
  EXPECT_EQ(outcome_of(vs, "convergence"), "violated");
  EXPECT_EQ(outcome_of(vs, "destination_convergence"), "violated");
  bool never_opened = false;
  for (const std::string& line : r.observed)
    never_opened = never_opened || line.find("without opening") != std::string::npos;
  EXPECT_TRUE(never_opened);
}

// The scenario stalls the capture past max_slot_wal_keep_size: the server
// invalidates its slot for real (the recording slot survives), the capture
// fails until the scripted backfill of every binding recreates it, and the
// pipeline catches up with nothing lost.
TEST(LiveRunTest, ALaggingSlotIsInvalidatedOnTheServerAndABackfillRecovers) {
  LiveResult r;
  const std::vector<properties::Verdict> vs = live_verdicts("slot-failure-recovery.yaml", &r);
  bool lost = false;
  bool slot_error = false;
  for (const std::string& line : r.observed) {
    lost = lost || line.find("flow_slot lost") != std::string::npos;
    slot_error = slot_error || line.find("can no longer get changes") != std::string::npos;
  }
  EXPECT_TRUE(lost);
  EXPECT_TRUE(slot_error);
  EXPECT_TRUE(r.drained);
  EXPECT_EQ(outcome_of(vs, "convergence"), "holds");
  EXPECT_EQ(outcome_of(vs, "destination_convergence"), "holds");
}

}  // namespace
}  // namespace cdc::conformance
