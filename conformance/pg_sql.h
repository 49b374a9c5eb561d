// SQL for the PostgreSQL side: table definitions, the statements of a
// workload step and the read-only queries, with values as bound parameters.
//
// Mapping from the model:
//   - int64 -> bigint, text -> text; Collation::kC -> "C",
//     Collation::kLocale -> "und-x-icu" (ICU root collation);
//   - a TOASTable column gets STORAGE EXTERNAL (stored out of line, never
//     compressed, once the row exceeds ~2 kB);
//   - tables are created WITH (vacuum_truncate = off, toast.vacuum_truncate =
//     off): the model's VACUUM never truncates empty trailing pages, and
//     PostgreSQL's truncation asks for an ACCESS EXCLUSIVE lock, which takes
//     an xid (wal_level >= replica), so VACUUM would consume one at times;
//   - an UPDATE assigns a non-key column as
//       col = CASE WHEN col IS NOT DISTINCT FROM $n THEN col ELSE $n END
//     so a column whose value does not change keeps its stored datum: an
//     unchanged out-of-line value stays an "unchanged toast datum", which is
//     the model's rule (an update that leaves a TOASTed value equal);
//   - rows of a table without a primary key are addressed by their old values:
//       WHERE ctid = (SELECT ctid ... WHERE <old values> ORDER BY ctid LIMIT 1)
//     (the model picks the first such row in ctid order too).
#pragma once

#include <string>
#include <vector>

#include "conformance/pg_session.h"
#include "conformance/side.h"
#include "model/schema.h"
#include "sim/schedule.h"

namespace cdc::conformance {

struct SqlCommand {
  std::string sql;
  std::vector<PgValue> params;
};

std::string collation_name(Collation c);
// A quoted identifier: "name" with " doubled.
std::string ident(const std::string& name);
// Appends v to cmd's parameters and returns its placeholder with a cast,
// e.g. "$3::text".
std::string bind_value(SqlCommand* cmd, const Value& v, ColumnType t);
// CREATE TABLE plus the ALTER TABLEs for storage and replica identity.
std::string table_ddl(const TableSchema& s);
// INSERT, UPDATE, DELETE or TRUNCATE for a write statement.
// REQUIRES: st.kind is one of those.
SqlCommand write_sql(const sim::Statement& st, const TableSchema& s);
// SELECT ctid::text, xmin::text, <columns> ... for a Query.
SqlCommand query_sql(const Query& q, const TableSchema& s);
// A row of a query_sql result.
Result<ObservedRow> parse_observed_row(const TableSchema& s, const PgRow& row);
// "(12,3)" -> Ctid.
Result<Ctid> parse_ctid(const std::string& text);

}  // namespace cdc::conformance
