// The capture's source (model/source.h) on a real PostgreSQL 15, over one
// libpq connection of its own.
//
// Each call is SQL:
//   current_flush_lsn    SELECT pg_current_wal_flush_lsn()
//   snapshot_xmax        SELECT txid_snapshot_xmax(txid_current_snapshot())
//   txid_current         SELECT pg_current_xact_id()
//   current_snapshot     SELECT pg_snapshot_xmin/xmax(pg_current_snapshot())
//   keyset_chunk,        the chunk queries of conformance/pg_sql.h (the key
//   ctid_range           columns' own collations, the xmin filter's SQL)
//   lookup, last_key     WHERE (k) = ($...), ORDER BY k DESC LIMIT 1
//   page_count           pg_relation_size() / block_size
//   upsert_row           INSERT ... ON CONFLICT (k) DO UPDATE (autocommit)
//   slots                pg_create_logical_replication_slot(name,
//                        'test_decoding'), pg_drop_replication_slot,
//                        pg_replication_slots, pg_replication_slot_advance
//   a change stream      pg_logical_slot_peek_changes(name, NULL, NULL,
//                        'include-xids', '1', 'skip-empty-xacts', '1'),
//                        parsed by outside/test_decoding.h
//
// The stream peeks, so the slot's confirmed position moves only when the
// capture acknowledges (pg_replication_slot_advance), as a START_REPLICATION
// consumer's feedback would move it; each poll decodes from the confirmed
// position again and skips what it already delivered. LSNs of a transaction:
// first_lsn is its BEGIN row's lsn, each change its own, commit_lsn the
// COMMIT row's (the end of the commit record), which is what the model's
// decoding reports.
//
// Waiting: creating a slot waits for running transactions that wrote; this
// connection runs with lock_timeout = 100ms, so the wait ends with kObjectInUse
// (the model's answer) instead of blocking a single-threaded driver.
// fail_after_rows (a fault the harness injects) is applied on the client: the
// rows after the first N are dropped and the query reports kQueryCanceled.
//
// Errors: PgSession's mapping, and a slot that does not exist is
// kUnknownSlot, one whose WAL was removed kSlotLost.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "conformance/pg_session.h"
#include "conformance/side.h"
#include "model/schema.h"
#include "model/source.h"

namespace cdc::conformance {

class PgSource final : public Source {
 public:
  // Connects with `conninfo`; `schemas[i]` is the table with id i.
  static Result<std::unique_ptr<PgSource>> connect(const std::string& conninfo,
                                                   std::vector<TableSchema> schemas);

  Result<TableId> table_id(const std::string& name) const override;
  const TableSchema& schema(TableId t) const override;

  Result<Lsn> current_flush_lsn() override;
  Result<Xid> snapshot_xmax() override;
  Result<FullXid> txid_current() override;
  Result<SnapshotBounds> current_snapshot() override;

  QueryResult keyset_chunk(TableId t, const std::optional<Key>& after, uint32_t limit,
                           const QueryOptions& opts) override;
  QueryResult ctid_range(TableId t, Ctid after, Ctid upto, const QueryOptions& opts) override;
  Result<std::optional<ScannedRow>> lookup(TableId t, const Key& key) override;
  Result<std::optional<Key>> last_key(TableId t) override;
  Result<uint32_t> page_count(TableId t) override;

  Status upsert_row(TableId t, const Key& key, const Row& row) override;

  Result<SlotInfo> slot(const std::string& name) override;
  Result<SlotInfo> create_slot(const std::string& name) override;
  Status drop_slot(const std::string& name) override;
  Status acknowledge(const std::string& name, Lsn lsn) override;
  Result<std::unique_ptr<ChangeStream>> start_replication(const std::string& name,
                                                          Lsn start) override;

  // The decoded transactions on the slot past `after` (commit LSN), at most
  // max_txns, and the flush LSN read before decoding (what a poll that
  // returns fewer has read up to). For the change stream.
  struct Peeked {
    std::vector<DecodedTxn> txns;
    Lsn flushed;
  };
  Result<Peeked> peek(const std::string& slot, Lsn after, size_t max_txns);

 private:
  PgSource(std::unique_ptr<PgSession> session, std::vector<TableSchema> schemas)
      : session_(std::move(session)), schemas_(std::move(schemas)) {}
  QueryResult run_rows(TableId t, const std::string& sql, const std::vector<PgValue>& params,
                       const QueryOptions& opts);
  // A chunk query of conformance/pg_sql.h with opts' xmin filter.
  QueryResult run_query(TableId t, Query q, const QueryOptions& opts);

  std::unique_ptr<PgSession> session_;
  std::vector<TableSchema> schemas_;
};

}  // namespace cdc::conformance
