// RapidCheck commands (rc::state) that drive cdc::Database and the reference
// model of reference_database.h side by side: sessions that begin, write
// (insert, update with or without a key change, delete, TRUNCATE), set,
// roll back to and release savepoints, commit and abort, interleaved; VACUUM,
// VACUUM FREEZE and VACUUM FULL; txid_current().
//
// After every command the system under test must agree with the model: the
// xid counter and each session's xids, and everything a reader sees (rows per
// table, each with its xmin and frozen flag). A statement's result (success,
// or which error) must be the predicted one, and a new tuple's xmin must be
// its writer's xid the moment it is written.
#pragma once

#include <rapidcheck.h>
#include <rapidcheck/state.h>

#include <array>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "model/database.h"
#include "sim/decoded_replica.h"
#include "tests/model/reference_database.h"
#include "tests/model/test_tables.h"

namespace cdc::testing {

// The system under test: one database with kRefTables items-like tables, a
// slot with a stream and a replica for decoding tests, and each session's
// running transaction.
struct DbSut {
  DbSut(DatabaseOptions options, ReplicaIdentity identity) : db(options), replica(&db) {
    for (int t = 0; t < kRefTables; ++t) {
      TableSchema s = items_schema(identity);
      s.name = "items" + std::to_string(t);
      tables[t] = db.create_table(s).value();
    }
    CDC_ASSERT(db.create_slot("s").is_ok(), "test slot");
    stream.emplace(db.start_replication("s", Lsn(0)).value());
  }
  DbSut(const DbSut&) = delete;
  DbSut& operator=(const DbSut&) = delete;

