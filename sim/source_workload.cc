#include "sim/source_workload.h"

namespace cdc::sim {

std::vector<TableSchema> demo_schemas() {
  TableSchema accounts;
  accounts.name = "accounts";
  accounts.columns = {{"id", ColumnType::kInt64, Collation::kC, false, false},
                      {"balance", ColumnType::kInt64, Collation::kC, false, true},
                      {"note", ColumnType::kText, Collation::kC, true, true}};
  accounts.primary_key = {0};
  accounts.toast_threshold_bytes = 64;

  TableSchema tags;
  tags.name = "tags";
  tags.columns = {{"name", ColumnType::kText, Collation::kLocale, false, false},
                  {"region", ColumnType::kText, Collation::kC, false, false},
                  {"n", ColumnType::kInt64, Collation::kC, false, true}};
  tags.primary_key = {0, 1};
  tags.replica_identity = ReplicaIdentity::kFull;

  TableSchema events;
  events.name = "events";
  events.columns = {{"payload", ColumnType::kText, Collation::kC, false, true},
                    {"n", ColumnType::kInt64, Collation::kC, false, true}};
  events.tuples_per_page = 8;
  return {accounts, tags, events};
}

SourceWorkload::SourceWorkload(Database* db, std::vector<TableId> tables, Prng prng,
                               SourceWorkloadOptions options)
    : db_(db), tables_(std::move(tables)), prng_(prng), options_(options) {
  CDC_ASSERT(!tables_.empty(), "a workload needs tables");
  CDC_ASSERT(options_.sessions > 0 && options_.key_space > 0, "bad workload options");
  sessions_.resize(options_.sessions);
}

Value SourceWorkload::random_value(const ColumnDef& c, bool key) {
  if (c.type == ColumnType::kInt64) {
    return Value::int64(key ? prng_.range_inclusive(0, options_.key_space - 1)
                            : prng_.range_inclusive(-1000, 1000));
  }
  if (key) {
    // Letters that the two collations order differently: case and accents.
    static const char* const kAlphabet[] = {"a", "A", "b", "B", "e", "é", "É", "z", "Z", "0", " "};
    constexpr uint64_t kLetters = sizeof kAlphabet / sizeof kAlphabet[0];
    std::string s;
    const uint64_t n = 1 + prng_.below(options_.text_key_length_max);
    for (uint64_t i = 0; i < n; ++i)
      s += kAlphabet[prng_.below(kLetters)];
    return Value::text(s);
  }
  std::string s = "v" + std::to_string(++counter_);
  if (c.toastable && prng_.chance(options_.toasted_value)) s += std::string(200, 'x');
  return Value::text(s);
}

Row SourceWorkload::random_row(const TableSchema& s) {
  Row row;
  for (uint32_t c = 0; c < s.columns.size(); ++c) {
    bool key = false;
    for (uint32_t k : s.primary_key)
      key = key || k == c;
    row.push_back(random_value(s.columns[c], key));
  }
  return row;
}

void SourceWorkload::step() {
  Session& s = sessions_[prng_.below(sessions_.size())];
  if (!s.txn) {
    s.txn = db_->begin();
    s.savepoints = 0;
    return;
  }
  if (prng_.chance(options_.commit_after_statement)) {
    end(s, !prng_.chance(options_.abort_instead_of_commit));
    return;
  }
  statement(s);
}

void SourceWorkload::finish() {
  for (Session& s : sessions_) {
    if (s.txn) end(s, !prng_.chance(options_.abort_instead_of_commit));
  }
}

void SourceWorkload::end(Session& s, bool commit) {
  if (commit) {
    Result<Lsn> r = db_->commit(*s.txn);
    CDC_ASSERT(r.is_ok(), "commit of a running transaction failed");
    ++stats_.committed;
  } else {
    CDC_ASSERT(db_->abort(*s.txn).is_ok(), "abort of a running transaction failed");
    ++stats_.aborted;
  }
  s.txn.reset();
}

void SourceWorkload::statement(Session& s) {
  const TxnId txn = *s.txn;
  if (s.savepoints > 0 && prng_.chance(options_.rollback_to_savepoint)) {
    CDC_ASSERT(db_->rollback_to_savepoint(txn).is_ok(), "rollback to an open savepoint");
    ++stats_.savepoint_rollbacks;
    return;
  }
  if (s.savepoints > 0 && prng_.chance(options_.release_savepoint)) {
    CDC_ASSERT(db_->release_savepoint(txn).is_ok(), "release of an open savepoint");
    --s.savepoints;
    return;
  }
  if (prng_.chance(options_.savepoint)) {
    CDC_ASSERT(db_->savepoint(txn).is_ok(), "savepoint in a running transaction");
    ++s.savepoints;
    return;
  }
  ++stats_.statements;
  const TableId t = tables_[prng_.below(tables_.size())];
  Status st;
  if (prng_.chance(options_.truncate)) {
    st = db_->truncate(txn, {t});
    if (st.is_ok()) ++stats_.truncates;
  } else if (db_->schema(t).has_primary_key()) {
    st = write_keyed(txn, t);
  } else {
    st = write_keyless(txn, t);
  }
  if (st.is_ok()) return;
  // A failed statement aborts the transaction, savepoints included.
  ++stats_.failed_statements;
  end(s, /*commit=*/false);
}

Status SourceWorkload::write_keyed(TxnId txn, TableId t) {
  const TableSchema& s = db_->schema(t);
  Row row = random_row(s);
  const Key key = s.key_of(row);
  Result<std::optional<ScannedRow>> current = db_->lookup(t, key);
  CDC_ASSERT(current.is_ok(), "lookup of a well-formed key");
  if (!current.value()) return db_->insert(txn, t, std::move(row));
  if (prng_.chance(options_.delete_row)) return db_->remove(txn, t, key);
  const Row& old = current.value()->row;
  if (!prng_.chance(options_.key_change)) {
    for (uint32_t k : s.primary_key)
      row[k] = old[k];
  }
  for (uint32_t c = 0; c < s.columns.size(); ++c) {
    if (s.is_toasted(old, c) && prng_.chance(options_.keep_toasted_column)) row[c] = old[c];
  }
  return db_->update(txn, t, key, std::move(row));
}

Status SourceWorkload::write_keyless(TxnId txn, TableId t) {
  const TableSchema& s = db_->schema(t);
  QueryResult rows = db_->scan(t);
  CDC_ASSERT(rows.status.is_ok(), "scan of a known table");
  if (rows.rows.empty() || prng_.chance({1, 2})) return db_->insert(txn, t, random_row(s));
  const ScannedRow& victim = rows.rows[prng_.below(rows.rows.size())];
  if (prng_.chance(options_.delete_row)) return db_->remove_at(txn, t, victim.ctid);
  return db_->update_at(txn, t, victim.ctid, random_row(s));
}

}  // namespace cdc::sim
