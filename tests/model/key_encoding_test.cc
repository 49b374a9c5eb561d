#include "model/key_encoding.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

namespace cdc {
namespace {

constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

int sign(int x) {
  return (x > 0) - (x < 0);
}

// memcmp over the common prefix, then length: the order encode_key promises.
int compare_encodings(const std::string& a, const std::string& b) {
  const size_t n = a.size() < b.size() ? a.size() : b.size();
  const int c = n == 0 ? 0 : std::memcmp(a.data(), b.data(), n);
  if (c != 0) return sign(c);
  return sign(static_cast<int>(a.size() > b.size()) - static_cast<int>(a.size() < b.size()));
}

// The typed tuple order with every text column under "C": integers
// numerically, texts by std::string's (unsigned, bytewise) order.
int c_order_reference(const std::vector<Value>& a, const std::vector<Value>& b) {
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].is_int64()) {
      if (a[i].as_int64() != b[i].as_int64()) return a[i].as_int64() < b[i].as_int64() ? -1 : 1;
    } else if (a[i].as_text() != b[i].as_text()) {
      return a[i].as_text() < b[i].as_text() ? -1 : 1;
    }
  }
  return 0;
}

// A key schema: one type and one collation per column.
struct Schema {
  std::vector<ColumnType> types;
  std::vector<Collation> collations;
};

// ---------------------------------------------------------------------------
// Generators. Values are drawn as plain int64_t / std::string (which
// RapidCheck can print in counterexamples) and wrapped afterwards.
// ---------------------------------------------------------------------------

rc::Gen<int64_t> gen_int64() {
  return rc::gen::oneOf(
      rc::gen::arbitrary<int64_t>(),
      rc::gen::elementOf(std::vector<int64_t>{kMin, kMin + 1, -1, 0, 1, kMax - 1, kMax}),
      rc::gen::inRange<int64_t>(-3, 4));
}

// ASCII letters, digits, space, punctuation and a few accented letters, plus
// one code point outside Latin-1.
std::vector<std::string> alphabet() {
  return {"a", "A", "b", "B", "e", "E", "z", "Z", "0", "9", " ",
          "-", "_", ".", "é", "É", "à", "ü", "ç", "ñ", "Ω"};
}

rc::Gen<std::string> gen_text() {
  return rc::gen::mapcat(rc::gen::inRange(0, 5), [](int n) {
    return rc::gen::map(rc::gen::container<std::vector<std::string>>(
                            static_cast<size_t>(n), rc::gen::elementOf(alphabet())),
                        [](const std::vector<std::string>& symbols) {
                          std::string s;
                          for (const std::string& sym : symbols)
                            s += sym;
                          return s;
                        });
  });
}

// Draws a schema of 1 to 3 columns; collations are all kC if `all_c`.
Schema draw_schema(bool all_c) {
  Schema schema;
  const int columns = *rc::gen::inRange(1, 4);
  for (int i = 0; i < columns; ++i) {
    const bool is_text = *rc::gen::arbitrary<bool>();
    const bool is_locale = !all_c && *rc::gen::arbitrary<bool>();
    schema.types.push_back(is_text ? ColumnType::kText : ColumnType::kInt64);
    schema.collations.push_back(is_locale ? Collation::kLocale : Collation::kC);
  }
  return schema;
}

Value draw_value(ColumnType type) {
  return type == ColumnType::kInt64 ? Value::int64(*gen_int64()) : Value::text(*gen_text());
}

// Draws a value close to `v`: an int off by one (without overflow) or a text
// extended by one symbol, so that it ties with `v` up to a prefix.
Value draw_neighbour(const Value& v) {
  if (v.is_int64()) {
    const int64_t x = v.as_int64();
    const bool up = x != kMax && (x == kMin || *rc::gen::arbitrary<bool>());
    return Value::int64(up ? x + 1 : x - 1);
  }
  return Value::text(std::string(v.as_text()) + *rc::gen::elementOf(alphabet()));
}

// Draws a tuple of the schema; with `like`, each column is copied from it,
// made a neighbour of it, or drawn afresh, so that tuples often share leading
// columns and differ only slightly where they first differ.
std::vector<Value> draw_tuple(const Schema& schema, const std::vector<Value>* like) {
  std::vector<Value> tuple;
  for (size_t i = 0; i < schema.types.size(); ++i) {
    const int choice = like == nullptr ? 0 : *rc::gen::inRange(0, 4);
    if (choice == 1 || choice == 2) {
      tuple.push_back((*like)[i]);
    } else if (choice == 3) {
      tuple.push_back(draw_neighbour((*like)[i]));
    } else {
      tuple.push_back(draw_value(schema.types[i]));
    }
  }
  return tuple;
}

