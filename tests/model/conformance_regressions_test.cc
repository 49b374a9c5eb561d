// Differences the conformance runs (conformance/, against a real PostgreSQL
// 15) found in the model, each pinned after the fix, with the shrunk
// workload that showed it.
#include <gtest/gtest.h>

#include <utility>
#include <vector>

#include "model/collation.h"
#include "model/database.h"
#include "tests/model/test_tables.h"

namespace cdc {
namespace {

using testing::ikey;
using testing::insert_committed;
using testing::item;

class ConformanceRegression : public ::testing::Test {
 protected:
  void SetUp() override {
    items = db.create_table(testing::items_schema()).value();
    logs = db.create_table(testing::logs_schema()).value();
    insert_committed(db, items, item(1, 0));
  }
  // Xids the callable consumed.
  template <typename F>
  uint32_t xids_used(F&& f) {
    const uint32_t before = db.next_xid().value();
    f();
    return db.next_xid().value() - before;
  }
  Database db;
  TableId items;
  TableId logs;
};

// PostgreSQL's heap_insert takes the xid before the unique index sees the
// duplicate. (Workload seed 1, 60 steps: every xmin after the first failed
// INSERT was one behind.)
TEST_F(ConformanceRegression, AnInsertThatFailsOnADuplicateKeyConsumedAnXid) {
  const TxnId tx = db.begin();
  EXPECT_EQ(xids_used([&] {
              EXPECT_EQ(db.insert(tx, items, item(1, 5)).code(), ErrorCode::kUniqueViolation);
            }),
            1u);
  ASSERT_TRUE(db.abort(tx).is_ok());
}

// heap_update and heap_delete take the xid before they wait for the row lock.
TEST_F(ConformanceRegression, WritesRefusedOnARowLockConsumedAnXid) {
  const TxnId holder = db.begin();
  ASSERT_TRUE(db.update(holder, items, ikey(1), item(1, 1)).is_ok());
  const TxnId a = db.begin();
  EXPECT_EQ(xids_used([&] {
              EXPECT_EQ(db.update(a, items, ikey(1), item(1, 2)).code(),
                        ErrorCode::kLockNotAvailable);
            }),
            1u);
  ASSERT_TRUE(db.abort(a).is_ok());
  const TxnId b = db.begin();
  EXPECT_EQ(xids_used([&] {
              EXPECT_EQ(db.remove(b, items, ikey(1)).code(), ErrorCode::kLockNotAvailable);
            }),
            1u);
  ASSERT_TRUE(db.abort(b).is_ok());
  // A statement that finds no row takes none (UPDATE 0).
  const TxnId c = db.begin();
  EXPECT_EQ(xids_used([&] {
              EXPECT_EQ(db.update(c, items, ikey(99), item(99, 0)).code(), ErrorCode::kRowNotFound);
            }),
            0u);
  ASSERT_TRUE(db.abort(c).is_ok());
  ASSERT_TRUE(db.abort(holder).is_ok());
}

// Another session's uncommitted row, with no committed version before it, is
// invisible to an UPDATE or DELETE: PostgreSQL finds no row and does not wait.
// (Seed 5, 200 steps, shrunk to 40: `s1 INSERT ... (3, ...)` uncommitted, then
// `s0 DELETE FROM accounts WHERE key = (3)`.)
TEST_F(ConformanceRegression, AnotherSessionsUncommittedRowIsNotFoundNotLocked) {
  const TxnId inserter = db.begin();
  ASSERT_TRUE(db.insert(inserter, items, item(3, 0)).is_ok());
  ASSERT_TRUE(db.insert(inserter, logs, {Value::text("y"), Value::int64(2)}).is_ok());
  const TxnId other = db.begin();
  EXPECT_EQ(xids_used([&] {
              EXPECT_EQ(db.remove(other, items, ikey(3)).code(), ErrorCode::kRowNotFound);
            }),
            0u);
  ASSERT_TRUE(db.abort(other).is_ok());
  const TxnId other2 = db.begin();
  EXPECT_EQ(db.update(other2, items, ikey(3), item(3, 1)).code(), ErrorCode::kRowNotFound);
  ASSERT_TRUE(db.abort(other2).is_ok());
  const TxnId other3 = db.begin();
  const Ctid uncommitted = db.heap(logs).ctid_of(db.heap(logs).slot_count() - 1);
  EXPECT_EQ(db.remove_at(other3, logs, uncommitted).code(), ErrorCode::kRowNotFound);
  ASSERT_TRUE(db.abort(other3).is_ok());
  // An inserting session still waits for it: the unique check sees it.
  const TxnId other4 = db.begin();
  EXPECT_EQ(db.insert(other4, items, item(3, 2)).code(), ErrorCode::kLockNotAvailable);
  ASSERT_TRUE(db.abort(other4).is_ok());
  // A committed version that the other session updated is seen, and locked.
  ASSERT_TRUE(db.update(inserter, items, ikey(1), item(1, 9)).is_ok());
  const TxnId other5 = db.begin();
  EXPECT_EQ(db.remove(other5, items, ikey(1)).code(), ErrorCode::kLockNotAvailable);
  ASSERT_TRUE(db.abort(other5).is_ok());
  ASSERT_TRUE(db.commit(inserter).is_ok());
}

// An ACCESS EXCLUSIVE lock request takes an xid before it waits (wal_level >=
// replica logs the lock). (Workload seed 3, 60 steps, shrunk to 25: a
// refused TRUNCATE and a refused VACUUM FULL.)
TEST_F(ConformanceRegression, TruncateAndVacuumFullRefusedOnLocksConsumedAnXid) {
  const TxnId writer = db.begin();
  ASSERT_TRUE(db.insert(writer, items, item(2, 0)).is_ok());
  const TxnId t = db.begin();
  EXPECT_EQ(
      xids_used([&] { EXPECT_EQ(db.truncate(t, {items}).code(), ErrorCode::kLockNotAvailable); }),
      1u);
  ASSERT_TRUE(db.abort(t).is_ok());
  EXPECT_EQ(xids_used([&] { EXPECT_EQ(db.vacuum_full(items).code(), ErrorCode::kObjectInUse); }),
            1u);
  ASSERT_TRUE(db.commit(writer).is_ok());
  // VACUUM FULL takes an xid when it succeeds, too (seed 1, shrunk to 23).
  EXPECT_EQ(xids_used([&] { EXPECT_TRUE(db.vacuum_full(items).is_ok()); }), 1u);
}

// VACUUM looks the table up under ACCESS SHARE first, which waits for a
// running TRUNCATE: refused before any xid (seed 46, 200 steps, shrunk to
// 128), and plain VACUUM (FREEZE) is refused the same way.
TEST_F(ConformanceRegression, VacuumsWaitForARunningTruncate) {
  const TxnId t = db.begin();
  ASSERT_TRUE(db.truncate(t, {items}).is_ok());
  EXPECT_EQ(xids_used([&] { EXPECT_EQ(db.vacuum_full(items).code(), ErrorCode::kObjectInUse); }),
            0u);
  EXPECT_EQ(db.vacuum_freeze(items).code(), ErrorCode::kObjectInUse);
  EXPECT_EQ(db.vacuum(items).code(), ErrorCode::kObjectInUse);
  EXPECT_TRUE(db.vacuum_freeze(logs).is_ok());
  ASSERT_TRUE(db.commit(t).is_ok());
  EXPECT_TRUE(db.vacuum_freeze(items).is_ok());
}

// ROLLBACK TO SAVEPOINT releases the table locks the subtransaction took, so
// another session's TRUNCATE and VACUUM FULL no longer wait. (Seed 12, 200
// steps: step 93 `VACUUM FULL events` after two rolled-back UPDATEs.)
TEST_F(ConformanceRegression, RollbackToSavepointReleasesTheTableLock) {
  const TxnId a = db.begin();
  ASSERT_TRUE(db.insert(a, logs, {Value::text("x"), Value::int64(1)}).is_ok());  // keeps a lock
  ASSERT_TRUE(db.savepoint(a).is_ok());
  ASSERT_TRUE(db.update(a, items, ikey(1), item(1, 7)).is_ok());
  EXPECT_EQ(db.vacuum_full(items).code(), ErrorCode::kObjectInUse);
  ASSERT_TRUE(db.rollback_to_savepoint(a).is_ok());
  EXPECT_TRUE(db.vacuum_full(items).is_ok());
  EXPECT_EQ(db.vacuum_full(logs).code(), ErrorCode::kObjectInUse);  // written before the savepoint
  const TxnId b = db.begin();
  EXPECT_TRUE(db.truncate(b, {items}).is_ok());
  ASSERT_TRUE(db.abort(b).is_ok());
  // RELEASE keeps the lock: the parent holds it now.
  ASSERT_TRUE(db.update(a, items, ikey(1), item(1, 8)).is_ok());
  ASSERT_TRUE(db.release_savepoint(a).is_ok());
  EXPECT_EQ(db.vacuum_full(items).code(), ErrorCode::kObjectInUse);
  ASSERT_TRUE(db.commit(a).is_ok());
}

// START_REPLICATION on an invalidated slot: PostgreSQL 15's walsender words,
// message then detail (the model had pg_logical_slot_get_changes()'s message
// with the walsender's detail). (Any workload: shrunk to the empty prefix.)
TEST(ConformanceSlotRegression, ReadingALostSlotSaysWhatStartReplicationSays) {
  DatabaseOptions o;
  o.max_slot_wal_keep_size_bytes = 4096;
  Database db(o);
  const TableId t = db.create_table(testing::items_schema()).value();
  ASSERT_TRUE(db.create_slot("s").is_ok());
  for (int i = 0; i < 100; ++i)
    insert_committed(db, t, item(i, 0));
  db.checkpoint();
  Result<LogicalStream> r = db.start_replication("s", Lsn(0));
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.code(), ErrorCode::kSlotLost);
  EXPECT_EQ(r.error().message,
            "cannot read from logical replication slot \"s\": this slot has been invalidated "
            "because it exceeded the maximum reserved size");
}

// ICU's root collation orders punctuation by its own table, not by ASCII,
// and the ring accent between circumflex and diaeresis. (Seed 1, 60 steps:
// a keyset chunk after ('!_','z') on tags.)
TEST(ConformanceCollationRegression, LocaleOrdersPunctuationAndRingAsIcu) {
  for (auto [a, b] : std::vector<std::pair<const char*, const char*>>{{" ", "_"},
                                                                      {"_", "-"},
                                                                      {"-", "!"},
                                                                      {"!", "'"},
                                                                      {"'", "("},
                                                                      {"(", "@"},
                                                                      {"@", "/"},
                                                                      {"/", "$"},
                                                                      {"~", "$"},
                                                                      {"$", "0"},
                                                                      {"â", "å"},
                                                                      {"å", "ä"},
                                                                      {"Å", "ä"}}) {
    EXPECT_LT(collate_compare(Collation::kLocale, a, b), 0) << a << " < " << b;
  }
}

}  // namespace
}  // namespace cdc
