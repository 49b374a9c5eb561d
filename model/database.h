// The in-memory PostgreSQL-15-like source database.
//
// One Database is one cluster with one database: a catalogue of heap tables,
// interleaved transactions with subtransactions, the xid counter with its
// wraparound limits, the WAL, logical replication slots, maintenance
// (VACUUM, VACUUM FREEZE, VACUUM FULL, checkpoints, pg_resetwal -x, a major
// upgrade), and the read-only queries a capture issues.
//
// Concurrency model. Every call is atomic. Queries run outside any
// transaction and see all transactions committed before them (read
// committed); a transaction sees its own writes. Where PostgreSQL would make
// a writer wait for a row or table lock held by another running transaction,
// the model returns kLockNotAvailable instead (a NOWAIT lock); the caller
// decides whether to retry or abort. Creating a slot likewise returns
// kObjectInUse rather than waiting for running writers to finish.
//
// Xids. A writing statement takes its (sub)transaction's xid before it checks
// the target row's lock or the unique key, as PostgreSQL's heap_insert,
// heap_update and heap_delete do: a statement that then fails with
// kLockNotAvailable or kUniqueViolation has consumed an xid; one that finds
// no row, or waits for another TRUNCATE's table lock, has not. TRUNCATE and
// VACUUM FULL (a transaction of its own) take their xid before they wait for
// their ACCESS EXCLUSIVE lock, so they consume one even when refused. (All
// checked against PostgreSQL 15 by conformance/.)
//
// Deliberate simplifications, each visible in the API:
//   - update_at/remove_at (WHERE ctid = ...) work on tables without a primary
//     key only; keyed tables are written by key;
//   - burn_xids(n) consumes n xids without writing n commit records (the
//     records would decode to nothing anyway);
//   - a checkpoint happens every options.checkpoint_every_bytes of WAL or on
//     demand; it invalidates slots beyond max_slot_wal_keep_size and removes
//     WAL that no valid slot needs;
//   - VACUUM never truncates empty trailing pages (PostgreSQL's does, under an
//     ACCESS EXCLUSIVE lock whose request takes an xid).
//
// Errors: every call that can fail because of the simulated world or user
// input returns Status/Result. Unknown TxnIds and TableIds are errors too;
// internal inconsistencies are CDC_ASSERTs.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/decoding.h"
#include "model/heap.h"
#include "model/query.h"
#include "model/schema.h"
#include "model/slot.h"
#include "model/status.h"
#include "model/strong_int.h"
#include "model/wal.h"
#include "model/xid.h"

namespace cdc {

struct TxnIdTag {};
using TxnId = StrongInt<TxnIdTag, uint64_t>;

// What a committed transaction did to rows, for whoever records ground truth.
// Row versions in write order: an INSERT gives an `after`, a DELETE (or a row
// removed by TRUNCATE) a `before`, an UPDATE a `before` followed by an `after`
// that has `updated` set (a DELETE and then an INSERT look alike otherwise).
struct CommittedRowVersion {
  TableId table;
  Ctid ctid;
  bool inserted = false;   // true: `row` is a new version; false: `row` was removed
  SharedRow row;           // the heap's own block: holding it copies no values
  bool updated = false;    // inserted by an UPDATE of the version just before it
  Xid xmin = kInvalidXid;  // the tuple's xmin: the (sub)transaction xid that wrote it
};
struct CommittedTxn {
  Xid xid;
  Lsn commit_lsn;
  std::vector<CommittedRowVersion> versions;
};

struct DatabaseOptions {
  FullXid next_xid = full_xid(0, kFirstNormalXid);
  Lsn first_lsn = Lsn(0x1000000);                        // the first WAL segment ends at 16 MiB
  std::optional<uint64_t> max_slot_wal_keep_size_bytes;  // nullopt = -1 (unlimited)
  uint64_t checkpoint_every_bytes = uint64_t{16} << 20;
};

class Database {
 public:
  explicit Database(DatabaseOptions options = {});

  // ---- catalogue ----
  // Creates a table (one DDL transaction: consumes an xid).
  Result<TableId> create_table(TableSchema schema);
  Result<TableId> table_id(std::string_view name) const;
  Status check_table(TableId t) const;
  // REQUIRES: check_table(t).is_ok().
  const TableSchema& schema(TableId t) const;
  uint32_t table_count() const { return static_cast<uint32_t>(tables_.size()); }

