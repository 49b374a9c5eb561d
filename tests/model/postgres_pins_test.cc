// Behaviour observed on a real PostgreSQL 15 server, pinned (DESIGN §4).
#include <gtest/gtest.h>

#include "model/database.h"
#include "tests/model/test_tables.h"

namespace cdc {
namespace {

using testing::insert_committed;
using testing::item;

// Counter started at 4294967000 (pg_resetwal -x); CREATE TABLE takes that
// xid; then six single-row inserts, each followed by 100 burned xids.
class WraparoundPin : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(db.reset_xid(Xid(4294967000u)).is_ok());
    t = db.create_table(testing::items_schema()).value();
    for (int i = 1; i <= 6; ++i) {
      insert_committed(db, t, item(i, 0));
      ASSERT_TRUE(db.burn_xids(100).is_ok());
    }
  }
  std::vector<int64_t> ids(const QueryResult& q) {
    EXPECT_TRUE(q.status.is_ok());
    std::vector<int64_t> out;
    for (const ScannedRow& r : q.rows)
      out.push_back(r.row[0].as_int64());
    return out;
  }
  Database db;
  TableId t;
};

TEST_F(WraparoundPin, RowsGetTheObservedXmins) {
  QueryResult q = db.scan(t);
  std::vector<uint32_t> xmins;
  for (const ScannedRow& r : q.rows)
    xmins.push_back(r.xmin.value());
  EXPECT_EQ(xmins, (std::vector<uint32_t>{4294967001u, 4294967102u, 4294967203u, 11, 112, 213}));
  EXPECT_EQ(epoch_of(db.next_full_xid()), 1u);
}

TEST_F(WraparoundPin, RawFilterReturnsOnlyTheSecondAndThird) {
  QueryOptions o;
  o.xmin_filter = XminFilter{XminFilter::Kind::kRaw, Xid(4294967100u), Xid()};
  EXPECT_EQ(o.xmin_filter->sql(), "xmin::text::bigint >= 4294967100");
  EXPECT_EQ(ids(db.scan(t, o)), (std::vector<int64_t>{2, 3}));
}

TEST_F(WraparoundPin, WrapAwareFilterReturnsRowsTwoToSix) {
  QueryOptions o;
  o.xmin_filter = XminFilter{XminFilter::Kind::kWrapAware, Xid(4294967100u), Xid()};
  EXPECT_EQ(ids(db.scan(t, o)), (std::vector<int64_t>{2, 3, 4, 5, 6}));
}

TEST_F(WraparoundPin, BoundedFilterStopsAtTheUpperXid) {
  QueryOptions o;
  o.xmin_filter = XminFilter{XminFilter::Kind::kWrapAwareBounded, Xid(4294967100u), Xid(112)};
  EXPECT_EQ(ids(db.scan(t, o)), (std::vector<int64_t>{2, 3, 4}));
  o.xmin_filter->upper = db.next_xid();  // the current xid: everything from the threshold on
  EXPECT_EQ(ids(db.scan(t, o)), (std::vector<int64_t>{2, 3, 4, 5, 6}));
}

TEST(PostgresPins, UpdateMovesTheRowToANewCtid) {
  Database db;
  const TableId t = db.create_table(testing::items_schema()).value();
  insert_committed(db, t, item(1, 10));
  const Ctid before = db.lookup(t, testing::ikey(1)).value()->ctid;
  const TxnId tx = db.begin();
  ASSERT_TRUE(db.update(tx, t, testing::ikey(1), item(1, 11)).is_ok());
  ASSERT_TRUE(db.commit(tx).is_ok());
  const ScannedRow after = *db.lookup(t, testing::ikey(1)).value();
  EXPECT_NE(after.ctid, before);
  EXPECT_EQ(before, (Ctid{0, 1}));
  EXPECT_EQ(after.ctid, (Ctid{0, 2}));
  EXPECT_EQ(after.row[1].as_int64(), 11);
  // Plain VACUUM moves nothing.
  ASSERT_TRUE(db.vacuum(t).is_ok());
  EXPECT_EQ(db.lookup(t, testing::ikey(1)).value()->ctid, after.ctid);
}

TEST(PostgresPins, FrozenRowStillShowsItsOriginalXmin) {
  Database db;
  const TableId t = db.create_table(testing::items_schema()).value();
  insert_committed(db, t, item(1, 10));
  const Xid xmin = db.lookup(t, testing::ikey(1)).value()->xmin;
  ASSERT_TRUE(db.vacuum_freeze(t).is_ok());
  const ScannedRow r = *db.lookup(t, testing::ikey(1)).value();
  EXPECT_TRUE(r.frozen);
  EXPECT_EQ(r.xmin, xmin);
}

