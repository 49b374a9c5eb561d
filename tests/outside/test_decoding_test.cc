#include "outside/test_decoding.h"

#include <gtest/gtest.h>

namespace cdc::outside {
namespace {

std::vector<TableSchema> schemas() {
  TableSchema accounts;
  accounts.name = "accounts";
  accounts.columns = {{"id", ColumnType::kInt64}, {"note", ColumnType::kText}};
  accounts.primary_key = {0};
  TableSchema tags = accounts;
  tags.name = "tags";
  return {accounts, tags};
}

using Kind = DecodedLine::Kind;

TEST(TestDecodingLineTest, BeginAndCommitCarryTheXid) {
  const Result<DecodedLine> b = parse_test_decoding_line("BEGIN 745", schemas());
  ASSERT_TRUE(b.is_ok()) << b.error().message;
  EXPECT_EQ(b.value().kind, Kind::kBegin);
  EXPECT_EQ(b.value().xid, 745u);
  const Result<DecodedLine> c = parse_test_decoding_line("COMMIT 4294967295", schemas());
  ASSERT_TRUE(c.is_ok());
  EXPECT_EQ(c.value().kind, Kind::kCommit);
  EXPECT_EQ(c.value().xid, 4294967295u);
}

TEST(TestDecodingLineTest, InsertHasTypedValuesAndUnquotedText) {
  const Result<DecodedLine> l = parse_test_decoding_line(
      "table public.accounts: INSERT: id[bigint]:-7 note[text]:'it''s a b'", schemas());
  ASSERT_TRUE(l.is_ok()) << l.error().message;
  EXPECT_EQ(l.value().kind, Kind::kInsert);
  ASSERT_EQ(l.value().tables, std::vector<uint32_t>{0});
  ASSERT_EQ(l.value().new_tuple.size(), 2u);
  EXPECT_EQ(l.value().new_tuple[0].value, Value::int64(-7));
  EXPECT_EQ(l.value().new_tuple[1].value, Value::text("it's a b"));
  EXPECT_FALSE(l.value().old_tuple.has_value());
}

TEST(TestDecodingLineTest, UpdateWithOldKeyNullAndUnchangedToast) {
  const Result<DecodedLine> l = parse_test_decoding_line(
      "table public.tags: UPDATE: old-key: id[bigint]:2 new-tuple: id[bigint]:4 "
      "note[text]:unchanged-toast-datum",
      schemas());
  ASSERT_TRUE(l.is_ok()) << l.error().message;
  EXPECT_EQ(l.value().kind, Kind::kUpdate);
  EXPECT_EQ(l.value().tables, std::vector<uint32_t>{1});
  ASSERT_TRUE(l.value().old_tuple.has_value());
  EXPECT_EQ(l.value().old_tuple->at(0).value, Value::int64(2));
  EXPECT_TRUE(l.value().new_tuple[1].unchanged_toast);
  const Result<DecodedLine> n =
      parse_test_decoding_line("table accounts: UPDATE: id[bigint]:4 note[text]:null", schemas());
  ASSERT_TRUE(n.is_ok());
  EXPECT_TRUE(n.value().new_tuple[1].value.is_null());
  EXPECT_FALSE(n.value().new_tuple[1].unchanged_toast);
}

TEST(TestDecodingLineTest, DeletesAndTruncates) {
  const Result<DecodedLine> d =
      parse_test_decoding_line("table public.accounts: DELETE: id[bigint]:9", schemas());
  ASSERT_TRUE(d.is_ok());
  EXPECT_EQ(d.value().kind, Kind::kDelete);
  EXPECT_EQ(d.value().old_tuple->at(0).value, Value::int64(9));
  const Result<DecodedLine> none =
      parse_test_decoding_line("table public.accounts: DELETE: (no-tuple-data)", schemas());
  ASSERT_TRUE(none.is_ok());
  EXPECT_FALSE(none.value().old_tuple.has_value());
  const Result<DecodedLine> t = parse_test_decoding_line(
      "table public.accounts, public.tags: TRUNCATE: (no-flags)", schemas());
  ASSERT_TRUE(t.is_ok()) << t.error().message;
  EXPECT_EQ(t.value().kind, Kind::kTruncate);
  EXPECT_EQ(t.value().tables, (std::vector<uint32_t>{0, 1}));
}

TEST(TestDecodingLineTest, ErrorsNameTheColumn) {
  struct Case {
    const char* line;
    const char* says;
  };
  for (const Case& c : {
           Case{"BEGIN", "expected BEGIN, COMMIT or table"},
           Case{"BEGIN x", "column 7: expected a transaction id"},
           Case{"table public.nope: INSERT: id[bigint]:1", "unknown table public.nope"},
           Case{"table accounts: INSERT: id[bigint]:1 zz[text]:'a'", "has no column zz"},
           Case{"table accounts: INSERT: id[bigint]:'a'", "integer column, got text"},
           Case{"table accounts: INSERT: id[bigint]:1x", "wants an integer, got '1x'"},
           Case{"table accounts: INSERT: id[bigint]:1 note[text]:'open", "unterminated"},
           Case{"table accounts: MERGE: id[bigint]:1", "unknown operation MERGE"},
           Case{"table accounts: INSERT: id", "expected name[type]:value"},
       }) {
    const Result<DecodedLine> l = parse_test_decoding_line(c.line, schemas());
    ASSERT_FALSE(l.is_ok()) << c.line;
    EXPECT_NE(l.error().message.find(c.says), std::string::npos)
        << c.line << " -> " << l.error().message;
    EXPECT_EQ(l.error().message.rfind("column ", 0), 0u) << l.error().message;
  }
}

}  // namespace
}  // namespace cdc::outside
