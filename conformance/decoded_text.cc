#include "conformance/decoded_text.h"

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <string_view>

namespace cdc::conformance {
namespace {

constexpr const char* kUnchangedToast = "<unchanged-toast>";

// (column index, rendered value) pairs in column order.
using Columns = std::vector<std::pair<uint32_t, std::string>>;

std::string render_columns(const TableSchema& s, Columns cols) {
  std::sort(cols.begin(), cols.end());
  std::string out;
  for (const auto& [c, v] : cols) {
    if (!out.empty()) out += " ";
    out += s.columns[c].name + "=" + v;
  }
  return out;
}

std::string render_change(const std::string& op, const TableSchema& s,
                          const std::optional<Columns>& old, const std::optional<Columns>& fresh) {
  std::string out = op + " " + s.name;
  if (old) {
    out += " old(" + render_columns(s, *old) + ")";
  } else if (op == "DELETE") {
    out += " (no old tuple)";
  }
  if (fresh) out += " new(" + render_columns(s, *fresh) + ")";
  return out;
}

Error parse_error(const std::string& why, const std::string& line) {
  return Error{ErrorCode::kInvalidArgument,
               "test_decoding output: " + why + " in: " + line.substr(0, 200)};
}

std::optional<uint32_t> column_index(const TableSchema& s, std::string_view name) {
  for (uint32_t c = 0; c < s.columns.size(); ++c) {
    if (s.columns[c].name == name) return c;
  }
  return std::nullopt;
}

const TableSchema* schema_named(const std::vector<TableSchema>& schemas, std::string_view name) {
  if (name.starts_with("public.")) name.remove_prefix(7);
  for (const TableSchema& s : schemas) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

// Parses "name[type]:value name[type]:value ..." from `text` at *pos until
// the end or until a word in `stop` (followed by ':') begins. Returns nullopt
// on malformed input.
std::optional<Columns> parse_tuple(const TableSchema& s, std::string_view text, size_t* pos,
                                   std::string_view stop) {
  Columns cols;
  size_t p = *pos;
  for (size_t guard = 0; guard < 1000 && p < text.size(); ++guard) {
    if (!stop.empty() && text.substr(p).starts_with(stop)) break;
    const size_t open = text.find('[', p);
    const size_t close = text.find("]:", p);
    if (open == std::string_view::npos || close == std::string_view::npos || close < open) {
      return std::nullopt;
    }
    const std::optional<uint32_t> c = column_index(s, text.substr(p, open - p));
    if (!c) return std::nullopt;
    p = close + 2;
    std::string rendered;
    if (p < text.size() && text[p] == '\'') {
      std::string value;
      ++p;
      for (;; ++p) {
        if (p >= text.size()) return std::nullopt;
        if (text[p] == '\'') {
          if (p + 1 < text.size() && text[p + 1] == '\'') {
            value += '\'';
            ++p;
            continue;
          }
          ++p;
          break;
        }
        value += text[p];
      }
      rendered = render_value(Value::text(std::move(value)));
    } else {
      const size_t end = std::min(text.find(' ', p), text.size());
      const std::string_view token = text.substr(p, end - p);
      p = end;
      if (token == "unchanged-toast-datum") {
        rendered = kUnchangedToast;
      } else if (token == "null") {
        rendered = render_value(Value::null());
      } else if (s.columns[*c].type == ColumnType::kInt64) {
        rendered =
            render_value(Value::int64(std::strtoll(std::string(token).c_str(), nullptr, 10)));
      } else {
        return std::nullopt;
      }
    }
    cols.emplace_back(*c, std::move(rendered));
    if (p < text.size() && text[p] == ' ') ++p;
  }
  *pos = p;
  return cols;
}

// One "table ...: OP: ..." line.
Result<std::string> parse_change(const std::string& line, const std::vector<TableSchema>& schemas) {
  const std::string_view text(line);
  const size_t tables_end = text.find(": ");
  if (!text.starts_with("table ") || tables_end == std::string_view::npos) {
    return parse_error("not a change", line);
  }
  const std::string_view tables = text.substr(6, tables_end - 6);
  const size_t op_end = text.find(':', tables_end + 2);
  if (op_end == std::string_view::npos) return parse_error("no operation", line);
  const std::string op(text.substr(tables_end + 2, op_end - tables_end - 2));
  size_t pos = op_end + 1;
  if (pos < text.size() && text[pos] == ' ') ++pos;
  if (op == "TRUNCATE") {
    std::string out = "TRUNCATE";
    size_t p = 0;
    for (size_t guard = 0; guard < 64 && p <= tables.size(); ++guard) {
      const size_t comma = std::min(tables.find(", ", p), tables.size());
      const TableSchema* s = schema_named(schemas, tables.substr(p, comma - p));
      if (!s) return parse_error("unknown table", line);
      out += " " + s->name;
      p = comma + 2;
    }
    return out;
  }
  const TableSchema* s = schema_named(schemas, tables);
  if (!s) return parse_error("unknown table", line);
  std::optional<Columns> old;
  std::optional<Columns> fresh;
  const std::string_view rest = text.substr(pos);
  if (op == "INSERT") {
    fresh = parse_tuple(*s, text, &pos, "");
    if (!fresh) return parse_error("bad tuple", line);
  } else if (op == "UPDATE") {
    if (rest.starts_with("old-key: ")) {
      pos += 9;
      old = parse_tuple(*s, text, &pos, "new-tuple: ");
      if (!old) return parse_error("bad old tuple", line);
      if (!text.substr(pos).starts_with("new-tuple: ")) return parse_error("no new tuple", line);
      pos += 11;
    }
    fresh = parse_tuple(*s, text, &pos, "");
    if (!fresh) return parse_error("bad new tuple", line);
  } else if (op == "DELETE") {
    if (rest != "(no-tuple-data)") {
      old = parse_tuple(*s, text, &pos, "");
      if (!old) return parse_error("bad old tuple", line);
    }
  } else {
    return parse_error("unknown operation", line);
  }
  return render_change(op, *s, old, fresh);
}

std::optional<uint32_t> xid_after(std::string_view line, std::string_view word) {
  if (!line.starts_with(word)) return std::nullopt;
  return static_cast<uint32_t>(
      std::strtoul(std::string(line.substr(word.size())).c_str(), nullptr, 10));
}

}  // namespace

std::string canon_change(const std::vector<TableSchema>& schemas, const DecodedChange& c) {
  if (c.kind == ChangeKind::kTruncate) {
    std::string out = "TRUNCATE";
    for (TableId t : c.truncated) {
      CDC_ASSERT(t.value() < schemas.size(), "truncated table without a schema");
      out += " " + schemas[t.value()].name;
    }
    return out;
  }
  CDC_ASSERT(c.table.value() < schemas.size(), "decoded change on a table without a schema");
  const TableSchema& s = schemas[c.table.value()];
  std::optional<Columns> old;
  if (c.old_kind == OldTuple::kKey) {
    old.emplace();
    for (size_t i = 0; i < s.primary_key.size() && i < c.old.size(); ++i)
      old->emplace_back(s.primary_key[i], render_value(c.old[i]));
  } else if (c.old_kind == OldTuple::kRow) {
    old.emplace();
    for (uint32_t i = 0; i < c.old.size(); ++i)
      old->emplace_back(i, render_value(c.old[i]));
  }
  std::optional<Columns> fresh;
  if (c.kind == ChangeKind::kInsert || c.kind == ChangeKind::kUpdate) {
    fresh.emplace();
    for (uint32_t i = 0; i < c.new_row.size(); ++i)
      fresh->emplace_back(i, c.omitted(i) ? kUnchangedToast : render_value(c.new_row[i]));
  }
  return render_change(to_string(c.kind), s, old, fresh);
}

Result<std::vector<CanonTxn>> parse_test_decoding(const std::vector<std::string>& lines,
                                                  const std::vector<TableSchema>& schemas) {
  std::vector<CanonTxn> out;
  std::optional<CanonTxn> open;
  for (const std::string& line : lines) {
    if (std::optional<uint32_t> x = xid_after(line, "BEGIN ")) {
      if (open) return parse_error("BEGIN inside a transaction", line);
      open = CanonTxn{*x, {}};
    } else if (std::optional<uint32_t> c = xid_after(line, "COMMIT ")) {
      if (!open || open->xid != *c) return parse_error("COMMIT without its BEGIN", line);
      out.push_back(std::move(*open));
      open.reset();
    } else {
      if (!open) return parse_error("change outside a transaction", line);
      Result<std::string> change = parse_change(line, schemas);
      if (!change.is_ok()) return change.error();
      open->changes.push_back(change.value());
    }
  }
  if (open) return parse_error("transaction without COMMIT", "BEGIN " + std::to_string(open->xid));
  return out;
}

}  // namespace cdc::conformance
