#include "model/key_encoding.h"

#include <bit>
#include <cstdint>
#include <cstring>
#include <vector>

#include "model/assert.h"
#include "model/mutants.h"

namespace cdc {
namespace {

// The REQUIRES clause shared by the encodings and compare_keys, in two
// parts: one type and one collation per value (n values), and each value not
// NULL and of its column's type.
void check_arity(size_t n, std::span<const ColumnType> types,
                 std::span<const Collation> collations) {
  CDC_ASSERT(n == types.size(), "key arity differs from the number of key types");
  CDC_ASSERT(types.size() == collations.size(), "one collation per key column is required");
}
void check_value(const Value& v, ColumnType type) {
  CDC_ASSERT(!v.is_null(), "key values must not be NULL");
  CDC_ASSERT(v.matches(type), "key value does not match its column type");
}

void check_tuple(std::span<const Value> values, std::span<const ColumnType> types,
                 std::span<const Collation> collations) {
  check_arity(values.size(), types, collations);
  for (size_t i = 0; i < values.size(); ++i)
    check_value(values[i], types[i]);
}

// Appends v as 8 big-endian bytes with the sign bit flipped, so that unsigned
// bytewise order equals signed numeric order. (`sign_magnitude`: the mutant
// key-encoding-sign-magnitude, which writes a negative v as its magnitude,
// so that negatives sort by magnitude.)
void append_int64(int64_t v, std::string* out, bool sign_magnitude = false) {
  const uint64_t biased = sign_magnitude && v < 0 ? uint64_t{0} - static_cast<uint64_t>(v)
                                                  : static_cast<uint64_t>(v) ^ (uint64_t{1} << 63);
  // Most significant byte first: the byte-swapped integer's memory order
  // on a little-endian machine, its own on a big-endian one.
  const uint64_t big_endian =
      std::endian::native == std::endian::little ? __builtin_bswap64(biased) : biased;
  char bytes[8];
  std::memcpy(bytes, &big_endian, sizeof bytes);
  out->append(bytes, sizeof bytes);
}

// Three-way comparison of two non-NULL values of the same column.
int compare_column(const Value& a, const Value& b, ColumnType type, Collation collation) {
  if (type == ColumnType::kInt64) {
    const int64_t x = a.as_int64();
    const int64_t y = b.as_int64();
    return x < y ? -1 : (x > y ? 1 : 0);
  }
  return collate_compare(collation, a.as_text(), b.as_text());
}

}  // namespace

namespace {

// encode_key of the values value(0), ..., value(n - 1), of types type(i)
// under collations collation(i); `sign_magnitude` as append_int64's.
template <typename ValueAt, typename TypeAt, typename CollationAt>
std::string encode_values(size_t n, const ValueAt& value, const TypeAt& type,
                          const CollationAt& collation, bool sign_magnitude = false) {
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    const Value& v = value(i);
    const ColumnType t = type(i);
    check_value(v, t);
    // Each column's encoding is prefix-free (fixed width for ints, a
    // terminated sort key for text), so concatenation keeps tuple order.
    if (t == ColumnType::kInt64) {
      append_int64(v.as_int64(), &out, sign_magnitude);
    } else {
      append_sort_key(collation(i), v.as_text(), &out);
    }
  }
  CDC_ASSERT(out.size() >= 2 * n, "every key column encodes to at least two bytes");
  return out;
}

// The i-th element of a span, as encode_values reads types and collations.
template <typename T>
auto at_of(std::span<const T> items) {
  return [items](size_t i) { return items[i]; };
}

}  // namespace

std::string encode_key(std::span<const Value> values, std::span<const ColumnType> types,
                       std::span<const Collation> collations) {
  check_arity(values.size(), types, collations);
  return encode_values(
      values.size(), [&](size_t i) -> const Value& { return values[i]; }, at_of(types),
      at_of(collations));
}

namespace {
// The i-th key value of `row`, whose key columns are `columns`.
const Value& key_value(std::span<const Value> row, std::span<const uint32_t> columns, size_t i) {
  CDC_ASSERT(columns[i] < row.size(), "a key column of the row");
  return row[columns[i]];
}
}  // namespace

