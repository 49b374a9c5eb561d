// Keys as typed values: a binding's DocKey decodes under its key types, and
// a violation's explanation, witness and subject show keys as (53) or
// ('Zoë', 7) rather than encoded bytes.
#include "properties/key_text.h"

#include <gtest/gtest.h>

#include <vector>

#include "model/key_encoding.h"
#include "properties/checkers.h"
#include "properties/helpers.h"

namespace cdc::properties::detail {
namespace {

std::string int_key(int64_t v) {
  const std::vector<Value> k{Value::int64(v)};
  const std::vector<ColumnType> t{ColumnType::kInt64};
  return encode_capture_key(k, t);
}

std::string text_int_key(const std::string& s, int64_t v) {
  const std::vector<Value> k{Value::text(s), Value::int64(v)};
  const std::vector<ColumnType> t{ColumnType::kText, ColumnType::kInt64};
  return encode_capture_key(k, t);
}

history::History two_bindings() {
  history::History h;
  history::Binding ints;
  ints.id = 0;
  ints.key_types = {ColumnType::kInt64};
  history::Binding pairs;
  pairs.id = 1;
  pairs.key_types = {ColumnType::kText, ColumnType::kInt64};
  history::Binding keyless;
  keyless.id = 2;
  keyless.keyless = true;
  h.bindings = {ints, pairs, keyless};
  return h;
}

TEST(KeyTextTest, KeysDecodeUnderTheirBindingsTypes) {
  const history::History h = two_bindings();
  EXPECT_EQ(render_key(h, 0, int_key(53)), "(53)");
  EXPECT_EQ(render_key(h, 0, int_key(-7)), "(-7)");
  EXPECT_EQ(render_key(h, 1, text_int_key("Zo\xc3\xab", 7)), "('Zo\xc3\xab', 7)");
  EXPECT_EQ(render_key(h, 1, text_int_key("it's", 0)), "('it''s', 0)");
  EXPECT_EQ(render_key(h, 1, text_int_key(std::string("a\0b", 3), 1)),
            std::string("('a\0b', 1)", 10));
  // Bytes that are not a key of the binding fall back to the raw rendering.
  EXPECT_EQ(render_key(h, 0, int_key(53) + "x"), render_key(int_key(53) + "x"));
  EXPECT_EQ(render_key(h, 1, int_key(53)), render_key(int_key(53)));
  EXPECT_EQ(render_key(h, 2, "wal:t.v1:5:0"), "\"wal:t.v1:5:0\"");
  EXPECT_EQ(render_key(h, 9, int_key(1)), render_key(int_key(1)));
}

TEST(KeyTextTest, DecodeIsTheInverseOfTheCaptureEncoding) {
  const std::vector<ColumnType> t{ColumnType::kText, ColumnType::kInt64};
  for (const std::string& s : {std::string(), std::string("x"), std::string("\0\0", 2)}) {
    for (int64_t v : {INT64_MIN, int64_t{-1}, int64_t{0}, INT64_MAX}) {
      const auto back = decode_capture_key(text_int_key(s, v), t);
      ASSERT_TRUE(back.has_value());
      EXPECT_EQ((*back)[0].as_text(), s);
      EXPECT_EQ((*back)[1].as_int64(), v);
    }
  }
  EXPECT_FALSE(decode_capture_key(std::string("ab\0", 3), t).has_value());
  EXPECT_FALSE(decode_capture_key(std::string("a\0\x01", 3), t).has_value());
}

TEST(KeyTextTest, ExplanationsAndWitnessesShowTypedKeys) {
  history::History h = two_bindings();
  history::CollectionTxn txn;
  history::Document d;
  d.binding = 0;
  d.key = int_key(53);
  txn.docs.push_back(d);
  h.collection_txns.push_back(txn);
  const KeyTexts keys(h);
  EXPECT_EQ(keys.size(), 1u);
  Verdict v = Verdict::violation("p", "Let k = " + render_key(d.key) + " be a key; 0x12 is not",
                                 {"row " + render_key(d.key) + " lost", "\"quoted\" 0x8"});
  keys.rewrite(&v);
  EXPECT_EQ(v.explanation, "Let k = (53) be a key; 0x12 is not");
  EXPECT_EQ(v.witness[0], "row (53) lost");
  EXPECT_EQ(v.witness[1], "\"quoted\" 0x8");
}

// Built for the texts it will rewrite, KeyTexts renders only the keys those
// texts name, and rewrites them as the whole-history KeyTexts does.
TEST(KeyTextTest, KeysWantedByTheTextsRewriteAsAllKeysDo) {
  history::History h = two_bindings();
  history::CollectionTxn txn;
  for (int64_t k : {7, 53, 90}) {
    history::Document d;
    d.binding = 0;
    d.key = int_key(k);
    txn.docs.push_back(d);
  }
  h.collection_txns.push_back(txn);
  const std::string text = "keys " + render_key(int_key(53)) + " and \"plain\", " +
                           render_key(int_key(90)) + "ff and 0x1";
  const KeyTexts all(h);
  const KeyTexts wanted(h, {text});
  EXPECT_EQ(all.size(), 3u);
  EXPECT_EQ(wanted.size(), 1u);  // 53 only: 90's rendering runs on into "ff"
  EXPECT_EQ(wanted.rewrite(text), all.rewrite(text));
  EXPECT_EQ(wanted.rewrite(text),
            "keys (53) and \"plain\", " + render_key(int_key(90)) + "ff and 0x1");
  EXPECT_EQ(KeyTexts(h, {"no keys here"}).size(), 0u);
}

// Keys of 256 bytes or more pass the wanted-key filter by another path than
// short ones (its length and last-byte sets stop at 255): a long key the
// texts name is still found and rewritten, beside a short one.
TEST(KeyTextTest, LongWantedKeysAreRewrittenToo) {
  history::History h = two_bindings();
  history::CollectionTxn txn;
  const std::string long_text(300, 'a');
  for (const std::string& key :
       {text_int_key(long_text, 1), text_int_key(long_text, 2), text_int_key("b", 3)}) {
    history::Document d;
    d.binding = 1;
    d.key = key;
    txn.docs.push_back(d);
  }
  h.collection_txns.push_back(txn);
  const std::string text =
      "lost " + render_key(text_int_key(long_text, 2)) + " and " + render_key(text_int_key("b", 3));
  const KeyTexts wanted(h, {text});
  EXPECT_EQ(wanted.size(), 2u);
  EXPECT_EQ(wanted.rewrite(text), "lost ('" + long_text + "', 2) and ('b', 3)");
  EXPECT_EQ(wanted.rewrite(text), KeyTexts(h).rewrite(text));
}

}  // namespace
}  // namespace cdc::properties::detail
