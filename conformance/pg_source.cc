#include "conformance/pg_source.h"

#include <cstdlib>
#include <utility>

#include "conformance/pg_side.h"
#include "conformance/pg_sql.h"
#include "model/assert.h"
#include "outside/test_decoding.h"

namespace cdc::conformance {
namespace {

constexpr char kSelectRows[] = "SELECT ctid::text AS cdc_ctid, xmin::text AS cdc_xmin";
constexpr size_t kPeekRowsMax = 1'000'000;  // rows one peek may return

// Slot errors as the model reports them.
Error slot_error(Error e) {
  const std::string state = sqlstate(e);
  if (state == "42704") e.code = ErrorCode::kUnknownSlot;
  if (state == "55000" && e.message.find("WAL") != std::string::npos) e.code = ErrorCode::kSlotLost;
  if (state == "55000" && e.message.find("invalidated") != std::string::npos) {
    e.code = ErrorCode::kSlotLost;
  }
  return e;
}

Result<Lsn> lsn_of(const std::string& text) {
  Result<uint64_t> v = parse_lsn(text);
  if (!v.is_ok()) return v.error();
  return Lsn(v.value());
}

std::string column_list(const TableSchema& s) {
  std::string out;
  for (const ColumnDef& c : s.columns)
    out += ", " + ident(c.name);
  return out;
}

// The key columns, in key order, each with `suffix` (e.g. " DESC").
std::string key_list(const TableSchema& s, const char* suffix) {
  std::string out;
  for (size_t i = 0; i < s.primary_key.size(); ++i)
    out += (i ? ", " : "") + ident(s.columns[s.primary_key[i]].name) + suffix;
  return out;
}

ScannedRow scanned(ObservedRow o) {
  ScannedRow r;
  r.ctid = o.ctid;
  r.xmin = Xid(o.xmin);
  r.row = std::move(o.row);
  return r;
}

// A full-width row from decoded columns: absent ones NULL, unchanged TOAST
// values NULL with their bit in *omitted.
Row row_of(const TableSchema& s, const std::vector<outside::DecodedColumn>& cols,
           uint64_t* omitted) {
  Row row(s.columns.size(), Value::null());
  for (const outside::DecodedColumn& c : cols) {
    if (c.unchanged_toast && omitted) *omitted |= uint64_t{1} << c.column;
    if (!c.unchanged_toast) row[c.column] = c.value;
  }
  return row;
}

// One change line of test_decoding as the model's decoding gives it.
DecodedChange change_of(const std::vector<TableSchema>& schemas, const outside::DecodedLine& l,
                        Lsn lsn) {
  using K = outside::DecodedLine::Kind;
  DecodedChange c;
  c.lsn = lsn;
  c.table = TableId(l.tables.front());
  const TableSchema& s = schemas[l.tables.front()];
  if (l.kind == K::kTruncate) {
    c.kind = ChangeKind::kTruncate;
    for (uint32_t t : l.tables)
      c.truncated.push_back(TableId(t));
    return c;
  }
  c.kind = l.kind == K::kInsert   ? ChangeKind::kInsert
           : l.kind == K::kUpdate ? ChangeKind::kUpdate
                                  : ChangeKind::kDelete;
  if (c.kind != ChangeKind::kDelete) c.new_row = row_of(s, l.new_tuple, &c.omitted_mask);
  if (!l.old_tuple) return c;
  const Row old = row_of(s, *l.old_tuple, nullptr);
  if (s.replica_identity == ReplicaIdentity::kFull) {
    c.old_kind = OldTuple::kRow;
    c.old = old;
  } else {
    c.old_kind = OldTuple::kKey;
    c.old = s.key_of(old);
  }
  return c;
}

// A stream on one slot: each poll peeks from the slot's confirmed position
// and delivers what follows the last commit delivered.
class PgChangeStream final : public ChangeStream {
 public:
  PgChangeStream(PgSource* source, std::string slot, Lsn start)
      : source_(source), slot_(std::move(slot)), start_(start), read_(start), last_(start) {}
  Result<std::vector<DecodedTxn>> poll(size_t max_txns) override {
    if (failed_) return *failed_;
    Result<PgSource::Peeked> p = source_->peek(slot_, last_, max_txns);
    if (!p.is_ok()) {
      failed_ = p.error();
      return p.error();
    }
    std::vector<DecodedTxn>& txns = p.value().txns;
    if (!txns.empty()) last_ = txns.back().commit_lsn;
    read_ = txns.size() < max_txns && p.value().flushed > last_ ? p.value().flushed : last_;
    return std::move(txns);
  }
  Lsn start_decoding_at() const override { return start_; }
  Lsn read_position() const override { return read_; }

