// Shapes of decoded changes and transactions (DESIGN §4).
#include "model/decoding.h"

#include <gtest/gtest.h>

#include "model/database.h"
#include "tests/model/test_tables.h"

namespace cdc {
namespace {

using testing::ikey;
using testing::insert_committed;
using testing::item;

class DecodingTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(db.create_slot("s").is_ok()); }
  TableId table(TableSchema s) { return db.create_table(std::move(s)).value(); }
  std::vector<DecodedTxn> decode() {
    db.flush_wal();
    Result<LogicalStream> st = db.start_replication("s", Lsn(0));
    EXPECT_TRUE(st.is_ok());
    Result<std::vector<DecodedTxn>> r = st.value().poll();
    EXPECT_TRUE(r.is_ok());
    return r.value();
  }
  std::vector<std::string> rendered() {
    std::vector<std::string> out;
    for (const DecodedTxn& t : decode()) {
      for (const DecodedChange& c : t.changes)
        out.push_back(to_string(db, c));
    }
    return out;
  }
  Database db;
};

TEST_F(DecodingTest, DefaultIdentityShapes) {
  const TableId t = table(testing::items_schema());
  insert_committed(db, t, item(1, 10, "short"));
  const TxnId tx = db.begin();
  ASSERT_TRUE(db.update(tx, t, ikey(1), item(1, 11, "short")).is_ok());  // same key
  ASSERT_TRUE(db.update(tx, t, ikey(1), item(2, 12, "short")).is_ok());  // key change
  ASSERT_TRUE(db.remove(tx, t, ikey(2)).is_ok());
  ASSERT_TRUE(db.commit(tx).is_ok());
  EXPECT_EQ(rendered(),
            (std::vector<std::string>{
                "table items: INSERT: new-tuple: id[int64]:1 v[int64]:10 note[text]:'short'",
                "table items: UPDATE: new-tuple: id[int64]:1 v[int64]:11 note[text]:'short'",
                "table items: UPDATE: old-key: id[int64]:1 new-tuple: id[int64]:2 "
                "v[int64]:12 note[text]:'short'",
                "table items: DELETE: old-key: id[int64]:2",
            }));
}

TEST_F(DecodingTest, UnchangedToastedColumnIsOmitted) {
  const TableId t = table(testing::items_schema());
  const std::string big(40, 'x');  // over the 16-byte threshold of this schema
  insert_committed(db, t, item(1, 10, big));
  const TxnId tx = db.begin();
  ASSERT_TRUE(db.update(tx, t, ikey(1), item(1, 11, big)).is_ok());        // unchanged: omitted
  ASSERT_TRUE(db.update(tx, t, ikey(1), item(1, 12, big + "y")).is_ok());  // changed: logged
  ASSERT_TRUE(db.commit(tx).is_ok());
  const std::vector<DecodedTxn> txns = decode();
  ASSERT_EQ(txns.size(), 2u);
  ASSERT_EQ(txns[1].changes.size(), 2u);
  EXPECT_TRUE(txns[1].changes[0].omitted(2));
  EXPECT_TRUE(txns[1].changes[0].new_row[2].is_null());
  EXPECT_FALSE(txns[1].changes[1].omitted(2));
  EXPECT_EQ(txns[1].changes[1].new_row[2].as_text(), big + "y");
  EXPECT_NE(to_string(db, txns[1].changes[0]).find("note[text]:unchanged-toast-datum"),
            std::string::npos);
}

