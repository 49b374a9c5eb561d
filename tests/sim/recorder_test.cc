// The recorder's source commits: one change per key a transaction touched,
// with the state before the transaction and the state its last version left.
#include "sim/recorder.h"

#include <gtest/gtest.h>

#include "model/database.h"

namespace cdc::sim {
namespace {

TableSchema items() {
  TableSchema s;
  s.name = "items";
  s.columns = {{"id", ColumnType::kInt64, Collation::kC, false, false},
               {"v", ColumnType::kInt64, Collation::kC, false, true}};
  s.primary_key = {0};
  return s;
}

Row row(int64_t id, int64_t v) {
  return {Value::int64(id), Value::int64(v)};
}

// `keys` keys written in one transaction, each inserted, then updated, and
// every third deleted: past 16 keys the recorder finds a key's change by a
// map rather than by a scan, and both must agree.
void expect_one_change_per_key(int64_t keys) {
  Database db;
  const TableId t = db.create_table(items()).value();
  Recorder rec(&db);
  db.set_commit_observer([&](const CommittedTxn& c) { rec.on_source_commit(c); });
  const TxnId setup = db.begin();
  ASSERT_TRUE(db.insert(setup, t, row(0, 100)).is_ok());
  ASSERT_TRUE(db.commit(setup).is_ok());
  const TxnId tx = db.begin();
  for (int64_t k = 1; k <= keys; ++k)
    ASSERT_TRUE(db.insert(tx, t, row(k, k)).is_ok());
  ASSERT_TRUE(db.update(tx, t, {Value::int64(0)}, row(0, 101)).is_ok());
  for (int64_t k = 1; k <= keys; ++k) {
    ASSERT_TRUE(db.update(tx, t, {Value::int64(k)}, row(k, 10 * k)).is_ok());
    if (k % 3 == 0) {
      ASSERT_TRUE(db.remove(tx, t, {Value::int64(k)}).is_ok());
    }
  }
  ASSERT_TRUE(db.commit(tx).is_ok());
  const std::vector<history::SourceCommit>& commits = rec.history().source_commits;
  ASSERT_EQ(commits.size(), 2u);
  const history::SourceCommit& c = commits[1];
  ASSERT_EQ(c.changes.size(), static_cast<size_t>(keys + 1)) << keys << " keys";
  for (size_t i = 0; i < c.changes.size(); ++i) {
    const history::SourceKeyChange& ch = c.changes[i];
    const int64_t k = static_cast<int64_t>(i) + 1;  // keys 1..n first, then key 0
    if (i + 1 == c.changes.size()) {
      ASSERT_TRUE(ch.before.has_value());
      EXPECT_EQ(*ch.before, row(0, 100));
      EXPECT_EQ(ch.after, std::optional<Row>(row(0, 101)));
      continue;
    }
    EXPECT_FALSE(ch.before.has_value()) << "key " << k;
    if (k % 3 == 0) {
      EXPECT_FALSE(ch.after.has_value()) << "key " << k;
      EXPECT_FALSE(ch.after_xmin.has_value()) << "key " << k;
    } else {
      EXPECT_EQ(ch.after, std::optional<Row>(row(k, 10 * k))) << "key " << k;
    }
  }
}

TEST(RecorderTest, FewKeysGiveOneChangeEachWithBeforeAndAfter) {
  expect_one_change_per_key(5);
}

TEST(RecorderTest, ManyKeysGiveOneChangeEachWithBeforeAndAfter) {
  expect_one_change_per_key(15);  // 16 keys with key 0: the last scanned size
  expect_one_change_per_key(16);  // the 17th key builds the map
  expect_one_change_per_key(100);
}

// A transaction of many versions over two tables reads every before image
// ahead, in runs of one table long enough for grouped lookups (ten keys with
// a committed row each): each change gets its own key's committed row.
TEST(RecorderTest, ManyVersionsOverTwoTablesGetTheirOwnBeforeImages) {
  Database db;
  TableSchema other = items();
  other.name = "others";
  const TableId t = db.create_table(items()).value();
  const TableId u = db.create_table(other).value();
  Recorder rec(&db);
  db.set_commit_observer([&](const CommittedTxn& c) { rec.on_source_commit(c); });
  constexpr int64_t kKeys = 30;
  const TxnId setup = db.begin();
  for (int64_t k = 1; k <= kKeys; ++k) {
    ASSERT_TRUE(db.insert(setup, t, row(k, k)).is_ok());
    ASSERT_TRUE(db.insert(setup, u, row(k, -k)).is_ok());
  }
  ASSERT_TRUE(db.commit(setup).is_ok());
  const TxnId tx = db.begin();
  const auto table_of = [&](int64_t k) { return (k - 1) / 10 % 2 == 0 ? t : u; };
  for (int64_t k = kKeys; k >= 1; --k) {  // descending: runs of ten keys of t, u, t
    const TableId table = table_of(k);
    ASSERT_TRUE(db.update(tx, table, {Value::int64(k)}, row(k, 100 * k)).is_ok());
    ASSERT_TRUE(db.insert(tx, table, row(kKeys + k, 0)).is_ok());
  }
  ASSERT_TRUE(db.commit(tx).is_ok());
  const std::vector<history::SourceCommit>& commits = rec.history().source_commits;
  ASSERT_EQ(commits.size(), 2u);
  ASSERT_EQ(commits[1].changes.size(), static_cast<size_t>(2 * kKeys));
  for (size_t i = 0; i < commits[1].changes.size(); ++i) {
    const history::SourceKeyChange& ch = commits[1].changes[i];
    const int64_t k = kKeys - static_cast<int64_t>(i / 2);
    EXPECT_EQ(ch.table, table_of(k).value()) << i;
    if (i % 2 == 1) {  // a new key
      EXPECT_FALSE(ch.before.has_value()) << i;
      continue;
    }
    ASSERT_TRUE(ch.before.has_value()) << i;
    EXPECT_EQ(*ch.before, row(k, table_of(k) == u ? -k : k)) << i;
    EXPECT_EQ(ch.after, std::optional<Row>(row(k, 100 * k))) << i;
  }
}

// A change's after image is the heap's own row: the source stores a row once
// and the history holds it without a copy. The versions an UPDATE and a
// DELETE replaced are the heap's rows too.
TEST(RecorderTest, AfterImagesAreTheHeapsRows) {
  Database db;
  const TableId t = db.create_table(items()).value();
  Recorder rec(&db);
  std::vector<CommittedRowVersion> seen;
  db.set_commit_observer([&](const CommittedTxn& c) {
    seen.insert(seen.end(), c.versions.begin(), c.versions.end());
    rec.on_source_commit(c);
  });
  const TxnId ins = db.begin();
  ASSERT_TRUE(db.insert(ins, t, row(1, 1)).is_ok());
  ASSERT_TRUE(db.insert(ins, t, row(2, 2)).is_ok());
  ASSERT_TRUE(db.commit(ins).is_ok());
  const TxnId upd = db.begin();
  ASSERT_TRUE(db.update(upd, t, {Value::int64(1)}, row(1, 10)).is_ok());
  ASSERT_TRUE(db.remove(upd, t, {Value::int64(2)}).is_ok());
  ASSERT_TRUE(db.commit(upd).is_ok());
  const HeapTable& heap = db.heap(t);
  ASSERT_EQ(heap.slot_count(), 3u);  // 1, 2 and 1's new version
  ASSERT_EQ(seen.size(), 5u);        // two inserts; update's old and new; the delete
  const uint32_t slots[] = {0, 1, 0, 2, 1};
  for (size_t i = 0; i < seen.size(); ++i) {
    EXPECT_TRUE(seen[i].row.shares_block_with(heap.shared_row(slots[i]))) << "version " << i;
    EXPECT_EQ(seen[i].row, heap.row(slots[i])) << "version " << i;
  }
  const std::vector<history::SourceCommit>& commits = rec.history().source_commits;
  ASSERT_EQ(commits.size(), 2u);
  ASSERT_TRUE(commits[0].changes[0].after && commits[1].changes[0].after);
  EXPECT_TRUE(commits[0].changes[0].after->shares_block_with(heap.shared_row(0)));
  EXPECT_TRUE(commits[1].changes[0].after->shares_block_with(heap.shared_row(2)));
  EXPECT_EQ(*commits[1].changes[0].after, row(1, 10));
}

// A change's before image is the previous change's after image: the
// history holds one copy of a row version, however many changes name it.
TEST(RecorderTest, ABeforeImageIsThePreviousAfterImage) {
  Database db;
  const TableId t = db.create_table(items()).value();
  Recorder rec(&db);
  db.set_commit_observer([&](const CommittedTxn& c) { rec.on_source_commit(c); });
  rec.set_bindings({CaptureBinding{"items", "items_collection"}});
  for (int64_t k = 1; k <= 3; ++k) {
    const TxnId tx = db.begin();
    ASSERT_TRUE(db.insert(tx, t, row(k, k)).is_ok());
    ASSERT_TRUE(db.commit(tx).is_ok());
  }
  const TxnId del = db.begin();
  ASSERT_TRUE(db.update(del, t, {Value::int64(1)}, row(1, 10)).is_ok());
  ASSERT_TRUE(db.remove(del, t, {Value::int64(3)}).is_ok());
  ASSERT_TRUE(db.commit(del).is_ok());
  const std::vector<history::SourceCommit>& commits = rec.history().source_commits;
  ASSERT_EQ(commits.size(), 4u);
  ASSERT_EQ(commits[3].changes.size(), 2u);
  const history::SourceKeyChange& update = commits[3].changes[0];
  const history::SourceKeyChange& removal = commits[3].changes[1];
  ASSERT_TRUE(update.before && commits[0].changes[0].after);
  EXPECT_TRUE(update.before->shares_block_with(*commits[0].changes[0].after));
  ASSERT_TRUE(removal.before && commits[2].changes[0].after);
  EXPECT_TRUE(removal.before->shares_block_with(*commits[2].changes[0].after));
  EXPECT_FALSE(removal.after.has_value());
}

}  // namespace
}  // namespace cdc::sim
