// Materializations over a collection store: merge and delta, positions,
// backfills, the max-key load optimisation, exactly-once commits.
#include "model/materialization.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace cdc {
namespace {

class Recorder : public MaterializationObserver {
 public:
  void on_destination_commit(const DestinationCommit& c) override { commits.push_back(c); }
  void on_materialization_error(const std::string& m) override { errors.push_back(m); }
  std::vector<DestinationCommit> commits;
  std::vector<std::string> errors;
};

CollectionDoc doc(const std::string& key, char op, int64_t a, std::optional<int64_t> b) {
  CollectionDoc d;
  d.key = key;
  d.op = op;
  d.fields = {Value::int64(a), b ? Value::int64(*b) : Value::null()};
  d.present_mask = b ? 0b11 : 0b01;
  return d;
}

class MaterializationTest : public ::testing::Test {
 protected:
  void SetUp() override { store.create("c"); }
  void add_txn(std::vector<CollectionDoc> docs) {
    CollectionStore::Txn t;
    for (CollectionDoc& d : docs)
      t.docs.emplace_back("c", std::move(d));
    store.commit(std::move(t), 0);
  }
  void make(UpdateStrategy s, bool keep_existing = false) {
    MaterializationBindingSpec spec;
    spec.collection = "c";
    spec.destination = "t";
    spec.strategy = s;
    spec.keep_existing_on_backfill = keep_existing;
    m.emplace(&store, &dest, std::vector<MaterializationBindingSpec>{spec}, &rec);
  }
  void drain() {
    for (int i = 0; i < 100 && !m->drained(); ++i)
      (void)m->step();
    ASSERT_TRUE(m->drained());
  }
  const DestinationTable& table() const { return *dest.table("t"); }

