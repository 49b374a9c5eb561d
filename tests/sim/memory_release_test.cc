#include "sim/memory_release.h"

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#ifdef CDCSIM_MIMALLOC
#include <mimalloc.h>

#include "bench/heap_in_use.h"
#include "tests/sim/test_worlds.h"
#endif

namespace cdc::sim {
namespace {

TEST(PromptReleaseTest, ScopesNestAndCloseInAnyOrderAcrossThreads) {
  ASSERT_EQ(PromptRelease::open_scopes(), 0);
  {
    std::optional<PromptRelease> outer;
    outer.emplace();
    EXPECT_EQ(PromptRelease::open_scopes(), 1);
    std::optional<PromptRelease> inner;
    inner.emplace();
    EXPECT_EQ(PromptRelease::open_scopes(), 2);
    outer.reset();  // the first opened closes first
    EXPECT_EQ(PromptRelease::open_scopes(), 1);
    std::thread other([] {
      const PromptRelease in_another_thread;
      EXPECT_EQ(PromptRelease::open_scopes(), 2);
    });
    other.join();
    EXPECT_EQ(PromptRelease::open_scopes(), 1);
  }
  EXPECT_EQ(PromptRelease::open_scopes(), 0);
}

#ifdef CDCSIM_MIMALLOC
size_t committed_bytes() {
  size_t elapsed = 0, user = 0, system = 0, rss = 0, peak_rss = 0, commit = 0, peak_commit = 0,
         faults = 0;
  mi_process_info(&elapsed, &user, &system, &rss, &peak_rss, &commit, &peak_commit, &faults);
  return commit;
}

TEST(PromptReleaseTest, TheDelayIsZeroInsideAndRestoredAfter) {
  const long before = mi_option_get(mi_option_decommit_delay);
  ASSERT_GT(before, 0) << "mimalloc delays giving back freed spans by default";
  {
    const PromptRelease outer;
    EXPECT_EQ(mi_option_get(mi_option_decommit_delay), 0);
    {
      const PromptRelease inner;
      EXPECT_EQ(mi_option_get(mi_option_decommit_delay), 0);
    }
    EXPECT_EQ(mi_option_get(mi_option_decommit_delay), 0) << "the outer scope is still open";
  }
  EXPECT_EQ(mi_option_get(mi_option_decommit_delay), before);
}

// Blocks freed inside a scope leave the committed memory when it closes.
// Without the scope mimalloc keeps them committed past a forced collection
// while their segments hold other live blocks (as the end of a run leaves
// the history among the world's freed blocks), which the control half shows.
TEST(PromptReleaseTest, FreedBlocksAreNoLongerCommittedWhenTheScopeCloses) {
  constexpr size_t kBlockBytes = 256 * 1024;
  constexpr size_t kBlocks = 256;             // 64 MiB
  std::vector<std::unique_ptr<char[]>> pins;  // live between the blocks, to the end
  const auto fill = [&] {
    std::vector<std::unique_ptr<char[]>> blocks;
    for (size_t i = 0; i < kBlocks; ++i) {
      blocks.push_back(std::make_unique<char[]>(kBlockBytes));
      std::memset(blocks.back().get(), 1, kBlockBytes);  // resident, not only reserved
      pins.push_back(std::make_unique<char[]>(kBlockBytes));
    }
    return blocks;
  };
  constexpr size_t kAll = kBlocks * kBlockBytes;
  size_t full = 0;  // committed with the blocks
  {
    std::vector<std::unique_ptr<char[]>> blocks = fill();
    full = committed_bytes();
    blocks.clear();
  }
  mi_collect(/*force=*/true);
  EXPECT_LT(full - committed_bytes(), kAll / 4) << "control: without a scope they stay";
  pins.clear();
  {
    std::vector<std::unique_ptr<char[]>> blocks = fill();
    full = committed_bytes();
    const PromptRelease scope;
    blocks.clear();
  }
  EXPECT_GE(full - committed_bytes(), kAll * 3 / 4)
      << "committed: " << committed_bytes() << ", with the blocks: " << full;
  const PromptRelease scope;  // nothing left committed for the next test
  pins.clear();
}

// A large run ends in a scope: once run_world returns, what its world held
// is no longer committed. The memory committed during the run, less what
// was given back, was half the history's heap here; without the scope it
// was 1.8 to 2.1 times the history's heap.
TEST(PromptReleaseTest, ALargeRunGivesBackWhatItsWorldFreed) {
  WorldOptions o = testing::quiet_accounts_world(1);
  o.initial_rows = 80'000;  // above World::large()'s 2^16 row versions
  o.initial_load = WorldOptions::InitialLoad::kBulk;
  o.workload.key_space = 2 * static_cast<int64_t>(o.initial_rows);
  o.capture.chunk_size = 4096;
  const size_t committed_before = committed_bytes();
  const size_t in_use_before = bench::heap_in_use_bytes();
  const long delay = mi_option_get(mi_option_decommit_delay);
  const RunResult r = run_world(o);
  ASSERT_TRUE(r.history.drain.reached);
  EXPECT_EQ(PromptRelease::open_scopes(), 0);
  EXPECT_EQ(mi_option_get(mi_option_decommit_delay), delay);
  const double committed = static_cast<double>(committed_bytes() - committed_before);
  const double history = static_cast<double>(bench::heap_in_use_bytes() - in_use_before);
  EXPECT_LT(committed, 1.5 * history) << "committed " << committed << " bytes for " << history;
}
#endif

}  // namespace
}  // namespace cdc::sim