std::string encode(const std::vector<Value>& values, const Schema& schema) {
  return encode_key(values, schema.types, schema.collations);
}

// ---------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------

RC_GTEST_PROP(KeyEncodingProps, EncodingOrderMatchesCompareKeys, ()) {
  const Schema schema = draw_schema(/*all_c=*/false);
  const std::vector<Value> a = draw_tuple(schema, nullptr);
  const std::vector<Value> b = draw_tuple(schema, &a);
  const int expected = sign(compare_keys(a, b, schema.types, schema.collations));
  RC_ASSERT(compare_encodings(encode(a, schema), encode(b, schema)) == expected);
  RC_ASSERT(sign(compare_keys(b, a, schema.types, schema.collations)) == -expected);
  RC_ASSERT((expected == 0) == (a == b));
}

RC_GTEST_PROP(KeyEncodingProps, AllCEncodingFollowsCOrderOfTypedTuples, ()) {
  const Schema schema = draw_schema(/*all_c=*/true);
  const std::vector<Value> a = draw_tuple(schema, nullptr);
  const std::vector<Value> b = draw_tuple(schema, &a);
  RC_ASSERT(compare_encodings(encode(a, schema), encode(b, schema)) == c_order_reference(a, b));
}

// A row's key encoded in place is its key_of encoded: the key columns are
// read from the row, in key order, wherever they stand among the others.
RC_GTEST_PROP(KeyEncodingProps, RowKeyEncodingIsTheKeysEncoding, ()) {
  const Schema schema = draw_schema(/*all_c=*/false);
  const std::vector<Value> key = draw_tuple(schema, nullptr);
  // The row: the key's columns scattered in reverse among filler columns.
  std::vector<Value> row;
  std::vector<uint32_t> columns(key.size());
  for (size_t i = key.size(); i-- > 0;) {
    row.push_back(Value::text("filler"));
    columns[i] = static_cast<uint32_t>(row.size());
    row.push_back(key[i]);
  }
  RC_ASSERT(encode_row_key(row, columns, schema.types, schema.collations) == encode(key, schema));
}

// Likewise for the capture's encoding, with the types read from the columns'
// definitions (the filler columns are text, the key columns their own type).
RC_GTEST_PROP(KeyEncodingProps, CaptureRowKeyEncodingIsTheKeysCaptureEncoding, ()) {
  const Schema schema = draw_schema(/*all_c=*/false);
  const std::vector<Value> key = draw_tuple(schema, nullptr);
  std::vector<Value> row;
  std::vector<ColumnDef> defs;
  std::vector<uint32_t> columns(key.size());
  for (size_t i = key.size(); i-- > 0;) {
    row.push_back(Value::text("filler"));
    defs.push_back({"filler", ColumnType::kText, Collation::kLocale, false, false});
    columns[i] = static_cast<uint32_t>(row.size());
    row.push_back(key[i]);
    defs.push_back({"k", schema.types[i], schema.collations[i], false, false});
  }
  RC_ASSERT(encode_capture_row_key(row, columns, defs) == encode_capture_key(key, schema.types));
}

// ---------------------------------------------------------------------------
// Unit tests
// ---------------------------------------------------------------------------

TEST(KeyEncodingTest, IntegersOrderNumerically) {
  const Schema schema{{ColumnType::kInt64}, {Collation::kC}};
  const std::vector<int64_t> ordered = {kMin, kMin + 1, -256, -1, 0, 1, 255, 256, kMax - 1, kMax};
  for (size_t i = 0; i + 1 < ordered.size(); ++i) {
    const std::vector<Value> lo = {Value::int64(ordered[i])};
    const std::vector<Value> hi = {Value::int64(ordered[i + 1])};
    EXPECT_LT(compare_encodings(encode(lo, schema), encode(hi, schema)), 0)
        << ordered[i] << " vs " << ordered[i + 1];
    EXPECT_LT(compare_keys(lo, hi, schema.types, schema.collations), 0);
  }
}

TEST(KeyEncodingTest, IntegerEncodingIsBigEndianWithSignBitFlipped) {
  const Schema schema{{ColumnType::kInt64}, {Collation::kC}};
  const std::vector<Value> zero = {Value::int64(0)};
  const std::vector<Value> min = {Value::int64(kMin)};
  const std::vector<Value> minus_one = {Value::int64(-1)};
  const std::vector<Value> ordinal = {Value::int64(0x0102)};
  EXPECT_EQ(encode(zero, schema), std::string("\x80\0\0\0\0\0\0\0", 8));
  EXPECT_EQ(encode(min, schema), std::string(8, '\0'));
  EXPECT_EQ(encode(minus_one, schema), "\x7F\xFF\xFF\xFF\xFF\xFF\xFF\xFF");
  EXPECT_EQ(encode(ordinal, schema), std::string("\x80\0\0\0\0\0\x01\x02", 8));
}

