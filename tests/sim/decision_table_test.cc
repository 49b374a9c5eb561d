// The "If I want to... Then I should..." table of the user documentation
// (seed/backfilling-data.txt, "Backfill Selection"), row by row, plus the
// procedure of "Preventing backfills during database upgrades": each test
// scripts what a user does in one deterministic world and checks that the
// goal of the row is reached. Sibling tests script the alternative the
// documentation warns about and check that the harness detects the warned
// outcome (the relevant verdict is kViolated, with a witness).
//
// Every world is built by hand: explicit seed, the keyed tables accounts
// (int key) and tags (text key under the locale collation) captured in
// Normal mode (a re-backfill in Normal mode emits every change, so a key
// deleted during it gets its delete; Automatic would resolve accounts to
// Precise, which has a documented re-backfill limitation), no random
// operations or faults, and a workload without TRUNCATE (the capture does not
// capture TRUNCATE, a known limitation unrelated to these rows).
//
// Three harness gaps found while writing these tests (checkers judging
// documents a collection no longer held, and destination damage no
// transaction made) were fixed by recording the final state of collections
// and destinations in the history; the tests at the end of the file pin them.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "properties/checkers.h"
#include "sim/world.h"

namespace cdc::sim {
namespace {

using Op = ScriptedOp::Kind;
using properties::Verdict;

constexpr uint32_t kAccounts = 0;  // capture binding (and materialization) indices
constexpr uint32_t kTags = 1;

// ---- building worlds ----

CaptureBinding binding(const std::string& table, BackfillMode mode = BackfillMode::kNormal) {
  CaptureBinding b;
  b.table = table;
  b.collection = "acme/" + table;
  b.mode = mode;
  return b;
}

WorldOptions world(uint64_t seed) {
  WorldOptions o;
  o.seed = seed;
  o.bindings = {binding("accounts"), binding("tags")};
  o.faults = FaultWeights{};  // nothing random but the workload
  o.workload.truncate = {0, 1};
  o.safety_ticks = 200;
  o.liveness_ticks_max = 5000;
  return o;
}

ScriptedOp op(uint64_t tick, Op kind, std::vector<uint32_t> bindings = {}) {
  ScriptedOp s;
  s.tick = tick;
  s.kind = kind;
  s.bindings = std::move(bindings);
  return s;
}

ScriptedOp stall(uint64_t tick, uint64_t ticks) {
  ScriptedOp s = op(tick, Op::kStallCapture);
  s.ticks = ticks;
  return s;
}

ScriptedOp only_changes_backfill(uint64_t tick, std::vector<uint32_t> bindings = {}) {
  ScriptedOp s = op(tick, Op::kCaptureBackfill, std::move(bindings));
  s.mode = BackfillMode::kOnlyChanges;
  return s;
}

// ---- running and judging ----

struct Judged {
  history::History h;
  std::vector<Verdict> verdicts;

