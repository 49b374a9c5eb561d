#include "model/value.h"

#include <gtest/gtest.h>

#include <string>

namespace cdc {
namespace {

// Long text lives in a shared block: a copy shares it and equals it without
// reading it, and two blocks are equal exactly when their texts are.
TEST(ValueTest, LongTextEqualsByItsBytesWhetherOrNotTheBlockIsShared) {
  const std::string text(40, 'x');
  const Value a = Value::text(text);
  const Value copy = a;               // the same block
  const Value b = Value::text(text);  // another block, equal bytes
  const Value other = Value::text(std::string(39, 'x') + "y");
  EXPECT_EQ(a, copy);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, other);
  EXPECT_NE(copy, other);
  EXPECT_NE(a, Value::text("x"));
  EXPECT_NE(a, Value::int64(40));
  EXPECT_EQ(Value::text("short"), Value::text("short"));
  EXPECT_NE(Value::text("short"), Value::text("shorT"));
}

}  // namespace
}  // namespace cdc
