#include "conformance/pg_sql.h"

#include <cstdlib>

namespace cdc::conformance {
std::string ident(const std::string& name) {
  std::string out = "\"";
  for (char ch : name) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}

namespace {

const char* type_name(ColumnType t) {
  return t == ColumnType::kInt64 ? "bigint" : "text";
}

PgValue param(const Value& v) {
  if (v.is_null()) return std::nullopt;
  if (v.is_int64()) return std::to_string(v.as_int64());
  return std::string(v.as_text());
}

std::string bind(SqlCommand* cmd, const Value& v, ColumnType t) {
  return bind_value(cmd, v, t);
}

// "k1" = $1 AND "k2" = $2 for a keyed row, or the ctid subquery by old values.
std::string row_predicate(SqlCommand* cmd, const sim::Statement& st, const TableSchema& s) {
  std::string out;
  if (s.has_primary_key()) {
    for (size_t i = 0; i < s.primary_key.size(); ++i) {
      const ColumnDef& c = s.columns[s.primary_key[i]];
      if (i) out += " AND ";
      out += ident(c.name) + " = " + bind(cmd, st.key.at(i), c.type);
    }
    return out;
  }
  out = "ctid = (SELECT ctid FROM " + ident(s.name) + " WHERE ";
  for (size_t i = 0; i < s.columns.size(); ++i) {
    const ColumnDef& c = s.columns[i];
    if (i) out += " AND ";
    out += ident(c.name) + " IS NOT DISTINCT FROM " + bind(cmd, st.match.at(i), c.type);
  }
  return out + " ORDER BY ctid LIMIT 1)";
}

bool is_key_column(const TableSchema& s, uint32_t c) {
  for (uint32_t k : s.primary_key) {
    if (k == c) return true;
  }
  return false;
}

}  // namespace

std::string bind_value(SqlCommand* cmd, const Value& v, ColumnType t) {
  cmd->params.push_back(param(v));
  return "$" + std::to_string(cmd->params.size()) + "::" + type_name(t);
}

std::string collation_name(Collation c) {
  return c == Collation::kC ? "C" : "und-x-icu";
}

std::string table_ddl(const TableSchema& s) {
  std::string sql = "CREATE TABLE " + ident(s.name) + " (";
  for (size_t i = 0; i < s.columns.size(); ++i) {
    const ColumnDef& c = s.columns[i];
    if (i) sql += ", ";
    sql += ident(c.name) + " " + type_name(c.type);
    if (c.type == ColumnType::kText) sql += " COLLATE " + ident(collation_name(c.collation));
    if (!c.nullable) sql += " NOT NULL";
  }
  if (s.has_primary_key()) {
    sql += ", PRIMARY KEY (";
    for (size_t i = 0; i < s.primary_key.size(); ++i)
      sql += (i ? ", " : "") + ident(s.columns[s.primary_key[i]].name);
    sql += ")";
  }
  // No truncation of empty trailing pages by VACUUM (the model has none): it
  // requests an ACCESS EXCLUSIVE lock, and with wal_level >= replica that
  // request takes an xid, so PostgreSQL's VACUUM would sometimes consume one.
  sql += ") WITH (vacuum_truncate = off, toast.vacuum_truncate = off);\n";
  for (const ColumnDef& c : s.columns) {
    if (c.type == ColumnType::kText && c.toastable) {
      sql += "ALTER TABLE " + ident(s.name) + " ALTER COLUMN " + ident(c.name) +
             " SET STORAGE EXTERNAL;\n";
    }
  }
  if (s.replica_identity == ReplicaIdentity::kFull) {
    sql += "ALTER TABLE " + ident(s.name) + " REPLICA IDENTITY FULL;\n";
  }
  return sql;
}

SqlCommand write_sql(const sim::Statement& st, const TableSchema& s) {
  using K = sim::Statement::Kind;
  SqlCommand cmd;
  switch (st.kind) {
    case K::kTruncate:
      cmd.sql = "TRUNCATE " + ident(s.name);
      return cmd;
    case K::kInsert: {
      std::string cols;
      std::string values;
      for (size_t i = 0; i < s.columns.size(); ++i) {
        cols += (i ? ", " : "") + ident(s.columns[i].name);
        values += (i ? ", " : "") + bind(&cmd, st.row.at(i), s.columns[i].type);
      }
      cmd.sql = "INSERT INTO " + ident(s.name) + " (" + cols + ") VALUES (" + values + ")";
      return cmd;
    }
    case K::kUpdate: {
      std::string set;
      for (uint32_t i = 0; i < s.columns.size(); ++i) {
        const ColumnDef& c = s.columns[i];
        const std::string p = bind(&cmd, st.row.at(i), c.type);
        set += (i ? ", " : "") + ident(c.name) + " = ";
        if (is_key_column(s, i)) {
          set += p;
        } else {
          set += "CASE WHEN " + ident(c.name) + " IS NOT DISTINCT FROM " + p + " THEN " +
                 ident(c.name) + " ELSE " + p + " END";
        }
      }
      cmd.sql = "UPDATE " + ident(s.name) + " SET " + set + " WHERE ";
      cmd.sql += row_predicate(&cmd, st, s);
      return cmd;
    }
    case K::kDelete:
      cmd.sql = "DELETE FROM " + ident(s.name) + " WHERE ";
      cmd.sql += row_predicate(&cmd, st, s);
      return cmd;
    default:
      break;
  }
  CDC_ASSERT(false, "write_sql of a statement that writes nothing");
  return cmd;
}

SqlCommand query_sql(const Query& q, const TableSchema& s) {
  SqlCommand cmd;
  std::string sql =
      "SELECT ctid::text AS cdc_ctid, xmin::text AS cdc_xmin";  // ORDER BY ctid: the tid
  for (const ColumnDef& c : s.columns)
    sql += ", " + ident(c.name);
  sql += " FROM " + ident(s.name) + " WHERE true";
  // Key column i as it is compared and ordered: its own collation, or "C".
  auto key_expr = [&](uint32_t c, const std::string& e) {
    const bool bytewise = q.order == KeyOrder::kBytewise && s.columns[c].type == ColumnType::kText;
    return bytewise ? e + " COLLATE \"C\"" : e;
  };
  if (q.kind == Query::Kind::kKeyset && q.after) {
    std::string lhs;
    std::string rhs;
    for (size_t i = 0; i < s.primary_key.size(); ++i) {
      const uint32_t c = s.primary_key[i];
      lhs += (i ? ", " : "") + key_expr(c, ident(s.columns[c].name));
      rhs += (i ? ", " : "") + key_expr(c, bind(&cmd, q.after->at(i), s.columns[c].type));
    }
    sql += " AND (" + lhs + ") > (" + rhs + ")";
  }
  if (q.kind == Query::Kind::kCtidRange) {
    cmd.params.push_back(to_string(q.ctid_after));
    cmd.params.push_back(to_string(q.ctid_upto));
    sql += " AND ctid > $" + std::to_string(cmd.params.size() - 1) + "::tid AND ctid <= $" +
           std::to_string(cmd.params.size()) + "::tid";
  }
  if (q.filter) sql += " AND " + q.filter->sql();
  if (q.kind == Query::Kind::kKeyset) {
    sql += " ORDER BY ";
    for (size_t i = 0; i < s.primary_key.size(); ++i) {
      const uint32_t c = s.primary_key[i];
      sql += (i ? ", " : "") + key_expr(c, ident(s.columns[c].name));
    }
    sql += " LIMIT " + std::to_string(q.limit);
  } else {
    sql += " ORDER BY ctid";
  }
  cmd.sql = std::move(sql);
  return cmd;
}

Result<Ctid> parse_ctid(const std::string& text) {
  unsigned long block = 0;
  unsigned long offset = 0;
  char open = 0;
  char comma = 0;
  char close = 0;
  if (std::sscanf(text.c_str(), "%c%lu%c%lu%c", &open, &block, &comma, &offset, &close) != 5 ||
      open != '(' || comma != ',' || close != ')' || offset > 0xffff) {
    return Error{ErrorCode::kInvalidArgument, "not a ctid: " + text};
  }
  return Ctid{static_cast<uint32_t>(block), static_cast<uint16_t>(offset)};
}

Result<ObservedRow> parse_observed_row(const TableSchema& s, const PgRow& row) {
  if (row.size() != s.columns.size() + 2 || !row[0] || !row[1]) {
    return Error{ErrorCode::kInvalidArgument, "unexpected row shape from " + s.name};
  }
  Result<Ctid> ctid = parse_ctid(*row[0]);
  if (!ctid.is_ok()) return ctid.error();
  ObservedRow out;
  out.ctid = ctid.value();
  out.xmin = static_cast<uint32_t>(std::strtoul(row[1]->c_str(), nullptr, 10));
  for (size_t i = 0; i < s.columns.size(); ++i) {
    const PgValue& v = row[i + 2];
    if (!v) {
      out.row.push_back(Value::null());
    } else if (s.columns[i].type == ColumnType::kInt64) {
      out.row.push_back(Value::int64(std::strtoll(v->c_str(), nullptr, 10)));
    } else {
      out.row.push_back(Value::text(*v));
    }
  }
  out.id = row_id(s, out.row);
  return out;
}

}  // namespace cdc::conformance
