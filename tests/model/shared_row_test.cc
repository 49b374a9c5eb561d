// SharedRow: copies share one block, equality is by values, and reducing into
// a shared row gives what reducing into a plain row gives. OptionalRow: one
// word that behaves as std::optional<SharedRow> under any sequence of writes.
#include "model/shared_row.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <array>
#include <optional>
#include <string>
#include <vector>

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

// release_rows() lets go of the first n rows it is given, each once, and of
// no other, for n from kReleaseAtLeast on (on both sides of a multiple of
// how far ahead it fetches); a shorter range it leaves alone.
TEST(SharedRowTest, ReleaseRowsReleasesEachRowOfItsRange) {
  const SharedRow held = row_of({Value::int64(7), Value::text(std::string(30, 'y'))});
  for (const size_t n :
       {size_t{0}, size_t{1}, kReleaseAtLeast - 1, kReleaseAtLeast, kReleaseAtLeast + 1,
        kReleaseAtLeast + kReleaseAhead - 1, 3 * kReleaseAtLeast + 2}) {
    std::vector<SharedRow> rows(n + 2, held);
    ASSERT_EQ(held.use_count(), n + 3);
    release_rows(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(n),
                 [](SharedRow& r) -> SharedRow& { return r; });
    const bool released = n >= kReleaseAtLeast;
    // The two rows past the range, `held`, and the range unless released.
    EXPECT_EQ(held.use_count(), released ? 3u : n + 3) << n;
    for (size_t i = 0; i < n; ++i)
      EXPECT_EQ(rows[i].empty(), released) << n << " " << i;
    EXPECT_TRUE(rows[n].shares_block_with(held)) << n;
    EXPECT_TRUE(rows[n + 1].shares_block_with(held)) << n;
  }
  // Rows that are the last holders of their blocks free them (the sanitizers
  // would report a leak or a double free).
  std::vector<SharedRow> own;
  for (int64_t i = 0; i < static_cast<int64_t>(kReleaseAtLeast) + 3; ++i)
    own.push_back(row_of({Value::int64(i), Value::text(std::string(20, 'z'))}));
  release_rows(own.begin(), own.end(), [](SharedRow& r) -> SharedRow& { return r; });
  for (const SharedRow& r : own)
    EXPECT_EQ(r.use_count(), 0u);
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

static_assert(sizeof(OptionalRow) == sizeof(void*), "an OptionalRow is one word");

TEST(OptionalRowTest, NoneIsNotTheRowOfNoColumns) {
  const OptionalRow none;
  const OptionalRow empty = SharedRow();
  EXPECT_FALSE(none.has_value());
  EXPECT_TRUE(empty.has_value());
  EXPECT_TRUE(empty->empty());
  EXPECT_FALSE(none == empty);
  EXPECT_TRUE(none == std::nullopt);
  EXPECT_FALSE(empty == std::nullopt);
  EXPECT_FALSE(static_cast<std::optional<SharedRow>>(none).has_value());
  EXPECT_EQ(static_cast<std::optional<SharedRow>>(empty), std::optional<SharedRow>(SharedRow()));
}

TEST(OptionalRowTest, CopiesCountTheBlockAndNoneCountsNothing) {
  const SharedRow a = row_of({Value::int64(1), Value::text(std::string(40, 'x'))});
  {
    OptionalRow held = a;
    const OptionalRow copy = held;
    EXPECT_EQ(a.use_count(), 3u);
    EXPECT_TRUE(copy->shares_block_with(a));
    const OptionalRow taken = std::move(held);
    EXPECT_EQ(a.use_count(), 3u);
    // NOLINTNEXTLINE(bugprone-use-after-move): a moved-from one holds the row of no columns
    EXPECT_TRUE(held.has_value() && held->empty());
    held = std::nullopt;
    EXPECT_FALSE(held.has_value());
    held = copy;
    EXPECT_EQ(a.use_count(), 4u);
    held.reset();
    EXPECT_EQ(a.use_count(), 3u);
  }
  EXPECT_EQ(a.use_count(), 1u);
}

// Random writes to a few OptionalRows and to std::optional<SharedRow>s beside
// them: after each, every pair reads the same, and every block is held by
// exactly as many of each as before the OptionalRows took part.
RC_GTEST_PROP(OptionalRowProps, BehavesAsAnOptionalSharedRow, ()) {
  const std::array<SharedRow, 3> rows = {SharedRow(), row_of({Value::int64(1)}),
                                         row_of({Value::int64(2), Value::null()})};
  std::array<OptionalRow, 3> ours;
  std::array<std::optional<SharedRow>, 3> theirs;
  const size_t steps = *rc::gen::inRange<size_t>(0, 40);
  for (size_t step = 0; step < steps; ++step) {
    const size_t i = *rc::gen::inRange<size_t>(0, 3);
    const size_t j = *rc::gen::inRange<size_t>(0, 3);
    switch (*rc::gen::inRange(0, 7)) {
      case 0:
        ours[i] = rows[j];
        theirs[i] = rows[j];
        break;
      case 1:
        ours[i] = std::nullopt;
        theirs[i] = std::nullopt;
        break;
      case 2:
        ours[i] = ours[j];
        theirs[i] = theirs[j];
        break;
      case 3:
        if (i != j) {
          ours[i] = std::move(ours[j]);
          theirs[i] = std::move(theirs[j]);
        }
        break;
      case 4:
        ours[i].reset();
        theirs[i].reset();
        break;
      case 5:  // a Row: a block of its own, equal by values
        ours[i] = rows[j].to_row();
        theirs[i] = rows[j].to_row();
        break;
      default:
        ours[i].swap(ours[j]);
        theirs[i].swap(theirs[j]);
        break;
    }
    for (size_t k = 0; k < ours.size(); ++k) {
      RC_ASSERT(ours[k].has_value() == theirs[k].has_value());
      if (ours[k]) RC_ASSERT(*ours[k] == *theirs[k]);
      RC_ASSERT(static_cast<std::optional<SharedRow>>(ours[k]) == theirs[k]);
      for (size_t l = 0; l < ours.size(); ++l)
        RC_ASSERT((ours[k] == ours[l]) == (theirs[k] == theirs[l]));
    }
    for (size_t r = 1; r < rows.size(); ++r) {
      uint32_t ours_held = 0;
      uint32_t theirs_held = 0;
      for (size_t k = 0; k < ours.size(); ++k) {
        ours_held += ours[k] && ours[k]->shares_block_with(rows[r]) ? 1 : 0;
        theirs_held += theirs[k] && theirs[k]->shares_block_with(rows[r]) ? 1 : 0;
      }
      RC_ASSERT(ours_held == theirs_held);
      RC_ASSERT(rows[r].use_count() == 1 + ours_held + theirs_held);
    }
  }
}

}  // namespace
}  // namespace cdc
