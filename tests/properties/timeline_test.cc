#include "properties/timeline.h"

#include <gtest/gtest.h>

#include "tests/properties/history_builder.h"

namespace cdc::properties::testing {
namespace {

TEST(TimelineTest, StatesFollowCommitsUpToAVersion) {
  const History h = HistoryBuilder()
                        .commit(100, {ins("k1", 1), change("x", std::nullopt, 9, 8)})
                        .commit(200, {upd("k1", 1, 2)})
                        .commit(300, {del("k1", 2)})
                        .build();
  const detail::SourceTimeline t(h, kTable);
  EXPECT_EQ(t.keys().size(), 1u);  // "x" belongs to table 8
  EXPECT_EQ(t.state_index("k1", Lsn(99)), 0u);
  EXPECT_EQ(t.state_index("k1", Lsn(250)), 2u);
  EXPECT_EQ(t.state_at("k1", Lsn(99)), nullptr);
  ASSERT_NE(t.state_at("k1", Lsn(250)), nullptr);
  EXPECT_EQ(*t.state_at("k1", Lsn(250)), row("k1", 2));
  EXPECT_EQ(t.final_state("k1"), nullptr);
  EXPECT_TRUE(t.final_rows().empty());
  EXPECT_NE(t.changed_between("k1", Lsn(100), Lsn(200)), nullptr);
  EXPECT_EQ(t.changed_between("k1", Lsn(300), Lsn(400)), nullptr);
}

TEST(TimelineTest, SeveralChangesOfAKeyInOneCommitCountOnce) {
  const History h = HistoryBuilder().commit(100, {ins("k1", 1), upd("k1", 1, 2)}).build();
  const detail::SourceTimeline t(h, kTable);
  EXPECT_EQ(t.state_index("k1", Lsn(100)), 1u);
  ASSERT_NE(t.final_state("k1"), nullptr);
  EXPECT_EQ(*t.final_state("k1"), row("k1", 2));
}

}  // namespace
}  // namespace cdc::properties::testing
