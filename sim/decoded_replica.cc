#include "sim/decoded_replica.h"

#include "model/key_encoding.h"

namespace cdc::sim {

std::string DecodedReplica::key_bytes(TableId t, const Key& key) const {
  const TableSchema& s = db_->schema(t);
  const std::vector<ColumnType> types = s.key_types();
  const std::vector<Collation> c(types.size(), Collation::kC);
  return encode_key(key, types, c);
}

const std::map<std::string, Row>& DecodedReplica::rows(TableId t) const {
  static const std::map<std::string, Row> kEmpty;
  auto it = tables_.find(t);
  return it == tables_.end() ? kEmpty : it->second;
}

std::string DecodedReplica::apply(const DecodedTxn& txn) {
  for (const DecodedChange& c : txn.changes) {
    std::string err = apply_change(c);
    if (!err.empty()) return "txn " + std::to_string(txn.xid.value()) + ": " + err;
  }
  return "";
}

std::string DecodedReplica::apply_change(const DecodedChange& c) {
  if (c.kind == ChangeKind::kTruncate) {
    for (TableId t : c.truncated)
      tables_[t].clear();
    return "";
  }
  const TableSchema& s = db_->schema(c.table);
  if (!s.has_primary_key()) return "";
  auto& table = tables_[c.table];
  const std::string where = to_string(*db_, c);
  std::optional<std::string> old_key;
  if (c.old_kind == OldTuple::kKey) old_key = key_bytes(c.table, c.old);
  if (c.old_kind == OldTuple::kRow) old_key = key_bytes(c.table, s.key_of(c.old));
  if (c.kind == ChangeKind::kDelete) {
    if (!old_key) return "delete without a key: " + where;
    if (!table.erase(*old_key)) return "delete of an absent key: " + where;
    return "";
  }
  const std::string new_key = key_bytes(c.table, s.key_of(c.new_row));
  if (c.kind == ChangeKind::kInsert) {
    if (!table.emplace(new_key, c.new_row.to_row()).second) {
      return "insert of a present key: " + where;
    }
    return "";
  }
  const std::string& from = old_key ? *old_key : new_key;
  auto it = table.find(from);
  if (it == table.end()) return "update of an absent key: " + where;
  Row merged = c.new_row.to_row();
  for (uint32_t col = 0; col < merged.size(); ++col) {
    if (c.omitted(col)) merged[col] = it->second[col];
  }
  table.erase(it);
  if (!table.emplace(new_key, std::move(merged)).second) {
    return "update onto a present key: " + where;
  }
  return "";
}

std::string DecodedReplica::diff_against_source() const {
  for (uint32_t i = 0; i < db_->table_count(); ++i) {
    const TableId t(i);
    const TableSchema& s = db_->schema(t);
    if (!s.has_primary_key()) continue;
    std::map<std::string, Row> source;
    QueryResult q = db_->scan(t);
    if (!q.status.is_ok()) return q.status.message();
    for (const ScannedRow& r : q.rows)
      source.emplace(key_bytes(t, s.key_of(r.row)), r.row.to_row());
    const auto& replica = rows(t);
    if (source == replica) continue;
    for (const auto& [k, row] : source) {
      auto it = replica.find(k);
      if (it == replica.end()) return s.name + ": replica lacks " + to_string(row);
      if (it->second != row) {
        return s.name + ": replica has " + to_string(it->second) + ", source " + to_string(row);
      }
    }
    for (const auto& [k, row] : replica) {
      if (!source.count(k)) return s.name + ": replica has extra " + to_string(row);
    }
  }
  return "";
}

}  // namespace cdc::sim
