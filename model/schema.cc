#include "model/schema.h"

#include <set>

namespace cdc {

std::vector<ColumnType> TableSchema::key_types() const {
  std::vector<ColumnType> out;
  for (uint32_t c : primary_key)
    out.push_back(columns[c].type);
  return out;
}

bool TableSchema::key_orders_bytewise() const {
  for (uint32_t k : primary_key) {
    const ColumnDef& c = columns[k];
    if (c.type == ColumnType::kText && c.collation != Collation::kC) return false;
  }
  return true;
}

std::vector<Collation> TableSchema::key_collations() const {
  std::vector<Collation> out;
  for (uint32_t c : primary_key)
    out.push_back(columns[c].collation);
  return out;
}

Status TableSchema::validate() const {
  auto bad = [&](const std::string& why) {
    return Status(Error{ErrorCode::kInvalidArgument, "table \"" + name + "\": " + why});
  };
  if (name.empty()) return bad("empty table name");
  if (columns.empty()) return bad("a table needs at least one column");
  if (columns.size() > 64) return bad("at most 64 columns are supported");
  if (tuples_per_page == 0 || tuples_per_page > 2048) return bad("tuples_per_page out of range");
  std::set<std::string> names;
  for (const auto& c : columns) {
    if (c.name.empty()) return bad("empty column name");
    if (!names.insert(c.name).second) return bad("duplicate column \"" + c.name + "\"");
  }
  std::set<uint32_t> seen;
  for (uint32_t k : primary_key) {
    if (k >= columns.size()) return bad("primary key names a missing column");
    if (!seen.insert(k).second) return bad("primary key repeats a column");
  }
  return Status::ok();
}

Status TableSchema::check_row(std::span<const Value> row) const {
  if (row.size() != columns.size()) {
    return Error{ErrorCode::kInvalidArgument,
                 "table \"" + name + "\" has " + std::to_string(columns.size()) +
                     " columns, row has " + std::to_string(row.size())};
  }
  for (size_t i = 0; i < row.size(); ++i) {
    if (!row[i].matches(columns[i].type)) {
      return Error{ErrorCode::kInvalidArgument,
                   "column \"" + columns[i].name + "\" of \"" + name + "\": wrong value type"};
    }
  }
  for (uint32_t k : primary_key) {
    if (row[k].is_null()) {
      return Error{ErrorCode::kInvalidArgument,
                   "null value in column \"" + columns[k].name + "\" violates not-null constraint"};
    }
  }
  for (size_t i = 0; i < row.size(); ++i) {
    if (!columns[i].nullable && row[i].is_null()) {
      return Error{ErrorCode::kInvalidArgument,
                   "null value in column \"" + columns[i].name + "\" violates not-null constraint"};
    }
  }
  return Status::ok();
}

Key TableSchema::key_of(std::span<const Value> row) const {
  CDC_ASSERT(has_primary_key(), "key_of on a table without a primary key");
  Key k;
  k.reserve(primary_key.size());
  for (uint32_t c : primary_key)
    k.push_back(row[c]);
  return k;
}

bool TableSchema::same_key(std::span<const Value> a, std::span<const Value> b) const {
  CDC_ASSERT(has_primary_key(), "same_key on a table without a primary key");
  for (uint32_t c : primary_key) {
    if (!(a[c] == b[c])) return false;
  }
  return true;
}

bool TableSchema::row_has_key(std::span<const Value> row, const Key& key) const {
  CDC_ASSERT(has_primary_key(), "row_has_key on a table without a primary key");
  if (key.size() != primary_key.size()) return false;
  for (size_t i = 0; i < key.size(); ++i) {
    if (!(row[primary_key[i]] == key[i])) return false;
  }
  return true;
}

bool TableSchema::is_toasted(std::span<const Value> row, uint32_t col) const {
  const ColumnDef& c = columns[col];
  return c.toastable && row[col].is_text() && row[col].as_text().size() > toast_threshold_bytes;
}

}  // namespace cdc
