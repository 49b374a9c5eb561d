#include "conformance/pg_side.h"

#include <time.h>

#include <cstdio>
#include <cstdlib>

#include "conformance/decoded_text.h"
#include "conformance/pg_sql.h"

namespace cdc::conformance {
namespace {

// Lock waits fail after 1 ms (the model refuses at once); nothing else times out.
constexpr const char* kSessionSettings =
    "SET lock_timeout = '1ms'; SET statement_timeout = '120s'; "
    "SET idle_in_transaction_session_timeout = 0";
constexpr int kStreamReadTimeoutMs = 5000;
constexpr int kStreamMessagesMax = 1'000'000;
constexpr int kWaitRoundsMax = 500;  // x 10 ms
constexpr int kWalSwitchesMax = 64;

void sleep_10ms() {
  timespec ts{0, 10'000'000};
  nanosleep(&ts, nullptr);
}

Error setup_error(const std::string& what, const Error& e) {
  return Error{e.code, "PostgreSQL setup: " + what + ": " + e.message};
}

StepResult outcome_of(const Error& e) {
  const std::string state = sqlstate(e);
  if (state == "23505") return {Outcome::kUniqueViolation, e.message};
  if (state == "55P03") return {Outcome::kLockNotAvailable, e.message};
  return {Outcome::kOther, e.message};
}

uint64_t big_endian_u64(const std::string& s, size_t at) {
  uint64_t v = 0;
  for (size_t i = 0; i < 8; ++i)
    v = (v << 8) | static_cast<unsigned char>(s[at + i]);
  return v;
}

std::string quote_literal(const std::string& s) {
  std::string out = "'";
  for (char ch : s) {
    if (ch == '\'') out += '\'';
    out += ch;
  }
  return out + "'";
}

}  // namespace

Result<uint64_t> parse_lsn(const std::string& text) {
  unsigned long long hi = 0;
  unsigned long long lo = 0;
  if (std::sscanf(text.c_str(), "%llX/%llX", &hi, &lo) != 2) {
    return Error{ErrorCode::kInvalidArgument, "not an LSN: " + text};
  }
  return (static_cast<uint64_t>(hi) << 32) | static_cast<uint64_t>(lo);
}

Result<std::unique_ptr<PgSide>> PgSide::create(PgSideOptions options) {
  CDC_ASSERT(options.cluster != nullptr, "PgSide needs a cluster");
  std::unique_ptr<PgSide> side(new PgSide(std::move(options)));
  if (Status s = side->setup(); !s.is_ok()) return s.error();  // ~PgSide cleans up
  return side;
}

Status PgSide::setup() {
  const Cluster& cluster = *options_.cluster;
  Result<std::unique_ptr<PgSession>> admin = PgSession::connect(cluster.conninfo("postgres"));
  if (!admin.is_ok()) {
    return Error{admin.code(), "PostgreSQL: cannot connect: " + admin.error().message +
                                   "\n  server log:\n" + cluster.log_tail()};
  }
  admin_ = std::move(admin).value();
  if (Status s = admin_->exec("CREATE DATABASE \"" + options_.database + "\" TEMPLATE template1");
      !s.is_ok()) {
    return setup_error("CREATE DATABASE", s.error());
  }
  database_created_ = true;
  Result<std::unique_ptr<PgSession>> maint =
      PgSession::connect(cluster.conninfo(options_.database));
  if (!maint.is_ok()) return setup_error("connect", maint.error());
  maint_ = std::move(maint).value();
  std::string ddl = "BEGIN;\n";
  for (const TableSchema& s : options_.schemas)
    ddl += table_ddl(s);
  ddl += "CREATE TABLE cdc_scratch (pad text);\nCOMMIT;";
  if (Status s = maint_->exec(ddl); !s.is_ok()) return setup_error("tables", s.error());
  if (Status s = maint_->exec("SELECT pg_create_logical_replication_slot(" +
                              quote_literal(options_.slot_name) + ", 'test_decoding')");
      !s.is_ok()) {
    return setup_error("create slot", s.error());
  }
  Result<std::string> next = maint_->scalar("SELECT pg_snapshot_xmax(pg_current_snapshot())::text");
  if (!next.is_ok()) return setup_error("next xid", next.error());
  first_next_xid_ = FullXid(std::strtoull(next.value().c_str(), nullptr, 10));
  if (Status s = maint_->exec(kSessionSettings); !s.is_ok())
    return setup_error("settings", s.error());
  for (uint32_t i = 0; i < options_.sessions; ++i) {
    Result<std::unique_ptr<PgSession>> c = PgSession::connect(cluster.conninfo(options_.database));
    if (!c.is_ok()) return setup_error("session connect", c.error());
    if (Status s = c.value()->exec(kSessionSettings); !s.is_ok()) {
      return setup_error("session settings", s.error());
    }
    sessions_.push_back(Session{std::move(c).value(), false, 0});
  }
  return Status::ok();
}

PgSide::~PgSide() {
  sessions_.clear();
  maint_.reset();
  if (!admin_) return;
  (void)admin_->query(
      "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1",
      {options_.slot_name});
  if (keep_size_changed_) {
    (void)admin_->exec("ALTER SYSTEM RESET max_slot_wal_keep_size");
    (void)admin_->exec("SELECT pg_reload_conf()");
  }
  if (database_created_) {
    (void)admin_->exec("DROP DATABASE IF EXISTS \"" + options_.database + "\" WITH (FORCE)");
  }
}

StepResult PgSide::execute(const Step& step) {
  CDC_ASSERT(step.table < options_.schemas.size(), "maintenance of an unknown table");
  const std::string table = "\"" + options_.schemas[step.table].name + "\"";
  switch (step.kind) {
    case Step::Kind::kVacuumFreeze:
      if (Status s = maint_->exec("VACUUM (FREEZE) " + table); !s.is_ok()) {
        return outcome_of(s.error());
      }
      return {};
    case Step::Kind::kVacuumFull:
      if (Status s = maint_->exec("VACUUM FULL " + table); !s.is_ok()) return outcome_of(s.error());
      return {};
    case Step::Kind::kStatement:
      break;
  }
  return run_statement(step.statement);
}

StepResult PgSide::fail_and_rollback(Session& s, StepResult r) {
  if (Status rb = s.conn->exec("ROLLBACK"); !rb.is_ok()) {
    r.outcome = Outcome::kOther;
    r.detail += " (and ROLLBACK failed: " + rb.message() + ")";
  }
  s.in_txn = false;
  s.savepoints = 0;
  return r;
}

StepResult PgSide::run_statement(const sim::Statement& st) {
  using K = sim::Statement::Kind;
  CDC_ASSERT(st.session < sessions_.size(), "statement of an unknown session");
  Session& s = sessions_[st.session];
  if (st.kind == K::kCommit || st.kind == K::kAbort) {
    if (!s.in_txn) return {};
    Status r = s.conn->exec(st.kind == K::kCommit ? "COMMIT" : "ROLLBACK");
    s.in_txn = false;
    s.savepoints = 0;
    return r.is_ok() ? StepResult{} : StepResult{Outcome::kOther, r.message()};
  }
  if (!s.in_txn) {
    if (Status r = s.conn->exec("BEGIN"); !r.is_ok()) return {Outcome::kOther, r.message()};
    s.in_txn = true;
    s.savepoints = 0;
  }
  Status r;
  switch (st.kind) {
    case K::kBegin:
    case K::kCommit:
    case K::kAbort:
      return {};
    case K::kSavepoint:
      r = s.conn->exec("SAVEPOINT s" + std::to_string(s.savepoints + 1));
      if (r.is_ok()) ++s.savepoints;
      break;
    case K::kRollbackToSavepoint:
      if (s.savepoints == 0) return {};
      r = s.conn->exec("ROLLBACK TO SAVEPOINT s" + std::to_string(s.savepoints));
      break;
    case K::kReleaseSavepoint:
      if (s.savepoints == 0) return {};
      r = s.conn->exec("RELEASE SAVEPOINT s" + std::to_string(s.savepoints));
      if (r.is_ok()) --s.savepoints;
      break;
    case K::kInsert:
    case K::kUpdate:
    case K::kDelete:
    case K::kTruncate: {
      CDC_ASSERT(st.table < options_.schemas.size(), "statement on an unknown table");
      const SqlCommand cmd = write_sql(st, options_.schemas[st.table]);
      Result<PgRows> rows = s.conn->query(cmd.sql, cmd.params);
      if (!rows.is_ok()) return fail_and_rollback(s, outcome_of(rows.error()));
      const bool addresses_row = st.kind == K::kUpdate || st.kind == K::kDelete;
      if (addresses_row && rows.value().affected == 0) {
        return fail_and_rollback(s, {Outcome::kRowNotFound, "0 rows"});
      }
      return {};
    }
  }
  if (!r.is_ok()) return fail_and_rollback(s, {Outcome::kOther, r.message()});
  return {};
}

Status PgSide::finish() {
  for (Session& s : sessions_) {
    if (!s.in_txn) continue;
    Status r = s.conn->exec("COMMIT");
    s.in_txn = false;
    s.savepoints = 0;
    if (!r.is_ok()) return r;
  }
  return Status::ok();
}

Result<std::optional<std::vector<TableRows>>> PgSide::snapshot() {
  std::vector<TableRows> out;
  for (uint32_t i = 0; i < options_.schemas.size(); ++i) {
    Result<TableRows> rows = query(i, Query{});
    if (!rows.is_ok()) {
      if (sqlstate(rows.error()) == "55P03") return std::optional<std::vector<TableRows>>();
      return rows.error();
    }
    out.push_back(std::move(rows).value());
  }
  return std::optional<std::vector<TableRows>>(std::move(out));
}

Result<TableRows> PgSide::query(uint32_t table, const Query& q) {
  CDC_ASSERT(table < options_.schemas.size(), "query on an unknown table");
  const TableSchema& s = options_.schemas[table];
  const SqlCommand cmd = query_sql(q, s);
  Result<PgRows> rows = maint_->query(cmd.sql, cmd.params);
  if (!rows.is_ok()) return rows.error();
  TableRows out;
  for (const PgRow& row : rows.value().rows) {
    Result<ObservedRow> r = parse_observed_row(s, row);
    if (!r.is_ok()) return r.error();
    out.push_back(std::move(r).value());
  }
  return out;
}

Result<uint32_t> PgSide::page_count(uint32_t table) {
  Result<std::string> n = maint_->scalar("SELECT (pg_relation_size($1::regclass) / 8192)::text",
                                         {"\"" + options_.schemas.at(table).name + "\""});
  if (!n.is_ok()) return n.error();
  return static_cast<uint32_t>(std::strtoul(n.value().c_str(), nullptr, 10));
}

Result<uint32_t> PgSide::next_xid() {
  Result<std::string> n = maint_->scalar("SELECT pg_snapshot_xmax(pg_current_snapshot())::text");
  if (!n.is_ok()) return n.error();
  return static_cast<uint32_t>(std::strtoull(n.value().c_str(), nullptr, 10));
}

Result<std::vector<std::string>> PgSide::decoded_lines(bool consume, std::optional<int> upto_rows) {
  const std::string fn = consume ? "pg_logical_slot_get_changes" : "pg_logical_slot_peek_changes";
  std::vector<PgValue> params = {options_.slot_name};
  std::string upto = "NULL";
  if (upto_rows) {
    params.push_back(std::to_string(*upto_rows));
    upto = "$2::int";
  }
  Result<PgRows> rows = maint_->query("SELECT data FROM " + fn + "($1, NULL, " + upto +
                                          ", 'include-xids', '1', 'skip-empty-xacts', '1')",
                                      params);
  if (!rows.is_ok()) return rows.error();
  std::vector<std::string> lines;
  for (const PgRow& r : rows.value().rows)
    lines.push_back(r.at(0).value_or(""));
  return lines;
}

Result<std::vector<CanonTxn>> PgSide::peek_decoded() {
  Result<std::vector<std::string>> lines = decoded_lines(/*consume=*/false, std::nullopt);
  if (!lines.is_ok()) return lines.error();
  return parse_test_decoding(lines.value(), options_.schemas);
}

Status PgSide::consume(size_t txns) {
  if (txns == 0) return Status::ok();
  Result<std::vector<std::string>> lines = decoded_lines(/*consume=*/false, std::nullopt);
  if (!lines.is_ok()) return lines.error();
  // Rows through the txns-th COMMIT: the get_changes limit that stops there.
  size_t commits = 0;
  int rows = 0;
  for (const std::string& l : lines.value()) {
    ++rows;
    if (l.starts_with("COMMIT ") && ++commits == txns) break;
  }
  if (commits < txns) {
    return Error{ErrorCode::kInvalidArgument, "fewer transactions to consume than asked"};
  }
  Result<std::vector<std::string>> got = decoded_lines(/*consume=*/true, rows);
  if (!got.is_ok()) return got.error();
  if (got.value().size() != static_cast<size_t>(rows)) {
    return Error{ErrorCode::kInvalidArgument, "pg_logical_slot_get_changes returned " +
                                                  std::to_string(got.value().size()) +
                                                  " rows, expected " + std::to_string(rows)};
  }
  return Status::ok();
}

Result<std::vector<CanonTxn>> PgSide::stream_from_below_confirmed() {
  Result<std::string> flush = maint_->scalar("SELECT pg_current_wal_flush_lsn()::text");
  if (!flush.is_ok()) return flush.error();
  Result<uint64_t> target = parse_lsn(flush.value());
  if (!target.is_ok()) return target.error();
  Result<std::unique_ptr<PgSession>> repl =
      PgSession::connect(options_.cluster->conninfo(options_.database, /*replication=*/true));
  if (!repl.is_ok()) return repl.error();
  std::unique_ptr<PgSession> conn = std::move(repl).value();
  if (Status s = conn->start_copy_both("START_REPLICATION SLOT \"" + options_.slot_name +
                                       "\" LOGICAL 0/1 (\"include-xids\" '1', "
                                       "\"skip-empty-xacts\" '1')");
      !s.is_ok()) {
    return s.error();
  }
  // Data until the walsender, having sent everything up to the flush
  // position read above, sends a keepalive (it does so when it waits for WAL).
  std::vector<std::string> lines;
  for (int i = 0; i < kStreamMessagesMax; ++i) {
    Result<std::optional<std::string>> msg = conn->read_copy(kStreamReadTimeoutMs);
    if (!msg.is_ok()) return msg.error();
    if (!msg.value()) break;  // timeout or end of stream
    const std::string& m = *msg.value();
    if (m.size() >= 25 && m[0] == 'w') {
      lines.push_back(m.substr(25));
    } else if (m.size() >= 17 && m[0] == 'k' && big_endian_u64(m, 1) >= target.value()) {
      break;
    }
  }
  conn.reset();
  if (Status s = wait_slot_inactive(); !s.is_ok()) return s.error();
  return parse_test_decoding(lines, options_.schemas);
}

Status PgSide::wait_slot_inactive() {
  for (int i = 0; i < kWaitRoundsMax; ++i) {
    Result<std::string> active = maint_->scalar(
        "SELECT active::text FROM pg_replication_slots WHERE slot_name = $1", {options_.slot_name});
    if (!active.is_ok()) return active.error();
    if (active.value() == "false") return Status::ok();
    sleep_10ms();
  }
  return Error{ErrorCode::kSlotInUse, "the walsender kept the slot active"};
}

Result<std::string> PgSide::slot_wal_status() {
  return maint_->scalar(
      "SELECT coalesce(wal_status, 'NULL') FROM pg_replication_slots WHERE slot_name = $1",
      {options_.slot_name});
}

Status PgSide::write_past_keep_size() {
  keep_size_changed_ = true;
  if (Status s = admin_->exec("ALTER SYSTEM SET max_slot_wal_keep_size = '1MB'"); !s.is_ok()) {
    return s;
  }
  if (Status s = admin_->exec("SELECT pg_reload_conf()"); !s.is_ok()) return s;
  bool applied = false;
  for (int i = 0; i < kWaitRoundsMax && !applied; ++i) {
    Result<std::string> v = maint_->scalar("SHOW max_slot_wal_keep_size");
    if (!v.is_ok()) return v.error();
    applied = v.value() == "1MB";
    if (!applied) sleep_10ms();
  }
  if (!applied) return Error{ErrorCode::kInvalidArgument, "max_slot_wal_keep_size not applied"};
  for (int i = 0; i < kWalSwitchesMax; ++i) {
    Result<std::string> st = slot_wal_status();
    if (!st.is_ok()) return st.error();
    if (st.value() != "reserved") return Status::ok();
    if (Status s = maint_->exec("INSERT INTO cdc_scratch VALUES (repeat('p', 1000)); "
                                "SELECT pg_switch_wal()");
        !s.is_ok()) {
      return s;
    }
  }
  return Error{ErrorCode::kInvalidArgument, "the slot stayed reserved"};
}

// The checkpointer applies the new max_slot_wal_keep_size when it handles
// the reload signal, later than the session that set it (which already
// reports the slot "unreserved"); a CHECKPOINT it runs before then keeps the
// slot. So while the slot stays unreserved the CHECKPOINT is repeated, at
// most kCheckpointsMax times, 10 ms apart: the first one the checkpointer
// runs under the new limit decides, and a slot PostgreSQL never invalidates
// still shows as a difference.
Status PgSide::checkpoint() {
  constexpr int kCheckpointsMax = 50;
  for (int i = 0; i < kCheckpointsMax; ++i) {
    if (Status s = maint_->exec("CHECKPOINT"); !s.is_ok()) return s;
    Result<std::string> st = slot_wal_status();
    if (!st.is_ok()) return st.error();
    if (st.value() != "unreserved") return Status::ok();
    sleep_10ms();
  }
  return Status::ok();
}

// START_REPLICATION, as a capture streams (the model's start_replication).
Status PgSide::read_slot() {
  Result<std::unique_ptr<PgSession>> repl =
      PgSession::connect(options_.cluster->conninfo(options_.database, /*replication=*/true));
  if (!repl.is_ok()) return repl.error();
  Status s = repl.value()->start_copy_both("START_REPLICATION SLOT \"" + options_.slot_name +
                                           "\" LOGICAL 0/0");
  repl.value().reset();
  if (s.is_ok()) return wait_slot_inactive();  // it streamed: no error to report
  return s;
}

std::pair<std::string, std::string> PgSide::describe(const Error& e) const {
  const std::string state = sqlstate(e);
  return {state, state.empty() ? e.message : e.message.substr(state.size() + 1)};
}

}  // namespace cdc::conformance
