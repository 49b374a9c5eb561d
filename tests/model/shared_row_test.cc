// SharedRow: copies share one block, equality is by values, and reducing into
// a shared row gives what reducing into a plain row gives.
#include "model/shared_row.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <string>

#include "model/reduction.h"

namespace cdc {
namespace {

Row row_of(std::initializer_list<Value> values) {
  return Row(values);
}

TEST(SharedRowTest, CopiesShareOneBlockAndTheLastFreesIt) {
  const SharedRow a = row_of({Value::int64(1), Value::text(std::string(40, 'x'))});
  EXPECT_EQ(a.use_count(), 1u);
  {
    const SharedRow b = a;
    EXPECT_TRUE(b.shares_block_with(a));
    EXPECT_EQ(a.use_count(), 2u);
  }
  EXPECT_EQ(a.use_count(), 1u);
  SharedRow moved = a;
  const SharedRow taken = std::move(moved);
  EXPECT_EQ(a.use_count(), 2u);
  EXPECT_TRUE(moved.empty());  // NOLINT(bugprone-use-after-move): a move leaves no row
  EXPECT_EQ(SharedRow().use_count(), 0u);
}

TEST(SharedRowTest, EqualityComparesValuesNotBlocks) {
  const SharedRow a = row_of({Value::int64(1), Value::null()});
  const SharedRow b = row_of({Value::int64(1), Value::null()});
  EXPECT_FALSE(a.shares_block_with(b));
  EXPECT_EQ(a, b);
  EXPECT_EQ(a, row_of({Value::int64(1), Value::null()}));
  EXPECT_FALSE(a == row_of({Value::int64(1)}));
  EXPECT_FALSE(a == row_of({Value::int64(1), Value::int64(0)}));
  EXPECT_EQ(a.to_row(), row_of({Value::int64(1), Value::null()}));
  EXPECT_EQ(SharedRow(), Row());
  EXPECT_EQ(to_string(a), "(1,NULL)");
}

// A row of 1 to 3 small integers or NULLs, and a mask over 4 columns.
Row random_row() {
  Row row;
  for (size_t c = *rc::gen::inRange<size_t>(1, 4); c > 0; --c) {
    const int v = *rc::gen::inRange(-1, 3);
    row.push_back(v < 0 ? Value::null() : Value::int64(v));
  }
  return row;
}

RC_GTEST_PROP(SharedRowProps, ReducingIntoASharedRowIsReducingIntoARow, ()) {
  const bool first_wins = *rc::gen::arbitrary<bool>();
  Row plain;
  uint64_t plain_mask = 0;
  SharedRow shared;
  uint64_t shared_mask = 0;
  for (int i = *rc::gen::inRange(1, 6); i > 0; --i) {
    const Row doc = random_row();
    const uint64_t mask = *rc::gen::inRange<uint64_t>(0, 16);
    reduce_fields(&plain, &plain_mask, doc, mask, first_wins);
    const SharedRow doc_row = doc;
    reduce_fields(&shared, &shared_mask, doc_row, mask, first_wins);
    RC_ASSERT(shared == plain);
    RC_ASSERT(shared_mask == plain_mask);
  }
}

// Under first wins a column past the 64 a mask can name counts as present,
// so a document that wide keeps the reduced row's NULL there.
TEST(SharedRowTest, FirstWinsKeepsColumnsPastTheMaskOfAWideDocument) {
  Row wide(65, Value::int64(7));
  Row plain;
  uint64_t plain_mask = 0;
  reduce_fields(&plain, &plain_mask, wide, ~uint64_t{0}, /*first_wins=*/true);
  SharedRow shared;
  uint64_t shared_mask = 0;
  reduce_fields(&shared, &shared_mask, SharedRow(wide), ~uint64_t{0}, /*first_wins=*/true);
  EXPECT_TRUE(plain[64].is_null());
  EXPECT_EQ(shared, plain);
}

TEST(SharedRowTest, AWholeDocumentIsSharedNotCopied) {
  SharedRow reduced;
  uint64_t mask = 0;
  const SharedRow doc = row_of({Value::int64(1), Value::int64(2)});
  reduce_fields(&reduced, &mask, doc, 0b11);
  EXPECT_TRUE(reduced.shares_block_with(doc));
  const SharedRow partial = row_of({Value::int64(3), Value::null()});
  reduce_fields(&reduced, &mask, partial, 0b01);
  EXPECT_FALSE(reduced.shares_block_with(partial));
  EXPECT_EQ(reduced, row_of({Value::int64(3), Value::int64(2)}));
}

}  // namespace
}  // namespace cdc