  // ---- transactions ----
  TxnId begin();
  bool is_running(TxnId txn) const;
  Status insert(TxnId txn, TableId t, Row row);
  Status update(TxnId txn, TableId t, const Key& key, Row new_row);
  // Updates the version of `key` a reader sees (as lookup finds it) to `row`,
  // or inserts `row` when there is none: a lookup followed by update or
  // insert, with one index search. REQUIRES: key is row's primary key.
  Status upsert(TxnId txn, TableId t, const Key& key, Row row);
  Status remove(TxnId txn, TableId t, const Key& key);
  Status update_at(TxnId txn, TableId t, Ctid ctid, Row new_row);  // keyless tables
  Status remove_at(TxnId txn, TableId t, Ctid ctid);               // keyless tables
  Status truncate(TxnId txn, const std::vector<TableId>& tables);
  Status savepoint(TxnId txn);
  Status rollback_to_savepoint(TxnId txn);
  Status release_savepoint(TxnId txn);
  // Commits; returns the commit LSN (end of the commit record), or the current
  // flush LSN for a transaction that wrote nothing.
  Result<Lsn> commit(TxnId txn);
  Status abort(TxnId txn);
  // The xid the transaction's current (sub)transaction level writes with, if
  // it has been assigned.
  Result<std::optional<Xid>> current_xid_of(TxnId txn) const;
  // The top-level xid, if the transaction has written anything yet.
  Result<std::optional<Xid>> top_xid_of(TxnId txn) const;

  // ---- xids ----
  // txid_current() in its own transaction: assigns an xid, returns it.
  Result<FullXid> txid_current();
  // Consumes n xids as n empty transactions would.
  Status burn_xids(uint64_t n);
  FullXid next_full_xid() const { return xids_.next_full(); }
  // txid_snapshot_xmax(txid_current_snapshot()) of a query now, modulo 2^32:
  // the latest completed (committed or aborted) xid plus one. Xids of running
  // transactions just below the next xid keep it below the next xid.
  Xid snapshot_xmax() const;
  // pg_current_snapshot()'s xmin and xmax, epoch-extended (64-bit): the
  // oldest running xid (xmax when none runs) and the latest completed xid
  // plus one.
  struct SnapshotBounds {
    FullXid xmin;
    FullXid xmax;
  };
  SnapshotBounds current_snapshot() const;
  Xid next_xid() const { return xids_.next(); }
  XidLimits xid_limits() const { return limits_; }
  uint64_t wraparound_warnings() const { return wraparound_warnings_; }
  const std::string& last_warning() const { return last_warning_; }
  // pg_resetwal -x x -e epoch (on a stopped cluster: no running transactions).
  Status reset_xid(Xid x, std::optional<uint32_t> epoch = std::nullopt);

  // ---- maintenance ----
  // The VACUUMs are refused (kObjectInUse) where PostgreSQL would wait for a
  // running TRUNCATE of the table, and VACUUM FULL also for running writers.
  Status vacuum(TableId t);         // removes dead tuples; moves nothing
  Status vacuum_freeze(TableId t);  // and freezes every committed tuple
  Status vacuum_freeze_all();       // vacuumdb --all --freeze
  Status vacuum_full(TableId t);    // rewrite: new ctids, frozen, xmin kept; takes an xid
  // pg_upgrade to a new major version (before PG 17): slots are dropped, xid
  // counter and epoch kept, WAL continues at a higher LSN.
  Status major_upgrade();
  void checkpoint();
  // Flushes all written WAL (what the WAL writer does in the background).
  void flush_wal();

