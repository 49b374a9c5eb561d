// The merge replay and the recorded final state of a merge destination:
// rows in key order, one per key, deletes and truncates applied, the last
// transaction to touch each key, and recorded rows told apart from the replay.
#include "properties/destination.h"

#include <gtest/gtest.h>

#include "tests/properties/destination_builder.h"

namespace cdc::properties::testing {
namespace {

TEST(DestinationTest, AMergeReplayHoldsTheLastRowOfEachKeyInKeyOrder) {
  const History h = DestinationBuilder(clean_normal().build())
                        .materialization(UpdateStrategy::kMerge)
                        .dtxn(11, {drow("k3", 1, 200, 1), drow("k1", 1, 200, 1)})
                        .dtxn(21, {drow("k2", 2, 300, 2), drow("k3", 5, 300, 2)}, {"k1"})
                        .build();
  const detail::MergeState s = detail::replay_merge(detail::destination_txns_of(h, kMat));
  ASSERT_EQ(s.rows.size(), 2u);
  EXPECT_EQ(s.rows[0].first, "k2");
  EXPECT_EQ(s.rows[1].first, "k3");
  EXPECT_EQ(s.rows[1].second.row->fields, row("k3", 5));
  EXPECT_EQ(s.rows[1].second.txn.index, 2u);
  EXPECT_EQ(s.row("k1"), nullptr);  // deleted
  ASSERT_NE(s.row("k3"), nullptr);
  EXPECT_EQ(s.row("k3")->row->lsn, Lsn(300));
  ASSERT_NE(s.last_touch("k1"), nullptr);
  EXPECT_EQ(s.last_touch("k1")->index, 2u);  // the delete touched it last
  EXPECT_EQ(s.last_touch("k9"), nullptr);
}

TEST(DestinationTest, ATruncateEmptiesTheReplayButKeepsWhoTouchedKeys) {
  const History h = DestinationBuilder(clean_normal().build())
                        .materialization(UpdateStrategy::kMerge)
                        .dtxn(11, {drow("k1", 1, 200, 1), drow("k2", 2, 200, 1)})
                        .rebuild(21, {drow("k2", 7, 300, 2)})
                        .build();
  const detail::MergeState s = detail::replay_merge(detail::destination_txns_of(h, kMat));
  ASSERT_EQ(s.rows.size(), 1u);
  EXPECT_EQ(s.rows[0].first, "k2");
  ASSERT_NE(s.last_touch("k1"), nullptr);
  EXPECT_EQ(s.last_touch("k1")->index, 1u);
}

// The recorded final rows, out of order and with a key twice, come back in
// key order with the first of the repeated key; a row the replay wrote is
// credited to its transaction, a changed one to none.
TEST(DestinationTest, TheRecordedFinalStateIsSortedAndToldApartFromTheReplay) {
  History h = DestinationBuilder(clean_normal().build())
                  .materialization(UpdateStrategy::kMerge)
                  .dtxn(11, {drow("k1", 1, 200, 1), drow("k2", 2, 200, 1)})
                  .build();
  h.final_state.recorded = true;
  for (const history::DestinationRow& r :
       {drow("k2", 2, 200, 1), drow("k1", 9, 200, 1), drow("k1", 1, 200, 1)})
    h.final_state.add_owned(kMat, r);
  const detail::MergeState s = detail::final_merge_state(h, kMat);
  ASSERT_EQ(s.rows.size(), 2u);
  EXPECT_EQ(s.rows[0].first, "k1");
  EXPECT_EQ(s.rows[0].second.row->fields, row("k1", 9));
  EXPECT_EQ(s.rows[0].second.txn.txn, nullptr);  // damage no transaction made
  EXPECT_EQ(s.rows[1].first, "k2");
  EXPECT_EQ(s.rows[1].second.txn.index, 1u);
  ASSERT_NE(s.last_touch("k2"), nullptr);
}

}  // namespace
}  // namespace cdc::properties::testing
