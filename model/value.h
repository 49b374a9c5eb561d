// Column values, rows and keys.
//
// A Value is NULL, a 64-bit integer or a text string (UTF-8 bytes, no NUL).
// A Row holds one Value per table column, in column order. A Key holds the
// values of the primary-key columns, in key order.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace cdc {

enum class ColumnType : uint8_t { kInt64, kText };

class Value {
 public:
  Value() = default;  // NULL
  static Value null() { return Value(); }
  static Value int64(int64_t v) { return Value(Rep(v)); }
  static Value text(std::string v) { return Value(Rep(std::move(v))); }

  bool is_null() const { return rep_.index() == 0; }
  bool is_int64() const { return rep_.index() == 1; }
  bool is_text() const { return rep_.index() == 2; }
  int64_t as_int64() const;
  const std::string& as_text() const;
  bool matches(ColumnType type) const;  // NULL matches every type

  bool operator==(const Value&) const = default;

 private:
  using Rep = std::variant<std::monostate, int64_t, std::string>;
  explicit Value(Rep r) : rep_(std::move(r)) {}
  Rep rep_;
};

using Row = std::vector<Value>;
using Key = std::vector<Value>;

// SQL-literal-like rendering: NULL, 42, 'text' (long text is abbreviated).
std::string to_string(const Value& v);
std::string to_string(const Row& row);

}  // namespace cdc
