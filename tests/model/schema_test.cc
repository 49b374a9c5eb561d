// TableSchema's key helpers and HeapTable's index keys built from rows: each
// must agree with the form that builds the key first (key_of, index_key), on
// single and composite keys, under the "C" and the locale collation.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <string>
#include <vector>

#include "model/heap.h"
#include "model/key_encoding.h"
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

rc::Gen<std::string> short_text() {
  return rc::gen::container<std::string>(rc::gen::elementOf(std::string("aAeé Z\0", 8)));
}

RC_GTEST_PROP(SchemaProps, SameKeyIsEqualityOfKeyOf, ()) {
  const TableSchema s = testing::words_schema();
  const Row a = words_row(*short_text(), *short_text(), *rc::gen::inRange(-2, 3));
  const Row b = *rc::gen::element(a, words_row(*short_text(), *short_text(), 0));
  RC_ASSERT(s.same_key(a, b) == (s.key_of(a) == s.key_of(b)));
  RC_ASSERT(s.row_has_key(a, s.key_of(b)) == (s.key_of(a) == s.key_of(b)));
}

RC_GTEST_PROP(SchemaProps, IndexKeyOfRowIsIndexKeyOfItsKey, ()) {
  const HeapTable h(testing::words_schema());
  const Row row = words_row(*short_text(), *short_text(), *rc::gen::arbitrary<int64_t>());
  RC_ASSERT(h.index_key_of_row(row) == h.index_key(h.schema().key_of(row)));
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
  EXPECT_GT(encode_row_key(words_row("a", "x", 0), h.schema().primary_key, h.key_types(),
                           h.bytewise_collations()),
            encode_row_key(words_row("B", "x", 0), h.schema().primary_key, h.key_types(),
                           h.bytewise_collations()));
}

TEST(CtidTextTest, AppendCtidAppendsToString) {
  for (const Ctid c : {Ctid{0, 1}, Ctid{4294967295u, 65535}, Ctid{12, 0}}) {
    std::string out = "ctid:";
    append_ctid(c, &out);
    EXPECT_EQ(out, "ctid:" + to_string(c));
    EXPECT_LE(to_string(c).size(), kCtidTextMax);
  }
  EXPECT_EQ(to_string(Ctid{4294967295u, 65535}).size(), kCtidTextMax);
  EXPECT_EQ(to_string(Ctid{3, 7}), "(3,7)");
}

}  // namespace
}  // namespace cdc