 private:
  PgSource* source_;
  std::string slot_;
  Lsn start_;
  Lsn read_;
  Lsn last_;  // commit LSN of the last transaction delivered
  std::optional<Error> failed_;
};

}  // namespace

Result<std::unique_ptr<PgSource>> PgSource::connect(const std::string& conninfo,
                                                    std::vector<TableSchema> schemas) {
  Result<std::unique_ptr<PgSession>> s = PgSession::connect(conninfo);
  if (!s.is_ok()) return s.error();
  if (Status set = s.value()->exec("SET lock_timeout = '100ms'; SET statement_timeout = '60s'");
      !set.is_ok()) {
    return set.error();
  }
  return std::unique_ptr<PgSource>(new PgSource(std::move(s.value()), std::move(schemas)));
}

Result<TableId> PgSource::table_id(const std::string& name) const {
  for (size_t i = 0; i < schemas_.size(); ++i) {
    if (schemas_[i].name == name) return TableId(static_cast<uint32_t>(i));
  }
  return Error{ErrorCode::kUnknownTable, "relation \"" + name + "\" does not exist"};
}

const TableSchema& PgSource::schema(TableId t) const {
  CDC_ASSERT(t.value() < schemas_.size(), "a table id from table_id()");
  return schemas_[t.value()];
}

Result<Lsn> PgSource::current_flush_lsn() {
  Result<std::string> v = session_->scalar("SELECT pg_current_wal_flush_lsn()::text");
  if (!v.is_ok()) return v.error();
  return lsn_of(v.value());
}

Result<Xid> PgSource::snapshot_xmax() {
  Result<std::string> v =
      session_->scalar("SELECT (txid_snapshot_xmax(txid_current_snapshot()) % 4294967296)::text");
  if (!v.is_ok()) return v.error();
  return Xid(static_cast<uint32_t>(std::strtoull(v.value().c_str(), nullptr, 10)));
}

Result<FullXid> PgSource::txid_current() {
  Result<std::string> v = session_->scalar("SELECT pg_current_xact_id()::text");
  if (!v.is_ok()) return v.error();
  return FullXid(std::strtoull(v.value().c_str(), nullptr, 10));
}

Result<Source::SnapshotBounds> PgSource::current_snapshot() {
  Result<PgRows> r = session_->query(
      "SELECT pg_snapshot_xmin(s)::text, pg_snapshot_xmax(s)::text FROM pg_current_snapshot() s");
  if (!r.is_ok()) return r.error();
  const PgRow& row = r.value().rows.at(0);
  return SnapshotBounds{FullXid(std::strtoull(row.at(0)->c_str(), nullptr, 10)),
                        FullXid(std::strtoull(row.at(1)->c_str(), nullptr, 10))};
}

QueryResult PgSource::run_rows(TableId t, const std::string& sql,
                               const std::vector<PgValue>& params, const QueryOptions& opts) {
  QueryResult out;
  Result<PgRows> r = session_->query(sql, params);
  if (!r.is_ok()) {
    out.status = r.error();
    return out;
  }
  for (const PgRow& row : r.value().rows) {
    if (opts.fail_after_rows && out.rows.size() >= *opts.fail_after_rows) {
      out.status = Error{ErrorCode::kQueryCanceled,
                         "canceling statement due to statement timeout (injected)"};
      return out;
    }
    Result<ObservedRow> o = parse_observed_row(schema(t), row);
    if (!o.is_ok()) {
      out.status = o.error();
      return out;
    }
    out.rows.push_back(scanned(std::move(o.value())));
  }
  if (opts.fail_after_rows) {
    out.status =
        Error{ErrorCode::kQueryCanceled, "canceling statement due to statement timeout (injected)"};
  }
  return out;
}

QueryResult PgSource::run_query(TableId t, Query q, const QueryOptions& opts) {
  q.filter = opts.xmin_filter;
  const SqlCommand cmd = query_sql(q, schema(t));
  return run_rows(t, cmd.sql, cmd.params, opts);
}

QueryResult PgSource::keyset_chunk(TableId t, const std::optional<Key>& after, uint32_t limit,
                                   const QueryOptions& opts) {
  Query q;
  q.kind = Query::Kind::kKeyset;
  q.after = after;
  q.limit = limit;
  return run_query(t, std::move(q), opts);
}

QueryResult PgSource::ctid_range(TableId t, Ctid after, Ctid upto, const QueryOptions& opts) {
  Query q;
  q.kind = Query::Kind::kCtidRange;
  q.ctid_after = after;
  q.ctid_upto = upto;
  return run_query(t, std::move(q), opts);
}

Result<std::optional<ScannedRow>> PgSource::lookup(TableId t, const Key& key) {
  const TableSchema& s = schema(t);
  SqlCommand cmd;
  std::string where;
  for (size_t i = 0; i < s.primary_key.size(); ++i) {
    const ColumnDef& c = s.columns[s.primary_key[i]];
    where += (i ? " AND " : "") + ident(c.name) + " = " + bind_value(&cmd, key.at(i), c.type);
  }
  const std::string sql =
      std::string(kSelectRows) + column_list(s) + " FROM " + ident(s.name) + " WHERE " + where;
  QueryResult r = run_rows(t, sql, cmd.params, {});
  if (!r.status.is_ok()) return r.status.error();
  if (r.rows.empty()) return std::optional<ScannedRow>();
  return std::optional<ScannedRow>(std::move(r.rows.front()));
}

Result<std::optional<Key>> PgSource::last_key(TableId t) {
  const TableSchema& s = schema(t);
  const std::string sql = std::string(kSelectRows) + column_list(s) + " FROM " + ident(s.name) +
                          " ORDER BY " + key_list(s, " DESC") + " LIMIT 1";
  QueryResult r = run_rows(t, sql, {}, {});
  if (!r.status.is_ok()) return r.status.error();
  if (r.rows.empty()) return std::optional<Key>();
  return std::optional<Key>(s.key_of(r.rows.front().row));
}

Result<uint32_t> PgSource::page_count(TableId t) {
  Result<std::string> v = session_->scalar(
      "SELECT (pg_relation_size($1::regclass) / current_setting('block_size')::int)::text",
      {ident(schema(t).name)});
  if (!v.is_ok()) return v.error();
  return static_cast<uint32_t>(std::strtoul(v.value().c_str(), nullptr, 10));
}

Status PgSource::upsert_row(TableId t, const Key& key, const Row& row) {
  const TableSchema& s = schema(t);
  CDC_ASSERT(s.has_primary_key() && s.key_of(row) == key, "an upsert names its row's key");
  SqlCommand cmd;
  std::string cols;
  std::string values;
  std::string set;
  for (size_t i = 0; i < s.columns.size(); ++i) {
    cols += (i ? ", " : "") + ident(s.columns[i].name);
    values += (i ? ", " : "") + bind_value(&cmd, row.at(i), s.columns[i].type);
    set += (i ? ", " : "") + ident(s.columns[i].name) + " = EXCLUDED." + ident(s.columns[i].name);
  }
  const std::string sql = "INSERT INTO " + ident(s.name) + " (" + cols + ") VALUES (" + values +
                          ") ON CONFLICT (" + key_list(s, "") + ") DO UPDATE SET " + set;
  Result<PgRows> r = session_->query(sql, cmd.params);
  return r.is_ok() ? Status::ok() : Status(r.error());
}

Result<SlotInfo> PgSource::slot(const std::string& name) {
  Result<PgRows> r = session_->query(
      "SELECT restart_lsn::text, confirmed_flush_lsn::text, coalesce(wal_status, 'lost') "
      "FROM pg_replication_slots WHERE slot_name = $1",
      {name});
  if (!r.is_ok()) return r.error();
  if (r.value().rows.empty()) {
    return Error{ErrorCode::kUnknownSlot, "replication slot \"" + name + "\" does not exist"};
  }
  const PgRow& row = r.value().rows.front();
  SlotInfo info;
  info.name = name;
  const std::string status = row.at(2).value_or("lost");
  info.wal_status = status == "lost"         ? SlotWalStatus::kLost
                    : status == "unreserved" ? SlotWalStatus::kUnreserved
                                             : SlotWalStatus::kReserved;
  for (int i = 0; i < 2; ++i) {
    if (!row.at(i)) continue;  // NULL: an invalidated slot
    Result<Lsn> lsn = lsn_of(*row.at(i));
    if (!lsn.is_ok()) return lsn.error();
    (i == 0 ? info.restart_lsn : info.confirmed_flush_lsn) = lsn.value();
  }
  return info;
}

Result<SlotInfo> PgSource::create_slot(const std::string& name) {
  Result<PgRows> r = session_->query(
      "SELECT lsn::text FROM pg_create_logical_replication_slot($1, 'test_decoding')", {name});
  if (!r.is_ok()) {
    Error e = r.error();
    // Waiting for a running writer: lock_timeout (or statement_timeout).
    if (sqlstate(e) == "55P03" || sqlstate(e) == "57014") e.code = ErrorCode::kObjectInUse;
    return e;
  }
  return slot(name);
}

Status PgSource::drop_slot(const std::string& name) {
  Result<PgRows> r = session_->query("SELECT pg_drop_replication_slot($1)", {name});
  return r.is_ok() ? Status::ok() : Status(slot_error(r.error()));
}

Status PgSource::acknowledge(const std::string& name, Lsn lsn) {
  Result<PgRows> r = session_->query(
      "SELECT pg_replication_slot_advance($1, LEAST($2::pg_lsn, pg_current_wal_flush_lsn()))",
      {name, to_string(lsn)});
  return r.is_ok() ? Status::ok() : Status(slot_error(r.error()));
}

Result<std::unique_ptr<ChangeStream>> PgSource::start_replication(const std::string& name,
                                                                  Lsn start) {
  Result<SlotInfo> s = slot(name);
  if (!s.is_ok()) return s.error();
  if (s.value().wal_status == SlotWalStatus::kLost) {
    return Error{ErrorCode::kSlotLost,
                 "can no longer get changes from replication slot \"" + name + "\""};
  }
  const Lsn from = std::max(start, s.value().confirmed_flush_lsn);
  return std::unique_ptr<ChangeStream>(std::make_unique<PgChangeStream>(this, name, from));
}

Result<PgSource::Peeked> PgSource::peek(const std::string& slot, Lsn after, size_t max_txns) {
  Result<Lsn> flushed = current_flush_lsn();
  if (!flushed.is_ok()) return flushed.error();
  Result<PgRows> r = session_->query(
      "SELECT lsn::text, data FROM pg_logical_slot_peek_changes($1, NULL, NULL, "
      "'include-xids', '1', 'skip-empty-xacts', '1')",
      {slot});
  if (!r.is_ok()) return slot_error(r.error());
  Peeked out{{}, flushed.value()};
  std::optional<DecodedTxn> open;
  size_t n = 0;
  for (const PgRow& row : r.value().rows) {
    CDC_ASSERT(++n <= kPeekRowsMax, "a peek returns a bounded number of rows");
    if (!row.at(0) || !row.at(1)) return Error{ErrorCode::kInvalidArgument, "a NULL in a peek"};
    if (row.at(1)->starts_with("message:")) continue;  // logical messages carry no change
    Result<Lsn> lsn = lsn_of(*row.at(0));
    Result<outside::DecodedLine> l = outside::parse_test_decoding_line(*row.at(1), schemas_);
    if (!lsn.is_ok()) return lsn.error();
    if (!l.is_ok())
      return Error{ErrorCode::kInvalidArgument,
                   "decoding " + *row.at(1) + ": " + l.error().message};
    using K = outside::DecodedLine::Kind;
    if (l.value().kind == K::kBegin) {
      open.emplace();
      open->xid = Xid(static_cast<uint32_t>(l.value().xid));
      open->first_lsn = lsn.value();
    } else if (l.value().kind == K::kCommit) {
      if (!open) return Error{ErrorCode::kInvalidArgument, "COMMIT without BEGIN"};
      open->commit_lsn = lsn.value();
      if (open->commit_lsn > after) out.txns.push_back(std::move(*open));
      open.reset();
      if (out.txns.size() >= max_txns) break;
    } else {
      if (!open) return Error{ErrorCode::kInvalidArgument, "a change outside BEGIN ... COMMIT"};
      open->changes.push_back(change_of(schemas_, l.value(), lsn.value()));
    }
  }
  return out;
}

}  // namespace cdc::conformance