  const Verdict& verdict(const std::string& property) const {
    const auto it = std::find_if(verdicts.begin(), verdicts.end(),
                                 [&](const Verdict& v) { return v.property == property; });
    EXPECT_NE(it, verdicts.end()) << "no checker named " << property;
    return it == verdicts.end() ? verdicts.front() : *it;
  }
};

Judged run(const WorldOptions& o) {
  Judged r;
  r.h = run_world(o).history;
  r.verdicts = properties::check_all(r.h);
  return r;
}

std::string describe(const Verdict& v) {
  std::string s = v.property + " is " + properties::to_string(v.outcome) + ": " + v.explanation;
  for (const std::string& w : v.witness)
    s += "\n  - " + w;
  return s;
}

::testing::AssertionResult Holds(const Judged& r, const std::string& property) {
  const Verdict& v = r.verdict(property);
  if (v.holds()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << describe(v);
}

// The warned outcome is detected: kViolated, with a witness.
::testing::AssertionResult Violated(const Judged& r, const std::string& property) {
  const Verdict& v = r.verdict(property);
  if (!v.violated()) return ::testing::AssertionFailure() << describe(v);
  if (v.witness.empty()) return ::testing::AssertionFailure() << property << ": empty witness";
  return ::testing::AssertionSuccess();
}

// ---- facts about a history ----

// Destination txns of materialization `m` at or after `tick` that truncated
// (or dropped and recreated) the table first.
size_t truncations_since(const history::History& h, uint32_t m, uint64_t tick) {
  return static_cast<size_t>(std::count_if(
      h.destination_txns.begin(), h.destination_txns.end(), [&](const history::DestinationTxn& t) {
        return t.binding == m && t.tick >= tick && t.truncated_first;
      }));
}

// Backfill chunks of capture binding `b` queried at or after `tick`.
size_t chunks_since(const history::History& h, uint32_t b, uint64_t tick) {
  return static_cast<size_t>(
      std::count_if(h.chunks.begin(), h.chunks.end(),
                    [&](const history::Chunk& c) { return c.binding == b && c.tick >= tick; }));
}

// Chunk rows the capture read but did not emit (filtered by min_backfill_xid).
size_t filtered_rows(const history::History& h) {
  size_t n = 0;
  for (const history::Chunk& c : h.chunks) {
    for (const history::ChunkRow& row : c.rows)
      n += row.emitted ? 0 : 1;
  }
  return n;
}

// The first event at or after `from` whose text contains `text` (its tick),
// or UINT64_MAX.
uint64_t first_event(const history::History& h, const std::string& text, uint64_t from = 0) {
  for (const history::Event& e : h.events) {
    if (e.tick >= from && e.what.find(text) != std::string::npos) return e.tick;
  }
  return UINT64_MAX;
}

// Source commits between ticks [from, to) that changed a captured table.
size_t source_commits_between(const history::History& h, uint64_t from, uint64_t to) {
  size_t n = 0;
  for (const history::SourceCommit& c : h.source_commits) {
    if (c.tick < from || c.tick >= to) continue;
    for (const history::SourceKeyChange& k : c.changes) {
      bool captured = false;
      for (const history::Binding& b : h.bindings)
        captured = captured || b.table_id == k.table;
      if (captured) {
        ++n;
        break;
      }
    }
  }
  return n;
}

void expect_drained_and_consistent(const Judged& r) {
  EXPECT_TRUE(r.h.drain.reached);
  EXPECT_TRUE(Holds(r, "liveness"));
  EXPECT_TRUE(Holds(r, "convergence"));
  EXPECT_TRUE(Holds(r, "destination_convergence"));
}

// =====================================================================
// Row 1. "Refresh my collections with source data, without dropping
// destination tables | Use a Capture Backfill to pull all source data into
// Estuary collections"
// =====================================================================

constexpr uint64_t kRow1Seed = 2;

WorldOptions row1(UpdateStrategy strategy) {
  WorldOptions o = world(kRow1Seed);
  o.strategy = strategy;
  o.script = {op(100, Op::kCaptureBackfill)};  // every binding
  return o;
}

TEST(DecisionTable, Row1CaptureBackfillRefreshesCollectionsKeepingDestinationTables) {
  const Judged r = run(row1(UpdateStrategy::kMerge));
  expect_drained_and_consistent(r);
  EXPECT_TRUE(Holds(r, "no_loss"));
  // The source was re-read into the collections ...
  EXPECT_GT(chunks_since(r.h, kAccounts, 100), 0u);
  EXPECT_GT(chunks_since(r.h, kTags, 100), 0u);
  // ... and the destination tables were kept ("Existing destination tables remain intact").
  EXPECT_EQ(truncations_since(r.h, kAccounts, 100), 0u);
  EXPECT_EQ(truncations_since(r.h, kTags, 100), 0u);
  EXPECT_TRUE(Holds(r, "destination_no_regression"));
  EXPECT_TRUE(Holds(r, "destination_no_resurrection"));
}

// Warned: "Using capture backfills (not dropping the destination tables) when
// you have materializations that use delta updates may result in duplicate
// rows." (also: "Delta updates: New records are inserted without checking for
// existing data, which can result in duplicate records in your destination.")
TEST(DecisionTable, Row1CaptureBackfillWithDeltaUpdatesDuplicatesRows) {
  const Judged r = run(row1(UpdateStrategy::kDelta));
  EXPECT_TRUE(r.h.drain.reached);
  EXPECT_EQ(truncations_since(r.h, kAccounts, 100), 0u);
  EXPECT_TRUE(Violated(r, "delta_duplicates"));
  // Nothing was lost: the rows are there, twice.
  EXPECT_TRUE(Holds(r, "delta_no_loss"));
}

// Known limitation (properties/expectations.cc, "when backfill all /
// convergence"): backfilling every binding at once drops the slot and
// recreates it where the WAL is now ("jump ahead"); creating it waits for the
// running transactions, and the changes committed meanwhile are never read.
// The backfill re-reads the rows that exist, but a row deleted in that window
// keeps its old document in the collection and its row in the destination.
// Seed 1 deletes accounts key 30 in the window.
TEST(DecisionTable, Row1CaptureBackfillOfAllBindingsKeepsARowDeletedWhileTheSlotIsRecreated) {
  WorldOptions o = row1(UpdateStrategy::kMerge);
  o.seed = 1;
  const Judged r = run(o);
  EXPECT_TRUE(r.h.drain.reached);
  EXPECT_NE(first_event(r.h, "would wait for running transactions", 100), UINT64_MAX);
  EXPECT_TRUE(Violated(r, "convergence"));
  EXPECT_TRUE(Violated(r, "destination_convergence"));
  // Backfilling one binding keeps the slot: no window, no stale row.
  o.script = {op(100, Op::kCaptureBackfill, {kAccounts})};
  const Judged one = run(o);
  expect_drained_and_consistent(one);
}

// =====================================================================
// Row 2. "Rebuild destination tables using existing collection data | Use a
// Materialization Backfill to drop and recreate destination tables from
// collections"
// =====================================================================

TEST(DecisionTable, Row2MaterializationBackfillRebuildsDestinationsFromCollections) {
  WorldOptions o = world(1);
  o.script = {op(100, Op::kMaterializationBackfill)};
  const Judged r = run(o);
  expect_drained_and_consistent(r);
  // Dropped and recreated ...
  EXPECT_GT(truncations_since(r.h, kAccounts, 100), 0u);
  EXPECT_GT(truncations_since(r.h, kTags, 100), 0u);
  // ... from the collections: "No new data is pulled from the source".
  EXPECT_EQ(chunks_since(r.h, kAccounts, 100), 0u);
  EXPECT_EQ(chunks_since(r.h, kTags, 100), 0u);
}

// Warned: "This option is best when you need to refresh destination tables but
// are confident your collections contain all the necessary historical data",
// and "Data retention: If using Estuary's trial buckets, data expires after
// approximately 20 days." Documents expire (retention 40 ticks) before the
// materialization backfill, which cannot restore the rows.
TEST(DecisionTable, Row2MaterializationBackfillAfterRetentionExpiredLosesRows) {
  WorldOptions o = world(2);
  o.retention_ticks = 40;
  o.script = {op(100, Op::kMaterializationBackfill)};
  const Judged r = run(o);
  EXPECT_TRUE(r.h.drain.reached);
  ASSERT_FALSE(r.h.expiries.empty());
  EXPECT_LT(r.h.expiries.front().tick, 100u);
  EXPECT_TRUE(Violated(r, "retention_loss"));
  EXPECT_TRUE(Violated(r, "destination_convergence"));
}

// =====================================================================
// Row 3. "Completely refresh my entire data pipeline from source to
// destination | Use a Data Flow Backfill to drop destination tables and
// backfill from source"
// =====================================================================

TEST(DecisionTable, Row3DataFlowBackfillRefreshesTheWholePipeline) {
  WorldOptions o = world(1);
  o.script = {op(100, Op::kDataFlowBackfill)};
  const Judged r = run(o);
  expect_drained_and_consistent(r);
  EXPECT_TRUE(Holds(r, "no_loss"));
  // Source re-read, destination tables dropped and rebuilt.
  EXPECT_GT(chunks_since(r.h, kAccounts, 100), 0u);
  EXPECT_GT(chunks_since(r.h, kTags, 100), 0u);
  EXPECT_GT(truncations_since(r.h, kAccounts, 100), 0u);
  EXPECT_GT(truncations_since(r.h, kTags, 100), 0u);
}

// With delta updates: "Materialization bindings are configured to only read
// from now onwards (they don't re-send previously captured data along with
// the new backfill)", so unlike a capture backfill (row 1) nothing is
// duplicated.
TEST(DecisionTable, Row3DataFlowBackfillWithDeltaUpdatesHoldsOnlyNewRows) {
  WorldOptions o = world(1);
  o.strategy = UpdateStrategy::kDelta;
  o.script = {op(100, Op::kDataFlowBackfill)};
  const Judged r = run(o);
  EXPECT_TRUE(r.h.drain.reached);
  EXPECT_TRUE(Holds(r, "liveness"));
  EXPECT_TRUE(Holds(r, "convergence"));
  EXPECT_TRUE(Holds(r, "delta_no_prebackfill_rows"));
  EXPECT_TRUE(Holds(r, "delta_duplicates"));
  EXPECT_TRUE(Holds(r, "delta_no_loss"));
}

// =====================================================================
// Row 4. "Recover from a replication slot failure in PostgreSQL | Use a
// Capture Backfill to re-establish consistency"
// =====================================================================
//
// max_slot_wal_keep_size is 2048 bytes and the capture stalls for 60 ticks
// while the workload writes; the slot is invalidated at the next CHECKPOINT
// that finds it holding more WAL than that. The world has no scripted
// CHECKPOINT and the source writes far less than the 64 KiB that triggers one
// on its own, so this scenario (alone) enables the routine CHECKPOINT
// operation of the scheduler; every other fault kind stays off. With seed 2
// the capture fails on the invalidated slot from tick 147 on.

constexpr uint64_t kRow4Backfill = 175;

WorldOptions row4() {
  WorldOptions o = world(2);
  o.max_slot_wal_keep_size_bytes = 2048;
  o.faults.checkpoint = 1;
  o.fault_per_tick = {1, 10};
  o.script = {stall(40, 100)};
  return o;
}

TEST(DecisionTable, Row4CaptureBackfillOfAllBindingsRecoversFromALostSlot) {
  WorldOptions o = row4();
  o.script.push_back(op(kRow4Backfill, Op::kCaptureBackfill));  // every binding
  const Judged r = run(o);
  // The slot was lost before the backfill ...
  EXPECT_LT(first_event(r.h, "this slot has been invalidated"), kRow4Backfill);
  // ... and the backfill of every binding re-established consistency.
  expect_drained_and_consistent(r);
  EXPECT_GT(chunks_since(r.h, kAccounts, kRow4Backfill), 0u);
  EXPECT_GT(chunks_since(r.h, kTags, kRow4Backfill), 0u);
}

// Without the backfill the capture cannot read the invalidated slot again.
TEST(DecisionTable, Row4WithoutABackfillTheCaptureNeverRecoversFromALostSlot) {
  const Judged r = run(row4());
  EXPECT_LT(first_event(r.h, "this slot has been invalidated"), kRow4Backfill);
  EXPECT_FALSE(r.h.drain.reached);
  EXPECT_TRUE(Violated(r, "liveness"));
}

// =====================================================================
// Row 5. "Add a new table to my existing data flow | Use a Capture Backfill
// for just the new binding"
// =====================================================================
//
// The capture starts with accounts only; tags is added at tick 100. A new
// binding has a new state key, so it (and only it) is backfilled.

WorldOptions row5() {
  WorldOptions o = world(1);
  o.bindings = {binding("accounts")};
  o.script = {op(100, Op::kAddBinding, {1})};  // table index 1: tags
  return o;
}

TEST(DecisionTable, Row5AddingATableBackfillsJustTheNewBinding) {
  const Judged r = run(row5());
  ASSERT_EQ(r.h.bindings.size(), 2u);
  EXPECT_EQ(r.h.bindings[kTags].table, "tags");
  expect_drained_and_consistent(r);  // judged for both bindings
  EXPECT_TRUE(Holds(r, "no_loss"));
  EXPECT_GT(chunks_since(r.h, kTags, 100), 0u);
  EXPECT_EQ(chunks_since(r.h, kAccounts, 100), 0u);
  EXPECT_EQ(truncations_since(r.h, kAccounts, 100), 0u);
}

// Warned ("Backfill modes ... In general, you should not change this
// setting"): adding the table with Only Changes skips its backfill, and "Rows
// that existed before the capture started never reach the collection".
TEST(DecisionTable, Row5AddingATableWithOnlyChangesMissesItsExistingRows) {
  WorldOptions o = row5();
  o.script.push_back(only_changes_backfill(100, {kTags}));
  const Judged r = run(o);
  EXPECT_TRUE(r.h.drain.reached);
  EXPECT_EQ(chunks_since(r.h, kTags, 0), 0u);
  EXPECT_TRUE(Violated(r, "convergence"));
  EXPECT_TRUE(Violated(r, "destination_convergence"));
}

// =====================================================================
// Row 6. "Ensure my own storage bucket contains complete historical data |
// Use a Capture Backfill after setting up the new storage mapping"
// =====================================================================
//
// The collections move to new, empty storage at tick 100. Whether the new
// storage holds complete history shows when a destination is rebuilt from it:
// both tests end with a materialization backfill at tick 150.

WorldOptions row6(bool capture_backfill) {
  WorldOptions o = world(1);
  o.script = {op(100, Op::kNewStorage)};
  if (capture_backfill) o.script.push_back(op(101, Op::kCaptureBackfill));
  o.script.push_back(op(150, Op::kMaterializationBackfill));
  return o;
}

TEST(DecisionTable, Row6CaptureBackfillAfterNewStorageFillsItWithCompleteHistory) {
  const Judged r = run(row6(true));
  expect_drained_and_consistent(r);
  EXPECT_GT(chunks_since(r.h, kAccounts, 101), 0u);
  EXPECT_GT(truncations_since(r.h, kAccounts, 150), 0u);
}

// Without the capture backfill the new storage holds only what was captured
// after the move, and a destination rebuilt from it misses older rows.
// (Convergence of the collection shows it too: see
// NewStorageWithoutBackfillIsDetectedByConvergence.)
TEST(DecisionTable, Row6NewStorageWithoutBackfillLacksHistory) {
  const Judged r = run(row6(false));
  EXPECT_TRUE(r.h.drain.reached);
  EXPECT_EQ(chunks_since(r.h, kAccounts, 100), 0u);
  EXPECT_TRUE(Violated(r, "destination_convergence"));
}

// =====================================================================
// Row 7. "Recreate a destination table from scratch when using trial buckets
// with limited retention | Use a Data Flow Backfill to ensure all historical
// source data is included"
// =====================================================================

WorldOptions row7(Op backfill) {
  WorldOptions o = world(1);
  o.retention_ticks = 40;  // the trial bucket
  o.script = {op(100, backfill)};
  return o;
}

TEST(DecisionTable, Row7DataFlowBackfillRecreatesDestinationsDespiteRetention) {
  const Judged r = run(row7(Op::kDataFlowBackfill));
  ASSERT_FALSE(r.h.expiries.empty());
  EXPECT_LT(r.h.expiries.front().tick, 100u);  // documents expired before the rebuild
  EXPECT_GT(truncations_since(r.h, kAccounts, 100), 0u);
  EXPECT_GT(chunks_since(r.h, kAccounts, 100), 0u);  // the source was re-read
  EXPECT_TRUE(r.h.drain.reached);
  EXPECT_TRUE(Holds(r, "liveness"));
  EXPECT_TRUE(Holds(r, "destination_convergence"));
  EXPECT_TRUE(Holds(r, "retention_loss"));  // judged: a rebuild after an expiry
}

// Warned (same as row 2's warning): a materialization backfill rebuilds from
// a collection whose documents expired.
TEST(DecisionTable, Row7MaterializationBackfillWithRetentionLosesExpiredRows) {
  const Judged r = run(row7(Op::kMaterializationBackfill));
  ASSERT_FALSE(r.h.expiries.empty());
  EXPECT_LT(r.h.expiries.front().tick, 100u);
  EXPECT_TRUE(r.h.drain.reached);
  EXPECT_TRUE(Violated(r, "retention_loss"));
  EXPECT_TRUE(Violated(r, "destination_convergence"));
}

// =====================================================================
// Row 8. "Update my destination with schema changes from the source | Use a
// Data Flow Backfill to ensure schema changes are properly propagated"
// =====================================================================
//
// The harness models a schema change as a new destination schema version,
// which makes the next backfill drop and recreate the table (recorded as
// truncated_first). It does not model column contents changing.

TEST(DecisionTable, Row8DataFlowBackfillPropagatesASchemaChange) {
  WorldOptions o = world(1);
  o.script = {op(100, Op::kDestinationSchemaChange), op(101, Op::kDataFlowBackfill)};
  const Judged r = run(o);
  expect_drained_and_consistent(r);
  EXPECT_GT(truncations_since(r.h, kAccounts, 101), 0u);  // recreated
  EXPECT_GT(truncations_since(r.h, kTags, 101), 0u);
  EXPECT_GT(chunks_since(r.h, kAccounts, 101), 0u);
}

// =====================================================================
// Row 9. "Recover from data corruption in both collections and destinations |
// Use a Data Flow Backfill for a complete refresh of the entire pipeline"
// =====================================================================
//
// At tick 300 of 400 every other document of each collection is lost and
// every other destination row is erased or loses a field. The checkers see
// the damage through the final state the history records (see
// CorruptedDestinationIsDetectedWithoutARebuild). Seed 7 is a seed where the
// unrepaired damage is detected, so the repair is meaningful.

constexpr uint64_t kRow9Seed = 7;
constexpr uint64_t kRow9Corruption = 300;

WorldOptions row9() {
  WorldOptions o = world(kRow9Seed);
  o.safety_ticks = 400;
  o.script = {op(kRow9Corruption, Op::kCorruptCollections),
              op(kRow9Corruption, Op::kCorruptDestinations)};
  return o;
}

TEST(DecisionTable, Row9DataFlowBackfillRepairsCorruptedCollectionsAndDestinations) {
  WorldOptions o = row9();
  o.script.push_back(op(kRow9Corruption + 1, Op::kDataFlowBackfill));
  const Judged r = run(o);
  expect_drained_and_consistent(r);
  EXPECT_TRUE(Holds(r, "no_loss"));
  EXPECT_TRUE(Holds(r, "destination_no_regression"));
  EXPECT_GT(truncations_since(r.h, kAccounts, kRow9Corruption + 1), 0u);
  EXPECT_GT(truncations_since(r.h, kTags, kRow9Corruption + 1), 0u);
  // The collections themselves are sound again: destinations rebuilt from them
  // later still converge.
  o.script.push_back(op(kRow9Corruption + 50, Op::kMaterializationBackfill));
  const Judged rebuilt = run(o);
  EXPECT_GT(truncations_since(rebuilt.h, kAccounts, kRow9Corruption + 50), 0u);
  EXPECT_TRUE(Holds(rebuilt, "destination_convergence"));
}

// The same corruption left alone is detected.
TEST(DecisionTable, Row9CorruptionLeftAloneIsDetected) {
  const Judged r = run(row9());
  EXPECT_TRUE(r.h.drain.reached);
  EXPECT_TRUE(Violated(r, "destination_convergence"));
}

// Alternative: a capture backfill (merge, destination tables kept) instead.
// What the harness reports: the collection still diverges. The Normal
// re-backfill emits a complete snapshot document for every key that exists,
// but nothing for a key that no longer exists: a delete document the
// corruption destroyed (here a key of accounts deleted at tick 299) is never
// replaced, so the collection keeps the deleted key. On this seed the
// destination happens to converge: the same key's row was among those the
// destination corruption removed, and merge rewrote every damaged row.
TEST(DecisionTable, Row9CaptureBackfillLeavesKeysWhoseDeletesWereLost) {
  WorldOptions o = row9();
  o.script.push_back(op(kRow9Corruption + 1, Op::kCaptureBackfill));
  const Judged r = run(o);
  EXPECT_TRUE(r.h.drain.reached);
  EXPECT_TRUE(Holds(r, "liveness"));
  EXPECT_EQ(truncations_since(r.h, kAccounts, kRow9Corruption + 1), 0u);
  EXPECT_TRUE(Violated(r, "convergence"));
  EXPECT_TRUE(Holds(r, "destination_convergence"));
}

// =====================================================================
// Row 10. "Recover from data corruption in both collections and destinations
// for very large (TBs of data) datasets | Use a Data Flow Backfill for a
// refresh of the pipeline with capture configurations to start the backfill
// from a particular timestamp or transaction id"
// =====================================================================
//
// min_backfill_xid makes a backfill emit only rows whose xmin is at or past
// the xid ("Estuary will only backfill rows greater than ... the specified
// XID"). Read literally, the row combines it with a data flow backfill,
// which drops the destination tables and resets the collections: rows last
// written before the xid are then in neither, and the rebuilt tables lack
// them (second test). The closest faithful use is the one the PostgreSQL
// section describes ("you do not want to re-backfill a full table"): keep the
// destination tables and re-backfill the recent rows into them with a capture
// backfill, so older rows stay where they are (first test).

constexpr uint64_t kRow10Seed = 2;

WorldOptions row10(Op backfill) {
  WorldOptions o = world(kRow10Seed);
  o.script = {op(60, Op::kSetMinBackfillXid), op(120, backfill)};
  return o;
}

TEST(DecisionTable, Row10CaptureBackfillFromATransactionIdRefreshesRecentRows) {
  const Judged r = run(row10(Op::kCaptureBackfill));
  expect_drained_and_consistent(r);
  EXPECT_TRUE(Holds(r, "no_loss"));
  EXPECT_GT(chunks_since(r.h, kAccounts, 120), 0u);
  EXPECT_GT(filtered_rows(r.h), 0u);  // older rows were not re-emitted
  EXPECT_EQ(truncations_since(r.h, kAccounts, 120), 0u);
}

TEST(DecisionTable, Row10DataFlowBackfillFromATransactionIdLosesOlderRows) {
  const Judged r = run(row10(Op::kDataFlowBackfill));
  EXPECT_TRUE(r.h.drain.reached);
  EXPECT_GT(filtered_rows(r.h), 0u);
  EXPECT_GT(truncations_since(r.h, kAccounts, 120), 0u);
  EXPECT_TRUE(Violated(r, "destination_convergence"));
}

// =====================================================================
// "Preventing backfills during database upgrades": 1. Pause database writes;
// 2. Monitor the current capture to ensure captures are fully up-to-date;
// 3. Perform the database upgrade; 4. Backfill each binding of the capture
// using the "Only Changes" backfill mode; 5. Resume database writes.
// =====================================================================

constexpr uint64_t kUpgradeSeed = 1;
constexpr uint64_t kUpgradeTick = 102;

TEST(DecisionTable, UpgradeProcedureAvoidsAFullBackfillAndLosesNothing) {
  WorldOptions o = world(kUpgradeSeed);
  o.script = {op(100, Op::kPauseWrites), op(101, Op::kWaitUntilDrained),
              op(kUpgradeTick, Op::kUpgrade), only_changes_backfill(103),
              op(104, Op::kResumeWrites)};
  const Judged r = run(o);
  EXPECT_NE(first_event(r.h, "waited until drained"), UINT64_MAX);
  const uint64_t upgrade = first_event(r.h, "major upgrade");
  ASSERT_NE(upgrade, UINT64_MAX);
  EXPECT_EQ(first_event(r.h, "(refused)"), UINT64_MAX);
  // The workload wrote after the upgrade, so the new position was exercised.
  EXPECT_GT(source_commits_between(r.h, upgrade + 1, UINT64_MAX), 0u);
  expect_drained_and_consistent(r);
  EXPECT_TRUE(Holds(r, "no_loss"));
  EXPECT_TRUE(Holds(r, "only_changes"));
  // "This will not cause a full backfill": no chunk after the upgrade.
  EXPECT_EQ(chunks_since(r.h, kAccounts, upgrade), 0u);
  EXPECT_EQ(chunks_since(r.h, kTags, upgrade), 0u);
}

// Steps 1 and 2 skipped: writes go on, the upgrade drops the slot and the Only
// Changes backfill jumps ahead past whatever the capture had not read yet.
// The harness reports it through convergence. no_loss holds: it judges
// changes after the latest instance's stream start, and the lost window lies
// before the Only Changes instance starts.
TEST(DecisionTable, UpgradeWithoutPausingWritesLosesChanges) {
  WorldOptions o = world(kUpgradeSeed);
  o.script = {op(kUpgradeTick, Op::kUpgrade), only_changes_backfill(103)};
  const Judged r = run(o);
  EXPECT_TRUE(r.h.drain.reached);
  EXPECT_EQ(chunks_since(r.h, kAccounts, kUpgradeTick), 0u);
  EXPECT_TRUE(Violated(r, "convergence"));
  EXPECT_TRUE(Violated(r, "destination_convergence"));
  EXPECT_TRUE(Holds(r, "no_loss"));
}

// No backfill after the upgrade: "The capture recreates the dropped slot at the
// current WAL position and silently resumes there" (properties/expectations.cc).
TEST(DecisionTable, UpgradeWithoutABackfillSilentlySkipsChanges) {
  WorldOptions o = world(kUpgradeSeed);
  o.script = {op(kUpgradeTick, Op::kUpgrade)};
  const Judged r = run(o);
  EXPECT_TRUE(r.h.drain.reached);
  EXPECT_TRUE(Holds(r, "liveness"));  // nothing stops: the loss is silent
  EXPECT_TRUE(Violated(r, "convergence"));
  EXPECT_TRUE(Violated(r, "no_loss"));
}

// =====================================================================
// Former harness gaps, fixed: each test asserts the correct behaviour.
// =====================================================================

// Was a bug: the collection checkers (convergence, no_loss) reduced every
// document the history ever recorded for a binding, though the history did
// not record collection resets (data flow backfill, kNewStorage) or lost
// documents (kCorruptCollections); they now use the documents the collection
// still held at the end. After a data flow backfill the collection
// holds only its new generation, yet convergence still reduces the discarded
// one. Seed 5: the data flow backfill of every binding jumps the slot ahead,
// accounts key 49 is deleted while the new slot is being created, and
// convergence reports the key's old-generation snapshot (collection seq 3,
// state accounts.v0) as still in the collection, while the reset collection
// never held it after tick 100; destination_convergence, which replays what
// was materialized from the new generation, holds.
TEST(DecisionTable, DataFlowBackfillConvergenceJudgesOnlyTheNewGeneration) {
  WorldOptions o = world(5);
  o.script = {op(100, Op::kDataFlowBackfill)};
  const Judged r = run(o);
  EXPECT_TRUE(Holds(r, "destination_convergence"));
  EXPECT_TRUE(Holds(r, "convergence"));  // was a false violation
  // Evidence that the collection itself converges: a destination rebuilt from
  // all of it later holds exactly the source state.
  o.script.push_back(op(190, Op::kMaterializationBackfill));
  const Judged rebuilt = run(o);
  EXPECT_GT(truncations_since(rebuilt.h, kAccounts, 190), 0u);
  EXPECT_TRUE(Holds(rebuilt, "destination_convergence"));
}

// Was a bug (same cause): after kNewStorage with no capture backfill the
// collections hold only documents captured after the move, so reducing them
// does not give the source state; convergence used to hold because it reduced
// documents of the old storage too.
TEST(DecisionTable, NewStorageWithoutBackfillIsDetectedByConvergence) {
  WorldOptions o = world(1);
  o.script = {op(100, Op::kNewStorage)};
  const Judged r = run(o);
  EXPECT_TRUE(r.h.drain.reached);
  EXPECT_TRUE(Violated(r, "convergence"));
}

// Was a bug: kCorruptDestinations damages the destination tables without a
// transaction, and destination_convergence replayed only the recorded
// destination txns, so damage the materialization did not touch again was
// invisible. It now judges the destination's recorded final state. Seed 1:
// half the rows are damaged at tick 100 and nothing repairs them.
TEST(DecisionTable, CorruptedDestinationIsDetectedWithoutARebuild) {
  WorldOptions o = world(1);
  o.script = {op(100, Op::kCorruptDestinations)};
  const Judged r = run(o);
  EXPECT_TRUE(r.h.drain.reached);
  EXPECT_NE(first_event(r.h, "destinations corrupted"), UINT64_MAX);
  EXPECT_TRUE(Violated(r, "destination_convergence"));
}

}  // namespace
}  // namespace cdc::sim
