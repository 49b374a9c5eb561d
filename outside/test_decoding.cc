#include "outside/test_decoding.h"

#include <charconv>

namespace cdc::outside {

namespace {

constexpr size_t kMaxColumns = 1600;  // PostgreSQL's own limit on a table's columns

// A cursor over one line; errors name the 1-based column where they arose.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}

  bool done() const { return pos_ >= text_.size(); }
  size_t pos() const { return pos_; }
  std::string_view rest() const { return text_.substr(pos_); }
  bool eat(std::string_view word) {
    if (!rest().starts_with(word)) return false;
    pos_ += word.size();
    return true;
  }
  void skip_spaces() {
    while (!done() && text_[pos_] == ' ')
      ++pos_;
  }
  // The text up to (not including) `stop`, consumed with `stop`; nullopt
  // when `stop` does not follow.
  std::optional<std::string_view> until(std::string_view stop) {
    const size_t at = text_.find(stop, pos_);
    if (at == std::string_view::npos) return std::nullopt;
    const std::string_view out = text_.substr(pos_, at - pos_);
    pos_ = at + stop.size();
    return out;
  }
  void advance(size_t n) { pos_ += n; }
  Error error(const std::string& why) const {
    return Error{ErrorCode::kInvalidArgument, "column " + std::to_string(pos_ + 1) + ": " + why};
  }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

std::optional<uint32_t> table_named(const std::vector<TableSchema>& schemas,
                                    std::string_view name) {
  const size_t dot = name.find('.');
  const std::string_view bare = dot == std::string_view::npos ? name : name.substr(dot + 1);
  for (uint32_t t = 0; t < schemas.size(); ++t) {
    if (schemas[t].name == name || schemas[t].name == bare) return t;
  }
  return std::nullopt;
}

std::optional<uint32_t> column_named(const TableSchema& s, std::string_view name) {
  if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
    name = name.substr(1, name.size() - 2);
  }
  for (uint32_t c = 0; c < s.columns.size(); ++c) {
    if (s.columns[c].name == name) return c;
  }
  return std::nullopt;
}

// A quoted literal 'it''s' at the cursor (the opening quote already seen).
Result<std::string> quoted(Cursor* cur) {
  std::string out;
  for (size_t guard = 0; guard <= (1u << 30); ++guard) {
    const std::string_view rest = cur->rest();
    if (rest.empty()) return cur->error("unterminated quoted value");
    cur->advance(1);
    if (rest[0] != '\'') {
      out += rest[0];
    } else if (rest.size() > 1 && rest[1] == '\'') {
      out += '\'';
      cur->advance(1);
    } else {
      return out;
    }
  }
  return cur->error("quoted value too long");
}

// The value of column `c` at the cursor.
Result<DecodedColumn> value_of(const TableSchema& s, uint32_t c, Cursor* cur) {
  DecodedColumn out{c, Value::null(), false};
  if (cur->eat("'")) {
    Result<std::string> text = quoted(cur);
    if (!text.is_ok()) return text.error();
    if (s.columns[c].type != ColumnType::kText) {
      return cur->error("column " + s.columns[c].name + " is an integer column, got text");
    }
    out.value = Value::text(std::move(text).value());
    return out;
  }
  const std::string_view rest = cur->rest();
  const std::string_view token = rest.substr(0, std::min(rest.find(' '), rest.size()));
  if (token == "null") {
    out.value = Value::null();
  } else if (token == "unchanged-toast-datum") {
    out.unchanged_toast = true;
  } else if (s.columns[c].type == ColumnType::kInt64) {
    int64_t v = 0;
    const auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), v);
    if (ec != std::errc() || end != token.data() + token.size()) {
      return cur->error("column " + s.columns[c].name + " wants an integer, got '" +
                        std::string(token) + "'");
    }
    out.value = Value::int64(v);
  } else {
    out.value = Value::text(std::string(token));  // unquoted text-like output, e.g. a number
  }
  cur->advance(token.size());
  return out;
}