  // ---- queries (read committed, outside any transaction) ----
  // SELECT ... WHERE (k) > (after) [AND xmin filter] ORDER BY k [COLLATE "C"] LIMIT limit
  QueryResult keyset_chunk(TableId t, const std::optional<Key>& after, uint32_t limit,
                           KeyOrder order, const QueryOptions& opts = {}) const;
  // SELECT ... WHERE ctid > after AND ctid <= upto [AND xmin filter]
  QueryResult ctid_range(TableId t, Ctid after, Ctid upto, const QueryOptions& opts = {}) const;
  // SELECT ... [WHERE xmin filter] in physical order.
  QueryResult scan(TableId t, const QueryOptions& opts = {}) const;
  Result<std::optional<ScannedRow>> lookup(TableId t, const Key& key) const;
  // Row access by physical position, for picking rows of a table without a
  // key at random in time independent of its size (what scan() would return,
  // one tuple at a time). REQUIRES: t is a table; slot < slot_count(t).
  uint32_t slot_count(TableId t) const;
  std::optional<ScannedRow> visible_at(TableId t, uint32_t slot) const;
  // The first slot whose ctid is at or after `c` (may equal slot_count(t)).
  uint32_t first_slot_at_or_after(TableId t, Ctid c) const;
  // The slots scan() would return, without reading their rows.
  std::vector<uint32_t> visible_slots(TableId t) const;
  // SELECT key ... ORDER BY key DESC LIMIT 1 (the database's key order);
  // nullopt for an empty table.
  Result<std::optional<Key>> last_key(TableId t) const;
  Result<uint32_t> page_count(TableId t) const;
  Lsn current_flush_lsn() const { return wal_.flush_lsn(); }
  Lsn current_insert_lsn() const { return wal_.insert_lsn(); }

  // ---- replication slots ----
  Result<SlotInfo> create_slot(const std::string& name);
  Status drop_slot(const std::string& name);
  Result<SlotInfo> slot(const std::string& name) const;
  // The slot's generation and whether it is lost, without copying its info
  // (what a decoding stream checks at every poll); nullopt: no such slot.
  struct SlotIdentity {
    uint64_t generation = 0;
    bool lost = false;
  };
  std::optional<SlotIdentity> slot_identity(const std::string& name) const;
  // Moves whenever a slot is dropped or lost (creating one changes no
  // existing slot): a reader that found a slot as it was at one epoch finds
  // it so while the epoch holds.
  uint64_t slot_epoch() const { return slot_epoch_; }
  std::vector<SlotInfo> slots() const;  // sorted by name
  // The consumer confirms everything committed before `lsn` (clamped to the
  // flush position; never moves backwards). restart_lsn follows.
  Status acknowledge(const std::string& name, Lsn lsn);
  Result<LogicalStream> start_replication(const std::string& name, Lsn start) const;

  // Called at every commit that wrote something, before commit() returns.
  void set_commit_observer(std::function<void(const CommittedTxn&)> observer) {
    commit_observer_ = std::move(observer);
  }
  // Called whenever a rewrite gives a table's rows new ctids (VACUUM FULL, or
  // the new file of a committed TRUNCATE that keeps rows the same transaction
  // inserted after it), with each kept row's old and new ctid, in physical
  // order. A TRUNCATE's call follows its commit's commit-observer call.
  enum class Rewrite : uint8_t { kVacuumFull, kTruncate };
  using RewriteObserver =
      std::function<void(TableId, Rewrite, const std::vector<std::pair<Ctid, Ctid>>&)>;
  void set_rewrite_observer(RewriteObserver observer) { rewrite_observer_ = std::move(observer); }

  const Wal& wal() const { return wal_; }
  const HeapTable& heap(TableId t) const;  // REQUIRES: check_table(t).is_ok()
  size_t memory_bytes() const;

 private:
  struct WriteRef {
    TableId table;
    uint32_t slot;
    bool inserted;         // true: this txn set the tuple's xmin; false: its xmax
    bool updated = false;  // a new version written by an UPDATE (the previous ref is the old)
    // The old version of an UPDATE that kept the key: the index names its
    // successor, so the commit has no index entry to remove for it.
    bool key_kept = false;
  };
  struct Level {
    Xid xid;                  // kInvalidXid until the level first writes
    std::vector<Xid> merged;  // xids of released child subtransactions
    std::vector<WriteRef> writes;
    std::vector<TableId> truncated;  // tables this level (or a released child) truncated
    // Tables this level (or a released child) wrote: it holds their lock. A
    // rollback to the savepoint releases it, as in PostgreSQL.
    std::vector<TableId> tables_written;
  };
  struct Txn {
    std::optional<FullXid> top;
    std::vector<Level> levels;  // levels[0] is the top level
    std::optional<Lsn> first_lsn;
    // Per level (Level::tables_written); few: a linear search beats a set.
    void wrote(TableId t);
    bool has_written(TableId t) const;
  };
  struct Slot {
    SlotInfo info;
  };
  // What a writer sees of a key's or tuple's newest version.
  enum class RowState : uint8_t { kAbsent, kLive, kDeleted, kLocked };

