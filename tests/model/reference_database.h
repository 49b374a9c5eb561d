// A reference model of the source database for the stateful tests, as
// LevelDB's ModelDB is for its DB: small, obviously right, and independent of
// model/database.h's tuples, hint bits and index.
//
// It knows, per table, the rows a reader sees (committed only) with each
// row's xmin and frozen flag; per session, the running transaction as a stack
// of savepoint levels with each level's xid and writes; the xid counter; and
// which writes succeed, which fail and which of those consume an xid
// (database.h, "Xids"). Tables are items-like: (id int64 key, v int64, note
// text), with `note` short or one of two TOASTed values.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <utility>
#include <vector>

#include "model/assert.h"
#include "model/status.h"

namespace cdc::testing {

inline constexpr int kRefTables = 2;
inline constexpr int kRefSessions = 3;
inline constexpr int64_t kRefKeys = 6;
inline constexpr size_t kRefMaxLevels = 3;  // the top level and two savepoints

struct RefRow {
  int64_t v = 0;
  uint8_t note = 0;   // 0: short; 1, 2: two different TOASTed values
  uint32_t xmin = 0;  // the writer's xid: the subtransaction's inside a savepoint
  bool frozen = false;
  bool operator==(const RefRow&) const = default;
};
using RefTable = std::map<int64_t, RefRow>;

inline void showValue(const RefRow& r, std::ostream& os) {
  os << "{v " << r.v << ", note " << int{r.note} << ", xmin " << r.xmin
     << (r.frozen ? ", frozen}" : "}");
}

// One change to a key as the writing transaction sees it.
struct RefWrite {
  int table = 0;
  int64_t key = 0;
  std::optional<RefRow> row;  // nullopt: the key is deleted
};

struct RefLevel {
  uint32_t xid = 0;              // 0 until the level (or a child) first writes
  std::vector<RefWrite> writes;  // this level's, then released children's
  std::vector<int> truncated;    // tables this level truncated (it holds their lock)
  uint32_t changes = 0;          // changes decoding will emit for this level
};

struct RefTxn {
  std::vector<RefLevel> levels = std::vector<RefLevel>(1);  // levels[0]: the top level
};

// (top-level xid, number of changes) of a committed transaction.
using RefCommitted = std::pair<uint32_t, uint32_t>;

// kUpsert: Database::upsert, an UPDATE of the key when a reader outside any
// transaction sees it (it is committed), else an INSERT.
enum class WriteKind : uint8_t { kInsert, kUpdate, kDelete, kTruncate, kUpsert };

struct WriteOp {
  int session = 0;
  WriteKind kind = WriteKind::kInsert;
  int table = 0;
  int64_t key = 0;
  int64_t new_key = 0;  // update: the row's key afterwards
  int64_t v = 0;
  uint8_t note = 0;
};

// What a statement does: fails with `error` or succeeds; and whether it
// assigned xids to its transaction's levels first.
struct Outcome {
  std::optional<ErrorCode> error;
  bool takes_xid = false;
};

struct RefDb {
  uint32_t next_xid = 3;
  std::array<RefTable, kRefTables> committed;
  std::array<std::optional<RefTxn>, kRefSessions> sessions;
  std::vector<RefCommitted> committed_txns;  // with changes, in commit order

