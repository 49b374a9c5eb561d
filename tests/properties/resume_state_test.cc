// resume_state on hand-built histories: resumes that carry what the
// committed history says pass; a wrong mode, cursor or done flag fails, with
// the binding, state key, tick and both values in the explanation.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "properties/checkers.h"
#include "tests/properties/history_builder.h"

namespace cdc::properties::testing {
namespace {

bool says(const Verdict& v, const std::string& part) {
  return v.explanation.find(part) != std::string::npos;
}

history::Resume resume(uint64_t tick, uint64_t last_seq, ResolvedMode mode,
                       std::optional<std::string> cursor, bool backfilled,
                       const std::string& state_key = kState) {
  history::Resume r;
  r.tick = tick;
  r.binding = kBinding;
  r.state_key = state_key;
  r.mode = mode;
  r.cursor = std::move(cursor);
  r.backfilled = backfilled;
  r.last_seq = last_seq;
  return r;
}

// A Precise backfill of k1, k2, k3 in two chunks: the first (k1, k2) commits
// in txn seq 1, a change commits alone in seq 2, the second (k3, final)
// commits in seq 3 and completes the instance.
HistoryBuilder two_chunks() {
  HistoryBuilder b;
  b.binding()
      .instance(ResolvedMode::kPrecise)
      .commit(100, {ins("k1", 1), ins("k2", 2), ins("k3", 3)})
      .chunk(std::nullopt, {"k1", "k2"}, 110, 1, false)
      .txn({doc_snap("k1", 1, 110), doc_snap("k2", 2, 110)})
      .commit(120, {upd("k1", 1, 4)})
      .txn({doc_u("k1", 4, 120)})
      .chunk("k2", {"k3"}, 130, 3, true)
      .txn({doc_snap("k3", 3, 130)}, {kState});
  return b;
}

// Resumes as the capture makes them: before any commit, after each txn.
History clean_resumes() {
  History h = two_chunks().build();
  h.resumes = {resume(5, 0, ResolvedMode::kPrecise, std::nullopt, false),
               resume(15, 1, ResolvedMode::kPrecise, "k2", false),
               resume(25, 2, ResolvedMode::kPrecise, "k2", false),
               resume(35, 3, ResolvedMode::kPrecise, "k3", true)};
  return h;
}

TEST(ResumeStateTest, HoldsWhenEveryResumeCarriesTheCommittedState) {
  const Verdict v = check_resume_state(clean_resumes());
  EXPECT_EQ(v.property, "resume_state");
  EXPECT_TRUE(Holds(v));
}

TEST(ResumeStateTest, UnknownWithoutResumes) {
  EXPECT_TRUE(Unknown(check_resume_state(History{})));
  EXPECT_TRUE(Unknown(check_resume_state(clean_normal().build())));
}

TEST(ResumeStateTest, ViolatedByAResumeInAnotherMode) {
  History h = clean_resumes();
  h.resumes[2].mode = ResolvedMode::kNormal;  // re-resolved instead of read back
  const Verdict v = check_resume_state(h);
  ASSERT_TRUE(Violated(v));
  EXPECT_TRUE(NoSubject(v));
  EXPECT_TRUE(says(v, "Let R be the resume of state items.v1 by binding 1 at tick 25")) << show(v);
  EXPECT_TRUE(says(v, "must resume with the mode Precise")) << show(v);
  EXPECT_TRUE(says(v, "but it resumed with Normal")) << show(v);
  EXPECT_TRUE(mentions(v, "backfill instance items.v1 of binding 1 (Precise"));
}

TEST(ResumeStateTest, ViolatedByAResumeThatRescansFromTheStart) {
  History h = clean_resumes();
  h.resumes[1].cursor.reset();  // the saved cursor dropped
  const Verdict v = check_resume_state(h);
  ASSERT_TRUE(Violated(v));
  EXPECT_TRUE(says(v, "at tick 15")) << show(v);
  EXPECT_TRUE(says(v, "must resume with the cursor \"k2\"")) << show(v);
  EXPECT_TRUE(says(v, "but it resumed with <start>")) << show(v);
  EXPECT_TRUE(mentions(v, "last committed chunk of items.v1 at tick 110"));
}

TEST(ResumeStateTest, ViolatedByACursorPastTheCommittedChunks) {
  // At seq 2 the second chunk has run but not committed: its cursor must not
  // be resumed from (its rows are lost with the crash).
  History h = clean_resumes();
  h.resumes[2].cursor = "k3";
  const Verdict v = check_resume_state(h);
  ASSERT_TRUE(Violated(v));
  EXPECT_TRUE(says(v, "must resume with the cursor \"k2\"")) << show(v);
  EXPECT_TRUE(says(v, "but it resumed with \"k3\"")) << show(v);
  // Before any chunk commits, any cursor is wrong.
  h = clean_resumes();
  h.resumes[0].cursor = "k1";
  const Verdict early = check_resume_state(h);
  ASSERT_TRUE(Violated(early));
  EXPECT_TRUE(says(early, "must resume with the cursor <start>")) << show(early);
  EXPECT_TRUE(mentions(early, "no chunk of items.v1 committed by txn seq 0"));
}

TEST(ResumeStateTest, AnEmptyFinalChunkLeavesTheCursorWhereItStarted) {
  History h = two_chunks().chunk("k3", {}, 140, 4, true).txn({}).build();
  h.resumes = {resume(45, 4, ResolvedMode::kPrecise, "k3", true)};
  EXPECT_TRUE(Holds(check_resume_state(h)));
}

TEST(ResumeStateTest, ViolatedByAResumeThatForgetsItIsDone) {
  History h = clean_resumes();
  h.resumes[3].backfilled = false;
  const Verdict v = check_resume_state(h);
  ASSERT_TRUE(Violated(v));
  EXPECT_TRUE(says(v, "at tick 35")) << show(v);
  EXPECT_TRUE(says(v, "must resume with the done flag done (txn seq 3 completed items.v1)"))
      << show(v);
  EXPECT_TRUE(says(v, "but it resumed with still backfilling")) << show(v);
  EXPECT_TRUE(mentions(v, "txn seq 3 at tick 30 completed items.v1"));
}

TEST(ResumeStateTest, ViolatedByAResumeDoneBeforeItsCompletionCommitted) {
  History h = clean_resumes();
  h.resumes[2].backfilled = true;
  const Verdict v = check_resume_state(h);
  ASSERT_TRUE(Violated(v));
  EXPECT_TRUE(says(v, "must resume with the done flag still backfilling")) << show(v);
  EXPECT_TRUE(mentions(v, "no txn completed items.v1 by txn seq 2"));
}

TEST(ResumeStateTest, AnOnlyChangesInstanceResumesDone) {
  HistoryBuilder b;
  b.binding().instance(ResolvedMode::kOnlyChanges).commit(100, {ins("k1", 1)});
  b.txn({doc_c("k1", 1, 100)});
  History h = b.build();
  h.resumes = {resume(15, 1, ResolvedMode::kOnlyChanges, std::nullopt, true)};
  EXPECT_TRUE(Holds(check_resume_state(h)));
  h.resumes[0].backfilled = false;
  const Verdict v = check_resume_state(h);
  ASSERT_TRUE(Violated(v));
  EXPECT_TRUE(says(v, "an Only Changes instance starts done")) << show(v);
}

TEST(ResumeStateTest, AKeylessScanResumesAtTheBlockAfterItsLastCommittedRange) {
  HistoryBuilder b;
  b.binding(kBinding, kTable, true).instance(ResolvedMode::kWithoutPrimaryKey);
  b.chunk(std::nullopt, {"(0,1)", "(1,2)"}, 110, 1, false).txn({});
  b.chunk(std::nullopt, {}, 120, std::nullopt, false);  // run, never committed
  History h = b.build();
  h.chunks[0].blocks = {0, 1};
  h.chunks[1].blocks = {2, 3};
  history::Resume r = resume(15, 1, ResolvedMode::kWithoutPrimaryKey, std::nullopt, false);
  r.cursor_ctid = Ctid{2, 0};
  h.resumes = {r};
  EXPECT_TRUE(Holds(check_resume_state(h)));
  h.resumes[0].cursor_ctid = Ctid{4, 0};  // the uncommitted range's end
  const Verdict v = check_resume_state(h);
  ASSERT_TRUE(Violated(v));
  EXPECT_TRUE(says(v, "must resume with the cursor ctid (2,0)")) << show(v);
  EXPECT_TRUE(says(v, "but it resumed with ctid (4,0)")) << show(v);
  EXPECT_TRUE(mentions(v, "(blocks 0..1)"));
}

TEST(ResumeStateTest, ViolatedByAResumeOfAStateNoInstanceStarted) {
  History h = clean_resumes();
  h.resumes[1].state_key = "items.v7";
  const Verdict v = check_resume_state(h);
  ASSERT_TRUE(Violated(v));
  EXPECT_TRUE(says(v, "no instance items.v7 of that binding was recorded")) << show(v);
}

TEST(ResumeStateTest, TheFirstWrongResumeIsReported) {
  History h = clean_resumes();
  h.resumes[1].cursor = "k1";
  h.resumes[3].backfilled = false;
  const Verdict v = check_resume_state(h);
  ASSERT_TRUE(Violated(v));
  EXPECT_TRUE(says(v, "at tick 15")) << show(v);
  EXPECT_EQ(v.explanation, check_resume_state(h).explanation);
}

}  // namespace
}  // namespace cdc::properties::testing
