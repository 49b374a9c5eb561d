// The source database as a capture sees it: a catalogue, the queries it
// issues, the positions and snapshots it reads, the one write it makes (the
// watermark row) and its replication slots. Every capture algorithm
// (Estuary, Debezium, Flink CDC) talks to its source through this interface
// only, so the same capture runs against the model (ModelSource,
// model/model_source.h) and against a real PostgreSQL 15 (live/pg_source.h).
//
// Contract shared by the implementations:
//   - Table ids and schemas are the scenario's: a table's id is its index in
//     the order the tables were created, on either side.
//   - A query runs outside any transaction (read committed) and returns rows
//     in the order the SQL in each comment gives; a query that fails part way
//     returns a prefix of its rows with a non-ok status.
//   - current_flush_lsn() covers every transaction whose commit returned
//     before it was called.
//   - A change stream returns committed transactions in commit order, each
//     once, all past the position it started at; poll() returns what is
//     available now and never waits for more.
//   - Errors carry the model's ErrorCode for the cases the capture acts on
//     (a lost or missing slot, a slot in use, a query cancelled).
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/database.h"
#include "model/decoding.h"
#include "model/query.h"
#include "model/slot.h"
#include "model/status.h"
#include "model/types.h"

namespace cdc {

// A logical replication connection on one slot.
class ChangeStream {
 public:
  virtual ~ChangeStream() = default;
  // Up to max_txns transactions committed and flushed since the last poll.
  // Fails once the slot is dropped, recreated or lost; a failed stream stays
  // failed.
  virtual Result<std::vector<DecodedTxn>> poll(size_t max_txns) = 0;
  // Transactions committing at or before this LSN are not delivered.
  virtual Lsn start_decoding_at() const = 0;
  // How far the stream has read the WAL (past the last delivered commit, and
  // past any WAL that held nothing to deliver).
  virtual Lsn read_position() const = 0;
};

class Source {
 public:
  using SnapshotBounds = Database::SnapshotBounds;
  virtual ~Source() = default;

  // ---- catalogue ----
  virtual Result<TableId> table_id(const std::string& name) const = 0;
  // REQUIRES: t came from table_id().
  virtual const TableSchema& schema(TableId t) const = 0;

  // ---- positions and snapshots ----
  // pg_current_wal_flush_lsn()
  virtual Result<Lsn> current_flush_lsn() = 0;
  // txid_snapshot_xmax(txid_current_snapshot()) modulo 2^32
  virtual Result<Xid> snapshot_xmax() = 0;
  // pg_current_xact_id() in a transaction of its own (assigns an xid)
  virtual Result<FullXid> txid_current() = 0;
  // pg_current_snapshot(): xmin and xmax, 64-bit
  virtual Result<SnapshotBounds> current_snapshot() = 0;

  // ---- queries ----
  // SELECT ... WHERE (k) > (after) [AND xmin filter] ORDER BY k LIMIT limit
  virtual QueryResult keyset_chunk(TableId t, const std::optional<Key>& after, uint32_t limit,
                                   const QueryOptions& opts = {}) = 0;
  // SELECT ... WHERE ctid > after AND ctid <= upto [AND xmin filter]
  virtual QueryResult ctid_range(TableId t, Ctid after, Ctid upto,
                                 const QueryOptions& opts = {}) = 0;
  // SELECT ... WHERE (k) = (key)
  virtual Result<std::optional<ScannedRow>> lookup(TableId t, const Key& key) = 0;
  // SELECT k ... ORDER BY k DESC LIMIT 1 (nullopt: the table is empty)
  virtual Result<std::optional<Key>> last_key(TableId t) = 0;
  // The table's size in pages (pg_relation_size / block size)
  virtual Result<uint32_t> page_count(TableId t) = 0;

  // ---- the one write ----
  // INSERT ... ON CONFLICT (k) DO UPDATE in a transaction of its own: the
  // watermark row `row` of table t, whose key is `key`.
  virtual Status upsert_row(TableId t, const Key& key, const Row& row) = 0;

  // ---- replication slots ----
  virtual Result<SlotInfo> slot(const std::string& name) = 0;
  // Fails with kObjectInUse while a transaction that wrote is running (the
  // real server waits for it).
  virtual Result<SlotInfo> create_slot(const std::string& name) = 0;
  virtual Status drop_slot(const std::string& name) = 0;
  // The consumer confirms everything committed before `lsn`.
  virtual Status acknowledge(const std::string& name, Lsn lsn) = 0;
  // Starts streaming the slot at max(start, its confirmed position).
  virtual Result<std::unique_ptr<ChangeStream>> start_replication(const std::string& name,
                                                                  Lsn start) = 0;
};

}  // namespace cdc