std::string encode_row_key(std::span<const Value> row, std::span<const uint32_t> columns,
                           std::span<const ColumnType> types,
                           std::span<const Collation> collations) {
  check_arity(columns.size(), types, collations);
  return encode_values(
      columns.size(), [&](size_t i) -> const Value& { return key_value(row, columns, i); },
      at_of(types), at_of(collations));
}

namespace {

// Reads one int64 column (8 big-endian bytes, sign bit flipped) at *pos.
std::optional<Value> read_int64(std::string_view bytes, size_t* pos) {
  if (bytes.size() - *pos < 8) return std::nullopt;
  uint64_t biased = 0;
  for (size_t i = 0; i < 8; ++i)
    biased = (biased << 8) | static_cast<unsigned char>(bytes[*pos + i]);
  *pos += 8;
  return Value::int64(static_cast<int64_t>(biased ^ (uint64_t{1} << 63)));
}

// Reads one "C" text column (NUL escaped as 00 FF, ended by 00 00) at *pos.
std::optional<Value> read_text(std::string_view bytes, size_t* pos) {
  std::string text;
  for (size_t i = *pos; i + 1 < bytes.size(); ++i) {
    if (bytes[i] != '\0') {
      text.push_back(bytes[i]);
      continue;
    }
    if (bytes[i + 1] == '\0') {
      *pos = i + 2;
      return Value::text(std::move(text));
    }
    if (bytes[i + 1] != '\xFF') return std::nullopt;
    text.push_back('\0');
    ++i;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::vector<Value>> decode_capture_key(std::string_view bytes,
                                                     std::span<const ColumnType> types) {
  std::vector<Value> out;
  size_t pos = 0;
  for (ColumnType t : types) {
    std::optional<Value> v =
        t == ColumnType::kInt64 ? read_int64(bytes, &pos) : read_text(bytes, &pos);
    if (!v) return std::nullopt;
    out.push_back(std::move(*v));
  }
  if (pos != bytes.size()) return std::nullopt;
  return out;
}

std::string encode_capture_key(std::span<const Value> values, std::span<const ColumnType> types) {
  CDC_ASSERT(values.size() == types.size(), "key arity differs from the number of key types");
  return encode_values(
      values.size(), [&](size_t i) -> const Value& { return values[i]; }, at_of(types),
      [](size_t) { return Collation::kC; }, mutant_active(Mutant::kKeyEncodingSignMagnitude));
}

std::string encode_capture_row_key(std::span<const Value> row, std::span<const uint32_t> columns,
                                   std::span<const ColumnDef> defs) {
  return encode_values(
      columns.size(), [&](size_t i) -> const Value& { return key_value(row, columns, i); },
      [&](size_t i) { return defs[columns[i]].type; }, [](size_t) { return Collation::kC; },
      mutant_active(Mutant::kKeyEncodingSignMagnitude));
}

int compare_keys(std::span<const Value> a, std::span<const Value> b,
                 std::span<const ColumnType> types, std::span<const Collation> collations) {
  check_tuple(a, types, collations);
  check_tuple(b, types, collations);
  for (size_t i = 0; i < a.size(); ++i) {
    if (const int c = compare_column(a[i], b[i], types[i], collations[i]); c != 0) return c;
  }
  return 0;
}

int compare_row_keys(std::span<const Value> a, std::span<const Value> b,
                     std::span<const uint32_t> columns, std::span<const ColumnType> types,
                     std::span<const Collation> collations) {
  CDC_ASSERT(columns.size() == types.size() && types.size() == collations.size(),
             "one type and one collation per key column");
  for (size_t i = 0; i < columns.size(); ++i) {
    const uint32_t col = columns[i];
    CDC_ASSERT(col < a.size() && col < b.size(), "key columns lie inside the rows");
    if (const int c = compare_column(a[col], b[col], types[i], collations[i]); c != 0) return c;
  }
  return 0;
}

}  // namespace cdc
