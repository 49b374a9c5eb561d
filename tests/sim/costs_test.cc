// The cost counters of history::Costs (sim/costs.h) on small scripted runs
// whose numbers are known: the workload is switched off after the initial
// rows, so the source holds the same N rows all along and every backfill of
// it reads exactly N rows. And the meter alone, fed by hand, for downtimes
// that a source delete or a keyless rebuild ends.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "sim/costs.h"
#include "sim/history_fingerprint.h"
#include "sim/source_state.h"
#include "sim/world.h"
#include "tests/sim/test_worlds.h"

namespace cdc::sim {
namespace {

using Op = ScriptedOp::Kind;

ScriptedOp op(uint64_t tick, Op kind) {
  ScriptedOp s;
  s.tick = tick;
  s.kind = kind;
  return s;
}

// The quiet accounts world (test_worlds.h) with small chunks and one
// collection transaction per destination commit.
WorldOptions quiet_world() {
  WorldOptions o = testing::quiet_accounts_world(5);
  o.capture.chunk_size = 2;
  o.materialization_txns_per_commit = 1;
  return o;
}

uint64_t source_rows(const history::History& h) {
  return h.final_state.destinations.at(0).size();  // a converged merge table holds them all
}

TEST(Costs, CaptureBackfillOfNRowsReadsNRowsAndKeepsTheTableUp) {
  WorldOptions o = quiet_world();
  o.script = {op(100, Op::kCaptureBackfill)};
  const history::History h = run_world(o).history;
  const history::Costs& c = h.costs;
  const uint64_t n = source_rows(h);
  ASSERT_GT(n, 2u);
  EXPECT_EQ(c.rows_read, 2 * n);  // the initial load and the re-backfill
  EXPECT_EQ(c.snapshot_docs, 2 * n);
  EXPECT_EQ(c.change_docs, 0u);
  EXPECT_EQ(c.dest_rows_written, 2 * n);
  EXPECT_EQ(c.dest_rows_deleted, 0u);
  EXPECT_EQ(c.dest_rows_dropped, 0u);
  EXPECT_TRUE(c.downtimes.empty());  // a merge binding without a materialization backfill
  EXPECT_EQ(c.downtime_ticks, 0u);
  EXPECT_EQ(c.backfills, 2u);
  EXPECT_EQ(c.backfills_unfinished, 0u);
  EXPECT_GT(c.backfill_ticks_max, 0u);
  EXPECT_EQ(c.delta_duplicates, 0u);
}

TEST(Costs, MaterializationBackfillHasADowntimeThatEnds) {
  WorldOptions o = quiet_world();
  o.script = {op(100, Op::kMaterializationBackfill)};
  const history::History h = run_world(o).history;
  const history::Costs& c = h.costs;
  const uint64_t n = source_rows(h);
  EXPECT_EQ(c.rows_read, n);  // nothing is re-read from the source
  ASSERT_EQ(c.downtimes.size(), 1u);
  const history::Downtime& d = c.downtimes[0];
  EXPECT_TRUE(d.ended);
  EXPECT_EQ(d.rows_dropped, n);
  EXPECT_GE(d.start_tick, 100u);
  EXPECT_GT(d.ticks(), 0u);  // one collection transaction of 2 rows per commit
  EXPECT_LE(d.end_tick, h.drain.tick);
  EXPECT_EQ(c.downtime_ticks, d.ticks());
  EXPECT_EQ(c.downtimes_unended, 0u);
  EXPECT_EQ(c.dest_rows_dropped, n);
  EXPECT_EQ(c.dest_rows_written, 2 * n);
}

TEST(Costs, RebuildAfterRetentionNeverEndsItsDowntime) {
  WorldOptions o = quiet_world();
  o.retention_ticks = 20;  // every initial document has expired by tick 100
  o.script = {op(100, Op::kMaterializationBackfill)};
  const history::History h = run_world(o).history;
  ASSERT_EQ(h.costs.downtimes.size(), 1u);
  EXPECT_FALSE(h.costs.downtimes[0].ended);
  EXPECT_EQ(h.costs.downtimes[0].end_tick, h.drain.tick);  // counted to the end
  EXPECT_EQ(h.costs.downtimes_unended, 1u);
  EXPECT_EQ(h.costs.downtime_ticks, h.drain.tick - h.costs.downtimes[0].start_tick);
}

TEST(Costs, CaptureBackfillIntoDeltaDuplicatesEveryRow) {
  WorldOptions o = quiet_world();
  o.strategy = UpdateStrategy::kDelta;
  o.script = {op(100, Op::kCaptureBackfill)};
  const history::History h = run_world(o).history;
  EXPECT_GT(h.costs.rows_read, 0u);
  EXPECT_EQ(h.costs.delta_duplicates, h.costs.rows_read / 2);  // every row, once more
  EXPECT_TRUE(h.costs.downtimes.empty());
}

TEST(Costs, AreNotPartOfTheFingerprint) {
  WorldOptions o = quiet_world();
  o.script = {op(100, Op::kMaterializationBackfill)};
  history::History h = run_world(o).history;
  const std::string before = fingerprint(h);
  h.costs = history::Costs{};
  EXPECT_EQ(fingerprint(h), before);
}

// ---- the meter alone ----

history::DestinationTxn txn(uint32_t m, bool truncate, std::vector<std::string> keys,
                            std::vector<Row> fields = {}) {
  history::DestinationTxn t;
  t.binding = m;
  t.truncated_first = truncate;
  for (size_t i = 0; i < keys.size(); ++i) {
    history::DestinationRow r;
    r.key = keys[i];
    if (i < fields.size()) r.fields = fields[i];
    t.upserts.push_back(r);
  }
  return t;
}

// The meter's totals of a run that ended at tick 20, its final state recorded.
history::Costs finish(CostMeter* meter) {
  history::History h;
  h.final_state.recorded = true;
  return meter->finish(h, 20);
}

// A keyed merge destination over source table 7, which holds "a" and "b".
// The meter keeps views of the rows' keys: the transactions committed here
// must stay alive as long as it does.
struct KeyedDestination {
  KeyedDestination() { b.table_id = 7; }
  void commit(uint64_t tick, const history::DestinationTxn& t) {
    meter.on_destination_txn(tick, t, m, b, [&] { return source; });
  }
  history::MaterializationBinding m;
  history::Binding b;
  CostMeter meter;
  const SourceRows source = {{"a", {Value::int64(1)}}, {"b", {Value::int64(2)}}};
};

TEST(CostMeter, ASourceDeleteEndsADowntimeTheRebuildCannotEnd) {
  KeyedDestination d;
  const history::DestinationTxn first = txn(0, false, {"a", "b"});
  const history::DestinationTxn dropped = txn(0, true, {"a"});  // dropped, "a" back
  d.commit(1, first);
  d.commit(5, dropped);
  history::SourceCommit del;
  del.tick = 9;
  history::SourceKeyChange gone;
  gone.table = 7;
  gone.key = "b";
  gone.before = Row{Value::int64(2)};
  del.changes.push_back(gone);
  d.meter.on_source_commit(del);  // "b" is gone: the table is whole again
  const history::Costs c = finish(&d.meter);
  ASSERT_EQ(c.downtimes.size(), 1u);
  EXPECT_TRUE(c.downtimes[0].ended);
  EXPECT_EQ(c.downtimes[0].start_tick, 5u);
  EXPECT_EQ(c.downtimes[0].end_tick, 9u);
  EXPECT_EQ(c.downtimes[0].rows_dropped, 2u);
  EXPECT_EQ(c.dest_rows_written, 3u);
}

// A keyed merge table is judged by the keys it shows: a key its destination
// deleted is missing again until a later transaction stores it back.
TEST(CostMeter, AKeyTheDestinationDeletedIsMissingUntilStoredAgain) {
  KeyedDestination d;
  const history::DestinationTxn both = txn(0, false, {"a", "b"});
  const history::DestinationTxn dropped = txn(0, true, {"a"});
  history::DestinationTxn b_not_a = txn(0, false, {"b"});
  b_not_a.deletes = {"a"};
  const history::DestinationTxn a_again = txn(0, false, {"a"});
  d.commit(1, both);
  d.commit(2, dropped);  // down: "b" missing
  d.commit(3, b_not_a);  // "a" missing now
  d.commit(4, a_again);  // whole again
  const history::Costs c = finish(&d.meter);
  ASSERT_EQ(c.downtimes.size(), 1u);
  EXPECT_TRUE(c.downtimes[0].ended);
  EXPECT_EQ(c.downtimes[0].start_tick, 2u);
  EXPECT_EQ(c.downtimes[0].end_tick, 4u);
  EXPECT_EQ(c.downtimes[0].rows_dropped, 2u);
  EXPECT_EQ(c.dest_rows_deleted, 1u);
}

// Upserts counted many to a transaction (with their key ids added in
// groups) count as when they come a few at a time: a key repeated, or shown
// already, is no new row, and a truncate drops the rows the table held.
TEST(CostMeter, ManyUpsertsAtOnceCountAsFewAtATime) {
  std::vector<std::string> first, second;
  for (int i = 0; i < 12; ++i)
    first.push_back("k" + std::to_string(i));
  first.insert(first.end(), {"k3", "a", "k3"});
  for (int i = 8; i < 20; ++i)
    second.push_back("k" + std::to_string(i));
  second.push_back("b");  // 22 distinct keys in all: k0..k19, a and b
  std::vector<history::DestinationTxn> big = {txn(0, false, first), txn(0, false, second)};
  std::vector<history::DestinationTxn> small;
  for (const std::vector<std::string>* keys : {&first, &second}) {
    for (size_t at = 0; at < keys->size(); at += 3)
      small.push_back(
          txn(0, false, {keys->begin() + at, keys->begin() + std::min(at + 3, keys->size())}));
  }
  const history::DestinationTxn dropped = txn(0, true, {"a"});
  KeyedDestination many, few;  // after the transactions: the meters view their keys
  for (const history::DestinationTxn& t : big)
    many.commit(1, t);
  for (const history::DestinationTxn& t : small)
    few.commit(1, t);
  many.commit(5, dropped);
  few.commit(5, dropped);
  const history::Costs a = finish(&many.meter);
  const history::Costs b = finish(&few.meter);
  EXPECT_EQ(a.dest_rows_dropped, 22u);
  EXPECT_EQ(b.dest_rows_dropped, 22u);
  ASSERT_EQ(a.downtimes.size(), 1u);
  ASSERT_EQ(b.downtimes.size(), 1u);
  EXPECT_EQ(a.downtimes[0].rows_dropped, 22u);
  EXPECT_EQ(b.downtimes[0].rows_dropped, 22u);
  EXPECT_EQ(a.dest_rows_written, b.dest_rows_written);
}

// A keyed table's transactions are applied when something needs the keys
// it shows: a meter whose table is never truncated numbers no destination
// key, and a truncate applies what came before it to count the rows dropped.
TEST(CostMeter, KeysAreNumberedOnlyWhenATruncateNeedsThem) {
  properties::detail::KeyIds ids;
  ids.add(7, "a");
  KeyedDestination d;
  d.meter = CostMeter(&ids);
  std::vector<std::string> keys;
  for (int i = 0; i < 10; ++i)
    keys.push_back("k" + std::to_string(i));
  const history::DestinationTxn many = txn(0, false, keys), few = txn(0, false, {"x", "a"});
  d.commit(1, many);
  d.commit(2, few);
  EXPECT_EQ(ids.size(), 1u) << "no destination key numbered before a truncate";
  const history::DestinationTxn dropped = txn(0, true, {"a"});
  d.commit(3, dropped);
  EXPECT_EQ(ids.size(), 12u) << "k0..k9 and x numbered, a already was";
  const history::Costs c = finish(&d.meter);
  EXPECT_EQ(c.dest_rows_dropped, 12u);
  ASSERT_EQ(c.downtimes.size(), 1u);
  EXPECT_EQ(c.downtimes[0].rows_dropped, 12u);
  EXPECT_FALSE(c.downtimes[0].ended) << "b is missing";
}

// A meter numbering its keys in the source state's dictionary (as the
// recorder's does) measures what a meter with its own does, and adds no id
// for a key the source already holds under the binding's table: the
// dictionary holds each key once. The source state still finds its rows.
TEST(CostMeter, SharingTheSourceStatesKeyIdsMeasuresTheSameAndAddsNoKeyTwice) {
  history::History h;
  history::SourceCommit load;
  for (const std::string key : {"a", "b", "c"}) {
    history::SourceKeyChange ch;
    ch.table = 7;
    ch.key = key;
    ch.after = Row{Value::int64(1)};
    load.changes.push_back(ch);
  }
  h.source_commits.push_back(load);
  SourceState state;
  state.apply_last_commit(h);
  ASSERT_EQ(state.shared_ids()->size(), 3u);
  KeyedDestination own, shared;
  shared.meter = CostMeter(state.shared_ids());
  std::vector<history::DestinationTxn> txns;
  txns.push_back(txn(0, false, {"a", "b"}));
  txns.push_back(txn(0, true, {"a", "c"}));  // down: "b" missing
  std::vector<std::string> many;             // enough keys for the grouped additions
  for (int i = 0; i < 10; ++i)
    many.push_back(i % 2 == 0 ? "a" : "c");
  many.push_back("b");
  txns.push_back(txn(0, false, many));  // whole again
  txns.push_back(txn(0, true, {"a"}));
  for (uint64_t i = 0; i < txns.size(); ++i) {
    own.commit(2 * i + 1, txns[i]);
    shared.commit(2 * i + 1, txns[i]);
  }
  EXPECT_EQ(state.shared_ids()->size(), 3u);
  const history::Costs a = finish(&own.meter);
  const history::Costs b = finish(&shared.meter);
  ASSERT_EQ(a.downtimes.size(), 2u);
  ASSERT_EQ(b.downtimes.size(), a.downtimes.size());
  for (size_t i = 0; i < a.downtimes.size(); ++i) {
    EXPECT_EQ(b.downtimes[i].start_tick, a.downtimes[i].start_tick);
    EXPECT_EQ(b.downtimes[i].end_tick, a.downtimes[i].end_tick);
    EXPECT_EQ(b.downtimes[i].ended, a.downtimes[i].ended);
    EXPECT_EQ(b.downtimes[i].rows_dropped, a.downtimes[i].rows_dropped);
  }
  EXPECT_EQ(a.downtimes[0].rows_dropped, 2u);
  EXPECT_EQ(a.downtimes[1].rows_dropped, 3u);
  EXPECT_EQ(b.dest_rows_dropped, a.dest_rows_dropped);
  ASSERT_NE(state.find(h, 7, "b"), nullptr);
  EXPECT_EQ(*state.find(h, 7, "b"), Row{Value::int64(1)});
  // A key only the destination has gets an id and names no source row; a
  // key the source adds later is the source's alone.
  const history::DestinationTxn only_here = txn(0, false, {"d"});
  shared.commit(20, only_here);
  EXPECT_EQ(state.shared_ids()->size(), 4u);
  EXPECT_EQ(state.find(h, 7, "d"), nullptr);
  history::SourceCommit more;
  history::SourceKeyChange e;
  e.table = 7;
  e.key = "e";
  e.after = Row{Value::int64(5)};
  more.changes.push_back(e);
  h.source_commits.push_back(more);
  state.apply_last_commit(h);
  EXPECT_EQ(state.shared_ids()->size(), 5u);
  ASSERT_NE(state.find(h, 7, "e"), nullptr);
  EXPECT_EQ(state.rows_of(h, 7).size(), 4u);  // a, b, c and e: not d
}

TEST(CostMeter, KeylessTablesAreWholeWhenEveryRowIsBack) {
  history::MaterializationBinding m;
  history::Binding b;
  b.keyless = true;
  CostMeter meter;
  const Row x = {Value::int64(1)}, y = {Value::int64(2)};
  const SourceRows rows = {{"ctid:(0,1)", x}, {"ctid:(0,2)", y}};
  meter.on_destination_txn(1, txn(0, false, {"k1", "k2"}, {x, y}), m, b, [&] { return rows; });
  meter.on_destination_txn(3, txn(0, true, {"k3"}, {x}), m, b, [&] { return rows; });
  meter.on_destination_txn(4, txn(0, false, {"k4"}, {x}), m, b,
                           [&] { return rows; });  // x twice, y missing
  meter.on_destination_txn(6, txn(0, false, {"k5"}, {y}), m, b, [&] { return rows; });
  const history::Costs c = finish(&meter);
  ASSERT_EQ(c.downtimes.size(), 1u);
  EXPECT_EQ(c.downtimes[0].ticks(), 3u);
  EXPECT_TRUE(c.downtimes[0].ended);
}

}  // namespace
}  // namespace cdc::sim