  // The xid counter: 0, 1 and 2 are skipped on wrap.
  uint32_t assign_xid() {
    const uint32_t given = next_xid++;
    if (next_xid < 3) next_xid = 3;
    return given;
  }
  // Every level without an xid gets one, the top level first.
  void ensure_xids(int s) {
    for (RefLevel& level : sessions[s]->levels) {
      if (level.xid == 0) level.xid = assign_xid();
    }
  }
  // The row of `key` that session s's transaction sees: committed, then its own writes.
  std::optional<RefRow> view(int s, int t, int64_t key) const {
    std::optional<RefRow> row;
    if (auto it = committed[t].find(key); it != committed[t].end()) row = it->second;
    for (const RefLevel& level : sessions[s]->levels) {
      for (const RefWrite& w : level.writes) {
        if (w.table == t && w.key == key) row = w.row;
      }
    }
    return row;
  }
  std::vector<int64_t> keys_in_view(int s, int t) const {
    std::vector<int64_t> keys;
    for (int64_t k = 0; k < kRefKeys; ++k) {
      if (view(s, t, k)) keys.push_back(k);
    }
    return keys;
  }
  // Whether another session's running transaction wrote `key` of table t.
  bool locked_by_other(int s, int t, int64_t key) const {
    for (int o = 0; o < kRefSessions; ++o) {
      if (o == s || !sessions[o]) continue;
      for (const RefLevel& level : sessions[o]->levels) {
        for (const RefWrite& w : level.writes) {
          if (w.table == t && w.key == key) return true;
        }
      }
    }
    return false;
  }
  // Whether session o's transaction wrote (or truncated) table t.
  bool has_written(int o, int t) const {
    for (const RefLevel& level : sessions[o]->levels) {
      for (const RefWrite& w : level.writes) {
        if (w.table == t) return true;
      }
      for (int u : level.truncated) {
        if (u == t) return true;
      }
    }
    return false;
  }
  bool has_truncated(int o, int t) const {
    for (const RefLevel& level : sessions[o]->levels) {
      for (int u : level.truncated) {
        if (u == t) return true;
      }
    }
    return false;
  }
  // Sessions other than `except` (-1: none) that wrote / truncated table t.
  bool written_by_other(int except, int t) const {
    for (int o = 0; o < kRefSessions; ++o) {
      if (o != except && sessions[o] && has_written(o, t)) return true;
    }
    return false;
  }
  bool truncated_by_other(int except, int t) const {
    for (int o = 0; o < kRefSessions; ++o) {
      if (o != except && sessions[o] && has_truncated(o, t)) return true;
    }
    return false;
  }
};

// What an UPDATE or DELETE of op.key finds (database.h, "Xids"): a row
// another transaction holds is refused after taking an xid if the statement's
// snapshot sees a committed version, else not found without one.
inline Outcome predict_update_or_delete(const RefDb& m, const WriteOp& op) {
  const int s = op.session;
  if (m.locked_by_other(s, op.table, op.key)) {
    if (m.committed[op.table].count(op.key)) return {ErrorCode::kLockNotAvailable, true};
    return {ErrorCode::kRowNotFound, false};
  }
  if (!m.view(s, op.table, op.key)) return {ErrorCode::kRowNotFound, false};
  if (op.kind == WriteKind::kDelete || op.new_key == op.key) return {std::nullopt, true};
  if (m.locked_by_other(s, op.table, op.new_key)) return {ErrorCode::kLockNotAvailable, true};
  if (m.view(s, op.table, op.new_key)) return {ErrorCode::kUniqueViolation, true};
  return {std::nullopt, true};
}

// The INSERT or UPDATE an upsert performs; any other statement as it is.
inline WriteOp resolve_upsert(const RefDb& m, WriteOp op) {
  if (op.kind != WriteKind::kUpsert) return op;
  op.kind = m.committed[op.table].count(op.key) != 0 ? WriteKind::kUpdate : WriteKind::kInsert;
  op.new_key = op.key;
  return op;
}

// REQUIRES: op.session has a running transaction.
inline Outcome predict(const RefDb& m, const WriteOp& statement) {
  const WriteOp op = resolve_upsert(m, statement);
  const int s = op.session;
  if (op.kind == WriteKind::kTruncate) {
    // The xid comes before the ACCESS EXCLUSIVE lock it waits for.
    if (m.written_by_other(s, op.table)) return {ErrorCode::kLockNotAvailable, true};
    return {std::nullopt, true};
  }
  // Another transaction's TRUNCATE holds the table: refused before any xid.
  if (m.truncated_by_other(s, op.table)) return {ErrorCode::kLockNotAvailable, false};
  if (op.kind != WriteKind::kInsert) return predict_update_or_delete(m, op);
  if (m.locked_by_other(s, op.table, op.key)) return {ErrorCode::kLockNotAvailable, true};
  if (m.view(s, op.table, op.key)) return {ErrorCode::kUniqueViolation, true};
  return {std::nullopt, true};
}

// Applies the predicted effect of `op`.
inline void apply_write(RefDb& m, const WriteOp& statement) {
  const WriteOp op = resolve_upsert(m, statement);
  const Outcome o = predict(m, op);
  if (o.takes_xid) m.ensure_xids(op.session);
  if (o.error) return;
  std::vector<RefWrite> writes;
  const RefLevel& current = m.sessions[op.session]->levels.back();
  const RefRow row{op.v, op.note, current.xid, false};
  switch (op.kind) {
    case WriteKind::kInsert:
      writes.push_back({op.table, op.key, row});
      break;
    case WriteKind::kUpdate:
      if (op.new_key != op.key) writes.push_back({op.table, op.key, std::nullopt});
      writes.push_back({op.table, op.new_key, row});
      break;
    case WriteKind::kDelete:
      writes.push_back({op.table, op.key, std::nullopt});
      break;
    case WriteKind::kTruncate:
      for (int64_t k : m.keys_in_view(op.session, op.table))
        writes.push_back({op.table, k, std::nullopt});
      break;
    case WriteKind::kUpsert:
      CDC_ASSERT(false, "an upsert is resolved into an insert or an update");
      break;
  }
  RefLevel& level = m.sessions[op.session]->levels.back();
  level.writes.insert(level.writes.end(), writes.begin(), writes.end());
  if (op.kind == WriteKind::kTruncate) level.truncated.push_back(op.table);
  ++level.changes;  // one WAL record, one decoded change
}

inline void commit_txn(RefDb& m, int s) {
  uint32_t changes = 0;
  for (const RefLevel& level : m.sessions[s]->levels) {
    for (const RefWrite& w : level.writes) {
      if (w.row) {
        m.committed[w.table][w.key] = *w.row;
      } else {
        m.committed[w.table].erase(w.key);
      }
    }
    changes += level.changes;
  }
  if (changes > 0) m.committed_txns.emplace_back(m.sessions[s]->levels[0].xid, changes);
  m.sessions[s].reset();
}

inline void release_savepoint(RefDb& m, int s) {
  std::vector<RefLevel>& levels = m.sessions[s]->levels;
  RefLevel child = std::move(levels.back());
  levels.pop_back();
  RefLevel& parent = levels.back();
  parent.writes.insert(parent.writes.end(), child.writes.begin(), child.writes.end());
  parent.truncated.insert(parent.truncated.end(), child.truncated.begin(), child.truncated.end());
  parent.changes += child.changes;
}

enum class Maintenance : uint8_t { kVacuum, kVacuumFreeze, kVacuumFull };

// VACUUM waits for (here: is refused by) a running TRUNCATE's lock; VACUUM
// FULL then takes an xid and is refused by any running writer of the table.
inline Outcome predict(const RefDb& m, Maintenance kind, int t) {
  if (m.truncated_by_other(-1, t)) return {ErrorCode::kObjectInUse, false};
  if (kind != Maintenance::kVacuumFull) return {std::nullopt, false};
  if (m.written_by_other(-1, t)) return {ErrorCode::kObjectInUse, true};
  return {std::nullopt, true};
}

// Freezing keeps xmin (PostgreSQL 9.4+); VACUUM FULL freezes every kept row.
inline void apply_maintenance(RefDb& m, Maintenance kind, int t) {
  const Outcome o = predict(m, kind, t);
  if (o.takes_xid) m.assign_xid();
  if (o.error || kind == Maintenance::kVacuum) return;
  for (auto& [key, row] : m.committed[t])
    row.frozen = true;
}

}  // namespace cdc::testing