TEST(PostgresPins, VacuumFullRewritesCtidsFreezesAndKeepsXmin) {
  Database db;
  const TableId t = db.create_table(testing::items_schema()).value();
  for (int i = 1; i <= 6; ++i)
    insert_committed(db, t, item(i, 0));
  const TxnId tx = db.begin();
  ASSERT_TRUE(db.remove(tx, t, testing::ikey(1)).is_ok());
  ASSERT_TRUE(db.remove(tx, t, testing::ikey(2)).is_ok());
  ASSERT_TRUE(db.commit(tx).is_ok());
  const ScannedRow before = *db.lookup(t, testing::ikey(6)).value();
  EXPECT_EQ(before.ctid, (Ctid{1, 2}));  // 4 tuples per page in this schema
  ASSERT_TRUE(db.vacuum_full(t).is_ok());
  const ScannedRow after = *db.lookup(t, testing::ikey(6)).value();
  EXPECT_EQ(after.ctid, (Ctid{0, 4}));
  EXPECT_TRUE(after.frozen);
  EXPECT_EQ(after.xmin, before.xmin);
  EXPECT_EQ(db.scan(t).rows.size(), 4u);
  EXPECT_EQ(db.page_count(t).value(), 1u);
}

// Without a freeze, rows whose xmin ends up "in the future" after a jump of
// the counter become invisible (what makes a database vanish after an
// unfrozen pg_resetwal jump); frozen rows survive.
TEST(PostgresPins, UnfrozenRowsVanishAfterAJumpPastHalfTheXidSpace) {
  Database db;
  const TableId t = db.create_table(testing::items_schema()).value();
  insert_committed(db, t, item(1, 0));
  insert_committed(db, t, item(2, 0));
  const TxnId tx = db.begin();  // freeze only row 1: vacuum, then add row 2 again
  ASSERT_TRUE(db.remove(tx, t, testing::ikey(2)).is_ok());
  ASSERT_TRUE(db.commit(tx).is_ok());
  ASSERT_TRUE(db.vacuum_freeze(t).is_ok());
  insert_committed(db, t, item(2, 0));
  ASSERT_TRUE(db.reset_xid(xid_advance_by(db.next_xid(), (uint64_t{1} << 31) + 10)).is_ok());
  QueryResult q = db.scan(t);
  ASSERT_EQ(q.rows.size(), 1u);
  EXPECT_EQ(q.rows[0].row[0].as_int64(), 1);
}

// The capture's filter: a [min, max] range across the wrap, inclusive at both
// ends, with the snapshot xmax term (which keeps every row here).
TEST_F(WraparoundPin, BackfillRangeAcrossTheWrapIsInclusive) {
  QueryOptions o;
  o.xmin_filter = backfill_filter(Xid(4294967102u), Xid(112));
  EXPECT_EQ(ids(db.scan(t, o)), (std::vector<int64_t>{2, 3, 4, 5}));
  EXPECT_EQ(
      o.xmin_filter->sql(),
      "xmin::text::bigint >= 3 AND ((xmin::text::bigint - 4294967102) << 32 >> 32) >= 0 AND "
      "((112 - xmin::text::bigint) << 32 >> 32) >= 0 AND "
      "((txid_snapshot_xmax(txid_current_snapshot()) - xmin::text::bigint) << 32 >> 32) >= 0");
  o.xmin_filter = backfill_filter(std::nullopt, Xid(4294967203u));
  EXPECT_EQ(ids(db.scan(t, o)), (std::vector<int64_t>{1, 2, 3}));
}

// txid_snapshot_xmax: the latest completed xid plus one, so a running
// transaction holds it down only while no later xid has completed
// (tests/conformance/xid_bounds_conformance_test.cc checks the same on
// PostgreSQL 15).
TEST_F(WraparoundPin, SnapshotXmaxIsTheLatestCompletedXidPlusOne) {
  const Xid next = db.next_xid();
  EXPECT_EQ(db.snapshot_xmax(), next);
  const TxnId below = db.begin();
  ASSERT_TRUE(db.insert(below, t, item(100, 0)).is_ok());  // takes `next`, runs
  EXPECT_EQ(db.snapshot_xmax(), next);
  insert_committed(db, t, item(101, 0));  // next + 1 completes
  EXPECT_EQ(db.snapshot_xmax(), xid_advance_by(next, 2));
  const TxnId top = db.begin();
  ASSERT_TRUE(db.insert(top, t, item(102, 0)).is_ok());  // next + 2, runs
  EXPECT_EQ(db.snapshot_xmax(), xid_advance_by(next, 2));
  ASSERT_TRUE(db.abort(top).is_ok());  // aborted: completed too
  EXPECT_EQ(db.snapshot_xmax(), xid_advance_by(next, 3));
  ASSERT_TRUE(db.commit(below).is_ok());
  EXPECT_EQ(db.snapshot_xmax(), db.next_xid());
}

}  // namespace
}  // namespace cdc