// name[type]:value ... until the end of the line or the word `stop`.
Result<std::vector<DecodedColumn>> tuple(const TableSchema& s, Cursor* cur, std::string_view stop) {
  std::vector<DecodedColumn> out;
  for (size_t guard = 0; guard <= kMaxColumns; ++guard) {
    cur->skip_spaces();
    if (cur->done() || (!stop.empty() && cur->rest().starts_with(stop))) return out;
    const std::optional<std::string_view> name = cur->until("[");
    if (!name) return cur->error("expected name[type]:value");
    const std::optional<uint32_t> c = column_named(s, *name);
    if (!c) return cur->error("table " + s.name + " has no column " + std::string(*name));
    if (!cur->until("]:")) return cur->error("expected ]: after the type of " + s.columns[*c].name);
    Result<DecodedColumn> v = value_of(s, *c, cur);
    if (!v.is_ok()) return v.error();
    out.push_back(std::move(v).value());
  }
  return cur->error("more than 1600 columns");
}

Result<DecodedLine> truncate_of(std::string_view tables, const std::vector<TableSchema>& schemas,
                                Cursor* cur) {
  DecodedLine out;
  out.kind = DecodedLine::Kind::kTruncate;
  for (size_t guard = 0; guard <= kMaxColumns && !tables.empty(); ++guard) {
    const size_t comma = tables.find(", ");
    const std::string_view name = tables.substr(0, comma);
    const std::optional<uint32_t> t = table_named(schemas, name);
    if (!t) return cur->error("unknown table " + std::string(name));
    out.tables.push_back(*t);
    tables = comma == std::string_view::npos ? std::string_view() : tables.substr(comma + 2);
  }
  return out;
}

Result<DecodedLine> change_of(const std::vector<TableSchema>& schemas, Cursor* cur) {
  const std::optional<std::string_view> tables = cur->until(": ");
  if (!tables) return cur->error("expected \"table NAME: OPERATION:\"");
  const std::optional<std::string_view> op = cur->until(":");
  if (!op) return cur->error("expected an operation after the table name");
  if (*op == "TRUNCATE") return truncate_of(*tables, schemas, cur);
  DecodedLine out;
  const std::optional<uint32_t> t = table_named(schemas, *tables);
  if (!t) return cur->error("unknown table " + std::string(*tables));
  out.tables.push_back(*t);
  const TableSchema& s = schemas[*t];
  cur->skip_spaces();
  if (*op == "INSERT" || *op == "UPDATE") {
    out.kind = *op == "INSERT" ? DecodedLine::Kind::kInsert : DecodedLine::Kind::kUpdate;
    if (cur->eat("old-key:")) {
      Result<std::vector<DecodedColumn>> old = tuple(s, cur, "new-tuple:");
      if (!old.is_ok()) return old.error();
      out.old_tuple = std::move(old).value();
      if (!cur->eat("new-tuple:")) return cur->error("expected new-tuple: after old-key:");
    }
    Result<std::vector<DecodedColumn>> fresh = tuple(s, cur, "");
    if (!fresh.is_ok()) return fresh.error();
    out.new_tuple = std::move(fresh).value();
    return out;
  }
  if (*op != "DELETE") return cur->error("unknown operation " + std::string(*op));
  out.kind = DecodedLine::Kind::kDelete;
  if (cur->eat("(no-tuple-data)")) return out;
  Result<std::vector<DecodedColumn>> old = tuple(s, cur, "");
  if (!old.is_ok()) return old.error();
  out.old_tuple = std::move(old).value();
  return out;
}

Result<uint64_t> xid_of(Cursor* cur) {
  const std::string_view rest = cur->rest();
  const std::string_view digits = rest.substr(0, std::min(rest.find(' '), rest.size()));
  uint64_t xid = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), xid);
  if (ec != std::errc() || end != digits.data() + digits.size() || xid > UINT32_MAX) {
    return cur->error("expected a transaction id (turn include-xids on)");
  }
  return xid;
}

}  // namespace

Result<DecodedLine> parse_test_decoding_line(std::string_view line,
                                             const std::vector<TableSchema>& schemas) {
  Cursor cur(line);
  for (const auto& [word, kind] : {std::pair{"BEGIN ", DecodedLine::Kind::kBegin},
                                   std::pair{"COMMIT ", DecodedLine::Kind::kCommit}}) {
    if (!cur.eat(word)) continue;
    Result<uint64_t> xid = xid_of(&cur);
    if (!xid.is_ok()) return xid.error();
    DecodedLine out;
    out.kind = kind;
    out.xid = xid.value();
    return out;
  }
  if (!cur.eat("table ")) return cur.error("expected BEGIN, COMMIT or table");
  return change_of(schemas, &cur);
}

}  // namespace cdc::outside
