#include "model/collection.h"

#include <gtest/gtest.h>

#include <string>

namespace cdc {
namespace {

CollectionDoc doc(const std::string& key, char op, Row fields, uint64_t present) {
  CollectionDoc d;
  d.key = key;
  d.op = op;
  d.fields = std::move(fields);
  d.present_mask = present;
  return d;
}

TEST(CollectionTest, ReductionMergesFieldsAndDeletes) {
  CollectionStore s;
  ASSERT_TRUE(s.create("c"));
  EXPECT_FALSE(s.create("c"));
  CollectionStore::Txn t;
  t.docs.emplace_back("c", doc("k", 'c', {Value::int64(1), Value::text("big")}, 0b11));
  // An update that omits field 1 (an unchanged TOAST column) keeps its value.
  t.docs.emplace_back("c", doc("k", 'u', {Value::int64(2), Value::null()}, 0b01));
  t.docs.emplace_back("c", doc("gone", 'c', {Value::int64(9), Value::text("x")}, 0b11));
  t.docs.emplace_back("c", doc("gone", 'd', {Value::int64(9), Value::null()}, 0b01));
  s.commit(std::move(t), 1);
  const auto r = s.reduce("c");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r.at("k").fields, (Row{Value::int64(2), Value::text("big")}));
  EXPECT_EQ(r.at("k").present_mask, 0b11u);
}

TEST(CollectionTest, DocumentsAndCheckpointCommitTogether) {
  CollectionStore s;
  s.create("a");
  s.create("b");
  EXPECT_FALSE(s.checkpoint().has_value());
  CollectionStore::Txn t;
  t.docs.emplace_back("a", doc("k", 'c', {Value::int64(1)}, 1));
  t.docs.emplace_back("b", doc("k", 'c', {Value::int64(2)}, 1));
  CaptureCheckpoint first{Lsn(42), {}};
  first.states["items.v1"].backfilled = true;
  t.checkpoint = &first;
  EXPECT_EQ(s.commit(std::move(t), 5), 1u);
  EXPECT_EQ(s.checkpoint()->cursor, Lsn(42));
  EXPECT_EQ(s.docs("a").size(), 1u);
  EXPECT_EQ(s.docs("b")[0].txn_seq, 1u);
  EXPECT_EQ(s.docs("b")[0].tick, 5u);
  // The next checkpoint replaces the kept one whole (it is copied into the
  // same storage): no state of the first survives, and the capture's copy
  // is the store's no more than before.
  CaptureCheckpoint second{Lsn(50), {}};
  second.states["items.v2"].backfilled_count = 3;
  CollectionStore::Txn u;
  u.checkpoint = &second;
  EXPECT_EQ(s.commit(std::move(u), 6), 2u);
  second.cursor = Lsn(99);
  ASSERT_TRUE(s.checkpoint().has_value());
  EXPECT_EQ(s.checkpoint()->cursor, Lsn(50));
  ASSERT_EQ(s.checkpoint()->states.size(), 1u);
  EXPECT_EQ(s.checkpoint()->states.at("items.v2").backfilled_count, 3u);
}

TEST(CollectionTest, RetentionDropsOldDocumentsAndResetStartsAGeneration) {
  CollectionStore s;
  s.create("c");
  for (uint64_t tick = 0; tick < 10; ++tick) {
    CollectionStore::Txn t;
    t.docs.emplace_back("c", doc("k" + std::to_string(tick), 'c', {Value::int64(1)}, 1));
    s.commit(std::move(t), tick);
  }
  EXPECT_EQ(s.expire(10, 4), 6u);  // documents from ticks 0..5 are older than 4 ticks
  EXPECT_EQ(s.docs("c").size(), 4u);
  EXPECT_EQ(s.expire(3, 4), 0u);
  EXPECT_EQ(s.generation("c"), 1u);
  s.reset("c");
  EXPECT_EQ(s.generation("c"), 2u);
  EXPECT_TRUE(s.docs("c").empty());
}

// The store holds its documents' rows shared; copying it shares them again,
// moving it does not, and a store going away lets go of every row (its
// collections release them with their blocks fetched ahead).
TEST(CollectionTest, AStoreHoldsItsDocumentsRowsUntilItGoes) {
  const SharedRow held(Row{Value::int64(1), Value::text(std::string(30, 'r'))});
  constexpr uint32_t kDocs = kReleaseAtLeast + kReleaseAhead + 1;
  {
    CollectionStore s;
    s.create("c");
    CollectionStore::Txn t;
    for (uint32_t i = 0; i < kDocs; ++i) {
      CollectionDoc d = doc("k" + std::to_string(i), 'c', {}, 0b11);
      d.fields = held;
      t.docs.emplace_back("c", d);
    }
    s.commit(std::move(t), 1);
    EXPECT_EQ(held.use_count(), kDocs + 1);
    {
      const CollectionStore copy = s;  // NOLINT(performance-unnecessary-copy-initialization)
      EXPECT_EQ(held.use_count(), 2 * kDocs + 1);
    }
    EXPECT_EQ(held.use_count(), kDocs + 1);
    const CollectionStore moved = std::move(s);
    EXPECT_EQ(held.use_count(), kDocs + 1);
    EXPECT_EQ(moved.docs("c").size(), kDocs);
  }
  EXPECT_EQ(held.use_count(), 1u);
}

}  // namespace
}  // namespace cdc
