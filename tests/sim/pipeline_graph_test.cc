// The pipeline graph: what a data flow backfill of a capture binding reaches.
#include "sim/pipeline_graph.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace cdc::sim {
namespace {

using Indices = std::vector<uint32_t>;
using Names = std::vector<std::string>;

TEST(PipelineGraphTest, EachBindingReachesItsOwnCollectionAndItsMaterialization) {
  // The default world: one collection per table, one materialization binding each.
  const PipelineGraph g({"acme/accounts", "acme/tags", "acme/events"},
                        {"acme/accounts", "acme/tags", "acme/events"});
  EXPECT_EQ(g.capture_bindings(), 3u);
  EXPECT_EQ(g.collections(), 3u);
  EXPECT_EQ(g.materialization_bindings(), 3u);
  EXPECT_EQ(g.edges(), 6u);
  for (uint32_t b = 0; b < 3; ++b)
    EXPECT_EQ(g.materializations_reached_from(b), Indices{b});
  EXPECT_EQ(g.collections_reached_from(1), Names{"acme/tags"});
}

TEST(PipelineGraphTest, ReachabilityFollowsSharedCollections) {
  // Capture bindings 0 and 1 write acme/a; materializations 1 and 2 read it,
  // materialization 0 reads acme/b (written by capture binding 2), and
  // materialization 3 reads acme/c, which no capture binding writes.
  const PipelineGraph g({"acme/a", "acme/a", "acme/b"}, {"acme/b", "acme/a", "acme/a", "acme/c"});
  EXPECT_EQ(g.collections(), 3u);
  EXPECT_EQ(g.materializations_reached_from(0), (Indices{1, 2}));
  EXPECT_EQ(g.materializations_reached_from(1), (Indices{1, 2}));
  EXPECT_EQ(g.materializations_reached_from(2), Indices{0});
  EXPECT_EQ(g.collections_reached_from(0), Names{"acme/a"});
  EXPECT_EQ(g.collections_reached_from(2), Names{"acme/b"});
}

TEST(PipelineGraphTest, WithoutMaterializationsNothingDownstreamIsReached) {
  const PipelineGraph g({"acme/a", "acme/b"}, {});
  EXPECT_EQ(g.edges(), 2u);
  EXPECT_TRUE(g.materializations_reached_from(0).empty());
  EXPECT_EQ(g.collections_reached_from(1), Names{"acme/b"});
}

TEST(PipelineGraphTest, ResultsAreSortedWhateverTheBindingOrder) {
  // Materializations listed in reverse still come back ascending.
  const PipelineGraph g({"acme/a"}, {"acme/a", "acme/x", "acme/a", "acme/a"});
  EXPECT_EQ(g.materializations_reached_from(0), (Indices{0, 2, 3}));
}

}  // namespace
}  // namespace cdc::sim
