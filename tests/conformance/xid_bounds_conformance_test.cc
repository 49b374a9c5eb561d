// The capture's xid filter (model/query.h, XminFilter::Kind::kBackfill)
// against PostgreSQL 15 where its snapshot xmax term matters, which no
// generated workload reaches: rows frozen and then left more than 2^31 xids
// behind (they look newer than recent xids modulo 2^32), and snapshots whose
// xmax running transactions hold below the next xid. Both sides run the same
// statements from the same next xid; every filter of a grid of bounds (none,
// old rows' xids, recent xids, their antipodes) must keep the same rows, and
// txid_snapshot_xmax(txid_current_snapshot()) must equal snapshot_xmax().
#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "conformance/cluster.h"
#include "conformance/pg_session.h"
#include "model/database.h"

namespace cdc::conformance {
namespace {

constexpr uint32_t kHalfSpace = uint32_t{1} << 31;

TableSchema ids_table() {
  TableSchema s;
  s.name = "t";
  s.columns = {{"id", ColumnType::kInt64, Collation::kC, false, false}};
  s.primary_key = {0};
  return s;
}

uint32_t number(const Result<std::string>& r) {
  EXPECT_TRUE(r.is_ok()) << r.error().message;
  return r.is_ok() ? static_cast<uint32_t>(std::strtoull(r.value().c_str(), nullptr, 10)) : 0;
}

// Both sides: the table, and their common next xid.
class XidBoundsConformanceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto c = Cluster::start({});
    ASSERT_TRUE(c.is_ok()) << c.error().message;
    cluster_ = std::move(c).value();
    connect();
    const uint32_t next = pg_xmax();
    DatabaseOptions o;
    o.next_xid = full_xid(0, Xid(next));
    db_ = std::make_unique<Database>(o);
    ASSERT_TRUE(pg_->exec("CREATE TABLE t (id bigint PRIMARY KEY)").is_ok());
    table_ = db_->create_table(ids_table()).value();
  }
  void connect() {
    auto s = PgSession::connect(cluster_->conninfo("postgres"));
    ASSERT_TRUE(s.is_ok()) << s.error().message;
    pg_ = std::move(s).value();
  }
  uint32_t pg_xmax() {
    return number(
        pg_->scalar("SELECT (txid_snapshot_xmax(txid_current_snapshot()) % 4294967296)::text"));
  }
  // INSERT of `id` in its own transaction on both sides.
  void insert(int64_t id) {
    ASSERT_TRUE(pg_->exec("INSERT INTO t VALUES (" + std::to_string(id) + ")").is_ok());
    const TxnId tx = db_->begin();
    ASSERT_TRUE(db_->insert(tx, table_, {Value::int64(id)}).is_ok());
    ASSERT_TRUE(db_->commit(tx).is_ok());
  }
  // The ids each side keeps under the filter.
  std::set<int64_t> pg_ids(const XminFilter& f) {
    Result<PgRows> r = pg_->query("SELECT id::text FROM t WHERE " + f.sql());
    EXPECT_TRUE(r.is_ok()) << r.error().message;
    std::set<int64_t> out;
    if (r.is_ok()) {
      for (const PgRow& row : r.value().rows)
        out.insert(std::strtoll(row[0]->c_str(), nullptr, 10));
    }
    return out;
  }
  std::set<int64_t> model_ids(const XminFilter& f) {
    QueryOptions o;
    o.xmin_filter = f;
    std::set<int64_t> out;
    for (const ScannedRow& r : db_->scan(table_, o).rows)
      out.insert(r.row[0].as_int64());
    return out;
  }

  std::unique_ptr<Cluster> cluster_;
  std::unique_ptr<PgSession> pg_;
  std::unique_ptr<Database> db_;
  TableId table_;
};

TEST_F(XidBoundsConformanceTest, AgedFrozenRowsRangesAndSnapshotXmaxAgree) {
  const uint32_t old = db_->next_xid().value();
  for (int64_t id = 1; id <= 4; ++id)
    insert(id);
  // Age: freeze everything, then move the next xid 2^31 + 1000 on (both sides
  // by pg_resetwal's -x: the model's reset_xid).
  const uint32_t aged = old + kHalfSpace + 1000;
  pg_.reset();
  ASSERT_TRUE(cluster_->reset_xid(aged).is_ok());
  connect();
  ASSERT_TRUE(db_->vacuum_freeze_all().is_ok());
  ASSERT_TRUE(db_->reset_xid(Xid(aged)).is_ok());
  ASSERT_EQ(pg_xmax(), aged);
  for (int64_t id = 5; id <= 8; ++id)
    insert(id);  // xids aged .. aged + 3
  // Running transactions: one below a committed xid, one on top.
  auto second = PgSession::connect(cluster_->conninfo("postgres"));
  auto third = PgSession::connect(cluster_->conninfo("postgres"));
  ASSERT_TRUE(second.is_ok() && third.is_ok());
  ASSERT_TRUE(second.value()->exec("BEGIN; INSERT INTO t VALUES (100)").is_ok());  // aged + 4
  const TxnId below = db_->begin();
  ASSERT_TRUE(db_->insert(below, table_, {Value::int64(100)}).is_ok());
  insert(9);  // aged + 5, committed
  ASSERT_TRUE(third.value()->exec("BEGIN; INSERT INTO t VALUES (101)").is_ok());  // aged + 6
  const TxnId top = db_->begin();
  ASSERT_TRUE(db_->insert(top, table_, {Value::int64(101)}).is_ok());
  EXPECT_EQ(pg_xmax(), aged + 6);
  EXPECT_EQ(db_->snapshot_xmax().value(), aged + 6);
  // The grid: no bound, the old rows' xids, the recent ones, their antipodes.
  std::vector<std::optional<Xid>> bounds = {std::nullopt};
  for (uint32_t x : {old, old + 2, aged, aged + 2, aged + 5, aged + 6, old + kHalfSpace,
                     old + kHalfSpace + 3, aged + kHalfSpace + 1})
    bounds.push_back(Xid(x));
  size_t compared = 0;
  for (const std::optional<Xid>& min : bounds) {
    for (const std::optional<Xid>& max : bounds) {
      const XminFilter f = backfill_filter(min, max);
      EXPECT_EQ(model_ids(f), pg_ids(f)) << f.sql();
      ++compared;
    }
  }
  EXPECT_EQ(compared, 100u);
  // The term itself: a recent minimum alone keeps rows 5..9 and keeps out the
  // aged rows, which modulo 2^32 follow the minimum.
  EXPECT_EQ(pg_ids(backfill_filter(Xid(aged), std::nullopt)), (std::set<int64_t>{5, 6, 7, 8, 9}));
  ASSERT_TRUE(second.value()->exec("COMMIT").is_ok());
  ASSERT_TRUE(third.value()->exec("COMMIT").is_ok());
}

}  // namespace
}  // namespace cdc::conformance
