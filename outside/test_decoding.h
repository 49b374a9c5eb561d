// One line of PostgreSQL's test_decoding output plugin, typed.
//
// test_decoding (with include-xids on, as pg_logical_slot_get_changes and
// pg_logical_slot_peek_changes return it in their `data` column) writes a
// transaction as
//   BEGIN 745
//   table public.accounts: INSERT: id[bigint]:1 note[text]:'it''s'
//   table public.accounts: UPDATE: old-key: id[bigint]:1 new-tuple: id[bigint]:2 note[text]:null
//   table public.accounts: UPDATE: id[bigint]:2 note[text]:unchanged-toast-datum
//   table public.accounts: DELETE: id[bigint]:2
//   table public.events: DELETE: (no-tuple-data)
//   table public.events, public.tags: TRUNCATE: (no-flags)
//   COMMIT 745
// parse_test_decoding_line() reads one such line against the schemas of the
// tables it may name (a name matches with or without its schema prefix) and
// returns typed values: integers for int64 columns, unquoted text for text
// columns, NULL, or "unchanged TOAST" (the value was not logged).
//
// Contract: pure; never aborts on input. A malformed line, an unknown table
// or column, or a value that does not fit its column's type is an Error
// whose message names the 1-based column of the line where it went wrong, as
// "column N: ...".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/schema.h"
#include "model/status.h"
#include "model/value.h"

namespace cdc::outside {

struct DecodedColumn {
  uint32_t column = 0;  // index into the table's columns
  Value value;          // NULL when `unchanged_toast`
  bool unchanged_toast = false;
};

struct DecodedLine {
  enum class Kind : uint8_t { kBegin, kCommit, kInsert, kUpdate, kDelete, kTruncate };
  Kind kind = Kind::kBegin;
  uint64_t xid = 0;              // kBegin and kCommit
  std::vector<uint32_t> tables;  // indices into the schemas: one, or several for kTruncate
  // kUpdate with a changed key (REPLICA IDENTITY DEFAULT) or any update or
  // delete under REPLICA IDENTITY FULL: the old tuple's columns; kDelete
  // without one has no old tuple at all (a keyless DEFAULT table).
  std::optional<std::vector<DecodedColumn>> old_tuple;
  std::vector<DecodedColumn> new_tuple;  // kInsert and kUpdate
};

Result<DecodedLine> parse_test_decoding_line(std::string_view line,
                                             const std::vector<TableSchema>& schemas);

}  // namespace cdc::outside
