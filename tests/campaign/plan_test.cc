// Plans in seed-major order, shards, and the one mapping from a target to
// its run options.
#include "campaign/plan.h"

#include <gtest/gtest.h>

#include "campaign/target.h"

namespace cdc::campaign {
namespace {

const std::string kFile = std::string(CDCSIM_SOURCE_DIR) + "/scenarios/catalogue/key-changes.yaml";

TEST(PlanTest, ItemsAreSeedMajor) {
  const std::vector<sim::MatrixCell> cells = {sim::all_cells()[0], sim::all_cells()[5]};
  const auto p = make_plan({kFile}, cells, 4);
  const Plan& plan = std::get<Plan>(p);
  ASSERT_EQ(plan.items(), 12u);
  EXPECT_EQ(plan.source_of(0).file, kFile);
  EXPECT_EQ(plan.seed_of(0), 1u);
  EXPECT_TRUE(plan.source_of(1).cell.has_value());
  EXPECT_EQ(plan.seed_of(2), 1u);
  EXPECT_EQ(plan.seed_of(3), 2u);
  EXPECT_EQ(plan.source_of(3).file, kFile);
  EXPECT_EQ(plan.target(4).seed, 2u);
}

TEST(PlanTest, ABadFileIsAnErrorWithItsPosition) {
  const auto p = make_plan({"/nonexistent.yaml"}, {}, 1);
  ASSERT_TRUE(std::holds_alternative<std::string>(p));
  EXPECT_NE(std::get<std::string>(p).find("/nonexistent.yaml"), std::string::npos);
}

TEST(PlanTest, ShardsParse) {
  uint64_t i = 0, n = 0;
  EXPECT_TRUE(parse_shard("2/3", &i, &n));
  EXPECT_EQ(i, 2u);
  EXPECT_EQ(n, 3u);
  for (const char* bad : {"3/3", "1/0", "x/2", "1", "1/2/3", "1 /2", "-1/2"})
    EXPECT_FALSE(parse_shard(bad, &i, &n)) << bad;
}

TEST(TargetTest, ACellAlwaysGetsTheSameOptions) {
  const sim::MatrixCell c = sim::all_cells()[17];
  const sim::WorldOptions o = cell_options(c, 9);
  EXPECT_EQ(o.seed, 9u);
  EXPECT_EQ(o.safety_ticks, kCellSafetyTicks);
  EXPECT_EQ(o.liveness_ticks_max, kCellLivenessTicksMax);
  const Target t = std::get<Target>(cell_target(sim::cell_spec(c), 9));
  EXPECT_EQ(sim::run_world(t.options).fingerprint, sim::run_world(o).fingerprint);
  EXPECT_EQ(t.replay_command(), "cdcsim replay --cell " + sim::cell_spec(c) + " --seed 9");
}

TEST(TargetTest, AFileKeepsItsViolatedExpectationsOnItsOwnSeedOnly) {
  const Target own = std::get<Target>(file_target(
      std::string(CDCSIM_SOURCE_DIR) + "/scenarios/catalogue/toast-lost-on-key-change.yaml",
      std::nullopt));
  ASSERT_FALSE(own.expect.violated.empty());
  const Target other = std::get<Target>(file_target(
      std::string(CDCSIM_SOURCE_DIR) + "/scenarios/catalogue/toast-lost-on-key-change.yaml",
      own.seed + 1));
  EXPECT_TRUE(other.expect.violated.empty());
  EXPECT_EQ(other.expect.holds, own.expect.holds);
}

TEST(TargetTest, CommandTargetsNeedExactlyOneOfFileAndCell) {
  EXPECT_TRUE(std::holds_alternative<std::string>(command_target("", "", 1)));
  EXPECT_TRUE(
      std::holds_alternative<std::string>(command_target(kFile, "none/Normal/merge/none/int", 1)));
  EXPECT_TRUE(
      std::holds_alternative<std::string>(command_target("", "none/Normal/merge/none/int", {})));
  EXPECT_TRUE(std::holds_alternative<std::string>(command_target("", "none/Nope/merge/none", 1)));
  EXPECT_TRUE(std::holds_alternative<Target>(command_target("", "none/Normal/merge/none/int", 1)));
}

}  // namespace
}  // namespace cdc::campaign
