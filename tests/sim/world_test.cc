// The world is deterministic and records a usable history.
#include "sim/world.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "properties/checkers.h"
#include "sim/configurations.h"
#include "sim/source_workload.h"

namespace cdc::sim {
namespace {

using properties::FaultClass;

TEST(WorldTest, SameSeedSameHistoryAndFingerprint) {
  const WorldOptions o = configured_world(7, BackfillMode::kAutomatic, FaultClass::kCrashes);
  const RunResult a = run_world(o);
  const RunResult b = run_world(o);
  EXPECT_EQ(a.fingerprint, b.fingerprint);
  EXPECT_EQ(a.history.source_commits.size(), b.history.source_commits.size());
  EXPECT_EQ(a.history.collection_txns.size(), b.history.collection_txns.size());
  const RunResult c =
      run_world(configured_world(8, BackfillMode::kAutomatic, FaultClass::kCrashes));
  EXPECT_NE(a.fingerprint, c.fingerprint);
}

// A bulk initial load writes initial_rows rows of distinct keys into each
// table, a thousand to a transaction, before the capture starts; on a run
// without faults every checker holds but the keyless ones (the keyless
// table's Without Primary Key backfill may duplicate rows, as documented),
// and the run is as deterministic as one with a workload load.
TEST(WorldTest, ABulkInitialLoadInsertsDistinctKeysInBatches) {
  WorldOptions o;
  o.seed = 5;
  o.faults = FaultWeights{};
  o.initial_rows = 2500;
  o.workload.key_space = 10'000;
  o.initial_load = WorldOptions::InitialLoad::kBulk;
  const RunResult r = run_world(o);
  const history::History& h = r.history;
  ASSERT_EQ(h.bindings.size(), 3u);
  // Before the first workload tick: three batches per table.
  std::map<uint32_t, std::set<std::string>> keys;
  size_t load_commits = 0;
  for (const history::SourceCommit& c : h.source_commits) {
    if (c.tick != 0) break;
    ++load_commits;
    for (const history::SourceKeyChange& k : c.changes) {
      EXPECT_FALSE(k.before.has_value());
      EXPECT_TRUE(k.after.has_value());
      EXPECT_TRUE(keys[k.table].insert(k.key.str()).second) << "a key loaded twice";
    }
  }
  EXPECT_EQ(load_commits, 3u * 3u);
  ASSERT_EQ(keys.size(), 3u);
  for (const auto& [table, loaded] : keys)
    EXPECT_EQ(loaded.size(), 2500u) << table;
  for (const properties::Verdict& v : properties::check_all(h)) {
    if (v.property.rfind("keyless_", 0) == 0) continue;
    EXPECT_FALSE(v.violated()) << v.property << ": " << v.explanation;
  }
  EXPECT_EQ(run_world(o).fingerprint, r.fingerprint);
  o.initial_load = WorldOptions::InitialLoad::kWorkload;
  EXPECT_NE(run_world(o).fingerprint, r.fingerprint);
}

// A key space smaller than the rows asked for bounds the load: the table
// takes every key there is, and the load ends.
TEST(WorldTest, ABulkLoadStopsAtTheKeySpace) {
  WorldOptions o;
  o.seed = 5;
  o.tables = {demo_schemas().front()};
  o.initial_rows = 500;
  o.workload.key_space = 100;
  o.initial_load = WorldOptions::InitialLoad::kBulk;
  const RunResult r = run_world(o);
  std::set<std::string> loaded;
  for (const history::SourceCommit& c : r.history.source_commits) {
    if (c.tick != 0) break;
    for (const history::SourceKeyChange& k : c.changes)
      loaded.insert(k.key.str());
  }
  EXPECT_EQ(loaded.size(), 100u);
}

TEST(WorldTest, RecordsSourceCaptureAndChunks) {
  const RunResult r = run_world(configured_world(3, BackfillMode::kNormal, FaultClass::kNone));
  const history::History& h = r.history;
  EXPECT_TRUE(h.drain.reached);
  EXPECT_GT(h.source_commits.size(), 10u);
  EXPECT_GT(h.collection_txns.size(), 3u);
  EXPECT_FALSE(h.chunks.empty());
  EXPECT_EQ(h.bindings.size(), 3u);
  ASSERT_FALSE(h.backfills.empty());
  EXPECT_EQ(h.backfills.front().mode, history::ResolvedMode::kNormal);
  size_t snapshot_docs = 0;
  for (const auto& t : h.collection_txns) {
    for (const auto& d : t.docs)
      snapshot_docs += d.snapshot;
  }
  EXPECT_GT(snapshot_docs, 0u);
}

// A document holds the row the capture read, and the capture reads the
// source heap's block (by a chunk's query or through the WAL): a document
// equal to a version of its key shares that version's block with the
// history's source change, so the collection, the destinations and the
// history keep one copy of a row without looking it up again.
TEST(WorldTest, DocumentsShareTheRowVersionTheyRead) {
  for (const bool bulk : {false, true}) {
    WorldOptions o = configured_world(3, BackfillMode::kNormal, FaultClass::kNone);
    o.initial_rows = 300;
    if (bulk) o.initial_load = WorldOptions::InitialLoad::kBulk;
    const RunResult r = run_world(o);
    const history::History& h = r.history;
    std::map<std::pair<uint32_t, std::string>, std::vector<SharedRow>> versions;
    for (const history::SourceCommit& c : h.source_commits) {
      for (const history::SourceKeyChange& k : c.changes) {
        if (k.after) versions[{k.table, k.key.str()}].push_back(*k.after);
      }
    }
    size_t checked[2] = {0, 0};  // stream, snapshot
    for (const history::CollectionTxn& t : h.collection_txns) {
      for (const history::Document& d : t.docs) {
        const history::Binding& b = h.bindings.at(d.binding);
        if (b.keyless || d.op == history::DocOp::kDelete) continue;
        const auto it = versions.find({b.table_id, d.key.str()});
        if (it == versions.end()) continue;
        bool equal = false, shared = false;
        for (const SharedRow& v : it->second) {
          equal = equal || v == d.fields;
          shared = shared || v.shares_block_with(d.fields);
        }
        if (!equal) continue;  // a partial document (an omitted TOAST datum)
        EXPECT_TRUE(shared) << (bulk ? "bulk" : "workload") << " load, document " << d.id;
        ++checked[d.snapshot ? 1 : 0];
      }
    }
    EXPECT_GT(checked[0], 20u) << "stream documents checked";
    EXPECT_GT(checked[1], 50u) << "snapshot documents checked";
  }
}

TEST(WorldTest, SwarmIsDecidedByTheSeedAlone) {
  WorldOptions o = configured_world(11, BackfillMode::kPrecise, FaultClass::kCrashes);
  o.faults.upgrade = 3;
  const WorldOptions a = swarm(o), b = swarm(o);
  EXPECT_EQ(a.faults.crash, b.faults.crash);
  EXPECT_EQ(a.faults.upgrade, b.faults.upgrade);
  EXPECT_EQ(a.faults.total(), b.faults.total());
  // Over many seeds, swarm switches kinds off and on.
  uint32_t off = 0, on = 0;
  for (uint64_t s = 0; s < 64; ++s) {
    o.seed = s;
    (swarm(o).faults.crash == 0 ? off : on)++;
  }
  EXPECT_GT(off, 0u);
  EXPECT_GT(on, 0u);
}

TEST(WorldTest, CrashesAreRecordedAndTheRunStillDrains) {
  WorldOptions o = configured_world(5, BackfillMode::kNormal, FaultClass::kCrashes);
  o.fault_per_tick = {1, 4};
  const RunResult r = run_world(o);
  EXPECT_GT(r.history.crashes, 0u);
  EXPECT_TRUE(r.history.drain.reached);
}

}  // namespace
}  // namespace cdc::sim
