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

// Within a scope the checkers of one check_all share a table's timeline;
// another history, another table or no scope gets a timeline of its own.
TEST(TimelineTest, AScopeSharesOneTimelinePerTableOfItsHistory) {
  const History h = HistoryBuilder().commit(100, {ins("k1", 1)}).build();
  const History other = HistoryBuilder().commit(100, {ins("k2", 1)}).build();
  EXPECT_NE(detail::timeline_for(h, kTable), detail::timeline_for(h, kTable));
  {
    const detail::TimelineScope scope(h);
    const auto first = detail::timeline_for(h, kTable);
    EXPECT_EQ(detail::timeline_for(h, kTable), first);
    EXPECT_NE(detail::timeline_for(h, kTable + 1), first);
    const auto fresh = detail::timeline_for(other, kTable);
    EXPECT_NE(fresh, first);
    EXPECT_EQ(fresh->keys().count("k2"), 1u);
    EXPECT_EQ(first->keys().count("k1"), 1u);
  }
  EXPECT_NE(detail::timeline_for(h, kTable), detail::timeline_for(h, kTable));
}

}  // namespace
}  // namespace cdc::properties::testing
