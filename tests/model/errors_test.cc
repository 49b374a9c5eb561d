// Every expected failure of the source model comes back as an error value
// with a clear message; none aborts.
#include <gtest/gtest.h>

#include "model/database.h"
#include "tests/model/test_tables.h"

namespace cdc {
namespace {

using testing::ikey;
using testing::insert_committed;
using testing::item;

class ErrorsTest : public ::testing::Test {
 protected:
  void SetUp() override { t = db.create_table(testing::items_schema()).value(); }
  Database db;
  TableId t;
};

TEST_F(ErrorsTest, WritesPastTheStopLimitAreRefusedButReadsWork) {
  insert_committed(db, t, item(1, 0));
  const XidLimits l = db.xid_limits();
  // Burn up to just before the warning limit, then into the warning zone.
  const uint32_t to_warn = l.warn_limit.value() - db.next_xid().value();
  ASSERT_TRUE(db.burn_xids(to_warn - 1).is_ok());
  EXPECT_EQ(db.wraparound_warnings(), 0u);
  insert_committed(db, t, item(2, 0));
  insert_committed(db, t, item(3, 0));
  EXPECT_GE(db.wraparound_warnings(), 1u);
  EXPECT_NE(db.last_warning().find("must be vacuumed within"), std::string::npos);
  // Up to the stop limit.
  const uint32_t to_stop = l.stop_limit.value() - db.next_xid().value();
  ASSERT_TRUE(db.burn_xids(to_stop).is_ok());
  const TxnId tx = db.begin();
  Status s = db.insert(tx, t, item(4, 0));
  ASSERT_FALSE(s.is_ok());
  EXPECT_EQ(s.code(), ErrorCode::kWraparoundStop);
  EXPECT_NE(s.message().find("not accepting commands to avoid wraparound data loss"),
            std::string::npos);
  EXPECT_EQ(db.txid_current().code(), ErrorCode::kWraparoundStop);
  EXPECT_EQ(db.burn_xids(1).code(), ErrorCode::kWraparoundStop);
  EXPECT_EQ(db.create_table(testing::logs_schema()).code(), ErrorCode::kWraparoundStop);
  // Reads still work, and the failed transaction can be rolled back.
  EXPECT_EQ(db.scan(t).rows.size(), 3u);
  EXPECT_TRUE(db.lookup(t, ikey(1)).value().has_value());
  EXPECT_TRUE(db.abort(tx).is_ok());
  // VACUUM FREEZE of everything moves the limits and writes work again.
  ASSERT_TRUE(db.vacuum_freeze_all().is_ok());
  insert_committed(db, t, item(4, 0));
  EXPECT_EQ(db.scan(t).rows.size(), 4u);
}

TEST_F(ErrorsTest, BurnThatWouldCrossTheStopLimitIsRefusedWhole) {
  const Xid before = db.next_xid();
  EXPECT_EQ(db.burn_xids(uint64_t{1} << 31).code(), ErrorCode::kWraparoundStop);
  EXPECT_EQ(db.next_xid(), before);
}

TEST_F(ErrorsTest, UnknownTableTransactionAndSlot) {
  EXPECT_EQ(db.table_id("nope").code(), ErrorCode::kUnknownTable);
  EXPECT_EQ(db.check_table(TableId(99)).code(), ErrorCode::kUnknownTable);
  EXPECT_EQ(db.scan(TableId(99)).status.code(), ErrorCode::kUnknownTable);
  EXPECT_EQ(db.keyset_chunk(TableId(99), {}, 10, KeyOrder::kDatabase).status.code(),
            ErrorCode::kUnknownTable);
  EXPECT_EQ(db.ctid_range(TableId(99), Ctid{}, Ctid{1, 1}).status.code(), ErrorCode::kUnknownTable);
  EXPECT_EQ(db.lookup(TableId(99), ikey(1)).code(), ErrorCode::kUnknownTable);
  EXPECT_EQ(db.page_count(TableId(99)).code(), ErrorCode::kUnknownTable);
  EXPECT_EQ(db.vacuum(TableId(99)).code(), ErrorCode::kUnknownTable);
  EXPECT_EQ(db.vacuum_full(TableId(99)).code(), ErrorCode::kUnknownTable);
  const TxnId tx = db.begin();
  EXPECT_EQ(db.insert(tx, TableId(99), item(1, 0)).code(), ErrorCode::kUnknownTable);
  EXPECT_EQ(db.truncate(tx, {TableId(99)}).code(), ErrorCode::kUnknownTable);
  ASSERT_TRUE(db.commit(tx).is_ok());
  EXPECT_EQ(db.insert(tx, t, item(1, 0)).code(), ErrorCode::kUnknownTransaction);
  EXPECT_EQ(db.commit(tx).code(), ErrorCode::kUnknownTransaction);
  EXPECT_EQ(db.abort(TxnId(12345)).code(), ErrorCode::kUnknownTransaction);
  EXPECT_EQ(db.savepoint(TxnId(12345)).code(), ErrorCode::kUnknownTransaction);
  EXPECT_EQ(db.current_xid_of(TxnId(12345)).code(), ErrorCode::kUnknownTransaction);
  EXPECT_EQ(db.slot("s").code(), ErrorCode::kUnknownSlot);
  EXPECT_EQ(db.drop_slot("s").code(), ErrorCode::kUnknownSlot);
  EXPECT_EQ(db.acknowledge("s", Lsn(1)).code(), ErrorCode::kUnknownSlot);
  EXPECT_EQ(db.start_replication("s", Lsn(0)).code(), ErrorCode::kUnknownSlot);
}

TEST_F(ErrorsTest, BadSchemasAndRows) {
  TableSchema dup = testing::items_schema();
  EXPECT_EQ(db.create_table(dup).code(), ErrorCode::kDuplicateObject);
  dup.name = "other";
  dup.primary_key = {7};
  EXPECT_EQ(db.create_table(dup).code(), ErrorCode::kInvalidArgument);
  dup.primary_key = {0, 0};
  EXPECT_EQ(db.create_table(dup).code(), ErrorCode::kInvalidArgument);
  dup.primary_key = {0};
  dup.columns[1].name = "id";
  EXPECT_EQ(db.create_table(dup).code(), ErrorCode::kInvalidArgument);
  const TxnId tx = db.begin();
  EXPECT_EQ(db.insert(tx, t, {Value::int64(1)}).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(db.insert(tx, t, {Value::text("x"), Value::int64(1), Value::null()}).code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(db.insert(tx, t, {Value::null(), Value::int64(1), Value::null()}).code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(db.update(tx, t, {Value::text("x")}, item(1, 0)).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(db.remove(tx, t, {}).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(db.update_at(tx, t, Ctid{0, 1}, item(1, 0)).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(db.remove_at(tx, t, Ctid{0, 1}).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(db.truncate(tx, {}).code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(db.abort(tx).is_ok());
}

TEST_F(ErrorsTest, ConstraintAndLockErrors) {
  insert_committed(db, t, item(1, 0));
  const TxnId a = db.begin();
  EXPECT_EQ(db.insert(a, t, item(1, 5)).code(), ErrorCode::kUniqueViolation);
  EXPECT_EQ(db.update(a, t, ikey(2), item(2, 0)).code(), ErrorCode::kRowNotFound);
  EXPECT_EQ(db.remove(a, t, ikey(2)).code(), ErrorCode::kRowNotFound);
  ASSERT_TRUE(db.update(a, t, ikey(1), item(1, 7)).is_ok());
  const TxnId b = db.begin();
  EXPECT_EQ(db.update(b, t, ikey(1), item(1, 8)).code(), ErrorCode::kLockNotAvailable);
  EXPECT_EQ(db.remove(b, t, ikey(1)).code(), ErrorCode::kLockNotAvailable);
  ASSERT_TRUE(db.insert(a, t, item(3, 0)).is_ok());
  EXPECT_EQ(db.insert(b, t, item(3, 0)).code(), ErrorCode::kLockNotAvailable);
  EXPECT_EQ(db.truncate(b, {t}).code(), ErrorCode::kLockNotAvailable);
  EXPECT_EQ(db.vacuum_full(t).code(), ErrorCode::kObjectInUse);
  EXPECT_EQ(db.major_upgrade().code(), ErrorCode::kObjectInUse);
  EXPECT_EQ(db.reset_xid(Xid(5000)).code(), ErrorCode::kObjectInUse);
  EXPECT_EQ(db.create_slot("s").code(), ErrorCode::kObjectInUse);
  ASSERT_TRUE(db.commit(a).is_ok());
  EXPECT_EQ(db.insert(b, t, item(3, 0)).code(), ErrorCode::kUniqueViolation);
  ASSERT_TRUE(db.abort(b).is_ok());
  // A pending TRUNCATE locks the table against other writers.
  const TxnId c = db.begin();
  ASSERT_TRUE(db.truncate(c, {t}).is_ok());
  const TxnId d = db.begin();
  EXPECT_EQ(db.insert(d, t, item(9, 0)).code(), ErrorCode::kLockNotAvailable);
  ASSERT_TRUE(db.abort(c).is_ok());
  EXPECT_TRUE(db.insert(d, t, item(9, 0)).is_ok());
  ASSERT_TRUE(db.commit(d).is_ok());
}

TEST_F(ErrorsTest, SavepointErrors) {
  const TxnId tx = db.begin();
  EXPECT_EQ(db.rollback_to_savepoint(tx).code(), ErrorCode::kNoSavepoint);
  EXPECT_EQ(db.release_savepoint(tx).code(), ErrorCode::kNoSavepoint);
  EXPECT_TRUE(db.abort(tx).is_ok());
}

TEST_F(ErrorsTest, QueryErrors) {
  const TableId logs = db.create_table(testing::logs_schema()).value();
  EXPECT_EQ(db.keyset_chunk(logs, {}, 10, KeyOrder::kDatabase).status.code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(db.keyset_chunk(t, {}, 0, KeyOrder::kDatabase).status.code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(db.keyset_chunk(t, Key{Value::text("x")}, 5, KeyOrder::kDatabase).status.code(),
            ErrorCode::kInvalidArgument);
  for (int i = 0; i < 5; ++i)
    insert_committed(db, t, item(i, 0));
  QueryOptions fail;
  fail.fail_after_rows = 2;
  QueryResult q = db.keyset_chunk(t, {}, 10, KeyOrder::kDatabase, fail);
  EXPECT_EQ(q.status.code(), ErrorCode::kQueryCanceled);
  EXPECT_EQ(q.status.message(), "canceling statement due to statement timeout");
  ASSERT_EQ(q.rows.size(), 2u);
  EXPECT_EQ(q.rows[1].row[0].as_int64(), 1);
  EXPECT_EQ(db.scan(t, fail).rows.size(), 2u);
  EXPECT_EQ(db.ctid_range(t, Ctid{}, Ctid{9, 1}, fail).status.code(), ErrorCode::kQueryCanceled);
}

TEST_F(ErrorsTest, SlotErrors) {
  ASSERT_TRUE(db.create_slot("s").is_ok());
  EXPECT_EQ(db.create_slot("s").code(), ErrorCode::kDuplicateObject);
  EXPECT_EQ(db.create_slot("").code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(db.reset_xid(Xid(1)).code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace cdc

namespace cdc {
namespace {

// Burning xids counts warnings as that many transactions would: none up to
// the warning limit, one per xid at or past it.
TEST(XidBurnTest, WarningsCountXidsPastTheWarnLimit) {
  Database db;
  const XidLimits l = db.xid_limits();
  ASSERT_TRUE(db.burn_xids(l.warn_limit.value() - db.next_xid().value()).is_ok());
  EXPECT_EQ(db.wraparound_warnings(), 0u);
  EXPECT_EQ(db.next_xid(), l.warn_limit);
  ASSERT_TRUE(db.burn_xids(5).is_ok());
  EXPECT_EQ(db.wraparound_warnings(), 5u);
  EXPECT_NE(db.last_warning().find("must be vacuumed within"), std::string::npos);
}

// A cluster that starts anywhere (here 5 million xids before the wrap) has no
// older unfrozen xid, so it accepts writes.
TEST(XidBurnTest, AClusterStartedNearTheWrapAcceptsWrites) {
  Database db(DatabaseOptions{full_xid(0, Xid(4'290'000'000u)), Lsn(0x1000000), {}, 1 << 20});
  Result<TableId> t = db.create_table(testing::items_schema());
  ASSERT_TRUE(t.is_ok());
  testing::insert_committed(db, t.value(), testing::item(1, 0));
  EXPECT_EQ(db.xid_limits().oldest, Xid(4'290'000'000u));
}

// ROLLBACK TO SAVEPOINT undoes a TRUNCATE entirely: its lock is released and
// the table keeps its file (ctids do not move at commit).
TEST(TruncateSavepointTest, RolledBackTruncateReleasesItsLockAndKeepsCtids) {
  Database db;
  const TableId t = db.create_table(testing::items_schema()).value();
  testing::insert_committed(db, t, testing::item(1, 0));
  testing::insert_committed(db, t, testing::item(2, 0));
  const TxnId del = db.begin();
  ASSERT_TRUE(db.remove(del, t, testing::ikey(1)).is_ok());
  ASSERT_TRUE(db.commit(del).is_ok());
  const TxnId tx = db.begin();
  ASSERT_TRUE(db.savepoint(tx).is_ok());
  ASSERT_TRUE(db.truncate(tx, {t}).is_ok());
  ASSERT_TRUE(db.rollback_to_savepoint(tx).is_ok());
  const TxnId other = db.begin();
  EXPECT_TRUE(db.insert(other, t, testing::item(3, 0)).is_ok());
  ASSERT_TRUE(db.commit(other).is_ok());
  ASSERT_TRUE(db.commit(tx).is_ok());
  EXPECT_EQ(db.lookup(t, testing::ikey(2)).value()->ctid, (Ctid{0, 2}));
  EXPECT_EQ(db.scan(t).rows.size(), 2u);
}

}  // namespace
}  // namespace cdc
