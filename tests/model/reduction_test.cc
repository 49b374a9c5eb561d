// The one reduction of documents (model/reduction.h) that collections, the
// merge materialization and the checkers share.
#include "model/reduction.h"

#include <gtest/gtest.h>

namespace cdc {
namespace {

TEST(ReductionTest, PresentFieldsReplaceAbsentOnesKeepTheirValue) {
  Row fields;
  uint64_t mask = 0;
  reduce_fields(&fields, &mask, Row{Value::int64(1), Value::text("big")}, 0b11);
  // An update that omits column 1 (an unchanged TOAST value) keeps it.
  reduce_fields(&fields, &mask, Row{Value::int64(2), Value::null()}, 0b01);
  EXPECT_EQ(fields, (Row{Value::int64(2), Value::text("big")}));
  EXPECT_EQ(mask, 0b11u);
}

TEST(ReductionTest, AFieldNeverPresentStaysNullAndAbsent) {
  Row fields;
  uint64_t mask = 0;
  reduce_fields(&fields, &mask, Row{Value::int64(1), Value::null()}, 0b01);
  EXPECT_EQ(fields, (Row{Value::int64(1), Value::null()}));
  EXPECT_FALSE(field_present(mask, 1));
  EXPECT_TRUE(field_present(mask, 0));
  EXPECT_TRUE(field_present(0, 64));  // past what a mask can name: present
}

TEST(ReductionTest, FirstWinsIsTheSeededBugsOrder) {
  Row fields;
  uint64_t mask = 0;
  reduce_fields(&fields, &mask, Row{Value::int64(1)}, 0b1, /*first_wins=*/true);
  reduce_fields(&fields, &mask, Row{Value::int64(2)}, 0b1, /*first_wins=*/true);
  EXPECT_EQ(fields, (Row{Value::int64(1)}));
}

}  // namespace
}  // namespace cdc
