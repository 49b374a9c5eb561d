// A generated run's recorded schedule, performed with no generator, replays
// the run bit for bit; and explicit schedules tolerate statements that no
// longer fit (what shrinking relies on).
#include "sim/schedule.h"

#include <gtest/gtest.h>

#include "sim/configurations.h"
#include "sim/matrix.h"
#include "sim/world.h"

namespace cdc::sim {
namespace {

RunResult recorded_run(WorldOptions o) {
  o.record_schedule = true;
  return run_world(o);
}

RunResult replayed(WorldOptions o, const Schedule& s) {
  o.schedule = s;
  return run_world(o);
}

// Commits that changed the first table (not the capture's watermarks).
size_t commits_to_first_table(const history::History& h) {
  size_t n = 0;
  for (const history::SourceCommit& c : h.source_commits) {
    bool mine = false;
    for (const history::SourceKeyChange& k : c.changes)
      mine = mine || k.table == h.bindings.at(0).table_id;
    n += mine;
  }
  return n;
}

// A fifth of the matrix, chosen so that every pair of values of any two
// dimensions still meets in some cell: the sum of the cell's coordinates is a
// multiple of five (each dimension but the strategy has at least four values).
bool in_pairwise_slice(const MatrixCell& c) {
  const auto sum = static_cast<uint32_t>(c.backfill) + static_cast<uint32_t>(c.mode) +
                   static_cast<uint32_t>(c.strategy) + static_cast<uint32_t>(c.faults) +
                   static_cast<uint32_t>(c.key);
  return sum % 5 == 0;
}

TEST(Schedule, RecordedScheduleReplaysMatrixCellsBitForBit) {
  uint64_t seed = 0;
  size_t cells = 0;
  for (const MatrixCell& c : all_cells()) {
    if (!in_pairwise_slice(c)) continue;
    ++cells;
    seed = seed % 4 + 1;  // both sides of the xid wrap (odd seeds start near it)
    WorldOptions o = configured_world(seed, c.mode, c.faults, c.backfill, c.strategy, c.key);
    o.safety_ticks = 120;
    const RunResult generated = recorded_run(o);
    ASSERT_GT(generated.schedule.statements.size(), 0u) << cell_name(c);
    const RunResult replay = replayed(o, generated.schedule);
    EXPECT_EQ(replay.fingerprint, generated.fingerprint) << cell_name(c) << " seed " << seed;
  }
  EXPECT_GE(cells, all_cells().size() / 6);
}

TEST(Schedule, RecordingDoesNotChangeTheRun) {
  WorldOptions o = configured_world(3, BackfillMode::kNormal, properties::FaultClass::kCrashes,
                                    properties::BackfillType::kCapture, UpdateStrategy::kMerge);
  EXPECT_EQ(run_world(o).fingerprint, recorded_run(o).fingerprint);
}

TEST(Schedule, RecordsInitialRowsFaultsAndFinishes) {
  WorldOptions o = configured_world(4, BackfillMode::kNormal, properties::FaultClass::kCrashes,
                                    properties::BackfillType::kCapture, UpdateStrategy::kMerge);
  o.swarm = false;
  o.fault_per_tick = {1, 4};
  const Schedule s = recorded_run(o).schedule;
  EXPECT_GT(s.initial.size(), 0u);
  EXPECT_GT(s.faults.size(), 0u);
  bool finish = false;
  for (const Statement& st : s.statements)
    finish = finish || st.at_finish;
  EXPECT_TRUE(finish) << "the liveness phase ends open transactions";
  for (size_t i = 1; i < s.statements.size(); ++i)
    EXPECT_LE(s.statements[i - 1].tick, s.statements[i].tick);
}

// Every statement kept, or every other one dropped: the run still completes
// and is deterministic.
TEST(Schedule, AnySubsetOfAScheduleRuns) {
  WorldOptions o = configured_world(5, BackfillMode::kAutomatic, properties::FaultClass::kCrashes,
                                    properties::BackfillType::kDataFlow, UpdateStrategy::kDelta);
  const Schedule full = recorded_run(o).schedule;
  for (size_t stride : {2, 3, 7}) {
    Schedule s = full;
    s.statements.clear();
    s.initial.clear();
    for (size_t i = 0; i < full.statements.size(); ++i) {
      if (i % stride != 0) s.statements.push_back(full.statements[i]);
    }
    for (size_t i = 0; i < full.initial.size(); ++i) {
      if (i % stride != 1) s.initial.push_back(full.initial[i]);
    }
    s.capture_choices.clear();
    const RunResult a = replayed(o, s);
    const RunResult b = replayed(o, s);
    EXPECT_EQ(a.fingerprint, b.fingerprint);
    EXPECT_FALSE(a.history.source_commits.empty());
  }
}

// A small world of five ticks without a materialization.
WorldOptions tiny_world() {
  WorldOptions o;
  o.materialize = false;
  o.safety_ticks = 5;
  return o;
}

Statement at(uint64_t tick, Statement::Kind kind, uint32_t session = 0) {
  Statement st;
  st.tick = tick;
  st.kind = kind;
  st.session = session;
  if (kind == Statement::Kind::kInsert)  // into accounts (id, balance, note)
    st.row = {Value::int64(7), Value::int64(1), Value::text("x")};
  return st;
}

TEST(Schedule, AStatementWithoutATransactionBeginsOne) {
  Schedule s;
  // Session 3 is beyond the configured sessions: sessions grow on demand.
  s.statements = {at(2, Statement::Kind::kInsert, 3), at(3, Statement::Kind::kCommit, 3)};
  EXPECT_EQ(commits_to_first_table(replayed(tiny_world(), s).history), 1u);
}

TEST(Schedule, AFailingStatementRollsItsTransactionBack) {
  Schedule s;  // the second insert is a duplicate key
  s.statements = {at(1, Statement::Kind::kInsert), at(2, Statement::Kind::kInsert),
                  at(3, Statement::Kind::kCommit)};
  EXPECT_EQ(commits_to_first_table(replayed(tiny_world(), s).history), 0u);
}

TEST(Schedule, OpenTransactionsAreCommittedAtTheFinish) {
  Schedule s;
  s.statements = {at(1, Statement::Kind::kInsert)};
  EXPECT_EQ(commits_to_first_table(replayed(tiny_world(), s).history), 1u);
}

}  // namespace
}  // namespace cdc::sim
