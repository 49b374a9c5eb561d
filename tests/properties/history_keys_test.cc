#include "properties/history_keys.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "properties/timeline.h"
#include "tests/properties/destination_builder.h"
#include "tests/properties/history_builder.h"

namespace cdc::properties::testing {
namespace {

using detail::HistoryKeys;
using detail::TableKeys;

// Keys the source changed take the timeline's ids; keys only documents,
// destination rows or chunks name come after them, in the order the class
// meets them; one key has one id whatever names it.
TEST(HistoryKeysTest, EveryItemHasTheIdOfItsKey) {
  History h = HistoryBuilder()
                  .binding()
                  .commit(100, {ins("k2", 1), ins("k1", 1)})
                  .commit(200, {upd("k2", 1, 2)})
                  .txn({doc_c("k1", 1, 100), doc_c("zz", 1, 100)})
                  .chunk(std::nullopt, {"k1", "cc"}, 150, 1, true)
                  .build();
  h = DestinationBuilder(std::move(h))
          .materialization(UpdateStrategy::kMerge)
          .dtxn(30, {drow("k2", 2, 200, 1), drow("bb", 1, 100, 1)}, {"k1"})
          .build();
  h.final_state.recorded = true;
  h.final_state.add_owned(kMat, drow("aa", 1, 100, 1));
  const HistoryKeys keys(h);
  const TableKeys& t = keys.of_binding(kBinding);
  EXPECT_EQ(&keys.of_materialization(kMat), &t);
  ASSERT_EQ(t.size(), 6u);
  // The timeline's: k2 then k1, in first-change order.
  EXPECT_EQ(keys.change(h.source_commits[0], h.source_commits[0].changes[0]), 0u);
  EXPECT_EQ(keys.change(h.source_commits[0], h.source_commits[0].changes[1]), 1u);
  EXPECT_EQ(keys.change(h.source_commits[1], h.source_commits[1].changes[0]), 0u);
  // Then documents, destinations, final rows, chunks.
  const history::CollectionTxn& txn = h.collection_txns[0];
  EXPECT_EQ(keys.doc(txn, txn.docs[0]), 1u);
  EXPECT_EQ(keys.doc(txn, txn.docs[1]), 2u);  // zz
  const history::DestinationTxn& d = h.destination_txns[0];
  EXPECT_EQ(keys.upsert(d, d.upserts[0]), 0u);
  EXPECT_EQ(keys.upsert(d, d.upserts[1]), 3u);  // bb
  EXPECT_EQ(keys.deleted(d, 0), 1u);
  EXPECT_EQ(keys.final_row(kMat, 0), 4u);  // aa
  const history::Chunk& c = h.chunks[0];
  EXPECT_EQ(keys.chunk_row(c, c.rows[0]), 1u);
  EXPECT_EQ(keys.chunk_row(c, c.rows[1]), 5u);  // cc
  const std::vector<std::string> names = {"k2", "k1", "zz", "bb", "aa", "cc"};
  for (uint32_t id = 0; id < names.size(); ++id) {
    EXPECT_EQ(t.key(id), names[id]);
    EXPECT_EQ(t.find(names[id]), id);
    EXPECT_EQ(t.changed(id), id < 2) << id;
    EXPECT_EQ(t.entry(id).has_value(), id < 2) << id;
  }
  EXPECT_EQ(t.find("k9"), std::nullopt);
  ASSERT_NE(t.final_row(0), nullptr);
  EXPECT_EQ(*t.final_row(0), row("k2", 2));
  EXPECT_EQ(t.final_row(2), nullptr);
  EXPECT_EQ(t.in_key_order(), (std::vector<uint32_t>{4, 3, 5, 1, 0, 2}));
  EXPECT_EQ(t.unchanged_in_key_order(), (std::vector<uint32_t>{4, 3, 5, 2}));
  // The accepted key first in key order, whatever the ids' order.
  const auto no_fetch = [](uint32_t, detail::FetchStage) {};
  EXPECT_EQ(t.first_in_key_order([](uint32_t id) { return id == 0 || id == 2; }, no_fetch),
            0u);  // k2 < zz
  EXPECT_EQ(t.first_in_key_order([](uint32_t id) { return id <= 1 || id == 5; }, no_fetch),
            5u);  // cc
  EXPECT_EQ(t.first_in_key_order([](uint32_t) { return false; }, no_fetch), std::nullopt);
}

// first_in_key_order() asks for each id's rows kFetchAhead ids before it may
// judge that id: every id from kFetchAhead on, once, in order, and none past
// the table; what it finds does not depend on the fetching.
TEST(HistoryKeysTest, TheFirstInKeyOrderFetchesAheadOfItsWalk) {
  std::vector<SourceKeyChange> changes;
  constexpr uint32_t kKeys = 3 * TableKeys::kFetchAhead + 1;
  for (uint32_t i = 0; i < kKeys; ++i)
    changes.push_back(ins("k" + std::to_string(100 + (i * 7) % kKeys), 1));
  const History h = HistoryBuilder().binding().commit(100, changes).build();
  const HistoryKeys keys(h);
  const TableKeys& t = keys.of_binding(kBinding);
  ASSERT_EQ(t.size(), kKeys);
  std::vector<uint32_t> fetched_records;
  std::vector<uint32_t> fetched;
  std::vector<uint32_t> judged;
  const std::optional<uint32_t> first = t.first_in_key_order(
      [&](uint32_t id) {
        judged.push_back(id);
        return id % 2 == 1;
      },
      [&](uint32_t id, detail::FetchStage stage) {
        if (stage == detail::FetchStage::kRecords) {
          EXPECT_TRUE(judged.empty() || judged.back() + 2 * TableKeys::kFetchAhead < id) << id;
          fetched_records.push_back(id);
          return;
        }
        EXPECT_TRUE(judged.empty() || judged.back() + TableKeys::kFetchAhead < id) << id;
        // A row is asked for after its records.
        EXPECT_TRUE(id < 2 * TableKeys::kFetchAhead ||
                    (!fetched_records.empty() && fetched_records.back() >= id))
            << id;
        fetched.push_back(id);
      });
  std::vector<uint32_t> expected;
  for (uint32_t id = TableKeys::kFetchAhead; id < kKeys; ++id)
    expected.push_back(id);
  EXPECT_EQ(fetched, expected);
  expected.clear();
  for (uint32_t id = 2 * TableKeys::kFetchAhead; id < kKeys; ++id)
    expected.push_back(id);
  EXPECT_EQ(fetched_records, expected);
  ASSERT_TRUE(first.has_value());
  // The odd id whose key is least.
  std::optional<uint32_t> least;
  for (uint32_t id = 1; id < kKeys; id += 2) {
    if (!least || t.key(id) < t.key(*least)) least = id;
  }
  EXPECT_EQ(first, least);
}

// Items of a binding the history does not have get no id; a
// materialization reading such a binding has a space of its own.
TEST(HistoryKeysTest, ItemsOfUnknownBindingsHaveNoId) {
  History h = HistoryBuilder()
                  .binding()
                  .commit(100, {ins("k1", 1)})
                  .txn({of_binding(doc_c("k1", 1, 100), 9)})
                  .build();
  h = DestinationBuilder(std::move(h))
          .materialization(UpdateStrategy::kMerge, /*id=*/5, /*capture_binding=*/9)
          .dtxn(30, {drow("k1", 1, 100, 1)}, {}, /*m=*/5)
          .build();
  const HistoryKeys keys(h);
  EXPECT_EQ(keys.doc(h.collection_txns[0], h.collection_txns[0].docs[0]), HistoryKeys::kNone);
  const TableKeys& orphan = keys.of_materialization(5);
  EXPECT_NE(&orphan, &keys.of_binding(kBinding));
  const history::DestinationTxn& d = h.destination_txns[0];
  EXPECT_EQ(keys.upsert(d, d.upserts[0]), 0u);
  EXPECT_FALSE(orphan.changed(0));
  EXPECT_EQ(orphan.key(0), "k1");
  EXPECT_EQ(keys.table(kTable), &keys.of_binding(kBinding));
  EXPECT_EQ(keys.table(99), nullptr);
}

// Against maps of strings: over random histories of two bindings on two
// tables, every item's id names its own key in its binding's table, equal
// keys share an id, the source's keys are exactly the changed ids, and
// in_key_order lists every id once, in bytewise key order.
RC_GTEST_PROP(HistoryKeysProps, IdsAgreeWithTheKeysTheyName, ()) {
  const auto draw_key = [] {
    std::string key(*rc::gen::inRange<size_t>(0, 4), 'a');
    for (char& ch : key)
      ch = *rc::gen::element('\0', 'a', 'b', 'c');
    return key;
  };
  const uint32_t tables[] = {kTable, kTable + 1};
  HistoryBuilder b;
  b.binding(1, tables[0]).binding(2, tables[1]);
  std::map<uint32_t, std::set<std::string>> changed;  // by table
  const int commits = *rc::gen::inRange(0, 12);
  for (int c = 0; c < commits; ++c) {
    std::vector<SourceKeyChange> changes;
    for (int i = *rc::gen::inRange(1, 4); i > 0; --i) {
      SourceKeyChange ch = ins(draw_key(), c);
      ch.table = tables[*rc::gen::inRange(0, 2)];
      changed[ch.table].insert(ch.key.str());
      changes.push_back(ch);
    }
    b.commit(100 + c, changes);
  }
  for (int t = *rc::gen::inRange(0, 8); t > 0; --t) {
    std::vector<Document> docs;
    for (int i = *rc::gen::inRange(1, 4); i > 0; --i)
      docs.push_back(of_binding(doc_c(draw_key(), 1, 100), *rc::gen::inRange(1, 4)));
    b.txn(docs);
  }
  const History h = b.build();
  const HistoryKeys keys(h);
  std::map<std::pair<uint32_t, std::string>, uint32_t> seen;  // (table, key) -> id
  const auto check = [&](uint32_t table, std::string_view key, uint32_t id) {
    const TableKeys* t = keys.table(table);
    RC_ASSERT(t != nullptr);
    RC_ASSERT(id < t->size());
    RC_ASSERT(t->key(id) == key);
    RC_ASSERT(t->changed(id) == (changed[table].count(std::string(key)) != 0));
    const auto [it, fresh] = seen.emplace(std::make_pair(table, std::string(key)), id);
    RC_ASSERT(it->second == id);
  };
  for (const history::SourceCommit& c : h.source_commits) {
    for (const history::SourceKeyChange& ch : c.changes)
      check(ch.table, ch.key, keys.change(c, ch));
  }
  for (const history::CollectionTxn& txn : h.collection_txns) {
    for (const history::Document& d : txn.docs) {
      const uint32_t id = keys.doc(txn, d);
      if (d.binding > 2) {
        RC_ASSERT(id == HistoryKeys::kNone);
        continue;
      }
      check(tables[d.binding - 1], d.key, id);
    }
  }
  for (const uint32_t table : tables) {
    const TableKeys& t = *keys.table(table);
    std::vector<uint32_t> all(t.size());
    for (uint32_t id = 0; id < t.size(); ++id)
      all[id] = id;
    std::vector<uint32_t> order = t.in_key_order();
    RC_ASSERT(std::is_sorted(order.begin(), order.end(),
                             [&](uint32_t a, uint32_t c) { return t.key(a) < t.key(c); }));
    std::sort(order.begin(), order.end());
    RC_ASSERT(order == all);
    RC_ASSERT(t.size() ==
              static_cast<size_t>(std::count_if(seen.begin(), seen.end(), [&](const auto& kv) {
                return kv.first.first == table;
              })));
  }
}

}  // namespace
}  // namespace cdc::properties::testing
