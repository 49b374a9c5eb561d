#include "model/value.h"

#include "model/assert.h"

namespace cdc {

int64_t Value::as_int64() const {
  CDC_ASSERT(is_int64(), "value is not an int64");
  return std::get<1>(rep_);
}

const std::string& Value::as_text() const {
  CDC_ASSERT(is_text(), "value is not text");
  return std::get<2>(rep_);
}

bool Value::matches(ColumnType type) const {
  if (is_null()) return true;
  return type == ColumnType::kInt64 ? is_int64() : is_text();
}

std::string to_string(const Value& v) {
  if (v.is_null()) return "NULL";
  if (v.is_int64()) return std::to_string(v.as_int64());
  const std::string& s = v.as_text();
  constexpr size_t kShown = 40;
  if (s.size() <= kShown) return "'" + s + "'";
  return "'" + s.substr(0, kShown) + "…'(" + std::to_string(s.size()) + " bytes)";
}

std::string to_string(const Row& row) {
  std::string out = "(";
  for (size_t i = 0; i < row.size(); ++i) {
    if (i) out += ",";
    out += to_string(row[i]);
  }
  return out + ")";
}

}  // namespace cdc
