// Random interleavings of transactions (the commands of database_commands.h,
// plus polling a slot): decoding emits exactly the committed transactions
// that changed something, whole, in commit order, under their top-level xid;
// reducing the decoded stream reproduces the tables.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "tests/model/database_commands.h"

namespace cdc {
namespace {

using namespace testing;

// Decodes everything flushed, applies it to the replica, acknowledges it.
void poll(DbSut& sut) {
  Result<std::vector<DecodedTxn>> got = sut.stream->poll();
  RC_ASSERT(got.is_ok());
  for (const DecodedTxn& txn : got.value()) {
    sut.decoded.emplace_back(txn.xid.value(), static_cast<uint32_t>(txn.changes.size()));
    RC_ASSERT(sut.replica.apply(txn) == "");
    RC_ASSERT(sut.db.acknowledge("s", txn.commit_lsn).is_ok());
  }
}

// Every commit flushes the WAL, so a poll decodes every committed
// transaction: the same ones (by top-level xid), with the same number of
// changes (rolled-back subtransactions' removed), in commit order.
struct PollCmd : DbCommand {
  void run(const RefDb& m, DbSut& sut) const override {
    poll(sut);
    RC_ASSERT(sut.decoded == m.committed_txns);
    RC_ASSERT(sut.replica.diff_against_source() == "");
  }
  void show(std::ostream& os) const override { os << "poll the slot"; }
};

RC_GTEST_PROP(DecodingProperty, CommitOrderWholeTransactionsAndReduction, ()) {
  const bool full_identity = *rc::gen::arbitrary<bool>();
  const uint32_t start = *rc::gen::element<uint32_t>(3u, 4294967000u, 4294967285u);
  // A checkpoint every 4 KiB: WAL the slot no longer needs is removed while decoding.
  DbSut sut(DatabaseOptions{full_xid(0, Xid(start)), Lsn(0x1000000), {}, 4096},
            full_identity ? ReplicaIdentity::kFull : ReplicaIdentity::kDefault);
  RefDb model = initial_model(start);
  const auto commands = *gen_commands<PollCmd, PollCmd>(model);
  rc::state::runAll(commands, model, sut);
  rc::state::applyAll(commands, model);
  // Abort whatever is still running; aborts are not flushed, so flush.
  for (int s = 0; s < kRefSessions; ++s) {
    if (sut.txns[s]) RC_ASSERT(sut.db.abort(*sut.txns[s]).is_ok());
  }
  sut.db.flush_wal();
  poll(sut);
  RC_ASSERT(sut.decoded == model.committed_txns);
  RC_ASSERT(sut.replica.diff_against_source() == "");
}

}  // namespace
}  // namespace cdc
