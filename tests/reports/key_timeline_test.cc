#include "reports/key_timeline.h"

#include <gtest/gtest.h>

#include "tests/properties/destination_builder.h"
#include "tests/properties/history_builder.h"

namespace cdc::reports {
namespace {

using namespace cdc::properties::testing;  // NOLINT: the builders' vocabulary
using Action = TimelineDestinationWrite::Action;

TEST(KeyTimelineTest, CommitsOfTheKeyWithTheirNetEffect) {
  HistoryBuilder b = clean_normal();
  // One commit changing k1 twice, and changes of other keys and tables.
  b.commit(500, {upd("k1", 3, 4), ins("k9", 9), upd("k1", 4, 5), change("k1", 1, 2, kTable + 1)});
  const KeyTimeline t = key_timeline(b.build(), kBinding, "k1");
  ASSERT_EQ(t.commits.size(), 3u);
  EXPECT_EQ(t.commits[0].commit_lsn, Lsn(100));
  EXPECT_FALSE(t.commits[0].before);
  EXPECT_EQ(t.commits[0].after, row("k1", 1));
  EXPECT_EQ(t.commits[1].tick, 300u);
  EXPECT_EQ(t.commits[2].before, row("k1", 3));  // first before
  EXPECT_EQ(t.commits[2].after, row("k1", 5));   // last after
  EXPECT_EQ(t.commits[2].xid, Xid(104));
  EXPECT_EQ(t.key_text, "\"k1\"");
  EXPECT_EQ(t.binding_text, "binding 1 (t7)");
}

TEST(KeyTimelineTest, ChunksThatReadTheKeyOrCoveredItsPosition) {
  History h = HistoryBuilder()
                  .binding()
                  .instance(ResolvedMode::kNormal)
                  .commit(50, {ins("a", 1), ins("b", 2), ins("c", 3)})
                  .chunk(std::nullopt, {"a", "c"}, 100, 1, false)  // skips b: covers it
                  .chunk("a", {"b"}, 150, std::nullopt, false)     // reads b, never committed
                  .chunk("c", {"d"}, 200, 2, true)                 // past b
                  .build();
  h.chunks[1].failed = true;
  h.chunks[1].rows[0].emitted = false;
  const KeyTimeline t = key_timeline(h, kBinding, "b");
  ASSERT_TRUE(t.order_key);
  EXPECT_EQ(*t.order_key, "b");
  ASSERT_EQ(t.chunks.size(), 2u);
  EXPECT_FALSE(t.chunks[0].read);
  EXPECT_EQ(t.chunks[0].snapshot_lsn, Lsn(100));
  EXPECT_EQ(t.chunks[0].committed_in, std::optional<uint64_t>(1));
  EXPECT_TRUE(t.chunks[1].read);
  EXPECT_FALSE(t.chunks[1].emitted);  // filtered
  EXPECT_TRUE(t.chunks[1].failed);
  EXPECT_EQ(t.chunks[1].xmin, std::optional<Xid>(Xid(3)));
  // A final chunk covers everything after its cursor.
  const KeyTimeline z = key_timeline(h, kBinding, "d");
  ASSERT_EQ(z.chunks.size(), 1u);
  EXPECT_TRUE(z.chunks[0].final_chunk);
  // Without an order key (no chunk read the key) only reading chunks count.
  EXPECT_TRUE(key_timeline(h, kBinding, "bb").chunks.empty());
}

TEST(KeyTimelineTest, DocumentsWithTheirSurvivalAndBackfillFences) {
  History h = clean_normal().build();
  h.final_state.recorded = true;
  for (history::CollectionTxn& txn : h.collection_txns) {
    for (history::Document& d : txn.docs)
      d.id = static_cast<uint32_t>(txn.seq * 10 + (d.key == "k1" ? 1 : 2));
  }
  h.final_state.surviving_doc_ids = {21};  // only k1's update at seq 2
  const KeyTimeline t = key_timeline(h, kBinding, "k1");
  ASSERT_EQ(t.documents.size(), 2u);
  EXPECT_TRUE(t.documents[0].snapshot);
  EXPECT_FALSE(t.documents[0].survived);
  EXPECT_EQ(t.documents[1].op, DocOp::kUpdate);
  EXPECT_EQ(t.documents[1].lsn, Lsn(300));
  EXPECT_TRUE(t.documents[1].survived);
  ASSERT_EQ(t.end.documents.size(), 1u);
  EXPECT_EQ(t.end.documents[0].id, 21u);
  EXPECT_TRUE(t.end.recorded);
  ASSERT_EQ(t.backfills.size(), 1u);
  EXPECT_EQ(t.backfills[0].state_key, kState);
  EXPECT_EQ(t.backfills[0].completed_seq, std::optional<uint64_t>(1));
  EXPECT_EQ(t.backfills[0].completed_tick, std::optional<uint64_t>(10));
}

TEST(KeyTimelineTest, DestinationWritesDeletesAndTruncations) {
  const History h = clean_merge()
                        .materialization(UpdateStrategy::kDelta, 3)
                        .dtxn(35, {drow_snap("k2", 2, 200, 1)}, {}, 3)
                        .rebuild(41, {drow("k1", 3, 300, 2)})  // truncates, restores only k1
                        .expiry(25, {"k2", "k1", "k2"})
                        .build();
  const KeyTimeline t = key_timeline(h, kBinding, "k2");
  ASSERT_EQ(t.materializations.size(), 2u);
  ASSERT_EQ(t.destination.size(), 4u);
  EXPECT_EQ(t.destination[0].action, Action::kUpsert);  // merge txn 1 of materialization 2
  EXPECT_EQ(t.destination[0].materialization, kMat);
  EXPECT_EQ(t.destination[0].txn_index, 1u);
  EXPECT_EQ(t.destination[1].action, Action::kDelete);
  EXPECT_EQ(t.destination[1].txn_index, 3u);
  EXPECT_EQ(t.destination[2].materialization, 3u);  // the delta append at tick 35
  EXPECT_EQ(t.destination[2].action, Action::kUpsert);
  EXPECT_EQ(t.destination[2].txn_index, 1u);
  EXPECT_EQ(t.destination[3].action, Action::kTruncate);
  EXPECT_TRUE(t.destination[3].truncated_first);
  EXPECT_EQ(t.destination[3].txn_index, 4u);
  ASSERT_EQ(t.expiries.size(), 1u);
  EXPECT_EQ(t.expiries[0].documents, 2u);
  // At the end: the merge table lost k2, the delta table keeps its row.
  ASSERT_EQ(t.end.destination_rows.size(), 1u);
  EXPECT_EQ(t.end.destination_rows[0].materialization, 3u);
  EXPECT_EQ(t.end.destination_rows[0].strategy, UpdateStrategy::kDelta);
  const KeyTimeline k1 = key_timeline(h, kBinding, "k1");
  ASSERT_FALSE(k1.destination.empty());
  EXPECT_EQ(k1.destination.back().action, Action::kUpsert);  // the rebuild wrote k1
  EXPECT_TRUE(k1.destination.back().truncated_first);
}

TEST(KeyTimelineTest, OperationsAndDrainAreContext) {
  const History h = clean_normal()
                        .event(history::Event::Kind::kFault, 150, "capture crashed")
                        .event(history::Event::Kind::kOperation, 160, "CHECKPOINT")
                        .build();
  const KeyTimeline t = key_timeline(h, kBinding, "k1");
  ASSERT_EQ(t.operations.size(), 2u);
  EXPECT_EQ(t.operations[0].what, "capture crashed");
  EXPECT_TRUE(t.drain.reached);
  EXPECT_EQ(t.drain.source_flush_lsn, Lsn(400));
}

TEST(KeyTimelineTest, AnUnknownBindingOrKeyGivesEmptyLists) {
  const History h = clean_merge().build();
  const KeyTimeline t = key_timeline(h, 9, "k1");
  EXPECT_EQ(t.binding_text, "binding 9 (not in the history)");
  EXPECT_TRUE(t.commits.empty());
  EXPECT_TRUE(t.documents.empty());
  EXPECT_TRUE(t.destination.empty());
  const KeyTimeline nothing = key_timeline(h, kBinding, "zz");
  EXPECT_TRUE(nothing.commits.empty());
  EXPECT_TRUE(nothing.chunks.empty());
  EXPECT_TRUE(nothing.documents.empty());
  EXPECT_TRUE(nothing.end.destination_rows.empty());
  EXPECT_EQ(nothing.backfills.size(), 1u);  // the binding's instances are context
}

TEST(KeyTimelineTest, NonPrintableKeysRenderAsHex) {
  HistoryBuilder b;
  b.binding().commit(100, {ins(std::string("\x80\x01", 2), 1)});
  const KeyTimeline t = key_timeline(b.build(), kBinding, std::string("\x80\x01", 2));
  EXPECT_EQ(t.key_text, "0x8001");
  EXPECT_EQ(t.commits.size(), 1u);
}

}  // namespace
}  // namespace cdc::reports
