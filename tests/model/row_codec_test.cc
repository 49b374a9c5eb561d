// The WAL's row encoding: every row decodes to itself (NULLs,
// integers at the extremes, texts inline and shared, lengths of one and two
// LEB128 bytes), the layout is the one row_codec.h states, and an encoding
// cut short is a programmer error the decoder asserts on.
#include "model/row_codec.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <limits>
#include <string>

namespace cdc {
namespace {

rc::Gen<Value> gen_value() {
  return rc::gen::oneOf(
      rc::gen::just(Value::null()),
      rc::gen::map(rc::gen::oneOf(rc::gen::arbitrary<int64_t>(),
                                  rc::gen::element(std::numeric_limits<int64_t>::min(),
                                                   std::numeric_limits<int64_t>::max(), int64_t{-1},
                                                   int64_t{0})),
                   [](int64_t v) { return Value::int64(v); }),
      rc::gen::map(rc::gen::mapcat(rc::gen::element<size_t>(0, 1, 14, 15, 127, 128, 300),
                                   [](size_t n) {
                                     return rc::gen::container<std::string>(
                                         n, rc::gen::element('a', 'z', '\x80', '\xff'));
                                   }),
                   [](const std::string& s) { return Value::text(s); }));
}

RC_GTEST_PROP(RowCodecProps, EveryRowDecodesToItself, ()) {
  const Row row = *rc::gen::container<Row>(gen_value());
  const std::string bytes = encode_row(row);
  RC_ASSERT(decode_row(bytes) == row);
  RC_ASSERT(encoded_size(row) == bytes.size());  // what a record carrying the row weighs
  std::string appended = "prefix";
  encode_row(row, &appended);
  RC_ASSERT(appended == "prefix" + bytes);
}

TEST(RowCodecTest, LayoutIsTagThenLittleEndianIntegerOrLengthAndBytes) {
  const Row row = {Value::null(), Value::int64(0x0102), Value::text(std::string(130, 'x'))};
  const std::string bytes = encode_row(row);
  const std::string head("\0\1\2\1\0\0\0\0\0\0\2\x82\x01", 13);
  ASSERT_EQ(bytes.size(), head.size() + 130);
  EXPECT_EQ(bytes.substr(0, head.size()), head);
  EXPECT_EQ(bytes.substr(head.size()), std::string(130, 'x'));
}

TEST(RowCodecDeathTest, AnEncodingCutShortIsAsserted) {
  const std::string bytes = encode_row(Row{Value::int64(7)});
  EXPECT_DEATH(decode_row(std::string_view(bytes).substr(0, bytes.size() - 1)), "truncated");
}

}  // namespace
}  // namespace cdc
