#include "conformance/decoded_text.h"

#include <gtest/gtest.h>

#include "sim/prng.h"

namespace cdc::conformance {
namespace {

std::vector<TableSchema> schemas() {
  sim::Prng prng(1);
  return conformance_schemas(prng);  // accounts, tags, codes, events
}

TEST(DecodedTextTest, ParsesTestDecodingOutput) {
  const std::string long_note(3000, 'q');
  const std::vector<std::string> lines = {
      "BEGIN 745",
      "table public.accounts: INSERT: id[bigint]:1 balance[bigint]:-5 note[text]:'it''s'",
      "table public.accounts: UPDATE: old-key: id[bigint]:1 new-tuple: id[bigint]:2 "
      "balance[bigint]:8 note[text]:unchanged-toast-datum",
      "table public.tags: UPDATE: old-key: name[text]:'é a' region[text]:'r' n[bigint]:1 "
      "note[text]:'" +
          long_note +
          "' new-tuple: name[text]:'É a' region[text]:'r' n[bigint]:1 "
          "note[text]:unchanged-toast-datum",
      "table public.events: DELETE: (no-tuple-data)",
      "table public.accounts: DELETE: id[bigint]:2",
      "table public.events, public.codes: TRUNCATE: (no-flags)",
      "COMMIT 745",
      "BEGIN 4294967295",
      "table public.codes: INSERT: code[text]:'' v[bigint]:null",
      "COMMIT 4294967295",
  };
  Result<std::vector<CanonTxn>> txns = parse_test_decoding(lines, schemas());
  ASSERT_TRUE(txns.is_ok()) << txns.error().message;
  ASSERT_EQ(txns.value().size(), 2u);
  const CanonTxn& t = txns.value()[0];
  EXPECT_EQ(t.xid, 745u);
  ASSERT_EQ(t.changes.size(), 6u);
  EXPECT_EQ(t.changes[0], "INSERT accounts new(id=1 balance=-5 note='it''s')");
  EXPECT_EQ(t.changes[1], "UPDATE accounts old(id=1) new(id=2 balance=8 note=<unchanged-toast>)");
  EXPECT_EQ(t.changes[2], "UPDATE tags old(name='é a' region='r' n=1 note=" +
                              render_value(Value::text(long_note)) +
                              ") new(name='É a' region='r' n=1 note=<unchanged-toast>)");
  EXPECT_EQ(t.changes[3], "DELETE events (no old tuple)");
  EXPECT_EQ(t.changes[4], "DELETE accounts old(id=2)");
  EXPECT_EQ(t.changes[5], "TRUNCATE events codes");
  EXPECT_EQ(txns.value()[1].xid, 4294967295u);
  EXPECT_EQ(txns.value()[1].changes[0], "INSERT codes new(code='' v=NULL)");
}

TEST(DecodedTextTest, ModelChangesRenderTheSameWay) {
  const std::vector<TableSchema> s = schemas();
  DecodedChange update;
  update.kind = ChangeKind::kUpdate;
  update.table = TableId(0);
  update.new_row = {Value::int64(2), Value::int64(8), Value::null()};
  update.omitted_mask = 1u << 2;
  update.old_kind = OldTuple::kKey;
  update.old = {Value::int64(1)};
  EXPECT_EQ(canon_change(s, update),
            "UPDATE accounts old(id=1) new(id=2 balance=8 note=<unchanged-toast>)");
  DecodedChange del;
  del.kind = ChangeKind::kDelete;
  del.table = TableId(3);
  EXPECT_EQ(canon_change(s, del), "DELETE events (no old tuple)");
  DecodedChange trunc;
  trunc.kind = ChangeKind::kTruncate;
  trunc.truncated = {TableId(3), TableId(2)};
  EXPECT_EQ(canon_change(s, trunc), "TRUNCATE events codes");
}

TEST(DecodedTextTest, MalformedOutputIsAnError) {
  const std::vector<TableSchema> s = schemas();
  EXPECT_FALSE(parse_test_decoding({"table public.accounts: INSERT: id[bigint]:1"}, s).is_ok());
  EXPECT_FALSE(parse_test_decoding({"BEGIN 1", "COMMIT 2"}, s).is_ok());
  EXPECT_FALSE(
      parse_test_decoding({"BEGIN 1", "table public.nope: INSERT: x[int]:1", "COMMIT 1"}, s)
          .is_ok());
  EXPECT_FALSE(parse_test_decoding(
                   {"BEGIN 1", "table public.accounts: INSERT: id[bigint]:'x", "COMMIT 1"}, s)
                   .is_ok());
  EXPECT_FALSE(parse_test_decoding({"BEGIN 1"}, s).is_ok());
}

}  // namespace
}  // namespace cdc::conformance
