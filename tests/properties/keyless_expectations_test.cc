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

bool shows_rewrite_behind_scan(const History& h) {
  const std::vector<Situation> seen = situations(h);
  return std::find(seen.begin(), seen.end(), Situation::kRewriteBehindKeylessScan) != seen.end();
}

// A rewrite that packs a row from where the scan had still to read into
// blocks it has passed is a situation of its own; a move the other way, or
// an UPDATE's, is not.
TEST(KeylessExpectationsTest, ARewriteBehindTheScanIsASituation) {
  History h = clean_keyless().build();
  h.row_moves.push_back(vacuum_full(Ctid{3, 2}, Ctid{0, 5}, Ctid{2, 0}));
  EXPECT_TRUE(shows_rewrite_behind_scan(h));
  h.row_moves[0].cause = history::RowMove::Cause::kUpdate;
  EXPECT_FALSE(shows_rewrite_behind_scan(h));
  h.row_moves[0].cause = history::RowMove::Cause::kVacuumFull;
  h.row_moves[0].cursors[0].next = Ctid{4, 0};  // both ends already read
  EXPECT_FALSE(shows_rewrite_behind_scan(h));
  EXPECT_EQ(expectation(BackfillMode::kWithoutPrimaryKey, "keyless_no_loss",
                        {Situation::kKeylessBinding, Situation::kRewriteBehindKeylessScan})
                .expect,
            Expect::kKnownLimitation);
}

history::Resume resume_at(Ctid cursor) {
  history::Resume r;
  r.tick = 11;
  r.binding = kBinding;
  r.state_key = kState;
  r.mode = history::ResolvedMode::kWithoutPrimaryKey;
  r.cursor_ctid = cursor;
  return r;
}

// A rewrite between a chunk and the commit of its rows: the running scan has
// read the row where it was, but its rows are not committed. The committed
// cursor matters only when the next restart resumes the instance from it;
// a later checkpoint (the chunk committed) or a fresh start reads the row.
TEST(KeylessExpectationsTest, ARewriteBehindTheCommittedCursorCountsWhenARestartResumesThere) {
  History h = clean_keyless().build();
  // The running scan read the row at (2,1); a restart resumes at (2,0).
  h.row_moves.push_back(vacuum_full(Ctid{2, 1}, Ctid{1, 4}, Ctid{3, 0}, Ctid{2, 0}));
  EXPECT_FALSE(shows_rewrite_behind_scan(h));  // no restart follows
  h.resumes.push_back(resume_at(Ctid{2, 0}));
  EXPECT_TRUE(shows_rewrite_behind_scan(h));
  h.resumes[0].cursor_ctid = Ctid{3, 0};  // the chunk committed first
  EXPECT_FALSE(shows_rewrite_behind_scan(h));
  h.resumes[0].cursor_ctid = Ctid{2, 0};
  h.resumes[0].state_key = "items.v2";  // another instance, which read the row anew
  EXPECT_FALSE(shows_rewrite_behind_scan(h));
  h.resumes[0].state_key = kState;
  h.row_moves[0].resumes_before = 1;  // the restart came before the rewrite
  EXPECT_FALSE(shows_rewrite_behind_scan(h));
}

// A row packed behind the running scan is lost if the scan runs on, or a
// restart resumes it past the row's new place; not if a restart rewinds it
// to the committed cursor, at or before that place, and it reads the row
// again.
TEST(KeylessExpectationsTest, ARewriteBehindTheRunningScanCountsUnlessARestartRewindsIt) {
  History h = clean_keyless().build();
  h.row_moves.push_back(vacuum_full(Ctid{3, 1}, Ctid{2, 5}, Ctid{3, 0}, Ctid{2, 0}));
  EXPECT_TRUE(shows_rewrite_behind_scan(h));  // the scan runs on past (2,5)
  h.resumes.push_back(resume_at(Ctid{2, 0}));
  EXPECT_FALSE(shows_rewrite_behind_scan(h));  // rewound to block 2: read again
  h.resumes[0].cursor_ctid = Ctid{4, 0};       // the chunk committed first
  EXPECT_TRUE(shows_rewrite_behind_scan(h));
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