// The WAL leaves an unchanged toast datum out; the heap keeps the whole new
// version. A record that logs the heap's row whole hands decoding the heap's
// own block; one that omits a datum is decoded into a row of its own.
TEST_F(DecodingTest, AnOmittedToastDatumIsStillInTheHeap) {
  const TableId t = table(testing::items_schema());
  const std::string big(40, 'x');
  insert_committed(db, t, item(1, 10, big));
  const SharedRow kept_first = db.lookup(t, ikey(1)).value()->row;
  TxnId tx = db.begin();
  ASSERT_TRUE(db.update(tx, t, ikey(1), item(1, 11, big)).is_ok());  // unchanged: omitted
  ASSERT_TRUE(db.commit(tx).is_ok());
  const std::optional<ScannedRow> kept = db.lookup(t, ikey(1)).value();
  ASSERT_TRUE(kept.has_value());
  EXPECT_EQ(kept->row, item(1, 11, big));
  tx = db.begin();
  ASSERT_TRUE(db.update(tx, t, ikey(1), item(1, 12, "short")).is_ok());  // nothing omitted
  ASSERT_TRUE(db.commit(tx).is_ok());
  const std::vector<DecodedTxn> txns = decode();
  ASSERT_EQ(txns.size(), 3u);
  EXPECT_TRUE(txns[1].changes.at(0).omitted(2));
  EXPECT_TRUE(txns[1].changes.at(0).new_row[2].is_null());
  EXPECT_FALSE(txns[2].changes.at(0).omitted(2));
  const SharedRow stored = db.lookup(t, ikey(1)).value()->row;
  EXPECT_EQ(txns[2].changes.at(0).new_row, stored);
  EXPECT_TRUE(txns[2].changes.at(0).new_row.shares_block_with(stored));
  EXPECT_TRUE(txns[0].changes.at(0).new_row.shares_block_with(kept_first));
  EXPECT_FALSE(txns[1].changes.at(0).new_row.shares_block_with(kept->row));
}

TEST_F(DecodingTest, FullIdentityLogsTheWholeOldRow) {
  const TableId t = table(testing::items_schema(ReplicaIdentity::kFull));
  const std::string big(40, 'x');
  insert_committed(db, t, item(1, 10, big));
  const TxnId tx = db.begin();
  ASSERT_TRUE(db.update(tx, t, ikey(1), item(1, 11, big)).is_ok());
  ASSERT_TRUE(db.remove(tx, t, ikey(1)).is_ok());
  ASSERT_TRUE(db.commit(tx).is_ok());
  const std::vector<DecodedTxn> txns = decode();
  ASSERT_EQ(txns.size(), 2u);
  const DecodedChange& upd = txns[1].changes[0];
  EXPECT_EQ(upd.old_kind, OldTuple::kRow);
  EXPECT_EQ(upd.old, item(1, 10, big));  // the old row is complete, TOAST included
  EXPECT_TRUE(upd.omitted(2));           // the new row still omits the unchanged datum
  const DecodedChange& del = txns[1].changes[1];
  EXPECT_EQ(del.old_kind, OldTuple::kRow);
  EXPECT_EQ(del.old, item(1, 11, big));
}

TEST_F(DecodingTest, KeylessTableUnderDefaultIdentityGivesNoOldTuple) {
  const TableId t = table(testing::logs_schema());
  insert_committed(db, t, {Value::text("a"), Value::int64(1)});
  const TxnId tx = db.begin();
  ASSERT_TRUE(db.update_at(tx, t, Ctid{0, 1}, {Value::text("b"), Value::int64(2)}).is_ok());
  ASSERT_TRUE(db.remove_at(tx, t, Ctid{0, 2}).is_ok());
  ASSERT_TRUE(db.commit(tx).is_ok());
  EXPECT_EQ(rendered(), (std::vector<std::string>{
                            "table logs: INSERT: new-tuple: msg[text]:'a' n[int64]:1",
                            "table logs: UPDATE: new-tuple: msg[text]:'b' n[int64]:2",
                            "table logs: DELETE: (no-tuple-data)",
                        }));
}

TEST_F(DecodingTest, TruncateIsItsOwnChange) {
  const TableId t = table(testing::items_schema());
  insert_committed(db, t, item(1, 0));
  const TxnId tx = db.begin();
  ASSERT_TRUE(db.truncate(tx, {t}).is_ok());
  ASSERT_TRUE(db.insert(tx, t, item(5, 0)).is_ok());
  ASSERT_TRUE(db.commit(tx).is_ok());
  const std::vector<DecodedTxn> txns = decode();
  ASSERT_EQ(txns.size(), 2u);
  ASSERT_EQ(txns[1].changes.size(), 2u);
  EXPECT_EQ(txns[1].changes[0].kind, ChangeKind::kTruncate);
  EXPECT_EQ(txns[1].changes[0].truncated, std::vector<TableId>{t});
  // The table was given a new file: the row inserted after the TRUNCATE is all
  // there is, at the first ctid.
  QueryResult q = db.scan(t);
  ASSERT_EQ(q.rows.size(), 1u);
  EXPECT_EQ(q.rows[0].ctid, (Ctid{0, 1}));
}

