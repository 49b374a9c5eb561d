#include <gtest/gtest.h>

#include <string>

#include "properties/checkers.h"
#include "properties/transaction_graph.h"
#include "properties/transaction_order.h"
#include "tests/properties/destination_builder.h"
#include "tests/properties/history_builder.h"

namespace cdc::properties::testing {
namespace {

constexpr uint32_t kOther = 3;        // a second binding ...
constexpr uint32_t kOtherTable = 8;   // ... capturing a second table
constexpr uint32_t kUncaptured = 99;  // a table no binding captures

bool says(const Verdict& v, const std::string& part) {
  return v.explanation.find(part) != std::string::npos;
}

// k1 and k2 are inserted together at 100 (xid 100) and read at once; T1
// (xid 101) updates k1 at 200, T2 (xid 102) updates k2 at 300.
HistoryBuilder two_updates() {
  HistoryBuilder b;
  b.binding()
      .instance(ResolvedMode::kNormal)
      .commit(100, {ins("k1", 1), ins("k2", 2)})
      .txn({doc_c("k1", 1, 100), doc_c("k2", 2, 100, 1)})
      .commit(200, {upd("k1", 1, 3)})
      .commit(300, {upd("k2", 2, 4)});
  return b;
}

TEST(TransactionOrderTest, HoldsWhenEveryReaderFollowsCommitOrder) {
  EXPECT_TRUE(Holds(check_transaction_order(clean_normal().build())));
  const History h = two_updates().txn({doc_u("k1", 3, 200)}).txn({doc_u("k2", 4, 300)}).build();
  const Verdict v = check_transaction_order(h);
  EXPECT_EQ(v.property, "transaction_order");
  EXPECT_TRUE(Holds(v));
}

TEST(TransactionOrderTest, ViolatedWhenAReaderSeesT2BeforeT1) {
  const History h = two_updates().txn({doc_u("k2", 4, 300)}).txn({doc_u("k1", 3, 200)}).build();
  const Verdict v = check_transaction_order(h);
  ASSERT_TRUE(Violated(v));
  EXPECT_TRUE(AboutKey(v, "k1"));  // the key the reader still holds from before T1
  EXPECT_TRUE(says(v, "xid 101")) << show(v);
  EXPECT_TRUE(says(v, "xid 102")) << show(v);
  EXPECT_TRUE(says(v, "T1 committed before T2")) << show(v);
  EXPECT_TRUE(says(v, "but after collection txn seq 2")) << show(v);
  EXPECT_TRUE(mentions(v, "T1: source commit at lsn 0/C8"));
  EXPECT_TRUE(mentions(v, "T2: source commit at lsn 0/12C"));
  EXPECT_TRUE(mentions(v, "T1 -> T2 (committed before) -> T1 (observed before)"));
}

TEST(TransactionOrderTest, ViolatedByAMultiTableTransactionAppliedInPart) {
  // T1 (xid 101) updates k1 of the first table and k2 of the second; the
  // reader of both collections sees the first part one transaction early.
  const History h = HistoryBuilder()
                        .binding()
                        .binding(kOther, kOtherTable)
                        .commit(100, {ins("k1", 1), change("k2", std::nullopt, 2, kOtherTable)})
                        .txn({doc_c("k1", 1, 100), of_binding(doc_c("k2", 2, 100), kOther)})
                        .commit(200, {upd("k1", 1, 3), change("k2", 2, 4, kOtherTable)})
                        .txn({doc_u("k1", 3, 200)})
                        .txn({of_binding(doc_u("k2", 4, 200), kOther)})
                        .build();
  const Verdict v = check_transaction_order(h);
  ASSERT_TRUE(Violated(v));
  EXPECT_TRUE(AboutKey(v, "k2", kOther));
  EXPECT_TRUE(says(v, "a reader sees all of T1's changes or none of them")) << show(v);
  EXPECT_TRUE(says(v, "xid 101")) << show(v);
  EXPECT_TRUE(says(v, "a reader of the collections of bindings 1, 3 together sees")) << show(v);
  EXPECT_TRUE(mentions(v, "T1 -> T1 (observed before)"));
}

TEST(TransactionOrderTest, ViolatedByATransactionAppliedInPartInsideOneCollection) {
  // What Precise filtering can do: T1 changes k1 (below the cursor, emitted)
  // and k2 (above it, dropped), while an older document of k2 is visible.
  const History h = two_updates()
                        .commit(400, {upd("k1", 3, 5), upd("k2", 4, 6)})
                        .txn({doc_u("k1", 3, 200), doc_u("k2", 4, 300)})
                        .txn({doc_u("k1", 5, 400)})
                        .build();
  const Verdict v = check_transaction_order(h);
  ASSERT_TRUE(Violated(v));
  EXPECT_TRUE(AboutKey(v, "k2"));
  EXPECT_TRUE(says(v, "a reader of the collection of binding 1 (t7) sees")) << show(v);
  EXPECT_TRUE(says(v, "none of them")) << show(v);
}

TEST(TransactionOrderTest, AKeyChangedAgainLaterStillShowsTheEarlierTransaction) {
  // k1's version 200 (T1) is never shown, but its version 400 (T3) includes
  // T1's change: seen together with k2 at 300 (T2), nothing is missed.
  const History h = two_updates()
                        .commit(400, {upd("k1", 3, 5)})
                        .txn({doc_u("k2", 4, 300), doc_u("k1", 5, 400)})
                        .build();
  EXPECT_TRUE(Holds(check_transaction_order(h)));
}

TEST(TransactionOrderTest, DeletesAreVersionsAndAbsentKeysAreNotJudged) {
  // T1 deletes k1 (its delete document shows it) and inserts k3, which has
  // no document yet: absence says nothing about which version it shows.
  const History h = HistoryBuilder()
                        .binding()
                        .commit(100, {ins("k1", 1), ins("k2", 2)})
                        .txn({doc_c("k1", 1, 100), doc_c("k2", 2, 100, 1)})
                        .commit(200, {del("k1", 1), ins("k3", 3)})
                        .commit(300, {upd("k2", 2, 4)})
                        .txn({doc_d("k1", 200)})
                        .txn({doc_u("k2", 4, 300)})
                        .build();
  EXPECT_TRUE(Holds(check_transaction_order(h)));
}

TEST(TransactionOrderTest, SnapshotDocumentsShowTheirSnapshotPoint) {
  // A backfill row of k1 read at 250 shows T1 (200); one read at 150 does not.
  EXPECT_TRUE(Holds(check_transaction_order(
      two_updates().txn({doc_snap("k1", 3, 250), doc_u("k2", 4, 300)}).build())));
  const Verdict v = check_transaction_order(
      two_updates().txn({doc_snap("k1", 1, 150), doc_u("k2", 4, 300)}).build());
  ASSERT_TRUE(Violated(v));
  EXPECT_TRUE(AboutKey(v, "k1"));
  EXPECT_TRUE(mentions(v, "snapshot"));
}

TEST(TransactionOrderTest, ChangesOfUncapturedTablesAreIgnored) {
  const History h = two_updates()
                        .commit(250, {change("u1", std::nullopt, 1, kUncaptured)})
                        .txn({doc_u("k1", 3, 200)})
                        .txn({doc_u("k2", 4, 300)})
                        .build();
  EXPECT_TRUE(Holds(check_transaction_order(h)));
}

TEST(TransactionOrderTest, ADataFlowResetEmptiesTheReadersView) {
  // After the reset (tick 15, before seq 2 at tick 20) k1's old document is
  // gone: the new generation shows k2 at 300 and k1 not at all.
  History h = two_updates().txn({doc_snap("k2", 4, 300)}).build();
  BackfillOp reset;
  reset.tick = 15;
  reset.type = BackfillOp::Type::kDataFlow;
  reset.capture_bindings = {kBinding};
  h.backfill_ops.push_back(reset);
  EXPECT_TRUE(Holds(check_transaction_order(h)));
  h.backfill_ops.back().tick = 25;  // a reset after seq 2 leaves k1 stale at seq 2
  EXPECT_TRUE(Violated(check_transaction_order(h)));
}

TEST(TransactionOrderTest, ADestinationReaderIsJudgedToo) {
  // The collection is faithful; the merge destination applies T2 before T1.
  const History collection =
      two_updates().txn({doc_u("k1", 3, 200)}).txn({doc_u("k2", 4, 300)}).build();
  const History h = DestinationBuilder(collection)
                        .materialization(UpdateStrategy::kMerge)
                        .dtxn(11, {drow("k1", 1, 100, 1), drow("k2", 2, 100, 1)})
                        .dtxn(31, {drow("k2", 4, 300, 3)})
                        .dtxn(32, {drow("k1", 3, 200, 2)})
                        .build();
  const Verdict v = check_transaction_order(h);
  ASSERT_TRUE(Violated(v));
  EXPECT_TRUE(AboutKey(v, "k1"));
  EXPECT_TRUE(says(v, "a reader of the destination of materialization 2")) << show(v);
  EXPECT_TRUE(says(v, "after destination txn 2 of materialization 2")) << show(v);
}

TEST(TransactionOrderTest, AMergeDeleteTakesTheVersionOfItsDeleteDocument) {
  // T1 updates k2 at 200 (seq 2), T2 deletes k1 at 300 (seq 3). A merge
  // destination that applies the delete (reading through seq 3) but not the
  // update shows T2 and misses T1.
  const History collection = HistoryBuilder()
                                 .binding()
                                 .commit(100, {ins("k1", 1), ins("k2", 2)})
                                 .txn({doc_c("k1", 1, 100), doc_c("k2", 2, 100, 1)})
                                 .commit(200, {upd("k2", 2, 4)})
                                 .txn({doc_u("k2", 4, 200)})
                                 .commit(300, {del("k1", 1)})
                                 .txn({doc_d("k1", 300)})
                                 .build();
  DestinationBuilder d(collection);
  d.materialization(UpdateStrategy::kMerge)
      .dtxn(11, {drow("k1", 1, 100, 1), drow("k2", 2, 100, 1)})
      .dtxn(31, {}, {"k1"});
  History h = d.build();
  h.destination_txns.back().read_through_seq = 3;
  const Verdict v = check_transaction_order(h);
  ASSERT_TRUE(Violated(v));
  EXPECT_TRUE(AboutKey(v, "k2"));
  EXPECT_TRUE(mentions(v, "deleted by destination txn 2 of materialization 2"));
  // Applying the update as well, the destination holds.
  h.destination_txns.back().upserts.push_back(drow("k2", 4, 200, 2));
  EXPECT_TRUE(Holds(check_transaction_order(h)));
}

TEST(TransactionOrderTest, UnknownWhenNothingCanBeJudged) {
  EXPECT_TRUE(Unknown(check_transaction_order(History{})));
  EXPECT_TRUE(Unknown(check_transaction_order(
      HistoryBuilder().binding(kBinding, kTable, /*keyless=*/true).build())));
  // Commits but no document: no reader ever held a version.
  EXPECT_TRUE(Unknown(
      check_transaction_order(HistoryBuilder().binding().commit(100, {ins("k1", 1)}).build())));
  // Only uncaptured tables changed.
  EXPECT_TRUE(
      Unknown(check_transaction_order(HistoryBuilder()
                                          .binding()
                                          .commit(100, {change("u1", std::nullopt, 1, kUncaptured)})
                                          .build())));
}

TEST(TransactionOrderTest, ALongHistoryNeedsOneObservedEdgePerStepAtMost) {
  // k0 stays at its first version while 5000 later transactions, each on its
  // own key, are seen one collection txn at a time: 5000 observed edges, not
  // one per pair of transactions.
  constexpr int kSteps = 5000;
  HistoryBuilder b;
  b.binding().commit(100, {ins("k0", 0)}).txn({doc_c("k0", 0, 100)});
  b.commit(200, {upd("k0", 0, 1)});
  for (int i = 1; i <= kSteps; ++i) {
    const auto lsn = static_cast<uint64_t>(200 + 10 * i);
    b.commit(lsn, {ins("k" + std::to_string(i), i)}).txn({doc_c("k" + std::to_string(i), i, lsn)});
  }
  const History h = b.build();
  const detail::TransactionGraph g = detail::build_transaction_graph(h);
  EXPECT_EQ(g.nodes.size(), static_cast<size_t>(kSteps + 2));
  EXPECT_EQ(g.observed.size(), static_cast<size_t>(kSteps));
  const Verdict v = check_transaction_order(h);
  ASSERT_TRUE(Violated(v));
  EXPECT_TRUE(AboutKey(v, "k0"));
  EXPECT_TRUE(mentions(v, "T1 -> T2 (committed before) -> T1 (observed before); 2 edges"));
}

// The three steps, one by one.

TEST(TransactionOrderTest, TheGraphHasOneNodePerCapturedTransactionAndFewObservedEdges) {
  // T2 is seen before T1 for three collection txns: one observed edge.
  const History h = two_updates()
                        .commit(310, {ins("k4", 1)})
                        .commit(320, {change("u1", std::nullopt, 1, kUncaptured)})
                        .txn({doc_u("k2", 4, 300)})
                        .txn({doc_c("k4", 1, 310)})
                        .txn({})
                        .txn({doc_u("k1", 3, 200)})
                        .build();
  const detail::TransactionGraph g = detail::build_transaction_graph(h);
  ASSERT_EQ(g.nodes.size(), 4u);  // 100, 200, 300, 310; not the uncaptured 320
  EXPECT_EQ(g.nodes[3]->commit_lsn, Lsn(310));
  ASSERT_EQ(g.readers.size(), 1u);
  ASSERT_EQ(g.observed.size(), 2u);  // T2 -> T1, then T(310) -> T1
  EXPECT_EQ(g.observed[0].seen, 2u);
  EXPECT_EQ(g.observed[0].missed, 1u);
  EXPECT_EQ(g.observed[1].seen, 3u);
  EXPECT_EQ(g.observed[1].missed, 1u);
}

TEST(TransactionOrderTest, CyclesComeFromStrongComponentsAndExplanationsCollapseTheChain) {
  const History h = two_updates()
                        .commit(310, {ins("k4", 1)})
                        .txn({doc_c("k4", 1, 310)})
                        .txn({doc_u("k1", 3, 200), doc_u("k2", 4, 300)})
                        .build();
  detail::TransactionGraph g = detail::build_transaction_graph(h);
  ASSERT_EQ(g.observed.size(), 1u);  // T(310) seen while T1 (200) is not
  const std::optional<detail::Cycle> c = detail::find_cycle(g);
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->edges.size(), 3u);  // 1 -> 2 -> 3 (committed), 3 -> 1 (observed)
  EXPECT_EQ(c->component_size, 3u);
  const detail::Explanation e = detail::explain(*c);
  ASSERT_EQ(e.steps.size(), 2u);
  EXPECT_EQ(e.steps[0].kind, detail::ExplanationStep::Kind::kCommittedBefore);
  EXPECT_EQ(e.steps[0].from, 1u);
  EXPECT_EQ(e.steps[0].to, 3u);
  EXPECT_EQ(e.steps[1].kind, detail::ExplanationStep::Kind::kObservedBefore);
  EXPECT_EQ(e.transactions, (std::vector<size_t>{1, 3}));
  g.observed.clear();
  EXPECT_FALSE(detail::find_cycle(g).has_value());
}

}  // namespace
}  // namespace cdc::properties::testing
