// Generated workloads run through the model and a real PostgreSQL 15, side
// by side; every comparison of conformance/driver.h must find no difference.
// A difference fails the test with its shrunk workload prefix.
//
// Each test starts its own cluster 8 xids before the wrap, so its workload
// crosses it (xid comparisons and xmin filters see both sides of it).
#include <gtest/gtest.h>

#include "conformance/cluster.h"
#include "conformance/driver.h"

namespace cdc::conformance {
namespace {

constexpr uint32_t kStepsPerWorkload = 60;

void expect_conformance(uint64_t seed) {
  ClusterOptions co;
  co.start_xid = 0xffffffffu - 8;
  auto cluster = Cluster::start(co);
  ASSERT_TRUE(cluster.is_ok()) << cluster.error().message;
  WorkloadOptions wo;
  wo.steps = kStepsPerWorkload;
  const Workload w = generate_workload(seed, wo);
  Result<RunTrace> t = run_workload(*cluster.value(), w, {});
  ASSERT_TRUE(t.is_ok()) << t.error().message;
  const std::vector<Comparison> comparisons = compare_all(w, t.value());
  size_t differences = 0;
  for (const Comparison& c : comparisons)
    differences += c.differences.size();
  // The workload crossed the wrap and did things worth comparing.
  EXPECT_LT(t.value().next_xid.pg.value, t.value().first_xid) << "no wrap";
  EXPECT_FALSE(t.value().decoded.pg.value.empty());
  EXPECT_TRUE(t.value().slot.ran);
  if (differences == 0) return;
  Result<std::vector<ShrunkDifference>> shrunk =
      shrink_differences(*cluster.value(), w, comparisons, {});
  ASSERT_TRUE(shrunk.is_ok()) << shrunk.error().message;
  ADD_FAILURE() << format_report(w, comparisons, shrunk.value());
}

TEST(WorkloadConformanceTest, Seed1) {
  expect_conformance(1);
}

TEST(WorkloadConformanceTest, Seed2) {
  expect_conformance(2);
}

TEST(WorkloadConformanceTest, Seed3) {
  expect_conformance(3);
}

}  // namespace
}  // namespace cdc::conformance
