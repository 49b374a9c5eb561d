// The key timeline of a row without a primary key shows where it moved: an
// UPDATE's new version, or VACUUM FULL packing it, against the ctid scan.
#include <gtest/gtest.h>

#include <algorithm>

#include "reports/key_timeline.h"
#include "reports/timeline_entries.h"
#include "tests/properties/keyless_builder.h"

namespace cdc::reports {
namespace {

using namespace cdc::properties::testing;  // NOLINT: the builders' vocabulary

history::RowMove vacuum_full_move() {
  history::RowMove m = vacuum_full(Ctid{3, 2}, Ctid{0, 5}, Ctid{2, 0});
  m.tick = 250;
  m.from_key = "ctid:(3,2)";
  m.to_key = "ctid:(0,5)";
  m.lsn = Lsn(200);
  return m;
}

TEST(KeylessMovesTest, BothKeysShowTheMoveAgainstTheScanCursor) {
  History h = clean_keyless().build();
  h.row_moves.push_back(vacuum_full_move());
  const std::vector<TimelineEntry> from = timeline_entries(key_timeline(h, kBinding, "ctid:(3,2)"));
  ASSERT_EQ(from.size(), 1u + h.events.size() + 2u);  // the move, and the instance's start/done
  const auto move = std::find_if(from.begin(), from.end(),
                                 [](const TimelineEntry& e) { return e.kind == EntryKind::kMove; });
  ASSERT_NE(move, from.end());
  EXPECT_EQ(move->label, "moved to (0,5)");
  EXPECT_EQ(move->lane, Lane::kSource);
  EXPECT_EQ(move->detail,
            "VACUUM FULL (lsn 0/C8, tick 250) moved the row from ctid (3,2) (ahead of the scan "
            "cursor (2,0)) to (0,5) (behind the scan cursor (2,0))");
  // A committed cursor behind the running one is where a restart resumes.
  h.row_moves[0].cursors.push_back({kBinding, Ctid{1, 0}, true, kState});
  const std::vector<TimelineEntry> both = timeline_entries(key_timeline(h, kBinding, "ctid:(3,2)"));
  const auto moved = std::find_if(
      both.begin(), both.end(), [](const TimelineEntry& e) { return e.kind == EntryKind::kMove; });
  ASSERT_NE(moved, both.end());
  EXPECT_NE(moved->detail.find("(behind the scan cursor (2,0)); a restart would resume the scan "
                               "from (1,0)"),
            std::string::npos)
      << moved->detail;
  const KeyTimeline to = key_timeline(h, kBinding, "ctid:(0,5)");
  ASSERT_EQ(to.moves.size(), 1u);
  EXPECT_FALSE(to.moves[0].leaves);
  const std::vector<TimelineEntry> es = timeline_entries(to);
  const auto arrival = std::find_if(
      es.begin(), es.end(), [](const TimelineEntry& e) { return e.kind == EntryKind::kMove; });
  ASSERT_NE(arrival, es.end());
  EXPECT_EQ(arrival->label, "moved from (3,2)");
}

TEST(KeylessMovesTest, AMoveWithNoScanRunningSaysSo) {
  History h = clean_keyless().build();
  history::RowMove m = vacuum_full_move();
  m.cause = history::RowMove::Cause::kUpdate;
  m.cursors.clear();
  // Where a restart would resume is not a running scan.
  m.cursors.push_back({kBinding, Ctid{2, 0}, true, kState});
  h.row_moves.push_back(m);
  const KeyTimeline t = key_timeline(h, kBinding, "ctid:(3,2)");
  ASSERT_EQ(t.moves.size(), 1u);
  const std::vector<TimelineEntry> es = timeline_entries(t);
  const auto move = std::find_if(es.begin(), es.end(),
                                 [](const TimelineEntry& e) { return e.kind == EntryKind::kMove; });
  ASSERT_NE(move, es.end());
  EXPECT_NE(move->detail.find("UPDATE"), std::string::npos) << move->detail;
  EXPECT_NE(move->detail.find("no ctid scan running"), std::string::npos) << move->detail;
}

}  // namespace
}  // namespace cdc::reports
