// Stateful test of the source database against its reference model
// (reference_database.h): random interleavings of sessions that write, set
// and roll back savepoints, commit and abort, with VACUUM, VACUUM FREEZE,
// VACUUM FULL and txid_current() in between, starting at the first normal
// xid or just before the 32-bit wrap. After every command a reader sees
// exactly the committed rows, each with its writer's xid as xmin (the
// subtransaction's inside a savepoint), VACUUM FREEZE and VACUUM FULL keep
// xmin, and the xid counter and each session's xids are the predicted ones.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "tests/model/database_commands.h"

namespace cdc {
namespace {

using namespace testing;

RC_GTEST_PROP(DatabaseStateful, ReadersSeeCommittedRowsWithTheirWritersXmin, ()) {
  // Either far from the wrap, or 10 xids before it: rows written before the
  // wrap must stay visible after it.
  const uint32_t start = *rc::gen::element<uint32_t>(3u, 4294967285u);
  const bool full_identity = *rc::gen::arbitrary<bool>();
  DbSut sut(DatabaseOptions{full_xid(0, Xid(start)), Lsn(0x1000000), {}, 4096},
            full_identity ? ReplicaIdentity::kFull : ReplicaIdentity::kDefault);
  const RefDb model = initial_model(start);
  check_sut(model, sut);
  const auto commands = *gen_commands(model);
  rc::state::runAll(commands, model, sut);
}

}  // namespace
}  // namespace cdc
