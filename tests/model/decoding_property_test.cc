// Random interleavings of transactions: decoding emits exactly the committed
// transactions that changed something, whole, in commit order; reducing the
// decoded stream reproduces the tables.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "model/database.h"
#include "sim/decoded_replica.h"
#include "tests/model/test_tables.h"

namespace cdc {
namespace {

struct Op {
  enum Kind { kBegin, kWrite, kSavepoint, kRollbackTo, kRelease, kCommit, kAbort, kPoll };
  Kind kind;
  uint8_t session;
  int8_t key;
  int8_t value;
};

rc::Gen<Op> gen_op() {
  return rc::gen::build<Op>(
      rc::gen::set(&Op::kind, rc::gen::weightedElement<Op::Kind>({{2, Op::kBegin},
                                                                  {8, Op::kWrite},
                                                                  {1, Op::kSavepoint},
                                                                  {1, Op::kRollbackTo},
                                                                  {1, Op::kRelease},
                                                                  {3, Op::kCommit},
                                                                  {1, Op::kAbort},
                                                                  {1, Op::kPoll}})),
      rc::gen::set(&Op::session, rc::gen::inRange<uint8_t>(0, 3)),
      rc::gen::set(&Op::key, rc::gen::inRange<int8_t>(0, 12)),
      rc::gen::set(&Op::value, rc::gen::inRange<int8_t>(-3, 4)));
}

// The reference: which of a session's writes survive, per savepoint level.
struct SessionModel {
  std::optional<TxnId> txn;
  std::vector<int> level_writes{0};  // surviving writes per level
  int surviving() const {
    int n = 0;
    for (int w : level_writes)
      n += w;
    return n;
  }
};

RC_GTEST_PROP(DecodingProperty, CommitOrderWholeTransactionsAndReduction, ()) {
  const std::vector<Op> ops = *rc::gen::container<std::vector<Op>>(gen_op());
  const bool full_identity = *rc::gen::arbitrary<bool>();
  const uint32_t start = *rc::gen::element<uint32_t>(3u, 4294967000u);
  Database db(DatabaseOptions{full_xid(0, Xid(start)), Lsn(0x1000000), {}, 4096});
  const TableId t =
      db.create_table(testing::items_schema(full_identity ? ReplicaIdentity::kFull
                                                          : ReplicaIdentity::kDefault))
          .value();
  RC_ASSERT(db.create_slot("s").is_ok());
  LogicalStream stream = db.start_replication("s", Lsn(0)).value();
  sim::DecodedReplica replica(&db);
  std::vector<std::pair<Xid, int>> expected;  // (xid, changes) of committed, non-empty txns
  std::vector<std::pair<Xid, int>> decoded;
  std::vector<SessionModel> sessions(4);

  auto poll = [&]() {
    Result<std::vector<DecodedTxn>> got = stream.poll();
    RC_ASSERT(got.is_ok());
    for (const DecodedTxn& txn : got.value()) {
      decoded.emplace_back(txn.xid, static_cast<int>(txn.changes.size()));
      RC_ASSERT(replica.apply(txn) == "");
      RC_ASSERT(db.acknowledge("s", txn.commit_lsn).is_ok());
    }
  };
  auto end = [&](SessionModel& s, bool commit) {
    if (commit) {
      const std::optional<Xid> top = db.top_xid_of(*s.txn).value();
      if (s.surviving() > 0) expected.emplace_back(*top, s.surviving());
      RC_ASSERT(db.commit(*s.txn).is_ok());
    } else {
      RC_ASSERT(db.abort(*s.txn).is_ok());
    }
    s = SessionModel{};
  };

  for (const Op& op : ops) {
    SessionModel& s = sessions[op.session];
    if (op.kind == Op::kPoll) {
      poll();
      continue;
    }
    if (!s.txn) {
      if (op.kind == Op::kBegin || op.kind == Op::kWrite) s.txn = db.begin();
      continue;
    }
    const TxnId tx = *s.txn;
    switch (op.kind) {
      case Op::kBegin:
        break;
      case Op::kWrite: {
        const Key key = testing::ikey(op.key);
        const bool exists = db.lookup(t, key).value().has_value();
        Status st = op.value < 0 && exists ? db.remove(tx, t, key)
                    : exists               ? db.update(tx, t, key, testing::item(op.key, op.value))
                                           : db.insert(tx, t, testing::item(op.key, op.value));
        if (!st.is_ok()) {  // locked, or already changed by this txn: roll it back
          end(s, false);
          break;
        }
        ++s.level_writes.back();
        break;
      }
      case Op::kSavepoint:
        RC_ASSERT(db.savepoint(tx).is_ok());
        s.level_writes.push_back(0);
        break;
      case Op::kRollbackTo:
        if (s.level_writes.size() < 2) break;
        RC_ASSERT(db.rollback_to_savepoint(tx).is_ok());
        s.level_writes.back() = 0;
        break;
      case Op::kRelease:
        if (s.level_writes.size() < 2) break;
        RC_ASSERT(db.release_savepoint(tx).is_ok());
        s.level_writes[s.level_writes.size() - 2] += s.level_writes.back();
        s.level_writes.pop_back();
        break;
      case Op::kCommit:
        end(s, true);
        break;
      case Op::kAbort:
        end(s, false);
        break;
      case Op::kPoll:
        break;
    }
  }
  for (SessionModel& s : sessions) {
    if (s.txn) end(s, false);
  }
  db.flush_wal();
  poll();
  // Same transactions (by top-level xid), same number of changes, same order.
  RC_ASSERT(decoded == expected);
  RC_ASSERT(replica.diff_against_source() == "");
}

}  // namespace
}  // namespace cdc
