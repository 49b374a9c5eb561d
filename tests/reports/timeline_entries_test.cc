#include "reports/timeline_entries.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "tests/properties/destination_builder.h"
#include "tests/properties/history_builder.h"

namespace cdc::reports {
namespace {

using namespace cdc::properties::testing;  // NOLINT: the builders' vocabulary

// The entries of one lane, as "tick label".
std::vector<std::string> lane(const std::vector<TimelineEntry>& es, Lane l) {
  std::vector<std::string> out;
  for (const TimelineEntry& e : es) {
    if (e.lane == l) out.push_back(std::to_string(e.tick) + " " + e.label);
  }
  return out;
}

TEST(TimelineEntriesTest, LabelsNameTheOpAndTheLsn) {
  const History h = clean_merge().build();
  const std::vector<TimelineEntry> k1 = timeline_entries(key_timeline(h, kBinding, "k1"));
  EXPECT_EQ(lane(k1, Lane::kSource), (std::vector<std::string>{"100 ins 0/64", "300 upd 0/12C"}));
  EXPECT_EQ(lane(k1, Lane::kBackfill),
            (std::vector<std::string>{"0 v1 from 0/0", "10 v1 done", "200 read 0/C8"}));
  EXPECT_EQ(lane(k1, Lane::kCollection), (std::vector<std::string>{"10 snap 0/C8", "20 u 0/12C"}));
  EXPECT_EQ(lane(k1, Lane::kDestination), (std::vector<std::string>{"11 c 0/C8", "21 c 0/12C"}));
  const std::vector<TimelineEntry> k2 = timeline_entries(key_timeline(h, kBinding, "k2"));
  EXPECT_EQ(lane(k2, Lane::kSource), (std::vector<std::string>{"200 ins 0/C8", "400 del 0/190"}));
  EXPECT_EQ(lane(k2, Lane::kDestination), (std::vector<std::string>{"11 c 0/C8", "31 delete"}));
}

TEST(TimelineEntriesTest, SortedByTickThenInTheOrderATickRuns) {
  const History h = clean_normal()
                        .event(history::Event::Kind::kFault, 100, "capture crashed")
                        .event(history::Event::Kind::kOperation, 10, "backfill items")
                        .build();
  const std::vector<TimelineEntry> es = timeline_entries(key_timeline(h, kBinding, "k1"));
  EXPECT_TRUE(std::is_sorted(es.begin(), es.end(),
                             [](const auto& a, const auto& b) { return a.tick < b.tick; }));
  // Tick 10: the operation, then the backfill's completion, then the document.
  std::vector<Lane> at10;
  for (const TimelineEntry& e : es) {
    if (e.tick == 10) at10.push_back(e.lane);
  }
  EXPECT_EQ(at10, (std::vector<Lane>{Lane::kOperations, Lane::kBackfill, Lane::kCollection}));
  // Tick 100: the source commit precedes the fault.
  const auto crash =
      std::find_if(es.begin(), es.end(), [](const auto& e) { return e.kind == EntryKind::kFault; });
  ASSERT_NE(crash, es.end());
  EXPECT_EQ(crash->tick, 100u);
  EXPECT_EQ((crash - 1)->kind, EntryKind::kInsert);
}

TEST(TimelineEntriesTest, KindsOfChunksDocumentsAndRetention) {
  History h = HistoryBuilder()
                  .binding()
                  .instance(ResolvedMode::kNormal)
                  .commit(50, {ins("a", 1), ins("b", 2)})
                  .chunk(std::nullopt, {"a"}, 100, 1, false)
                  .txn({doc_snap("a", 1, 100)})
                  .chunk("a", {"b"}, 150, std::nullopt, false)
                  .event(history::Event::Kind::kFault, 160, "retention expired 6 documents")
                  .build();
  h.chunks[1].rows[0].emitted = false;
  h.final_state.recorded = true;  // nothing survives
  h.expiries.push_back(history::Expiry{160, kBinding, {"a"}, 1});
  const std::vector<TimelineEntry> a = timeline_entries(key_timeline(h, kBinding, "a"));
  std::vector<EntryKind> kinds;
  for (const TimelineEntry& e : a)
    kinds.push_back(e.kind);
  // Ticks: instance 0, document 10 (txn seq 1), commit 50, chunk 100, expiry 160.
  EXPECT_EQ(kinds, (std::vector<EntryKind>{EntryKind::kBackfillStart, EntryKind::kDocSnapshot,
                                           EntryKind::kInsert, EntryKind::kChunkRead,
                                           EntryKind::kRetention, EntryKind::kExpiry}));
  EXPECT_TRUE(a[1].gone);
  EXPECT_NE(a[1].detail.find("no longer in the collection"), std::string::npos);
  EXPECT_EQ(a[4].label, "expired 6 documents");
  const std::vector<TimelineEntry> b = timeline_entries(key_timeline(h, kBinding, "b"));
  ASSERT_GE(b.size(), 3u);
  EXPECT_EQ(b[2].kind, EntryKind::kChunkFiltered);
  EXPECT_NE(b[2].detail.find("never committed"), std::string::npos);
}

TEST(TimelineEntriesTest, LongLabelsAreClipped) {
  const History h = clean_normal()
                        .event(history::Event::Kind::kOperation, 5,
                               "an operation with a very long description \xC3\xA9\xC3\xA9\xC3\xA9")
                        .build();
  const std::vector<TimelineEntry> es = timeline_entries(key_timeline(h, kBinding, "k1"));
  const auto op = std::find_if(
      es.begin(), es.end(), [](const TimelineEntry& e) { return e.kind == EntryKind::kOperation; });
  ASSERT_NE(op, es.end());
  EXPECT_EQ(op->label, "an operation with a ver\u2026");
  EXPECT_NE(op->detail.find("very long description"), std::string::npos);
  for (const TimelineEntry& e : es) {
    size_t chars = 0;
    for (char c : e.label)
      chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
    EXPECT_LE(chars, kLabelChars) << e.label;
  }
  // A cut never splits a UTF-8 sequence.
  const History utf8 =
      clean_normal()
          .event(history::Event::Kind::kOperation, 5, std::string(22, 'x') + "\xC3\xA9yyyy")
          .build();
  for (const TimelineEntry& e : timeline_entries(key_timeline(utf8, kBinding, "k1"))) {
    if (e.kind != EntryKind::kOperation) continue;
    EXPECT_EQ(e.label, std::string(22, 'x') + "\u2026");
  }
  for (const char* title : {"source commits", "backfill chunks / fences", "collection documents",
                            "destination", "operations & faults"}) {
    bool found = false;
    for (size_t i = 0; i < kLaneCount; ++i)
      found = found || std::string(lane_title(static_cast<Lane>(i))) == title;
    EXPECT_TRUE(found) << title;
  }
}

}  // namespace
}  // namespace cdc::reports