// A key's prefix is its first eight bytes as a big-endian integer, zero
// padded: long keys (one load) and short ones (byte by byte) alike.
TEST(KeyEncodingTest, KeyPrefixIsTheFirstEightBytesBigEndian) {
  const std::string bytes("\x81\x02\xff\x00\x7f\x10\x20\x30\x40\x50\x60", 11);
  for (size_t n = 0; n <= bytes.size(); ++n) {
    uint64_t want = 0;
    for (size_t i = 0; i < 8; ++i)
      want = (want << 8) | (i < n ? static_cast<uint8_t>(bytes[i]) : 0u);
    EXPECT_EQ(key_prefix(std::string_view(bytes.data(), n)), want) << n;
  }
  EXPECT_EQ(key_prefix(std::string("\x80\0\0\0\0\0\x01\x02", 8)), 0x8000000000000102u);
}

// key_less is bytewise order, also where prefixes tie or padding meets a
// NUL byte.
TEST(KeyEncodingTest, KeyLessIsBytewiseOrder) {
  const std::vector<std::string> keys = {"",
                                         std::string("\0", 1),
                                         "a",
                                         std::string("a\0", 2),
                                         "ab",
                                         "abcdefgh",
                                         std::string("abcdefgh\0", 9),
                                         "abcdefgh1",
                                         "abcdefgh2",
                                         "abcdefgi",
                                         "\xff\xff\xff\xff\xff\xff\xff\xff\x01"};
  for (const std::string& a : keys) {
    for (const std::string& b : keys)
      EXPECT_EQ(key_less(a, b), a < b) << a.size() << " vs " << b.size();
  }
}

TEST(KeyEncodingTest, TextThenIntTuplesOrderLexicographically) {
  for (Collation c : {Collation::kC, Collation::kLocale}) {
    const Schema schema{{ColumnType::kText, ColumnType::kInt64}, {c, Collation::kC}};
    const std::vector<std::vector<Value>> ordered = {
        {Value::text("a"), Value::int64(2)},
        {Value::text("a"), Value::int64(10)},
        {Value::text("ab"), Value::int64(kMin)},
        {Value::text("b"), Value::int64(1)},
    };
    for (size_t i = 0; i + 1 < ordered.size(); ++i) {
      EXPECT_LT(compare_encodings(encode(ordered[i], schema), encode(ordered[i + 1], schema)), 0)
          << to_string(ordered[i]) << " vs " << to_string(ordered[i + 1]) << " under "
          << to_string(c);
      EXPECT_LT(compare_keys(ordered[i], ordered[i + 1], schema.types, schema.collations), 0);
    }
  }
}

TEST(KeyEncodingTest, TextColumnsUseTheirCollation) {
  const std::vector<Value> upper_b = {Value::text("B")};
  const std::vector<Value> lower_a = {Value::text("a")};
  const Schema c{{ColumnType::kText}, {Collation::kC}};
  const Schema locale{{ColumnType::kText}, {Collation::kLocale}};
  EXPECT_LT(compare_encodings(encode(upper_b, c), encode(lower_a, c)), 0);
  EXPECT_GT(compare_encodings(encode(upper_b, locale), encode(lower_a, locale)), 0);
  EXPECT_LT(compare_keys(upper_b, lower_a, c.types, c.collations), 0);
  EXPECT_GT(compare_keys(upper_b, lower_a, locale.types, locale.collations), 0);
}

TEST(KeyEncodingDeathTest, RejectsNullsAndMismatchedShapes) {
  const Schema schema{{ColumnType::kInt64}, {Collation::kC}};
  const std::vector<Value> null_key = {Value::null()};
  const std::vector<Value> text_key = {Value::text("x")};
  const std::vector<Value> two_ints = {Value::int64(1), Value::int64(2)};
  EXPECT_DEATH(encode(null_key, schema), "NULL");
  EXPECT_DEATH(encode(text_key, schema), "type");
  EXPECT_DEATH(encode(two_ints, schema), "arity");
  const std::vector<uint32_t> first_column = {0};
  EXPECT_DEATH(encode_row_key(null_key, first_column, schema.types, schema.collations), "NULL");
  EXPECT_DEATH(compare_keys(two_ints, two_ints, schema.types, schema.collations), "arity");
}

}  // namespace
}  // namespace cdc