TEST_F(DecodingTest, SubtransactionsAreDecodedUnderTheTopLevelXid) {
  const TableId t = table(testing::items_schema());
  const TxnId tx = db.begin();
  ASSERT_TRUE(db.insert(tx, t, item(1, 0)).is_ok());
  const Xid top = db.current_xid_of(tx).value().value();
  ASSERT_TRUE(db.savepoint(tx).is_ok());
  ASSERT_TRUE(db.insert(tx, t, item(2, 0)).is_ok());
  const Xid sub = db.current_xid_of(tx).value().value();
  EXPECT_TRUE(xid_precedes(top, sub));
  ASSERT_TRUE(db.release_savepoint(tx).is_ok());
  ASSERT_TRUE(db.savepoint(tx).is_ok());
  ASSERT_TRUE(db.insert(tx, t, item(3, 0)).is_ok());  // rolled back below
  ASSERT_TRUE(db.rollback_to_savepoint(tx).is_ok());
  ASSERT_TRUE(db.insert(tx, t, item(4, 0)).is_ok());  // a fresh subtransaction
  ASSERT_TRUE(db.commit(tx).is_ok());
  // Row 2 carries the subtransaction's xid as xmin.
  EXPECT_EQ(db.lookup(t, ikey(1)).value()->xmin, top);
  EXPECT_EQ(db.lookup(t, ikey(2)).value()->xmin, sub);
  EXPECT_FALSE(db.lookup(t, ikey(3)).value().has_value());
  const std::vector<DecodedTxn> txns = decode();
  ASSERT_EQ(txns.size(), 1u);
  EXPECT_EQ(txns[0].xid, top);
  std::vector<int64_t> ids;
  for (const DecodedChange& c : txns[0].changes)
    ids.push_back(c.new_row[0].as_int64());
  EXPECT_EQ(ids, (std::vector<int64_t>{1, 2, 4}));
}

TEST_F(DecodingTest, CommitOrderNotBeginOrderAndAbortsVanish) {
  const TableId t = table(testing::items_schema());
  const TableId logs = table(testing::logs_schema());
  const TxnId a = db.begin(), b = db.begin(), c = db.begin();
  ASSERT_TRUE(db.insert(a, t, item(1, 0)).is_ok());
  ASSERT_TRUE(db.insert(b, t, item(2, 0)).is_ok());
  ASSERT_TRUE(db.insert(c, t, item(3, 0)).is_ok());
  ASSERT_TRUE(db.insert(a, logs, {Value::text("a"), Value::int64(1)}).is_ok());  // multi-table
  ASSERT_TRUE(db.commit(b).is_ok());
  ASSERT_TRUE(db.abort(c).is_ok());
  ASSERT_TRUE(db.commit(a).is_ok());
  ASSERT_TRUE(db.txid_current().is_ok());  // an empty transaction: skipped
  const std::vector<DecodedTxn> txns = decode();
  ASSERT_EQ(txns.size(), 2u);
  EXPECT_EQ(txns[0].changes[0].new_row[0].as_int64(), 2);
  EXPECT_EQ(txns[1].changes.size(), 2u);
  EXPECT_EQ(txns[1].changes[1].table, logs);
  EXPECT_LT(txns[0].commit_lsn, txns[1].commit_lsn);
  EXPECT_LT(txns[1].first_lsn, txns[0].first_lsn);  // a began first, committed last
}

TEST_F(DecodingTest, DecodingStopsAtTheFlushPosition) {
  const TableId t = table(testing::items_schema());
  insert_committed(db, t, item(1, 0));
  LogicalStream st = db.start_replication("s", Lsn(0)).value();
  EXPECT_EQ(st.poll().value().size(), 1u);
  const TxnId tx = db.begin();
  ASSERT_TRUE(db.insert(tx, t, item(2, 0)).is_ok());
  ASSERT_TRUE(db.abort(tx).is_ok());  // abort records are not flushed by themselves
  EXPECT_LT(db.current_flush_lsn(), db.current_insert_lsn());
  EXPECT_EQ(st.poll().value().size(), 0u);
  EXPECT_LT(st.read_position(), db.current_insert_lsn());
  db.flush_wal();
  EXPECT_EQ(st.poll().value().size(), 0u);
  EXPECT_EQ(st.read_position(), db.current_insert_lsn());
}

}  // namespace
}  // namespace cdc
