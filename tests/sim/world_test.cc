// The world is deterministic and records a usable history.
#include "sim/world.h"

#include <gtest/gtest.h>

#include "sim/configurations.h"

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