  Result<Txn*> txn(TxnId id);
  Status writable(TableId t, TxnId me) const;
  Result<Xid> ensure_xid(TxnId id, Txn& tx);
  Result<FullXid> assign_xid();
  RowState writer_state(const HeapTable& h, uint32_t slot, TxnId me) const;
  bool unseen_by_statement(const HeapTable& h, uint32_t slot, TxnId me) const;
  bool xid_running_in(Xid x, TxnId me) const;
  bool reader_sees(const HeapTuple& t) const;
  std::optional<uint32_t> reader_version(const HeapTable& h, uint32_t newest) const;
  void append_record(Txn& tx, WalRecord&& r);
  // As append_record, with the record written by `fill(WalRecord&)` in its
  // place in the WAL (Wal::append_in_place): the hot paths' records are
  // never moved. REQUIRES: fill does not write to this database.
  template <class Fill>
  void append_record_in_place(Txn& tx, Fill&& fill) {
    if (!tx.first_lsn) tx.first_lsn = wal_.insert_lsn();
    const Xid top = xid_of(*tx.top);
    wal_.append_in_place([&](WalRecord& r) {
      fill(r);
      r.top_xid = top;
    });
  }
  // Before the heap record of an insert or update: the TOAST chunks of the
  // row's out-of-line values that it logs (not those in `omitted_mask`).
  void append_toast(Txn& tx, Xid xid, TableId t, std::span<const Value> row, uint64_t omitted_mask);
  // REQUIRES: old_ikey, when given, is the index key of old_slot's row.
  Status write_new_version(TxnId id, TableId t, uint32_t old_slot, Row new_row,
                           const std::string* old_ikey = nullptr);
  void undo(const WriteRef& w);
  void finish_commit_writes(Txn& tx);
  void forget(TxnId id, const Txn& tx);
  Xid oldest_running_or_next() const;
  void recompute_limits();
  Lsn restart_for(Lsn confirmed) const;
  void prune_committed_log();
  void maybe_checkpoint();
  bool table_busy(TableId t, TxnId except) const;
  Status check_key(const TableSchema& s, const Key& key) const;
  QueryResult finish_query(std::vector<ScannedRow> rows, const QueryOptions& opts) const;
  ScannedRow scanned(const HeapTable& h, uint32_t slot) const;

  DatabaseOptions options_;
  XidCounter xids_;
  XidLimits limits_;
  Xid system_frozen_;
  std::vector<Xid> relfrozenxid_;
  uint64_t wraparound_warnings_ = 0;
  std::string last_warning_;
  std::vector<std::unique_ptr<HeapTable>> tables_;
  std::map<std::string, TableId, std::less<>> table_names_;
  // Running transactions sorted by id (ids only grow, so begin() appends).
  // A flat vector: no allocation per transaction for the container itself.
  std::vector<std::pair<TxnId, Txn>> txns_;
  const Txn* find_txn(TxnId id) const;
  void erase_txn(TxnId id);
  // Level vectors of finished transactions, emptied but keeping their
  // capacity, for begin() to reuse (at most kSpareLevels).
  static constexpr size_t kSpareLevels = 16;
  std::vector<std::vector<Level>> spare_levels_;
  uint64_t next_txn_id_ = 1;
  // Every assigned xid of running transactions. Few at a time: a flat vector
  // searched linearly (no allocation per transaction).
  std::vector<std::pair<uint32_t, TxnId>> running_xids_;
  std::optional<TxnId> running_owner(Xid x) const;
  void forget_xid(Xid x);
  std::map<TableId, TxnId> truncating_;  // tables with an uncommitted TRUNCATE
  Wal wal_;
  uint64_t checkpointed_bytes_ = 0;
  // (commit record start, first record) of recent commits, for restart_lsn.
  std::deque<std::pair<Lsn, Lsn>> committed_log_;
  std::map<std::string, Slot, std::less<>> slots_;
  uint64_t next_slot_generation_ = 1;
  uint64_t slot_epoch_ = 0;  // slot_epoch()
  std::function<void(const CommittedTxn&)> commit_observer_;
  // What commit() shows the observer, kept between commits for the buffer
  // of its versions; emptied after each call (its rows released).
  CommittedTxn observed_;
  RewriteObserver rewrite_observer_;
  // Rewrites `h` (of table t) to the slots `keep` and tells the rewrite observer.
  void rewrite_table(TableId t, HeapTable& h, const std::vector<uint32_t>& keep, Rewrite why);
};

}  // namespace cdc
