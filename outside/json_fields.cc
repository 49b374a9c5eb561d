#include "outside/json_fields.h"

#include "outside/format.h"

#include <algorithm>
#include <charconv>
#include <limits>

namespace cdc::outside::detail {

namespace {

std::string at(const std::string& path, const char* key) {
  return path.empty() ? std::string(key) : path + "." + key;
}

std::optional<uint32_t> hex32(std::string_view s) {
  uint32_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v, 16);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

Value value_of(const ColumnDef& c, const json& v, const std::string& path) {
  if (v.is_null()) return Value::null();
  if (c.type == ColumnType::kText) {
    if (!v.is_string()) bad(c.name, path + " is a text column: want a string, got " + v.dump());
    std::string text = v.get<std::string>();
    if (text.find('\0') != std::string::npos) bad(c.name, path + " holds a NUL character");
    return Value::text(std::move(text));
  }
  if (v.is_number_integer() && !v.is_number_unsigned()) return Value::int64(v.get<int64_t>());
  if (v.is_number_unsigned() &&
      v.get<uint64_t>() <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    return Value::int64(static_cast<int64_t>(v.get<uint64_t>()));
  }
  bad(c.name, path + " is an integer column: want a 64-bit integer, got " + v.dump());
}

}  // namespace

void bad(const std::string& key, const std::string& message) {
  throw BadField{key, message};
}

void only_keys(const json& r, const std::string& path, const std::string& object) {
  if (!r.is_object()) bad("", (path.empty() ? "a record" : path) + " must be a JSON object");
  const std::vector<std::string>& allowed = format_objects().at(object);
  for (const auto& [key, value] : r.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    std::string list;
    for (const std::string& a : allowed)
      list += (list.empty() ? "" : ", ") + a;
    bad(key, "unknown key " + at(path, key.c_str()) + " (known: " + list + ")");
  }
}

const json& required(const json& r, const char* key, const std::string& path) {
  const auto it = r.find(key);
  if (it == r.end()) bad("", "missing key " + at(path, key));
  return *it;
}

std::string text_of(const json& r, const char* key, const std::string& path) {
  const json& v = required(r, key, path);
  if (!v.is_string()) bad(key, at(path, key) + " must be a string, got " + v.dump());
  return v.get<std::string>();
}

uint64_t uint_of(const json& r, const char* key, const std::string& path, uint64_t max) {
  const json& v = required(r, key, path);
  if (!v.is_number_unsigned() || v.get<uint64_t>() > max) {
    bad(key, at(path, key) + " must be an integer from 0 to " + std::to_string(max) + ", got " +
                 v.dump());
  }
  return v.get<uint64_t>();
}

bool bool_of(const json& r, const char* key, const std::string& path, bool absent) {
  const auto it = r.find(key);
  if (it == r.end()) return absent;
  if (!it->is_boolean()) bad(key, at(path, key) + " must be true or false, got " + it->dump());
  return it->get<bool>();
}

Lsn lsn_of(const json& r, const char* key, const std::string& path) {
  const std::string s = text_of(r, key, path);
  const size_t slash = s.find('/');
  const std::optional<uint32_t> hi = hex32(std::string_view(s).substr(0, slash));
  const std::optional<uint32_t> lo =
      slash == std::string::npos ? std::nullopt : hex32(std::string_view(s).substr(slash + 1));
  if (!hi || !lo) bad(key, at(path, key) + " must be an LSN like \"0/16B3748\", got \"" + s + "\"");
  return Lsn{(static_cast<uint64_t>(*hi) << 32) | *lo};
}

std::optional<Lsn> optional_lsn(const json& r, const char* key, const std::string& path) {
  if (!r.contains(key)) return std::nullopt;
  return lsn_of(r, key, path);
}

const json& array_of(const json& r, const char* key, const std::string& path, size_t max) {
  const json& v = required(r, key, path);
  if (!v.is_array()) bad(key, at(path, key) + " must be an array");
  if (v.size() > max) {
    bad(key, at(path, key) + " holds " + std::to_string(v.size()) + " entries, more than " +
                 std::to_string(max));
  }
  return v;
}

RowFields row_of(const TableSchema& s, const json& obj, const std::string& path,
                 const SharedRow* base) {
  if (!obj.is_object()) bad("", path + " must be an object of column values");
  RowFields out;
  out.row = base ? base->to_row() : Row(s.columns.size());
  for (const auto& [name, v] : obj.items()) {
    uint32_t c = 0;
    while (c < s.columns.size() && s.columns[c].name != name)
      ++c;
    if (c == s.columns.size()) bad(name, path + ": table " + s.name + " has no column " + name);
    out.row[c] = value_of(s.columns[c], v, path + "." + name);
    out.present_mask |= uint64_t{1} << c;
  }
  return out;
}

void require_key(const TableSchema& s, const RowFields& f, const std::string& path) {
  for (uint32_t k : s.primary_key) {
    if (f.row[k].is_null()) {
      bad(s.columns[k].name, path + " lacks key column " + s.columns[k].name + " (or it is null)");
    }
  }
}

}  // namespace cdc::outside::detail