  CollectionStore store;
  Destination dest;
  Recorder rec;
  std::optional<Materialization> m;
};

TEST_F(MaterializationTest, MergeReducesAndStores) {
  add_txn({doc("a", 'c', 1, 10), doc("b", 'c', 2, 20)});
  add_txn({doc("a", 'u', 3, std::nullopt), doc("b", 'd', 2, std::nullopt)});
  make(UpdateStrategy::kMerge);
  drain();
  ASSERT_EQ(table().merged.size(), 1u);
  // The update omitted field 1: the stored value is kept.
  EXPECT_EQ(table().merged.at("a").fields, (Row{Value::int64(3), Value::int64(10)}));
}

// A merge commit stores each row under its key, whatever the order of its
// rows: runs in key order (searched from the previous row), keys past the
// greatest, keys between stored ones, repeats, descending keys.
TEST(DestinationTest, MergeRowsLandUnderTheirKeysInAnyOrder) {
  const auto commit_of = [](const std::vector<std::pair<std::string, int64_t>>& rows) {
    DestinationCommit c;
    c.state_key = "s";
    c.table = "t";
    for (const auto& [key, v] : rows) {
      DestRow r;
      r.key = key;
      r.fields = Row{Value::int64(v)};
      c.upserts.push_back(std::move(r));
    }
    return c;
  };
  const std::vector<std::vector<std::pair<std::string, int64_t>>> commits = {
      {{"b", 1}, {"d", 2}, {"f", 3}},
      {{"a", 4}, {"c", 5}, {"d", 6}, {"e", 7}, {"g", 8}, {"h", 9}},         // between, equal, past
      {{"h", 10}, {"h", 11}, {"c", 12}, {"b", 13}, {"i", 14}, {"a0", 15}},  // repeats, descending
      {{"z", 16}, {"y", 17}},
      {{"a", 18}, {"c", 19}, {"e", 20}},  // stored keys lie between the rows
  };
  Destination dest;
  std::map<CompactKey, int64_t> want;
  for (const auto& rows : commits) {
    dest.commit(commit_of(rows));
    for (const auto& [key, v] : rows)
      want[key] = v;
    const DestinationTable* t = dest.table("t");
    ASSERT_NE(t, nullptr);
    ASSERT_EQ(t->merged.size(), want.size());
    for (const auto& [key, row] : t->merged) {
      ASSERT_TRUE(want.count(key)) << key;
      EXPECT_EQ(row.fields, Row{Value::int64(want.at(key))}) << key;
    }
  }
}

// A merge loads the stored row of each key it updates, found from the
// previous key's: runs of stored keys (found next to the previous one),
// stored keys between the updated ones, and new keys between stored ones.
TEST_F(MaterializationTest, MergeLoadsTheStoredRowOfEveryUpdatedKey) {
  add_txn({doc("a", 'c', 1, 10), doc("b", 'c', 2, 20), doc("c", 'c', 3, 30), doc("d", 'c', 4, 40),
           doc("e", 'c', 5, 50), doc("f", 'c', 6, 60), doc("g", 'c', 7, 70)});
  make(UpdateStrategy::kMerge);
  drain();
  add_txn({doc("e", 'u', 15, std::nullopt), doc("a", 'u', 11, std::nullopt),
           doc("b", 'u', 12, std::nullopt), doc("c", 'u', 13, std::nullopt), doc("a5", 'c', 8, 80),
           doc("g", 'u', 17, std::nullopt), doc("0", 'c', 9, 90)});
  drain();
  const std::map<std::string, Row> want = {{"0", Row{Value::int64(9), Value::int64(90)}},
                                           {"a", Row{Value::int64(11), Value::int64(10)}},
                                           {"a5", Row{Value::int64(8), Value::int64(80)}},
                                           {"b", Row{Value::int64(12), Value::int64(20)}},
                                           {"c", Row{Value::int64(13), Value::int64(30)}},
                                           {"d", Row{Value::int64(4), Value::int64(40)}},
                                           {"e", Row{Value::int64(15), Value::int64(50)}},
                                           {"f", Row{Value::int64(6), Value::int64(60)}},
                                           {"g", Row{Value::int64(17), Value::int64(70)}}};
  ASSERT_EQ(table().merged.size(), want.size());
  for (const auto& [key, fields] : want)
    EXPECT_EQ(table().merged.at(key).fields, fields) << key;
}

TEST_F(MaterializationTest, DeltaAppendsEveryDocument) {
  add_txn({doc("a", 'c', 1, 10), doc("a", 'u', 2, 20), doc("a", 'd', 2, std::nullopt)});
  make(UpdateStrategy::kDelta);
  drain();
  ASSERT_EQ(table().appended.size(), 3u);
  EXPECT_EQ(table().appended[2].op, 'd');
  EXPECT_TRUE(table().merged.empty());
}

TEST_F(MaterializationTest, PositionsMakeCommitsExactlyOnceAcrossCrashesAndFailures) {
  add_txn({doc("a", 'c', 1, 10)});
  make(UpdateStrategy::kDelta);
  drain();
  add_txn({doc("b", 'c', 2, 20)});
  ASSERT_TRUE(m->step().is_ok());  // built, not committed
  m->restart();                    // a crash loses it
  m->arm_commit_failure();
  for (int i = 0; i < 3; ++i)
    (void)m->step();  // build, failing commit, build again
  EXPECT_EQ(rec.errors.size(), 1u);
  drain();
  EXPECT_EQ(table().appended.size(), 2u);  // each document applied once
}

TEST_F(MaterializationTest, BackfillTruncatesAndReadsTheCollectionAgain) {
  add_txn({doc("a", 'c', 1, 10)});
  make(UpdateStrategy::kDelta);
  drain();
  ++m->bindings()[0].backfill_counter;
  m->restart();
  drain();
  EXPECT_EQ(table().appended.size(), 1u);  // truncated, then the one document again
  EXPECT_TRUE(rec.commits.back().truncate_first);
  EXPECT_EQ(rec.commits.back().state_key, "t.v1");
}

TEST_F(MaterializationTest, KeepExistingDataSkipsTheTruncateAndTheLoadOptimisation) {
  add_txn({doc("a", 'c', 1, 10)});
  make(UpdateStrategy::kDelta, /*keep_existing=*/true);
  drain();
  ++m->bindings()[0].backfill_counter;
  m->restart();
  drain();
  EXPECT_EQ(table().appended.size(), 2u);  // nothing dropped: the document is there twice
  EXPECT_FALSE(rec.commits.back().truncate_first);
  EXPECT_FALSE(rec.commits.back().position.load_optimisation);
}

TEST_F(MaterializationTest, SchemaChangeDropsAndRecreatesOnBackfill) {
  add_txn({doc("a", 'c', 1, 10)});
  make(UpdateStrategy::kMerge);
  drain();
  ++m->bindings()[0].backfill_counter;
  ++m->bindings()[0].schema_version;
  m->restart();
  drain();
  EXPECT_TRUE(rec.commits.back().recreate);
  EXPECT_EQ(table().schema_version, 2u);
  EXPECT_EQ(table().merged.size(), 1u);
}

// The max-key optimisation skips loading keys above the highest key ever
// stored; a partial update of such a key then starts from nothing. Keys are
// only ever above the max key when the binding never stored them, so the
// skipped load cannot miss a row the binding wrote.
TEST_F(MaterializationTest, MaxKeyOptimisationSkipsLoadsOnlyAboveTheHighestStoredKey) {
  add_txn({doc("b", 'c', 1, 10)});
  make(UpdateStrategy::kMerge);
  drain();
  EXPECT_EQ(rec.commits.back().position.max_key, std::optional<std::string>("b"));
  add_txn({doc("a", 'u', 5, std::nullopt), doc("c", 'u', 6, std::nullopt)});
  drain();
  EXPECT_EQ(table().merged.at("c").present_mask, 0b01u);  // above the max key: not loaded
  EXPECT_EQ(rec.commits.back().position.max_key, std::optional<std::string>("c"));
  add_txn({doc("b", 'u', 7, std::nullopt)});
  drain();
  EXPECT_EQ(table().merged.at("b").fields, (Row{Value::int64(7), Value::int64(10)}));  // loaded
}

TEST_F(MaterializationTest, RetentionLimitsWhatABackfillRestores) {
  for (uint64_t tick = 0; tick < 4; ++tick) {
    CollectionStore::Txn t;
    t.docs.emplace_back("c", doc("k" + std::to_string(tick), 'c', 1, 1));
    store.commit(std::move(t), tick);
  }
  make(UpdateStrategy::kMerge);
  drain();
  EXPECT_EQ(table().merged.size(), 4u);
  store.expire(4, 2);  // documents of ticks 0 and 1 expire
  ++m->bindings()[0].backfill_counter;
  m->restart();
  drain();
  EXPECT_EQ(table().merged.size(), 2u);
}

}  // namespace
}  // namespace cdc
