// Table definitions of the source model.
//
// A table has typed columns (int64 or text), an optional composite primary key
// (column indices in key order; empty means "no primary key"), a collation per
// text column, a REPLICA IDENTITY (DEFAULT: the primary key; FULL: the whole
// old row), and TOASTable columns: a TOASTable text value longer than
// toast_threshold_bytes is stored out of line, and an UPDATE that leaves it
// unchanged logs no copy of it (the decoder sees an "unchanged toast datum").
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "model/collation.h"
#include "model/status.h"
#include "model/value.h"

namespace cdc {

enum class ReplicaIdentity : uint8_t { kDefault, kFull };

struct ColumnDef {
  std::string name;
  ColumnType type = ColumnType::kInt64;
  Collation collation = Collation::kC;  // meaningful for text columns only
  bool toastable = false;               // meaningful for text columns only
  bool nullable = true;                 // key columns are NOT NULL regardless
};

struct TableSchema {
  std::string name;
  std::vector<ColumnDef> columns;
  std::vector<uint32_t> primary_key;  // indices into columns; empty: no key
  ReplicaIdentity replica_identity = ReplicaIdentity::kDefault;
  uint32_t toast_threshold_bytes = 2000;
  uint32_t tuples_per_page = 64;  // fixed page capacity that ctids are laid out by

  bool has_primary_key() const { return !primary_key.empty(); }
  // Column types and collations of the key, in key order.
  std::vector<ColumnType> key_types() const;
  std::vector<Collation> key_collations() const;
  // Whether the key orders bytewise in the database too: no text column of
  // it under a non-"C" collation (what Precise needs to compare keys).
  bool key_orders_bytewise() const;
  // Checks names, key indices, at most 64 columns, page capacity.
  Status validate() const;
  // Checks arity, types and NOT NULL of a row against this schema.
  Status check_row(std::span<const Value> row) const;
  // The key values of a row, in key order. REQUIRES: has_primary_key().
  Key key_of(std::span<const Value> row) const;
  // key_of(a) == key_of(b), and key_of(row) == key, without building keys.
  bool same_key(std::span<const Value> a, std::span<const Value> b) const;
  bool row_has_key(std::span<const Value> row, const Key& key) const;
  // True if the stored value of column `col` in `row` is kept out of line.
  bool is_toasted(std::span<const Value> row, uint32_t col) const;
};

}  // namespace cdc
