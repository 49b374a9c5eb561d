// Expectations of the keyless checkers: convergence and duplicates are
// violable as documented wherever a binding has no primary key; no loss must
// hold unless a rule of no_loss excuses it.
#include <gtest/gtest.h>

#include <algorithm>

#include "properties/expectations.h"
#include "tests/properties/keyless_builder.h"

namespace cdc::properties::testing {
namespace {

TEST(KeylessExpectationsTest, AKeylessBindingIsASituation) {
  const std::vector<Situation> keyless = situations(clean_keyless().build());
  EXPECT_NE(std::find(keyless.begin(), keyless.end(), Situation::kKeylessBinding), keyless.end());
  const std::vector<Situation> keyed = situations(clean_normal().build());
  EXPECT_EQ(std::find(keyed.begin(), keyed.end(), Situation::kKeylessBinding), keyed.end());
}

TEST(KeylessExpectationsTest, ConvergenceAndDuplicatesAreViolableAsDocumented) {
  for (const char* p : {"keyless_convergence", "keyless_duplicates"}) {
    const Expectation e =
        expectation(BackfillMode::kWithoutPrimaryKey, p, {Situation::kKeylessBinding});
    EXPECT_EQ(e.expect, Expect::kViolableDocumented) << p;
    EXPECT_NE(e.reason.find("lacks the exact correctness properties"), std::string::npos) << p;
  }
}

TEST(KeylessExpectationsTest, NoLossMustHoldUnlessNoLossIsExcused) {
  EXPECT_EQ(
      expectation(BackfillMode::kWithoutPrimaryKey, "keyless_no_loss", {Situation::kKeylessBinding})
          .expect,
      Expect::kHolds);
  EXPECT_EQ(expectation(BackfillMode::kWithoutPrimaryKey, "keyless_no_loss",
                        {Situation::kKeylessBinding, Situation::kRetentionExpired})
                .expect,
            Expect::kViolableDocumented);
}

// Only Changes reads no row that existed before the capture started.
TEST(KeylessExpectationsTest, OnlyChangesMayLoseRowsAsDocumented) {
  EXPECT_EQ(expectation(BackfillMode::kOnlyChanges, "keyless_no_loss", {Situation::kKeylessBinding})
                .expect,
            Expect::kViolableDocumented);
}

// A rewrite that packs a row from where the scan had still to read into
// blocks it has passed is a situation of its own; a move the other way, or
// an UPDATE's, is not.
TEST(KeylessExpectationsTest, ARewriteBehindTheScanIsASituation) {
  History h = clean_keyless().build();
  history::RowMove m;
  m.table = kTable;
  m.cause = history::RowMove::Cause::kVacuumFull;
  m.from = Ctid{3, 2};
  m.to = Ctid{0, 5};
  m.cursors.push_back({kBinding, Ctid{2, 0}});
  h.row_moves.push_back(m);
  auto shows = [](const History& x) {
    const std::vector<Situation> seen = situations(x);
    return std::find(seen.begin(), seen.end(), Situation::kRewriteBehindKeylessScan) != seen.end();
  };
  EXPECT_TRUE(shows(h));
  h.row_moves[0].cause = history::RowMove::Cause::kUpdate;
  EXPECT_FALSE(shows(h));
  h.row_moves[0].cause = history::RowMove::Cause::kVacuumFull;
  h.row_moves[0].cursors[0].next = Ctid{4, 0};  // both ends already read
  EXPECT_FALSE(shows(h));
  EXPECT_EQ(expectation(BackfillMode::kWithoutPrimaryKey, "keyless_no_loss",
                        {Situation::kKeylessBinding, Situation::kRewriteBehindKeylessScan})
                .expect,
            Expect::kKnownLimitation);
}

// A keyless change document without an unchanged TOAST value.
TEST(KeylessExpectationsTest, AnOmittedToastValueIsASituation) {
  History h = clean_keyless().build();
  h.collection_txns[1].docs[0].present_mask = 0b01;
  const std::vector<Situation> seen = situations(h);
  EXPECT_NE(std::find(seen.begin(), seen.end(), Situation::kKeylessToastOmitted), seen.end());
}

}  // namespace
}  // namespace cdc::properties::testing
