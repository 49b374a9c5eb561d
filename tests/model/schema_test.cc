// TableSchema's key helpers and HeapTable's index keys built from rows: each
// must agree with the form that builds the key first (key_of, index_key), on
// single and composite keys, under the "C" and the locale collation.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "model/heap.h"
#include "model/schema.h"
#include "model/types.h"
#include "tests/model/test_tables.h"

namespace cdc {
namespace {

// A words row (w text COLLATE locale, lang text COLLATE "C", n int64) whose
// key values come from a small alphabet, so that equal keys are common.
Row words_row(const std::string& w, const std::string& lang, int64_t n) {
  return {Value::text(w), Value::text(lang), Value::int64(n)};
}

// tally(n int64, w text COLLATE locale, id int64), key (id, w): the key's
// columns are neither the first ones nor in column order, so a helper that
// read key position i as column i would fail here.
TableSchema tally_schema() {
  TableSchema s;
  s.name = "tally";
  s.columns = {{"n", ColumnType::kInt64, Collation::kC, false, true},
               {"w", ColumnType::kText, Collation::kLocale, false, false},
               {"id", ColumnType::kInt64, Collation::kC, false, false}};
  s.primary_key = {2, 1};
  return s;
}
Row tally_row(int64_t n, std::string_view w, int64_t id) {
  return {Value::int64(n), Value::text(w), Value::int64(id)};
}

rc::Gen<std::string> short_text() {
  return rc::gen::container<std::string>(rc::gen::elementOf(std::string("aAbBzZ 0")));
}

RC_GTEST_PROP(SchemaProps, SameKeyIsEqualityOfKeyOf, ()) {
  const TableSchema s = tally_schema();
  const Row a = tally_row(*rc::gen::inRange(-2, 3), *short_text(), *rc::gen::inRange(-2, 3));
  // Often a's key with other fields, sometimes another key.
  const Row b = *rc::gen::oneOf(
      rc::gen::just(tally_row(*rc::gen::inRange(-2, 3), a[1].as_text(), a[2].as_int64())),
      rc::gen::just(tally_row(a[0].as_int64(), *short_text(), *rc::gen::inRange(-2, 3))));
  RC_ASSERT(s.same_key(a, b) == (s.key_of(a) == s.key_of(b)));
  RC_ASSERT(s.row_has_key(a, s.key_of(b)) == (s.key_of(a) == s.key_of(b)));
}

RC_GTEST_PROP(SchemaProps, IndexKeyOfRowIsIndexKeyOfItsKey, ()) {
  const HeapTable h(tally_schema());
  const Row row =
      tally_row(*rc::gen::arbitrary<int64_t>(), *short_text(), *rc::gen::arbitrary<int64_t>());
  RC_ASSERT(h.index_key_of_row(row) == h.index_key(h.schema().key_of(row)));
}

TEST(SchemaTest, KeyHelpersReadTheKeyColumnsInKeyOrder) {
  const TableSchema s = tally_schema();
  const HeapTable h(s);
  const Row row = tally_row(7, "b", 1);
  EXPECT_TRUE(s.row_has_key(row, {Value::int64(1), Value::text("b")}));
  EXPECT_FALSE(s.row_has_key(row, {Value::int64(7), Value::text("b")}));  // n is no key column
  EXPECT_FALSE(s.row_has_key(row, {Value::text("b"), Value::int64(1)}));  // column order
  EXPECT_TRUE(s.same_key(row, tally_row(8, "b", 1)));
  EXPECT_FALSE(s.same_key(row, tally_row(7, "b", 2)));
  // Ordered by id first: (1, "z") before (2, "a").
  EXPECT_LT(h.index_key_of_row(tally_row(0, "z", 1)), h.index_key_of_row(tally_row(0, "a", 2)));
  EXPECT_EQ(h.index_key_of_row(row), h.index_key({Value::int64(1), Value::text("b")}));
}

TEST(SchemaTest, SameKeyLooksOnlyAtTheKeyColumns) {
  const TableSchema s = testing::words_schema();
  EXPECT_TRUE(s.same_key(words_row("é", "a", 1), words_row("é", "a", 2)));
  EXPECT_FALSE(s.same_key(words_row("é", "a", 1), words_row("e", "a", 1)));
  EXPECT_FALSE(s.same_key(words_row("é", "a", 1), words_row("é", "A", 1)));
}

TEST(SchemaTest, RowHasKeyRejectsAKeyOfAnotherWidth) {
  const TableSchema s = testing::words_schema();
  const Row row = words_row("a", "b", 1);
  EXPECT_TRUE(s.row_has_key(row, {Value::text("a"), Value::text("b")}));
  EXPECT_FALSE(s.row_has_key(row, {Value::text("a")}));
  EXPECT_FALSE(s.row_has_key(row, {Value::text("a"), Value::text("b"), Value::int64(1)}));
}

TEST(SchemaTest, IndexKeyOfRowUsesTheDatabaseCollation) {
  const HeapTable h(testing::words_schema());
  // Under the locale collation "a" sorts before "B"; bytewise it sorts after.
  EXPECT_LT(h.index_key_of_row(words_row("a", "x", 0)), h.index_key_of_row(words_row("B", "x", 0)));
  EXPECT_GT(h.bytewise_key_of_row(words_row("a", "x", 0)),
            h.bytewise_key_of_row(words_row("B", "x", 0)));
}

TEST(CtidTextTest, AppendCtidAppendsTheCtidsText) {
  std::string out = "ctid:";
  append_ctid(Ctid{0, 1}, &out);
  EXPECT_EQ(out, "ctid:(0,1)");
  append_ctid(Ctid{4294967295u, 65535}, &out);
  EXPECT_EQ(out, "ctid:(0,1)(4294967295,65535)");
  EXPECT_EQ(to_string(Ctid{3, 7}), "(3,7)");
  // The longest text is kCtidTextMax bytes.
  EXPECT_EQ(to_string(Ctid{4294967295u, 65535}).size(), kCtidTextMax);
}

}  // namespace
}  // namespace cdc
