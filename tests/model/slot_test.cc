// Replication slot positions, invalidation, drop/recreate and upgrades.
#include <gtest/gtest.h>

#include "model/database.h"
#include "tests/model/test_tables.h"

namespace cdc {
namespace {

using testing::insert_committed;
using testing::item;

// A slot may hold back 4 KiB of WAL; checkpoints happen only when called.
DatabaseOptions small_slot_limit() {
  DatabaseOptions o;
  o.max_slot_wal_keep_size_bytes = 4096;
  o.checkpoint_every_bytes = uint64_t{1} << 40;
  return o;
}

std::vector<int64_t> decoded_ids(Database& db, const std::string& slot, Lsn start) {
  std::vector<int64_t> ids;
  for (const DecodedTxn& t : db.start_replication(slot, start).value().poll().value()) {
    for (const DecodedChange& c : t.changes)
      ids.push_back(c.new_row[0].as_int64());
  }
  return ids;
}

TEST(SlotTest, StartingBelowConfirmedFlushSilentlyStartsThere) {
  Database db;
  const TableId t = db.create_table(testing::items_schema()).value();
  const SlotInfo created = db.create_slot("s").value();
  EXPECT_EQ(created.confirmed_flush_lsn, db.current_flush_lsn());
  const Lsn first = insert_committed(db, t, item(1, 0));
  insert_committed(db, t, item(2, 0));
  EXPECT_EQ(decoded_ids(db, "s", Lsn(0)), (std::vector<int64_t>{1, 2}));
  ASSERT_TRUE(db.acknowledge("s", first).is_ok());
  EXPECT_EQ(db.slot("s").value().confirmed_flush_lsn, first);
  EXPECT_EQ(decoded_ids(db, "s", Lsn(0)), (std::vector<int64_t>{2}));  // below: starts at confirmed
  EXPECT_EQ(decoded_ids(db, "s", created.confirmed_flush_lsn), (std::vector<int64_t>{2}));
  // Acknowledging backwards is ignored.
  ASSERT_TRUE(db.acknowledge("s", Lsn(0)).is_ok());
  EXPECT_EQ(db.slot("s").value().confirmed_flush_lsn, first);
}

TEST(SlotTest, RestartLsnHoldsBackForATransactionStillOpen) {
  Database db;
  const TableId t = db.create_table(testing::items_schema()).value();
  ASSERT_TRUE(db.create_slot("s").is_ok());
  const TxnId open = db.begin();
  ASSERT_TRUE(db.insert(open, t, item(1, 0)).is_ok());  // begins before the ack point
  const Lsn later = insert_committed(db, t, item(2, 0));
  ASSERT_TRUE(db.acknowledge("s", later).is_ok());
  const SlotInfo info = db.slot("s").value();
  EXPECT_EQ(info.confirmed_flush_lsn, later);
  EXPECT_LT(info.restart_lsn, later);
  ASSERT_TRUE(db.commit(open).is_ok());
  db.checkpoint();  // must not remove the open transaction's first record
  EXPECT_EQ(decoded_ids(db, "s", Lsn(0)), (std::vector<int64_t>{1}));
}

TEST(SlotTest, MaxSlotWalKeepSizeInvalidatesAtCheckpoint) {
  Database db(small_slot_limit());
  const TableId t = db.create_table(testing::items_schema()).value();
  ASSERT_TRUE(db.create_slot("s").is_ok());
  for (int i = 0; i < 200; ++i)
    insert_committed(db, t, item(i, 0));
  EXPECT_EQ(db.slot("s").value().wal_status, SlotWalStatus::kUnreserved);
  Result<LogicalStream> before = db.start_replication("s", Lsn(0));
  ASSERT_TRUE(before.is_ok());
  db.checkpoint();
  EXPECT_EQ(db.slot("s").value().wal_status, SlotWalStatus::kLost);
  // Reading a lost slot fails, for good: a new stream and an old one alike.
  Result<LogicalStream> after = db.start_replication("s", Lsn(0));
  ASSERT_FALSE(after.is_ok());
  EXPECT_EQ(after.code(), ErrorCode::kSlotLost);
  EXPECT_NE(after.error().message.find("cannot read from logical replication slot"),
            std::string::npos);
  EXPECT_EQ(before.value().poll().code(), ErrorCode::kSlotLost);
  EXPECT_EQ(before.value().poll().code(), ErrorCode::kSlotLost);
  EXPECT_EQ(db.acknowledge("s", db.current_flush_lsn()).code(), ErrorCode::kSlotLost);
  // Dropping and recreating gives a fresh slot at the current flush LSN.
  ASSERT_TRUE(db.drop_slot("s").is_ok());
  const SlotInfo fresh = db.create_slot("s").value();
  EXPECT_EQ(fresh.wal_status, SlotWalStatus::kReserved);
  EXPECT_EQ(fresh.confirmed_flush_lsn, db.current_flush_lsn());
  insert_committed(db, t, item(1000, 0));
  EXPECT_EQ(decoded_ids(db, "s", Lsn(0)), (std::vector<int64_t>{1000}));
}

TEST(SlotTest, WithinTheLimitTheSlotSurvivesCheckpoints) {
  DatabaseOptions o;
  o.max_slot_wal_keep_size_bytes = 1 << 20;
  Database db(o);
  const TableId t = db.create_table(testing::items_schema()).value();
  ASSERT_TRUE(db.create_slot("s").is_ok());
  for (int i = 0; i < 50; ++i) {
    const Lsn at = insert_committed(db, t, item(i, 0));
    ASSERT_TRUE(db.acknowledge("s", at).is_ok());
    db.checkpoint();
  }
  EXPECT_EQ(db.slot("s").value().wal_status, SlotWalStatus::kReserved);
  EXPECT_LE(db.wal().record_count(), 2u);  // acknowledged WAL was removed
}

TEST(SlotTest, DroppedSlotEndsItsStreams) {
  Database db;
  ASSERT_TRUE(db.create_slot("s").is_ok());
  LogicalStream st = db.start_replication("s", Lsn(0)).value();
  ASSERT_TRUE(db.drop_slot("s").is_ok());
  ASSERT_TRUE(db.create_slot("s").is_ok());  // same name, new slot
  EXPECT_EQ(st.poll().code(), ErrorCode::kUnknownSlot);
}

// A stream that has read its slot once notices each later change of it: the
// slot lost at a checkpoint, dropped, dropped and recreated, or dropped by an
// upgrade.
TEST(SlotTest, StreamsThatHaveReadNoticeTheSlotChanging) {
  Database db(small_slot_limit());
  const TableId t = db.create_table(testing::items_schema()).value();
  ASSERT_TRUE(db.create_slot("s").is_ok());
  LogicalStream lost = db.start_replication("s", Lsn(0)).value();
  ASSERT_TRUE(lost.poll().is_ok());
  for (int i = 0; i < 200; ++i)
    insert_committed(db, t, item(i, 0));
  ASSERT_TRUE(lost.poll(1).is_ok());  // still readable before the checkpoint
  db.checkpoint();
  const Status read_lost = lost.poll().status();
  EXPECT_EQ(read_lost.code(), ErrorCode::kSlotLost);
  EXPECT_NE(read_lost.error().message.find("can no longer get changes"), std::string::npos);

  ASSERT_TRUE(db.drop_slot("s").is_ok());
  ASSERT_TRUE(db.create_slot("s").is_ok());
  LogicalStream dropped = db.start_replication("s", Lsn(0)).value();
  ASSERT_TRUE(dropped.poll().is_ok());
  ASSERT_TRUE(db.drop_slot("s").is_ok());
  EXPECT_EQ(dropped.poll().code(), ErrorCode::kUnknownSlot);

  ASSERT_TRUE(db.create_slot("s").is_ok());
  LogicalStream replaced = db.start_replication("s", Lsn(0)).value();
  ASSERT_TRUE(replaced.poll().is_ok());
  ASSERT_TRUE(db.drop_slot("s").is_ok());
  ASSERT_TRUE(db.create_slot("s").is_ok());  // same name, new slot
  EXPECT_EQ(replaced.poll().code(), ErrorCode::kUnknownSlot);

  LogicalStream upgraded = db.start_replication("s", Lsn(0)).value();
  ASSERT_TRUE(upgraded.poll().is_ok());
  ASSERT_TRUE(db.major_upgrade().is_ok());
  EXPECT_EQ(upgraded.poll().code(), ErrorCode::kUnknownSlot);
}

TEST(SlotTest, MajorUpgradeDropsSlotsKeepsXidsAndMovesWalHigher) {
  Database db(DatabaseOptions{full_xid(3, Xid(4000)), Lsn(0x1000000), {}, uint64_t{16} << 20});
  const TableId t = db.create_table(testing::items_schema()).value();
  ASSERT_TRUE(db.create_slot("s").is_ok());
  insert_committed(db, t, item(1, 0));
  const FullXid xid_before = db.next_full_xid();
  const Lsn lsn_before = db.current_insert_lsn();
  const Ctid ctid_before = db.lookup(t, testing::ikey(1)).value()->ctid;
  ASSERT_TRUE(db.major_upgrade().is_ok());
  EXPECT_EQ(db.slot("s").code(), ErrorCode::kUnknownSlot);
  EXPECT_TRUE(db.slots().empty());
  EXPECT_EQ(db.next_full_xid(), xid_before);
  EXPECT_GT(db.current_insert_lsn(), lsn_before);
  EXPECT_EQ(db.lookup(t, testing::ikey(1)).value()->ctid, ctid_before);  // data files kept
  // A slot created after the upgrade sees only what follows.
  ASSERT_TRUE(db.create_slot("s").is_ok());
  insert_committed(db, t, item(2, 0));
  EXPECT_EQ(decoded_ids(db, "s", Lsn(0)), (std::vector<int64_t>{2}));
}

}  // namespace
}  // namespace cdc
