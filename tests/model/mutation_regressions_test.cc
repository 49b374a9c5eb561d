// Regression tests from a hand mutation-testing pass over the source model:
// each test pins a behaviour that a small, realistic change to the model got
// past the rest of the suite.
#include <gtest/gtest.h>

#include "model/database.h"
#include "model/wal.h"
#include "model/xid.h"
#include "tests/model/test_tables.h"

namespace cdc {
namespace {

using testing::ikey;
using testing::insert_committed;
using testing::item;

// Everything a fresh stream on `slot` decodes from the slot's positions.
std::vector<DecodedTxn> decode_all(Database& db, const std::string& slot) {
  db.flush_wal();
  Result<LogicalStream> st = db.start_replication(slot, Lsn(0));
  EXPECT_TRUE(st.is_ok());
  if (!st.is_ok()) return {};
  Result<std::vector<DecodedTxn>> got = st.value().poll();
  EXPECT_TRUE(got.is_ok());
  return got.is_ok() ? got.value() : std::vector<DecodedTxn>{};
}

std::vector<int64_t> inserted_ids(const std::vector<DecodedTxn>& txns) {
  std::vector<int64_t> ids;
  for (const DecodedTxn& t : txns) {
    for (const DecodedChange& c : t.changes) {
      if (c.kind == ChangeKind::kInsert) ids.push_back(c.new_row[0].as_int64());
    }
  }
  return ids;
}

std::vector<int64_t> scanned_ids(const Database& db, TableId t) {
  std::vector<int64_t> ids;
  for (const ScannedRow& r : db.scan(t).rows)
    ids.push_back(r.row[0].as_int64());
  return ids;
}

// ---- change shapes ----

// A table without a primary key under REPLICA IDENTITY FULL logs the whole
// old row for UPDATE and DELETE by ctid (DESIGN §4: FULL gives the old row).
TEST(MutationRegressions, KeylessTableUnderFullIdentityLogsTheOldRow) {
  Database db;
  const TableId t = db.create_table(testing::logs_schema(ReplicaIdentity::kFull)).value();
  ASSERT_TRUE(db.create_slot("s").is_ok());
  insert_committed(db, t, {Value::text("a"), Value::int64(1)});
  insert_committed(db, t, {Value::text("b"), Value::int64(2)});
  const TxnId tx = db.begin();
  ASSERT_TRUE(db.update_at(tx, t, Ctid{0, 1}, {Value::text("c"), Value::int64(3)}).is_ok());
  ASSERT_TRUE(db.remove_at(tx, t, Ctid{0, 2}).is_ok());
  ASSERT_TRUE(db.commit(tx).is_ok());
  const std::vector<DecodedTxn> txns = decode_all(db, "s");
  ASSERT_EQ(txns.size(), 3u);
  ASSERT_EQ(txns[2].changes.size(), 2u);
  const DecodedChange& upd = txns[2].changes[0];
  EXPECT_EQ(upd.kind, ChangeKind::kUpdate);
  EXPECT_EQ(upd.old_kind, OldTuple::kRow);
  EXPECT_EQ(upd.old, (Row{Value::text("a"), Value::int64(1)}));
  const DecodedChange& del = txns[2].changes[1];
  EXPECT_EQ(del.kind, ChangeKind::kDelete);
  EXPECT_EQ(del.old_kind, OldTuple::kRow);
  EXPECT_EQ(del.old, (Row{Value::text("b"), Value::int64(2)}));
  EXPECT_EQ(to_string(db, del), "table logs: DELETE: old-row: msg[text]:'b' n[int64]:2");
}

// ---- subtransactions and aborts in the decoder ----

// ROLLBACK TO SAVEPOINT discards the changes of every subtransaction under
// the savepoint, including released inner ones whose xid is not the one the
// subabort record is written with.
TEST(MutationRegressions, RollbackToSavepointDiscardsReleasedInnerSubtransactions) {
  Database db;
  const TableId t = db.create_table(testing::items_schema()).value();
  ASSERT_TRUE(db.create_slot("s").is_ok());
  const TxnId tx = db.begin();
  ASSERT_TRUE(db.insert(tx, t, item(1, 0)).is_ok());
  ASSERT_TRUE(db.savepoint(tx).is_ok());  // a
  ASSERT_TRUE(db.savepoint(tx).is_ok());  // b, inside a
  ASSERT_TRUE(db.insert(tx, t, item(2, 0)).is_ok());
  const Xid inner = db.current_xid_of(tx).value().value();
  ASSERT_TRUE(db.release_savepoint(tx).is_ok());  // b's work now belongs to a
  const Xid outer = db.current_xid_of(tx).value().value();
  ASSERT_NE(inner, outer);
  ASSERT_TRUE(db.rollback_to_savepoint(tx).is_ok());  // undoes a, and b with it
  ASSERT_TRUE(db.insert(tx, t, item(3, 0)).is_ok());
  ASSERT_TRUE(db.commit(tx).is_ok());
  EXPECT_EQ(scanned_ids(db, t), (std::vector<int64_t>{1, 3}));
  const std::vector<DecodedTxn> txns = decode_all(db, "s");
  ASSERT_EQ(txns.size(), 1u);
  EXPECT_EQ(inserted_ids(txns), (std::vector<int64_t>{1, 3}));
}

// An aborted transaction's decoded changes are dropped at its abort record,
// so a later transaction that is handed the same xid (here after
// pg_resetwal -x moved the counter back) does not inherit them.
TEST(MutationRegressions, AbortedChangesDoNotLeakIntoALaterTransactionWithTheSameXid) {
  Database db;
  const TableId t = db.create_table(testing::items_schema()).value();
  ASSERT_TRUE(db.create_slot("s").is_ok());
  LogicalStream stream = db.start_replication("s", Lsn(0)).value();
  const TxnId aborted = db.begin();
  ASSERT_TRUE(db.insert(aborted, t, item(1, 0)).is_ok());
  const Xid x = db.top_xid_of(aborted).value().value();
  ASSERT_TRUE(db.abort(aborted).is_ok());
  ASSERT_TRUE(db.reset_xid(x).is_ok());
  const TxnId again = db.begin();
  ASSERT_TRUE(db.insert(again, t, item(2, 0)).is_ok());
  ASSERT_EQ(db.top_xid_of(again).value().value(), x);
  ASSERT_TRUE(db.commit(again).is_ok());
  const std::vector<DecodedTxn> txns = stream.poll().value();
  ASSERT_EQ(txns.size(), 1u);
  EXPECT_EQ(txns[0].xid, x);
  EXPECT_EQ(inserted_ids(txns), (std::vector<int64_t>{2}));
  EXPECT_EQ(scanned_ids(db, t), (std::vector<int64_t>{2}));
}

// ---- TRUNCATE undone ----

// A TRUNCATE undone by ROLLBACK TO SAVEPOINT leaves the rows in place when
// the transaction commits, and decodes to nothing.
TEST(MutationRegressions, TruncateRolledBackToASavepointKeepsTheRows) {
  Database db;
  const TableId t = db.create_table(testing::items_schema()).value();
  ASSERT_TRUE(db.create_slot("s").is_ok());
  insert_committed(db, t, item(1, 10));
  insert_committed(db, t, item(2, 20));
  const TxnId tx = db.begin();
  ASSERT_TRUE(db.savepoint(tx).is_ok());
  ASSERT_TRUE(db.truncate(tx, {t}).is_ok());
  ASSERT_TRUE(db.rollback_to_savepoint(tx).is_ok());
  ASSERT_TRUE(db.insert(tx, t, item(3, 30)).is_ok());
  ASSERT_TRUE(db.commit(tx).is_ok());
  EXPECT_EQ(scanned_ids(db, t), (std::vector<int64_t>{1, 2, 3}));
  ASSERT_TRUE(db.lookup(t, ikey(1)).value().has_value());
  EXPECT_EQ(db.lookup(t, ikey(2)).value()->row[1].as_int64(), 20);
  // The rows are live and unlocked: another transaction can change them.
  const TxnId next = db.begin();
  EXPECT_TRUE(db.update(next, t, ikey(1), item(1, 11)).is_ok());
  EXPECT_TRUE(db.remove(next, t, ikey(2)).is_ok());
  ASSERT_TRUE(db.commit(next).is_ok());
  const std::vector<DecodedTxn> txns = decode_all(db, "s");
  ASSERT_EQ(txns.size(), 4u);
  ASSERT_EQ(txns[2].changes.size(), 1u);  // the TRUNCATE was rolled back
  EXPECT_EQ(txns[2].changes[0].kind, ChangeKind::kInsert);
  EXPECT_EQ(txns[2].changes[0].new_row[0].as_int64(), 3);
}

// An aborted TRUNCATE leaves every row in place, live and writable.
TEST(MutationRegressions, AbortedTruncateRestoresTheRows) {
  Database db;
  const TableId t = db.create_table(testing::items_schema()).value();
  insert_committed(db, t, item(1, 10));
  insert_committed(db, t, item(2, 20));
  const TxnId tx = db.begin();
  ASSERT_TRUE(db.insert(tx, t, item(3, 30)).is_ok());
  ASSERT_TRUE(db.truncate(tx, {t}).is_ok());
  ASSERT_TRUE(db.abort(tx).is_ok());
  EXPECT_EQ(scanned_ids(db, t), (std::vector<int64_t>{1, 2}));
  const TxnId next = db.begin();
  EXPECT_TRUE(db.update(next, t, ikey(1), item(1, 11)).is_ok());
  EXPECT_TRUE(db.remove(next, t, ikey(2)).is_ok());
  EXPECT_TRUE(db.insert(next, t, item(3, 31)).is_ok());
  ASSERT_TRUE(db.commit(next).is_ok());
  EXPECT_EQ(scanned_ids(db, t), (std::vector<int64_t>{1, 3}));
}

// ---- slots ----

// A transaction whose commit record starts exactly at the acknowledged
// position has not been confirmed: restart_lsn must keep its first record
// (written before the acknowledged position), and it is decoded again.
TEST(MutationRegressions, CommitStartingAtTheAcknowledgedLsnIsKeptAndRedelivered) {
  DatabaseOptions o;
  o.checkpoint_every_bytes = uint64_t{1} << 40;  // checkpoints only on demand
  Database db(o);
  const TableId t = db.create_table(testing::items_schema()).value();
  ASSERT_TRUE(db.create_slot("s").is_ok());
  const TxnId late = db.begin();
  const Lsn late_first = db.current_insert_lsn();
  ASSERT_TRUE(db.insert(late, t, item(2, 0)).is_ok());
  const Lsn acked = insert_committed(db, t, item(1, 0));
  const Lsn late_commit_start = db.current_insert_lsn();
  ASSERT_EQ(late_commit_start, acked);
  ASSERT_TRUE(db.commit(late).is_ok());
  ASSERT_TRUE(db.acknowledge("s", acked).is_ok());  // after `late` committed
  const SlotInfo info = db.slot("s").value();
  EXPECT_EQ(info.confirmed_flush_lsn, acked);
  ASSERT_LE(info.restart_lsn, late_first);
  db.checkpoint();
  EXPECT_EQ(inserted_ids(decode_all(db, "s")), (std::vector<int64_t>{2}));
}

// Acknowledging past the flush position confirms only up to it (slot.h:
// clamped to the flush position); later commits are still delivered.
TEST(MutationRegressions, AcknowledgeBeyondTheFlushPositionIsClamped) {
  Database db;
  const TableId t = db.create_table(testing::items_schema()).value();
  ASSERT_TRUE(db.create_slot("s").is_ok());
  insert_committed(db, t, item(1, 0));
  const Lsn flush = db.current_flush_lsn();
  ASSERT_TRUE(db.acknowledge("s", Lsn(flush.value() + (uint64_t{1} << 30))).is_ok());
  EXPECT_EQ(db.slot("s").value().confirmed_flush_lsn, flush);
  EXPECT_LE(db.slot("s").value().restart_lsn, flush);
  insert_committed(db, t, item(2, 0));
  EXPECT_EQ(inserted_ids(decode_all(db, "s")), (std::vector<int64_t>{2}));
}

// slot.h: "reserved" means within max_slot_wal_keep_size and "unreserved"
// means the next checkpoint invalidates the slot. Checked at the boundary,
// where the WAL the slot holds is exactly the limit.
TEST(MutationRegressions, CheckpointInvalidatesExactlyTheUnreservedSlots) {
  auto run = [](std::optional<uint64_t> limit, SlotWalStatus* before, SlotWalStatus* after) {
    DatabaseOptions o;
    o.max_slot_wal_keep_size_bytes = limit;
    o.checkpoint_every_bytes = uint64_t{1} << 40;  // checkpoints only on demand
    Database db(o);
    const TableId t = db.create_table(testing::items_schema()).value();
    EXPECT_TRUE(db.create_slot("s").is_ok());
    for (int i = 0; i < 10; ++i)
      insert_committed(db, t, item(i, 0));
    const SlotInfo info = db.slot("s").value();
    *before = info.wal_status;
    const uint64_t held = db.current_flush_lsn().value() - info.restart_lsn.value();
    db.checkpoint();
    *after = db.slot("s").value().wal_status;
    return held;
  };
  SlotWalStatus before = SlotWalStatus::kReserved;
  SlotWalStatus after = SlotWalStatus::kReserved;
  const uint64_t held = run(std::nullopt, &before, &after);
  ASSERT_GT(held, 16u);
  for (uint64_t limit = held - 16; limit <= held + 16; ++limit) {
    run(limit, &before, &after);
    EXPECT_EQ(before, limit >= held ? SlotWalStatus::kReserved : SlotWalStatus::kUnreserved)
        << "limit " << limit << ", held " << held;
    EXPECT_EQ(after,
              before == SlotWalStatus::kReserved ? SlotWalStatus::kReserved : SlotWalStatus::kLost)
        << "limit " << limit << ", held " << held;
  }
}

// ---- WAL ----

// wal.h: flushing never goes backwards.
TEST(MutationRegressions, WalFlushNeverMovesBackwards) {
  Wal wal(Lsn(0x1000));
  WalRecord r;
  r.kind = WalKind::kInsert;
  r.new_row = "abc";
  const Lsn first_end = wal.append(r);
  const Lsn second_end = wal.append(r);
  EXPECT_EQ(wal.flush_lsn(), Lsn(0x1000));
  wal.flush_to(second_end);
  EXPECT_EQ(wal.flush_lsn(), second_end);
  wal.flush_to(first_end);
  EXPECT_EQ(wal.flush_lsn(), second_end);
  wal.truncate_before(first_end);  // drops records ending at or before it
  EXPECT_EQ(wal.record_count(), 1u);
  EXPECT_EQ(wal.oldest_lsn(), first_end);
}

// ---- heap ----

// page_count counts a partly filled last page.
TEST(MutationRegressions, PageCountIncludesAPartlyFilledLastPage) {
  Database db;
  const TableId t = db.create_table(testing::items_schema()).value();  // 4 tuples a page
  EXPECT_EQ(db.page_count(t).value(), 0u);
  insert_committed(db, t, item(1, 0));
  EXPECT_EQ(db.page_count(t).value(), 1u);
  for (int i = 2; i <= 5; ++i)
    insert_committed(db, t, item(i, 0));
  EXPECT_EQ(db.lookup(t, ikey(5)).value()->ctid, (Ctid{1, 1}));
  EXPECT_EQ(db.page_count(t).value(), 2u);
  // Walking ctid ranges page by page up to page_count() sees every row.
  std::vector<int64_t> seen;
  for (uint32_t block = 0; block < db.page_count(t).value(); ++block) {
    for (const ScannedRow& r : db.ctid_range(t, Ctid{block, 0}, Ctid{block, 0xffff}).rows) {
      seen.push_back(r.row[0].as_int64());
    }
  }
  EXPECT_EQ(seen, (std::vector<int64_t>{1, 2, 3, 4, 5}));
}

// ---- xids and wraparound limits ----

// xid.h: a limit computed by subtraction that lands on 0..2 is moved past
// the special ids (as pg_resetwal does for the oldest xid).
TEST(MutationRegressions, RetreatForLimitSkipsTheSpecialIds) {
  EXPECT_EQ(xid_retreat_for_limit(Xid(2'000'000'003u), kResetwalOldestDistance), Xid(3));
  EXPECT_EQ(xid_retreat_for_limit(Xid(2'000'000'002u), kResetwalOldestDistance), Xid(5));
  EXPECT_EQ(xid_retreat_for_limit(Xid(2'000'000'001u), kResetwalOldestDistance), Xid(4));
  EXPECT_EQ(xid_retreat_for_limit(Xid(2'000'000'000u), kResetwalOldestDistance), Xid(3));
  EXPECT_EQ(xid_retreat_for_limit(Xid(1'000u), 2'000u), Xid(4294966296u));
  // Whatever the oldest xid, every limit is a normal xid.
  for (uint32_t k = 0; k < 6; ++k) {
    const Xid stop_edge(0x80000000u + kXidStopMargin + k - 3);
    const Xid warn_edge(0x80000000u + kXidWarnMargin + k - 3);
    for (Xid oldest : {stop_edge, warn_edge}) {
      const XidLimits l = XidLimits::from_oldest(oldest);
      EXPECT_TRUE(xid_is_normal(l.wrap_limit)) << oldest.value();
      EXPECT_TRUE(xid_is_normal(l.stop_limit)) << oldest.value();
      EXPECT_TRUE(xid_is_normal(l.warn_limit)) << oldest.value();
    }
  }
}

// VACUUM FREEZE cannot move the oldest unfrozen xid past a transaction that
// is still running: its rows are unfrozen once it commits.
TEST(MutationRegressions, FreezeDoesNotAdvanceOldestPastARunningTransaction) {
  Database db;
  const TableId t = db.create_table(testing::items_schema()).value();
  const TxnId open = db.begin();
  ASSERT_TRUE(db.insert(open, t, item(1, 0)).is_ok());
  const Xid x = db.top_xid_of(open).value().value();
  ASSERT_TRUE(db.burn_xids(1000).is_ok());
  ASSERT_TRUE(db.vacuum_freeze_all().is_ok());
  EXPECT_TRUE(xid_precedes_or_equals(db.xid_limits().oldest, x));
  ASSERT_TRUE(db.commit(open).is_ok());
  const ScannedRow row = *db.lookup(t, ikey(1)).value();
  EXPECT_FALSE(row.frozen);
  EXPECT_TRUE(xid_precedes_or_equals(db.xid_limits().oldest, row.xmin));
  // Once it has finished, a freeze moves past it.
  ASSERT_TRUE(db.vacuum_freeze_all().is_ok());
  EXPECT_TRUE(xid_follows(db.xid_limits().oldest, x));
  EXPECT_TRUE(db.lookup(t, ikey(1)).value()->frozen);
}

}  // namespace
}  // namespace cdc
