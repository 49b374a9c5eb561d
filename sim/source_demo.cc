#include "sim/source_demo.h"

#include "model/database.h"
#include "sim/decoded_replica.h"
#include "sim/fingerprint.h"
#include "sim/source_workload.h"

namespace cdc::sim {

namespace {
// Stream ids for Prng::fork, one per component.
constexpr uint64_t kWorkloadStream = 1;
constexpr uint64_t kMaintenanceStream = 2;

void fingerprint_txn(const Database& db, const DecodedTxn& txn, Fingerprint* fp) {
  fp->add_u64(txn.xid.value());
  fp->add_u64(txn.commit_lsn.value());
  for (const DecodedChange& c : txn.changes)
    fp->add(to_string(db, c));
}

// Occasionally runs maintenance that must not change what readers see.
uint64_t maybe_maintain(Database* db, Prng* prng, const std::vector<TableId>& tables) {
  if (!prng->chance({1, 500})) return 0;
  const TableId t = tables[prng->below(tables.size())];
  switch (prng->below(4)) {
    case 0:
      return db->vacuum(t).is_ok() ? 1 : 0;
    case 1:
      return db->vacuum_freeze(t).is_ok() ? 1 : 0;
    case 2:
      return db->vacuum_full(t).is_ok() ? 1 : 0;  // refused while writers are active
    default:
      db->checkpoint();
      return 1;
  }
}
}  // namespace

SourceDemoResult run_source_demo(const SourceDemoOptions& options) {
  Prng root(options.seed);
  DatabaseOptions dbo;
  dbo.next_xid = full_xid(0, options.start_xid);
  Database db(dbo);
  std::vector<TableId> tables;
  for (TableSchema& s : demo_schemas())
    tables.push_back(db.create_table(std::move(s)).value());
  CDC_ASSERT(db.create_slot("demo").is_ok(), "creating the demo slot");
  LogicalStream stream = db.start_replication("demo", Lsn(0)).value();

  SourceWorkload workload(&db, tables, root.fork(kWorkloadStream));
  Prng maintenance = root.fork(kMaintenanceStream);
  DecodedReplica replica(&db);
  Fingerprint fp;
  SourceDemoResult out;
  auto drain = [&]() {
    Result<std::vector<DecodedTxn>> got = stream.poll();
    CDC_ASSERT(got.is_ok(), "the demo slot is never invalidated");
    for (const DecodedTxn& txn : got.value()) {
      ++out.decoded_txns;
      out.decoded_changes += txn.changes.size();
      fingerprint_txn(db, txn, &fp);
      if (std::string err = replica.apply(txn); !err.empty() && out.mismatch.empty()) {
        out.mismatch = err;
      }
      CDC_ASSERT(db.acknowledge("demo", txn.commit_lsn).is_ok(), "acknowledging the demo slot");
    }
  };
  for (uint32_t i = 0; i < options.steps; ++i) {
    workload.step();
    out.maintenance_ops += maybe_maintain(&db, &maintenance, tables);
    if (i % options.poll_every_steps == 0) drain();
  }
  workload.finish();
  db.flush_wal();
  drain();
  if (out.mismatch.empty()) out.mismatch = replica.diff_against_source();

  const SourceWorkloadStats& st = workload.stats();
  out.committed = st.committed;
  out.aborted = st.aborted;
  out.statements = st.statements;
  out.failed_statements = st.failed_statements;
  out.wal_bytes = db.wal().bytes_written();
  out.epoch = epoch_of(db.next_full_xid());
  out.next_xid = db.next_xid().value();
  for (TableId t : tables) {
    if (!out.table_rows.empty()) out.table_rows += " ";
    out.table_rows += db.schema(t).name + "=" + std::to_string(db.scan(t).rows.size());
  }
  out.fingerprint = fp.hex();
  return out;
}

}  // namespace cdc::sim
