// The final state's rows as references (sim/final_rows.h, history::FinalRowRef):
// the index finds the upsert that wrote a stored row by its fields' block and
// every other member, and a run records its destinations' rows as references
// unless a corruption changed them, when it keeps copies that equal the
// destination's rows.
#include "sim/final_rows.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "sim/world.h"
#include "tests/sim/test_worlds.h"

namespace cdc::sim {
namespace {

history::DestinationRow upsert(const char* key, const SharedRow& fields, uint64_t lsn) {
  history::DestinationRow r;
  r.key = key;
  r.fields = fields;
  r.present_mask = 1;
  r.lsn = Lsn(lsn);
  r.collection_seq = 3;
  return r;
}

DestValue stored(const SharedRow& fields, uint64_t lsn) {
  DestValue v;
  v.fields = fields;
  v.present_mask = 1;
  v.lsn = Lsn(lsn);
  v.collection_seq = 3;
  return v;
}

// Two materialization bindings into tables t1 and t2; one block of fields
// written three times (twice into t1 at different versions, once into t2).
history::History two_tables(const SharedRow& a, const SharedRow& b) {
  history::History h;
  for (const char* dest : {"t1", "t2"}) {
    history::MaterializationBinding& m = h.materializations.emplace_back();
    m.id = static_cast<uint32_t>(h.materializations.size() - 1);
    m.destination = dest;
  }
  const auto txn = [&](uint32_t binding, std::vector<history::DestinationRow> rows) {
    history::DestinationTxn& t = h.destination_txns.emplace_back();
    t.binding = binding;
    t.upserts = std::move(rows);
  };
  txn(0, {upsert("k1", a, 1), upsert("k2", b, 1)});
  txn(1, {upsert("k1", a, 2)});
  txn(0, {upsert("k1", a, 2)});
  return h;
}

TEST(FinalRowIndex, FindsTheUpsertByItsBlockAndEveryOtherMember) {
  const SharedRow a(Row{Value::int64(1)});
  const SharedRow b(Row{Value::int64(2)});
  const history::History h = two_tables(a, b);
  const FinalRowIndex t1(h, "t1");
  const FinalRowIndex t2(h, "t2");
  const auto at = [](const std::optional<history::FinalRowRef>& r) {
    return r ? std::pair(r->txn, r->row) : std::pair(UINT32_MAX, UINT32_MAX);
  };
  EXPECT_EQ(at(t1.find("k1", stored(a, 2))), std::pair(2u, 0u));  // not txn 1's: table t2
  EXPECT_EQ(at(t1.find("k1", stored(a, 1))), std::pair(0u, 0u));  // the version tells them apart
  EXPECT_EQ(at(t1.find("k2", stored(b, 1))), std::pair(0u, 1u));
  EXPECT_EQ(at(t2.find("k1", stored(a, 2))), std::pair(1u, 0u));
  EXPECT_FALSE(t1.find("k2", stored(a, 1)));  // the block, under another key
  const SharedRow equal_copy(Row{Value::int64(1)});
  EXPECT_FALSE(t1.find("k1", stored(equal_copy, 1)));  // equal values, not the block written
  DestValue op_differs = stored(a, 1);
  op_differs.op = 'u';
  EXPECT_FALSE(t1.find("k1", op_differs));
  DestValue seq_differs = stored(a, 1);
  seq_differs.collection_seq = 4;
  EXPECT_FALSE(t1.find("k1", seq_differs));
  DestValue mask_differs = stored(a, 1);
  mask_differs.present_mask = 3;
  EXPECT_FALSE(t1.find("k1", mask_differs));
  DestValue snapshot_differs = stored(a, 1);
  snapshot_differs.snapshot = true;
  EXPECT_FALSE(t1.find("k1", snapshot_differs));
  EXPECT_FALSE(t1.find("k1", stored(SharedRow(), 1)));  // no fields: never a reference
}

// find_all() answers as find() does for each row, whatever the order the
// rows come in (rows sharing a block, rows without fields, rows not found).
TEST(FinalRowIndex, FindAllAnswersAsFindDoesRowByRow) {
  const SharedRow a(Row{Value::int64(1)});
  const SharedRow b(Row{Value::int64(2)});
  const SharedRow c(Row{Value::int64(3)});
  const history::History h = two_tables(a, b);
  const FinalRowIndex t1(h, "t1");
  const std::vector<CompactKey> keys = {"k1", "k2", "k1", "k9", "k1", "k2"};
  const std::vector<DestValue> values = {stored(a, 2), stored(b, 1),           stored(a, 1),
                                         stored(c, 1), stored(SharedRow(), 1), stored(a, 1)};
  std::vector<FinalRowIndex::Stored> rows;
  for (size_t i = 0; i < keys.size(); ++i)
    rows.push_back({&keys[i], &values[i]});
  std::vector<std::optional<history::FinalRowRef>> in_order;
  for (int turn = 0; turn < 2; ++turn) {  // the rows as listed, then reversed
    std::vector<std::optional<history::FinalRowRef>> out(rows.size());
    t1.find_all(rows, out);
    for (size_t i = 0; i < rows.size(); ++i)
      EXPECT_EQ(out[i], t1.find(*rows[i].key, *rows[i].value)) << "row " << i;
    if (turn == 0) {
      in_order = out;
    } else {
      std::reverse(out.begin(), out.end());
      EXPECT_EQ(out, in_order);
    }
    std::reverse(rows.begin(), rows.end());
  }
  EXPECT_TRUE(in_order[0] && in_order[1] && in_order[2]);
  EXPECT_FALSE(in_order[3] || in_order[4] || in_order[5]);
}

// Past the 64 rows find_all() checks against find() itself: 120 upserts
// over 40 blocks (each written under one key at three versions) and 200
// stored rows, found or not, in an order unrelated to the blocks'.
TEST(FinalRowIndex, FindAllOfManyRowsAnswersAsFindDoes) {
  std::vector<SharedRow> blocks;
  for (int i = 0; i < 40; ++i)
    blocks.emplace_back(Row{Value::int64(i)});
  std::vector<std::string> names;
  for (int i = 0; i < 40; ++i)
    names.push_back("k" + std::to_string(i));
  history::History h;
  h.materializations.emplace_back().destination = "t1";
  for (uint64_t version = 1; version <= 3; ++version) {
    history::DestinationTxn& t = h.destination_txns.emplace_back();
    for (int i = 0; i < 40; ++i)
      t.upserts.push_back(upsert(names[(i * 7) % 40].c_str(), blocks[(i * 7) % 40], version));
  }
  const FinalRowIndex index(h, "t1");
  std::vector<CompactKey> keys;
  std::vector<DestValue> values;
  for (int i = 0; i < 200; ++i) {
    const int b = (i * 13) % 40;
    keys.emplace_back(names[(i % 5 == 0 ? b + 1 : b) % 40]);  // every fifth under another key
    values.push_back(stored(blocks[b], 1 + i % 4));           // version 4 was never written
  }
  std::vector<FinalRowIndex::Stored> rows;
  for (size_t i = 0; i < keys.size(); ++i)
    rows.push_back({&keys[i], &values[i]});
  std::vector<std::optional<history::FinalRowRef>> out(rows.size());
  index.find_all(rows, out);
  size_t found = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(out[i], index.find(*rows[i].key, *rows[i].value)) << "row " << i;
    found += out[i] ? 1 : 0;
  }
  EXPECT_GT(found, 100u);
  EXPECT_LT(found, rows.size());
}

// The quiet accounts world (test_worlds.h) into a merge or delta
// destination; `corrupt` damages the destination at tick 100, after the
// backfill, and nothing repairs it.
WorldOptions quiet_world(UpdateStrategy strategy, bool corrupt) {
  WorldOptions o = testing::quiet_accounts_world(11);
  o.strategy = strategy;
  if (corrupt) {
    ScriptedOp damage;
    damage.tick = 100;
    damage.kind = ScriptedOp::Kind::kCorruptDestinations;
    o.script = {damage};
  }
  return o;
}

TEST(FinalRows, AnUndamagedDestinationIsRecordedAsReferencesOnly) {
  for (const UpdateStrategy s : {UpdateStrategy::kMerge, UpdateStrategy::kDelta}) {
    const history::History h = run_world(quiet_world(s, false)).history;
    ASSERT_TRUE(h.final_state.recorded);
    ASSERT_EQ(h.final_state.destinations.size(), 1u);
    EXPECT_GT(h.final_state.destinations[0].size(), 2u);
    EXPECT_TRUE(h.final_state.owned.empty());
    for (const history::FinalRowRef r : h.final_state.destinations[0])
      EXPECT_NE(r.txn, history::FinalRowRef::kOwned);
  }
}

// A corruption garbles a field of some rows: those are copies, equal to no
// upsert, and the rest stay references.
TEST(FinalRows, RowsACorruptionChangedAreCopiesOfWhatTheDestinationHolds) {
  const history::History h = run_world(quiet_world(UpdateStrategy::kMerge, true)).history;
  ASSERT_EQ(h.final_state.destinations.size(), 1u);
  const std::vector<history::FinalRowRef>& refs = h.final_state.destinations[0];
  ASSERT_FALSE(h.final_state.owned.empty());
  size_t owned = 0;
  for (const history::FinalRowRef r : refs) {
    if (r.txn != history::FinalRowRef::kOwned) continue;
    ++owned;
    const history::DestinationRow& row = history::final_row(h, r);
    ASSERT_GT(row.fields.size(), 1u);
    EXPECT_TRUE(row.fields[1].is_null());  // the garbled field
    for (const history::DestinationTxn& t : h.destination_txns) {
      for (const history::DestinationRow& u : t.upserts)
        EXPECT_FALSE(u.key == row.key && u.fields == row.fields && u.lsn == row.lsn);
    }
  }
  EXPECT_EQ(owned, h.final_state.owned.size());
  EXPECT_LT(owned, refs.size());
}

}  // namespace
}  // namespace cdc::sim
