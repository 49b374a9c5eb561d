#include "conformance/model_side.h"

#include "conformance/decoded_text.h"

namespace cdc::conformance {
namespace {

constexpr uint64_t kKeepSizeBytes = uint64_t{1} << 20;  // PostgreSQL: '1MB'
constexpr uint32_t kScratchPayloadBytes = 1000;
constexpr uint32_t kScratchWritesMax = 200'000;

DatabaseOptions database_options(const ModelSideOptions& o) {
  DatabaseOptions d;
  // One xid per table (workload tables and the scratch table) is consumed by
  // create_table; start that many xids earlier.
  d.next_xid = retreat_full_xid(o.next_xid, static_cast<uint32_t>(o.schemas.size() + 1));
  d.max_slot_wal_keep_size_bytes = kKeepSizeBytes;
  d.checkpoint_every_bytes = uint64_t{1} << 30;
  return d;
}

TableSchema scratch_schema() {
  TableSchema s;
  s.name = "cdc_scratch";
  s.columns = {{"pad", ColumnType::kText, Collation::kC, false, true}};
  return s;
}

StepResult from_status(const Status& s) {
  if (s.is_ok()) return {};
  switch (s.code()) {
    case ErrorCode::kUniqueViolation:
      return {Outcome::kUniqueViolation, s.message()};
    case ErrorCode::kLockNotAvailable:
    case ErrorCode::kObjectInUse:  // VACUUM FULL that would wait for writers
      return {Outcome::kLockNotAvailable, s.message()};
    case ErrorCode::kRowNotFound:
      return {Outcome::kRowNotFound, s.message()};
    default:
      return {Outcome::kOther, std::string(to_string(s.code())) + ": " + s.message()};
  }
}

}  // namespace

FullXid retreat_full_xid(FullXid f, uint32_t n) {
  for (uint32_t i = 0; i < n; ++i) {
    const uint32_t x = xid_of(f).value();
    const uint32_t epoch = epoch_of(f);
    if (x == kFirstNormalXid.value()) {
      CDC_ASSERT(epoch > 0, "cannot retreat before the first normal xid");
      f = full_xid(epoch - 1, Xid(0xffffffffu));
    } else {
      f = full_xid(epoch, Xid(x - 1));
    }
  }
  return f;
}

ModelSide::ModelSide(ModelSideOptions options)
    : options_(std::move(options)), db_(database_options(options_)) {
  for (const TableSchema& s : options_.schemas) {
    Result<TableId> t = db_.create_table(s);
    CDC_ASSERT(t.is_ok(), "conformance table rejected by the model");
    tables_.push_back(t.value());
  }
  Result<TableId> scratch = db_.create_table(scratch_schema());
  CDC_ASSERT(scratch.is_ok(), "scratch table rejected by the model");
  scratch_ = scratch.value();
  CDC_ASSERT(db_.next_full_xid() == options_.next_xid, "model xids not aligned");
  CDC_ASSERT(db_.create_slot(options_.slot_name).is_ok(), "model slot creation failed");
}

bool ModelSide::in_transaction(uint32_t session) const {
  return session < sessions_.size() && sessions_[session].txn.has_value();
}

uint32_t ModelSide::savepoints(uint32_t session) const {
  return session < sessions_.size() ? sessions_[session].savepoints : 0;
}

void ModelSide::end(Session& s, bool commit) {
  if (commit) {
    CDC_ASSERT(db_.commit(*s.txn).is_ok(), "commit of a running transaction failed");
  } else {
    CDC_ASSERT(db_.abort(*s.txn).is_ok(), "abort of a running transaction failed");
  }
  s.txn.reset();
  s.savepoints = 0;
}

StepResult ModelSide::execute(const Step& step) {
  switch (step.kind) {
    case Step::Kind::kVacuumFreeze:
      return from_status(db_.vacuum_freeze(table_id(step.table)));
    case Step::Kind::kVacuumFull:
      return from_status(db_.vacuum_full(table_id(step.table)));
    case Step::Kind::kStatement:
      break;
  }
  return run_statement(step.statement);
}

StepResult ModelSide::run_statement(const sim::Statement& st) {
  using K = sim::Statement::Kind;
  CDC_ASSERT(st.session < 64, "session index out of range");
  if (st.session >= sessions_.size()) sessions_.resize(st.session + 1);
  Session& s = sessions_[st.session];
  if (st.kind == K::kCommit || st.kind == K::kAbort) {
    if (s.txn) end(s, st.kind == K::kCommit);
    return {};
  }
  if (!s.txn) {
    s.txn = db_.begin();
    s.savepoints = 0;
  }
  switch (st.kind) {
    case K::kBegin:
    case K::kCommit:
    case K::kAbort:
      return {};
    case K::kSavepoint:
      CDC_ASSERT(db_.savepoint(*s.txn).is_ok(), "savepoint in a running transaction");
      ++s.savepoints;
      return {};
    case K::kRollbackToSavepoint:
      if (s.savepoints == 0) return {};
      CDC_ASSERT(db_.rollback_to_savepoint(*s.txn).is_ok(), "rollback to an open savepoint");
      return {};
    case K::kReleaseSavepoint:
      if (s.savepoints == 0) return {};
      CDC_ASSERT(db_.release_savepoint(*s.txn).is_ok(), "release of an open savepoint");
      --s.savepoints;
      return {};
    case K::kInsert:
    case K::kUpdate:
    case K::kDelete:
    case K::kTruncate:
      break;
  }
  const Status result = write(*s.txn, st);
  if (!result.is_ok()) end(s, /*commit=*/false);  // a failed statement aborts the transaction
  return from_status(result);
}

Status ModelSide::write(TxnId txn, const sim::Statement& st) {
  CDC_ASSERT(st.table < tables_.size(), "statement on an unknown table index");
  const TableId t = tables_[st.table];
  switch (st.kind) {
    case sim::Statement::Kind::kTruncate:
      return db_.truncate(txn, {t});
    case sim::Statement::Kind::kInsert:
      return db_.insert(txn, t, st.row);
    default:
      break;
  }
  if (!db_.schema(t).has_primary_key()) return write_keyless(txn, st);
  if (st.kind == sim::Statement::Kind::kDelete) return db_.remove(txn, t, st.key);
  return db_.update(txn, t, st.key, st.row);
}

// The first row (in ctid order) that holds the statement's old values, as the
// SQL the PostgreSQL side runs picks it.
Status ModelSide::write_keyless(TxnId txn, const sim::Statement& st) {
  const TableId t = tables_[st.table];
  QueryResult rows = db_.scan(t);
  CDC_ASSERT(rows.status.is_ok(), "scan of a known table");
  const ScannedRow* victim = nullptr;
  for (const ScannedRow& r : rows.rows) {
    if (r.row == st.match) {
      victim = &r;
      break;
    }
  }
  if (!victim) return Error{ErrorCode::kRowNotFound, "no row matches the statement's old values"};
  if (st.kind == sim::Statement::Kind::kDelete) return db_.remove_at(txn, t, victim->ctid);
  return db_.update_at(txn, t, victim->ctid, st.row);
}

Status ModelSide::finish() {
  for (Session& s : sessions_) {
    if (s.txn) end(s, /*commit=*/true);
  }
  return Status::ok();
}

Result<std::optional<std::vector<TableRows>>> ModelSide::snapshot() {
  std::vector<TableRows> out;
  for (uint32_t i = 0; i < tables_.size(); ++i) {
    Result<TableRows> rows = query(i, Query{});
    if (!rows.is_ok()) return rows.error();
    out.push_back(std::move(rows).value());
  }
  return std::optional<std::vector<TableRows>>(std::move(out));
}

Result<TableRows> ModelSide::query(uint32_t table, const Query& q) {
  CDC_ASSERT(table < tables_.size(), "query on an unknown table index");
  const TableId t = tables_[table];
  QueryOptions opts;
  opts.xmin_filter = q.filter;
  QueryResult r;
  switch (q.kind) {
    case Query::Kind::kKeyset:
      r = db_.keyset_chunk(t, q.after, q.limit, q.order, opts);
      break;
    case Query::Kind::kCtidRange:
      r = db_.ctid_range(t, q.ctid_after, q.ctid_upto, opts);
      break;
    case Query::Kind::kScan:
      r = db_.scan(t, opts);
      break;
  }
  if (!r.status.is_ok()) return r.status.error();
  const TableSchema& s = db_.schema(t);
  TableRows out;
  out.reserve(r.rows.size());
  for (ScannedRow& row : r.rows) {
    std::string id = row_id(s, row.row);
    out.push_back({std::move(id), row.ctid, row.xmin.value(), row.row.to_row()});
  }
  return out;
}

Result<uint32_t> ModelSide::page_count(uint32_t table) {
  return db_.page_count(table_id(table));
}

Result<uint32_t> ModelSide::next_xid() {
  return db_.next_xid().value();
}

Result<std::vector<CanonTxn>> ModelSide::decode_from(Lsn start, size_t max_txns,
                                                     std::vector<Lsn>* commits) {
  Result<LogicalStream> stream = db_.start_replication(options_.slot_name, start);
  if (!stream.is_ok()) return stream.error();
  Result<std::vector<DecodedTxn>> txns = stream.value().poll(max_txns);
  if (!txns.is_ok()) return txns.error();
  std::vector<CanonTxn> out;
  for (const DecodedTxn& t : txns.value()) {
    CanonTxn c{t.xid.value(), {}};
    for (const DecodedChange& ch : t.changes)
      c.changes.push_back(canon_change(options_.schemas, ch));
    out.push_back(std::move(c));
    if (commits) commits->push_back(t.commit_lsn);
  }
  return out;
}

Result<std::vector<CanonTxn>> ModelSide::peek_decoded() {
  return decode_from(Lsn(0), std::numeric_limits<size_t>::max(), nullptr);
}

Status ModelSide::consume(size_t txns) {
  if (txns == 0) return Status::ok();
  std::vector<Lsn> commits;
  Result<std::vector<CanonTxn>> got = decode_from(Lsn(0), txns, &commits);
  if (!got.is_ok()) return got.error();
  if (commits.size() < txns) {
    return Error{ErrorCode::kInvalidArgument, "fewer transactions to consume than asked"};
  }
  return db_.acknowledge(options_.slot_name, commits.back());
}

Result<std::vector<CanonTxn>> ModelSide::stream_from_below_confirmed() {
  return decode_from(Lsn(1), std::numeric_limits<size_t>::max(), nullptr);
}

Result<std::string> ModelSide::slot_wal_status() {
  Result<SlotInfo> info = db_.slot(options_.slot_name);
  if (!info.is_ok()) return info.error();
  return std::string(to_string(info.value().wal_status));
}

Status ModelSide::write_past_keep_size() {
  const Value pad = Value::text(std::string(kScratchPayloadBytes, 'p'));
  for (uint32_t i = 0; i < kScratchWritesMax; ++i) {
    Result<SlotInfo> info = db_.slot(options_.slot_name);
    if (!info.is_ok()) return info.error();
    if (info.value().wal_status != SlotWalStatus::kReserved) return Status::ok();
    const TxnId tx = db_.begin();
    if (Status s = db_.insert(tx, scratch_, {pad}); !s.is_ok()) return s;
    Result<Lsn> c = db_.commit(tx);
    if (!c.is_ok()) return c.error();
  }
  return Error{ErrorCode::kInvalidArgument, "the slot stayed reserved"};
}

Status ModelSide::checkpoint() {
  db_.checkpoint();
  return Status::ok();
}

Status ModelSide::read_slot() {
  Result<std::vector<CanonTxn>> r = decode_from(Lsn(0), 1, nullptr);
  return r.status();
}

}  // namespace cdc::conformance