  Database db;
  std::array<TableId, kRefTables> tables;
  std::array<std::optional<TxnId>, kRefSessions> txns;
  std::optional<LogicalStream> stream;
  sim::DecodedReplica replica;
  std::vector<RefCommitted> decoded;  // (top xid, changes) of every decoded transaction
};

// The model of a fresh DbSut whose database started at `start_xid` (each
// CREATE TABLE took one xid).
inline RefDb initial_model(uint32_t start_xid) {
  RefDb m;
  m.next_xid = start_xid;
  for (int t = 0; t < kRefTables; ++t)
    m.assign_xid();
  return m;
}

inline std::string note_text(uint8_t note) {
  return note == 0 ? "n" : std::string(20, note == 1 ? 'a' : 'b');  // TOASTed above 16 bytes
}
inline uint8_t note_kind(const Value& v) {
  if (v.as_text() == "n") return 0;
  return v.as_text() == note_text(1) ? 1 : 2;
}
inline RefRow ref_row(const ScannedRow& r) {
  return RefRow{r.row[1].as_int64(), note_kind(r.row[2]), r.xmin.value(), r.frozen};
}

// A reader (a query outside any transaction) sees exactly the model's
// committed rows, with their xmin and frozen flag.
inline void check_reader_view(const RefDb& m, const DbSut& sut) {
  for (int t = 0; t < kRefTables; ++t) {
    const QueryResult q = sut.db.scan(sut.tables[t]);
    RC_ASSERT(q.status.is_ok());
    RefTable seen;
    for (const ScannedRow& r : q.rows) {
      const bool first_version_seen = seen.emplace(r.row[0].as_int64(), ref_row(r)).second;
      RC_ASSERT(first_version_seen);
    }
    RC_ASSERT(seen == m.committed[t]);
    for (int64_t k = 0; k < kRefKeys; ++k) {
      const std::optional<ScannedRow> got = sut.db.lookup(sut.tables[t], ikey(k)).value();
      const auto want = m.committed[t].find(k);
      RC_ASSERT(got.has_value() == (want != m.committed[t].end()));
      if (got) RC_ASSERT(ref_row(*got) == want->second);
    }
  }
}

inline std::optional<uint32_t> raw(const std::optional<Xid>& x) {
  if (!x) return std::nullopt;
  return x->value();
}

// The xid counter and every session's xids agree with the model, and so does
// the reader's view.
inline void check_sut(const RefDb& m, const DbSut& sut) {
  RC_ASSERT(sut.db.next_xid().value() == m.next_xid);
  for (int s = 0; s < kRefSessions; ++s) {
    RC_ASSERT(m.sessions[s].has_value() == sut.txns[s].has_value());
    if (!m.sessions[s]) continue;
    const std::vector<RefLevel>& levels = m.sessions[s]->levels;
    const auto nonzero = [](uint32_t x) { return x ? std::optional<uint32_t>(x) : std::nullopt; };
    RC_ASSERT(raw(sut.db.current_xid_of(*sut.txns[s]).value()) == nonzero(levels.back().xid));
    RC_ASSERT(raw(sut.db.top_xid_of(*sut.txns[s]).value()) == nonzero(levels[0].xid));
  }
  check_reader_view(m, sut);
}

using DbCommand = rc::state::Command<RefDb, DbSut>;

inline const RefTxn* txn_of(const RefDb& m, int s) {
  return m.sessions[s] ? &*m.sessions[s] : nullptr;
}

// One of the sessions whose transaction (nullptr: none) satisfies `want`;
// the command is discarded when there is none.
inline int pick_session(const RefDb& m, bool (*want)(const RefTxn*)) {
  std::vector<int> candidates;
  for (int s = 0; s < kRefSessions; ++s) {
    if (want(txn_of(m, s))) candidates.push_back(s);
  }
  RC_PRE(!candidates.empty());
  return *rc::gen::elementOf(candidates);
}
inline bool is_idle(const RefTxn* tx) {
  return tx == nullptr;
}
inline bool is_running(const RefTxn* tx) {
  return tx != nullptr;
}
inline bool can_savepoint(const RefTxn* tx) {
  return tx != nullptr && tx->levels.size() < kRefMaxLevels;
}
inline bool in_savepoint(const RefTxn* tx) {
  return tx != nullptr && tx->levels.size() >= 2;
}

struct BeginCmd : DbCommand {
  int session;
  explicit BeginCmd(const RefDb& m) : session(pick_session(m, is_idle)) {}
  void checkPreconditions(const RefDb& m) const override { RC_PRE(!m.sessions[session]); }
  void apply(RefDb& m) const override { m.sessions[session].emplace(); }
  void run(const RefDb& m, DbSut& sut) const override {
    sut.txns[session] = sut.db.begin();
    RC_ASSERT(sut.db.is_running(*sut.txns[session]));
    check_sut(nextState(m), sut);
  }
  void show(std::ostream& os) const override { os << "s" << session << ": BEGIN"; }
};

inline WriteOp gen_write(const RefDb& m) {
  WriteOp op;
  op.session = pick_session(m, is_running);
  op.kind = *rc::gen::weightedElement<WriteKind>({{5, WriteKind::kInsert},
                                                  {5, WriteKind::kUpdate},
                                                  {3, WriteKind::kDelete},
                                                  {1, WriteKind::kTruncate},
                                                  {2, WriteKind::kUpsert}});
  op.table = *rc::gen::inRange(0, kRefTables);
  // Mostly keys the transaction sees, so that updates and deletes often succeed.
  const std::vector<int64_t> seen = m.keys_in_view(op.session, op.table);
  const bool existing =
      op.kind != WriteKind::kInsert && !seen.empty() && *rc::gen::inRange(0, 4) != 0;
  op.key = existing ? *rc::gen::elementOf(seen) : *rc::gen::inRange<int64_t>(0, kRefKeys);
  op.new_key = *rc::gen::inRange(0, 3) == 0 ? *rc::gen::inRange<int64_t>(0, kRefKeys) : op.key;
  op.v = *rc::gen::inRange<int64_t>(0, 5);
  op.note = *rc::gen::weightedElement<uint8_t>({{3, 0}, {1, 1}, {1, 2}});
  return op;
}

inline Status perform(DbSut& sut, const WriteOp& op) {
  const TxnId tx = *sut.txns[op.session];
  const TableId t = sut.tables[op.table];
  switch (op.kind) {
    case WriteKind::kInsert:
      return sut.db.insert(tx, t, item(op.key, op.v, note_text(op.note)));
    case WriteKind::kUpdate:
      return sut.db.update(tx, t, ikey(op.key), item(op.new_key, op.v, note_text(op.note)));
    case WriteKind::kDelete:
      return sut.db.remove(tx, t, ikey(op.key));
    case WriteKind::kTruncate:
      return sut.db.truncate(tx, {t});
    case WriteKind::kUpsert:
      return sut.db.upsert(tx, t, ikey(op.key), item(op.key, op.v, note_text(op.note)));
  }
  return Status::ok();
}

inline void check_outcome(const Outcome& want, const Status& got) {
  RC_ASSERT(got.is_ok() == !want.error.has_value());
  if (want.error) RC_ASSERT(got.code() == *want.error);
}

// The tuple an INSERT or UPDATE just wrote (the newest version of its key)
// carries the writing (sub)transaction's xid as xmin.
inline void check_new_tuple_xmin(const RefDb& after, const DbSut& sut, const WriteOp& op) {
  if (op.kind != WriteKind::kInsert && op.kind != WriteKind::kUpdate &&
      op.kind != WriteKind::kUpsert) {
    return;
  }
  const HeapTable& h = sut.db.heap(sut.tables[op.table]);
  const int64_t key = op.kind == WriteKind::kUpdate ? op.new_key : op.key;
  const std::optional<uint32_t> slot = h.index_find(h.index_key(ikey(key)));
  RC_ASSERT(slot.has_value());
  const uint32_t writer = after.sessions[op.session]->levels.back().xid;
  RC_ASSERT(h.tuple(*slot).xmin.value() == writer);
  RC_ASSERT(sut.db.current_xid_of(*sut.txns[op.session]).value() == std::optional(Xid(writer)));
}

struct WriteCmd : DbCommand {
  WriteOp op;
  explicit WriteCmd(const RefDb& m) : op(gen_write(m)) {}
  void checkPreconditions(const RefDb& m) const override {
    RC_PRE(m.sessions[op.session].has_value());
  }
  void apply(RefDb& m) const override { apply_write(m, op); }
  void run(const RefDb& m, DbSut& sut) const override {
    const Outcome want = predict(m, op);
    const Status got = perform(sut, op);
    check_outcome(want, got);
    const RefDb after = nextState(m);
    if (got.is_ok()) check_new_tuple_xmin(after, sut, op);
    check_sut(after, sut);
  }
  void show(std::ostream& os) const override {
    static const char* kNames[] = {"INSERT", "UPDATE", "DELETE", "TRUNCATE", "UPSERT"};
    os << "s" << op.session << ": " << kNames[static_cast<int>(op.kind)] << " items" << op.table;
    if (op.kind == WriteKind::kTruncate) return;
    os << " key " << op.key;
    if (op.kind == WriteKind::kDelete) return;
    if (op.kind == WriteKind::kUpdate) os << " -> " << op.new_key;
    os << " (v " << op.v << ", note " << int{op.note} << ")";
  }
};

struct CommitCmd : DbCommand {
  int session;
  explicit CommitCmd(const RefDb& m) : session(pick_session(m, is_running)) {}
  void checkPreconditions(const RefDb& m) const override { RC_PRE(m.sessions[session]); }
  void apply(RefDb& m) const override { commit_txn(m, session); }
  void run(const RefDb& m, DbSut& sut) const override {
    const Result<Lsn> lsn = sut.db.commit(*sut.txns[session]);
    RC_ASSERT(lsn.is_ok());
    RC_ASSERT(lsn.value() == sut.db.current_flush_lsn());
    sut.txns[session].reset();
    check_sut(nextState(m), sut);
  }
  void show(std::ostream& os) const override { os << "s" << session << ": COMMIT"; }
};

struct AbortCmd : DbCommand {
  int session;
  explicit AbortCmd(const RefDb& m) : session(pick_session(m, is_running)) {}
  void checkPreconditions(const RefDb& m) const override { RC_PRE(m.sessions[session]); }
  void apply(RefDb& m) const override { m.sessions[session].reset(); }
  void run(const RefDb& m, DbSut& sut) const override {
    RC_ASSERT(sut.db.abort(*sut.txns[session]).is_ok());
    sut.txns[session].reset();
    check_sut(nextState(m), sut);
  }
  void show(std::ostream& os) const override { os << "s" << session << ": ROLLBACK"; }
};

struct SavepointCmd : DbCommand {
  int session;
  explicit SavepointCmd(const RefDb& m) : session(pick_session(m, can_savepoint)) {}
  void checkPreconditions(const RefDb& m) const override {
    RC_PRE(can_savepoint(txn_of(m, session)));
  }
  void apply(RefDb& m) const override { m.sessions[session]->levels.emplace_back(); }
  void run(const RefDb& m, DbSut& sut) const override {
    RC_ASSERT(sut.db.savepoint(*sut.txns[session]).is_ok());
    check_sut(nextState(m), sut);
  }
  void show(std::ostream& os) const override { os << "s" << session << ": SAVEPOINT"; }
};

struct RollbackToCmd : DbCommand {
  int session;
  explicit RollbackToCmd(const RefDb& m) : session(pick_session(m, in_savepoint)) {}
  void checkPreconditions(const RefDb& m) const override {
    RC_PRE(in_savepoint(txn_of(m, session)));
  }
  // The savepoint stays; its subtransaction's writes and xid are gone.
  void apply(RefDb& m) const override { m.sessions[session]->levels.back() = RefLevel{}; }
  void run(const RefDb& m, DbSut& sut) const override {
    RC_ASSERT(sut.db.rollback_to_savepoint(*sut.txns[session]).is_ok());
    check_sut(nextState(m), sut);
  }
  void show(std::ostream& os) const override { os << "s" << session << ": ROLLBACK TO SAVEPOINT"; }
};

struct ReleaseCmd : DbCommand {
  int session;
  explicit ReleaseCmd(const RefDb& m) : session(pick_session(m, in_savepoint)) {}
  void checkPreconditions(const RefDb& m) const override {
    RC_PRE(in_savepoint(txn_of(m, session)));
  }
  void apply(RefDb& m) const override { release_savepoint(m, session); }
  void run(const RefDb& m, DbSut& sut) const override {
    RC_ASSERT(sut.db.release_savepoint(*sut.txns[session]).is_ok());
    check_sut(nextState(m), sut);
  }
  void show(std::ostream& os) const override { os << "s" << session << ": RELEASE SAVEPOINT"; }
};

struct MaintenanceCmd : DbCommand {
  Maintenance kind;
  int table;
  MaintenanceCmd()
      : kind(*rc::gen::element(Maintenance::kVacuum, Maintenance::kVacuumFreeze,
                               Maintenance::kVacuumFull)),
        table(*rc::gen::inRange(0, kRefTables)) {}
  void apply(RefDb& m) const override { apply_maintenance(m, kind, table); }
  void run(const RefDb& m, DbSut& sut) const override {
    const TableId t = sut.tables[table];
    const Status got = kind == Maintenance::kVacuum         ? sut.db.vacuum(t)
                       : kind == Maintenance::kVacuumFreeze ? sut.db.vacuum_freeze(t)
                                                            : sut.db.vacuum_full(t);
    check_outcome(predict(m, kind, table), got);
    check_sut(nextState(m), sut);
  }
  void show(std::ostream& os) const override {
    static const char* kNames[] = {"VACUUM", "VACUUM FREEZE", "VACUUM FULL"};
    os << kNames[static_cast<int>(kind)] << " items" << table;
  }
};

struct TxidCurrentCmd : DbCommand {
  void apply(RefDb& m) const override { m.assign_xid(); }
  void run(const RefDb& m, DbSut& sut) const override {
    const Result<FullXid> x = sut.db.txid_current();
    RC_ASSERT(x.is_ok());
    RC_ASSERT(xid_of(x.value()).value() == m.next_xid);
    check_sut(nextState(m), sut);
  }
  void show(std::ostream& os) const override { os << "SELECT txid_current()"; }
};

// A generator of command sequences from `model`, the commands weighted by
// repetition, plus `Extra` commands; sequences up to twice RapidCheck's size,
// long enough for several interleaved transactions to commit, the counter to
// wrap and the tables to be vacuumed.
template <typename... Extra>
auto gen_commands(const RefDb& model) {
  return rc::gen::scale(
      2.0, rc::state::gen::commands(
               model, rc::state::gen::execOneOfWithArgs<
                          BeginCmd, BeginCmd, WriteCmd, WriteCmd, WriteCmd, WriteCmd, WriteCmd,
                          CommitCmd, CommitCmd, CommitCmd, AbortCmd, SavepointCmd, RollbackToCmd,
                          ReleaseCmd, MaintenanceCmd, TxidCurrentCmd, Extra...>()));
}

}  // namespace cdc::testing
