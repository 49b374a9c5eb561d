// A random workload over the source model: several sessions interleave
// transactions of inserts, updates (including key changes and updates that
// leave a TOASTed column unchanged), deletes, savepoints with rollbacks and
// releases, TRUNCATEs, commits and aborts, over several tables at once.
//
// A statement that fails (duplicate key, row locked by another session, row
// gone) puts its transaction in the failed state, and the session rolls it
// back, as a PostgreSQL client must. All choices come from the Prng given.
//
// Each step is decided first, as a Statement with concrete values, and then
// executed; execute() also runs statements of an explicit schedule (see
// sim/schedule.h for how it treats statements that no longer fit).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "model/database.h"
#include "sim/prng.h"
#include "sim/schedule.h"

namespace cdc::sim {

struct SourceWorkloadOptions {
  uint32_t sessions = 4;
  int64_t key_space = 64;  // int keys are drawn from [key_min, key_min + key_space)
  int64_t key_min = 0;
  uint32_t text_key_length_max = 3;  // text keys: 1..max characters
  Ratio commit_after_statement{1, 4};
  Ratio abort_instead_of_commit{1, 8};
  Ratio savepoint{1, 12};
  Ratio rollback_to_savepoint{1, 3};  // when a savepoint is open
  Ratio release_savepoint{1, 3};      // when a savepoint is open
  Ratio truncate{1, 400};
  Ratio key_change{1, 6};  // an update that changes the key
  Ratio delete_row{1, 5};
  Ratio toasted_value{1, 4};        // a TOASTable column gets a long value
  Ratio keep_toasted_column{2, 3};  // an update leaves the TOASTed column alone
  // A key change leaves a TOASTed value unchanged (a known limitation: the
  // value cannot be decoded). 0: key changes write every column, no draw.
  Ratio key_change_keeps_toasted{0, 1};
  // Key choice of a keyed statement (0: off, and no draw is made): a key the
  // key hints give (near a backfill cursor), or the key of an existing row.
  Ratio near_cursor{0, 1};
  Ratio existing_key{0, 1};
  // Row choice of an UPDATE or DELETE of a table without a primary key (0:
  // off, no draw): a row next to a ctid scan's cursor the ctid hints give,
  // the last one it has read or the first one it has not, at even odds.
  Ratio keyless_near_cursor{0, 1};
};

struct SourceWorkloadStats {
  uint64_t committed = 0;
  uint64_t aborted = 0;
  uint64_t statements = 0;
  uint64_t failed_statements = 0;
  uint64_t savepoint_rollbacks = 0;
  uint64_t truncates = 0;
};

class SourceWorkload {
 public:
  SourceWorkload(Database* db, std::vector<TableId> tables, Prng prng,
                 SourceWorkloadOptions options = {});

  // One session does one thing: begin, run a statement, or end its transaction.
  void step();
  // Ends every open transaction (commit, or abort as the dice say).
  void finish();
  // Bulk load: into each table in turn, `rows` inserts of random rows, of
  // distinct keys in a keyed table (a drawn key already present is drawn
  // again; after 4 x rows + 64 draws the table keeps the rows it has: the
  // key space may hold fewer), committed `rows_per_txn` at a time by session
  // 0. The observer sees each statement, as in step(). REQUIRES: no session
  // has an open transaction; rows_per_txn > 0.
  void load(uint64_t rows, uint32_t rows_per_txn);
  // Runs one statement of an explicit schedule (or a decided one).
  void execute(const Statement& st);
  // Whether `session` has an open transaction.
  bool in_transaction(uint32_t session) const {
    return session < sessions_.size() && sessions_[session].txn.has_value();
  }
  // Commits every open transaction (the end of an explicit finish).
  void commit_open();
  // Called with every statement step() and finish() execute (tick left 0).
  void set_statement_observer(std::function<void(const Statement&)> f) { observer_ = std::move(f); }
  // Keys of table t worth aiming at now (used with options.near_cursor).
  void set_key_hints(std::function<std::vector<Key>(TableId)> f) { key_hints_ = std::move(f); }
  // Where the ctid scans of table t would resume now (with keyless_near_cursor).
  void set_ctid_hints(std::function<std::vector<Ctid>(TableId)> f) { ctid_hints_ = std::move(f); }
  const SourceWorkloadStats& stats() const { return stats_; }

 private:
  struct Session {
    std::optional<TxnId> txn;
    uint32_t savepoints = 0;
  };
  Statement decide();
  void decide_statement(const Session& s, Statement* st);
  void decide_keyed(TableId t, Statement* st);
  void decide_keyless(TableId t, Statement* st);
  Status write(TxnId txn, const Statement& st);
  Status write_keyless(TxnId txn, const Statement& st);
  void end(Session& s, bool commit);
  void run(const Statement& st);  // execute() and tell the observer
  void load_table(uint32_t t, uint64_t rows, uint32_t rows_per_txn);  // load()'s work for table t
  Row random_row(const TableSchema& s);
  // A key aimed at a row a scan is near or at an existing row, and the row
  // when it was read from the table: what Database::lookup of the key returns.
  struct Aimed {
    Key key;
    std::optional<ScannedRow> row;
  };
  std::optional<Aimed> aimed_key(TableId t);
  std::optional<ScannedRow> aimed_row(TableId t);
  std::optional<ScannedRow> random_visible_row(TableId t);
  Value random_value(const ColumnDef& c, bool key);

  Database* db_;
  std::vector<TableId> tables_;
  Prng prng_;
  SourceWorkloadOptions options_;
  std::vector<Session> sessions_;
  SourceWorkloadStats stats_;
  uint64_t counter_ = 0;  // makes payloads distinct
  std::function<void(const Statement&)> observer_;
  std::function<std::vector<Key>(TableId)> key_hints_;
  std::function<std::vector<Ctid>(TableId)> ctid_hints_;
};

// The transaction size of a bulk initial load (SourceWorkload::load).
inline constexpr uint32_t kBulkLoadRowsPerTxn = 1000;

// The tables the demo and the property tests use: an int-keyed table with a
// TOASTable column, a composite text key under the locale collation with
// REPLICA IDENTITY FULL, and a table without a primary key.
std::vector<TableSchema> demo_schemas();

}  // namespace cdc::sim
