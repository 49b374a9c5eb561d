// Small schemas shared by the model tests.
#pragma once

#include "model/database.h"

namespace cdc::testing {

// items(id int64 primary key, v int64, note text TOASTable over 16 bytes)
inline TableSchema items_schema(ReplicaIdentity identity = ReplicaIdentity::kDefault) {
  TableSchema s;
  s.name = "items";
  s.columns = {{"id", ColumnType::kInt64, Collation::kC, false, false},
               {"v", ColumnType::kInt64, Collation::kC, false, true},
               {"note", ColumnType::kText, Collation::kC, true, true}};
  s.primary_key = {0};
  s.replica_identity = identity;
  s.toast_threshold_bytes = 16;
  s.tuples_per_page = 4;
  return s;
}

// logs(msg text, n int64), no primary key.
inline TableSchema logs_schema(ReplicaIdentity identity = ReplicaIdentity::kDefault) {
  TableSchema s;
  s.name = "logs";
  s.columns = {{"msg", ColumnType::kText, Collation::kC, false, true},
               {"n", ColumnType::kInt64, Collation::kC, false, true}};
  s.replica_identity = identity;
  s.tuples_per_page = 4;
  return s;
}

// words(w text COLLATE locale, lang text COLLATE "C", n int64), key (w, lang).
inline TableSchema words_schema() {
  TableSchema s;
  s.name = "words";
  s.columns = {{"w", ColumnType::kText, Collation::kLocale, false, false},
               {"lang", ColumnType::kText, Collation::kC, false, false},
               {"n", ColumnType::kInt64, Collation::kC, false, true}};
  s.primary_key = {0, 1};
  return s;
}

inline Row item(int64_t id, int64_t v, std::string note = "n") {
  return {Value::int64(id), Value::int64(v), Value::text(std::move(note))};
}
inline Key ikey(int64_t id) {
  return {Value::int64(id)};
}

// Inserts `row` into `t` in a transaction of its own and commits it.
inline Lsn insert_committed(Database& db, TableId t, Row row) {
  const TxnId tx = db.begin();
  Status s = db.insert(tx, t, std::move(row));
  CDC_ASSERT(s.is_ok(), "test insert failed");
  return db.commit(tx).value();
}

}  // namespace cdc::testing
