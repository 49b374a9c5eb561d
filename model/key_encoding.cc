#include "model/key_encoding.h"

#include <cstdint>
#include <vector>

#include "model/assert.h"
#include "model/mutants.h"

namespace cdc {
namespace {

// Checks the REQUIRES clause shared by encode_key and compare_keys for one
// tuple: one type and one collation per value, no NULL, types matching.
void check_tuple(std::span<const Value> values, std::span<const ColumnType> types,
                 std::span<const Collation> collations) {
  CDC_ASSERT(values.size() == types.size(), "key arity differs from the number of key types");
  CDC_ASSERT(types.size() == collations.size(), "one collation per key column is required");
  for (size_t i = 0; i < values.size(); ++i) {
    CDC_ASSERT(!values[i].is_null(), "key values must not be NULL");
    CDC_ASSERT(values[i].matches(types[i]), "key value does not match its column type");
  }
}

// Appends v as 8 big-endian bytes with the sign bit flipped, so that unsigned
// bytewise order equals signed numeric order. (`sign_magnitude`: the mutant
// key-encoding-sign-magnitude, which writes a negative v as its magnitude,
// so that negatives sort by magnitude.)
void append_int64(int64_t v, std::string* out, bool sign_magnitude = false) {
  const uint64_t biased = sign_magnitude && v < 0 ? uint64_t{0} - static_cast<uint64_t>(v)
                                                  : static_cast<uint64_t>(v) ^ (uint64_t{1} << 63);
  for (int shift = 56; shift >= 0; shift -= 8) {
    out->push_back(static_cast<char>((biased >> shift) & 0xFF));
  }
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

std::string encode_key(std::span<const Value> values, std::span<const ColumnType> types,
                       std::span<const Collation> collations) {
  check_tuple(values, types, collations);
  std::string out;
  for (size_t i = 0; i < values.size(); ++i) {
    // Each column's encoding is prefix-free (fixed width for ints, a
    // terminated sort key for text), so concatenation keeps tuple order.
    if (types[i] == ColumnType::kInt64) {
      append_int64(values[i].as_int64(), &out);
    } else {
      append_sort_key(collations[i], values[i].as_text(), &out);
    }
  }
  CDC_ASSERT(out.size() >= 2 * values.size(), "every key column encodes to at least two bytes");
  return out;
}

std::string encode_capture_key(std::span<const Value> values, std::span<const ColumnType> types) {
  const std::vector<Collation> c_order(types.size(), Collation::kC);
  check_tuple(values, types, c_order);
  const bool sign_magnitude = mutant_active(Mutant::kKeyEncodingSignMagnitude);
  std::string out;
  for (size_t i = 0; i < values.size(); ++i) {
    if (types[i] == ColumnType::kInt64) {
      append_int64(values[i].as_int64(), &out, sign_magnitude);
    } else {
      append_sort_key(Collation::kC, values[i].as_text(), &out);
    }
  }
  CDC_ASSERT(out.size() >= 2 * values.size(), "every key column encodes to at least two bytes");
  return out;
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

int compare_row_keys(const Row& a, const Row& b, std::span<const uint32_t> columns,
                     std::span<const ColumnType> types, std::span<const Collation> collations) {
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
