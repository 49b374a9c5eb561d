// One classification of a run: against a cell's expectations and against a
// file's `expect`; and the tallies built from it.
#include "campaign/judge.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "campaign/tally.h"
#include "properties/checkers.h"

namespace cdc::campaign {
namespace {

Target cell(const std::string& spec, uint64_t seed) {
  return std::get<Target>(cell_target(spec, seed));
}

TEST(JudgeTest, OnlyChangesConvergenceIsAnAllowedViolationInItsCell) {
  const Target t = cell("none/OnlyChanges/merge/none/int", 1);
  const Judgement j = judge(t, sim::run_world(t.options).history);
  EXPECT_EQ(j.verdicts.size(), properties::property_names().size());
  const Finding* f = j.finding_of("convergence");
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(f->verdict.violated());
  EXPECT_FALSE(f->unexpected);
  EXPECT_NE(f->why.find("violable as documented"), std::string::npos) << f->why;
}

// Seed 115 of this cell: the capture stalls while two checkpoints invalidate
// its slot, then restarts, finds the slot lost and jumps ahead. The history
// must say the slot was lost (it once did not, because the invalidation was
// noted only after capture steps, when the restart had already replaced the
// slot), so the torn transaction the jump leaves is judged as documented.
TEST(JudgeTest, ASlotLostWhileTheCaptureStallsIsRecordedAndItsJumpIsDocumented) {
  const Target t = cell("capture/Normal/merge/slot-loss/int/debezium", 115);
  const history::History h = sim::run_world(t.options).history;
  EXPECT_TRUE(std::any_of(h.events.begin(), h.events.end(), [](const history::Event& e) {
    return e.type == history::Event::Type::kSlotInvalidated;
  }));
  const Judgement j = judge(t, h);
  const Finding* f = j.finding_of("transaction_order");
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(f->verdict.violated());
  EXPECT_FALSE(f->unexpected) << f->why;
  EXPECT_NE(f->why.find("violable as documented"), std::string::npos) << f->why;
}

TEST(JudgeTest, AFileExpectationThatIsNotMetIsAFailure) {
  Target t = cell("none/Normal/merge/none/int", 1);
  t.source = Source{"inline.yaml", std::nullopt};  // judged as a file now
  t.expect.violated = {"exactly_once"};
  const Judgement j = judge(t, sim::run_world(t.options).history);
  EXPECT_TRUE(j.failed());
  const Finding* f = j.first_failure();
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->verdict.property, "exactly_once");
  EXPECT_FALSE(f->verdict.violated());
  EXPECT_NE(f->why.find("should be violated"), std::string::npos) << f->why;
}

TEST(JudgeTest, AViolationIsPreferredAsTheFirstFailure) {
  Judgement j;
  properties::Verdict unknown = properties::Verdict::unknown("convergence", "not drained");
  properties::Verdict violated = properties::Verdict::violation("liveness", "Let ...", {});
  j.verdicts = {unknown, violated};
  j.findings = {{unknown, true, "expected to hold"}, {violated, true, "expected to hold"}};
  ASSERT_NE(j.first_failure(), nullptr);
  EXPECT_EQ(j.first_failure()->verdict.property, "liveness");
}

TEST(TallyTest, CountsEachKindAndMergesKeepingTheLowestSeed) {
  properties::Verdict held = properties::Verdict::hold("a");
  properties::Verdict bad = properties::Verdict::violation("b", "Let b ...", {});
  Judgement allowed, failing;
  allowed.verdicts = failing.verdicts = {held, bad};
  allowed.findings = {{bad, false, "violable as documented: quote"}};
  failing.findings = {{bad, true, "expected to hold"}};
  Tallies x, y;
  EXPECT_EQ(add_run(&x, 5, allowed), 0u);
  EXPECT_EQ(add_run(&x, 7, failing), 1u);
  EXPECT_EQ(add_run(&y, 2, failing), 1u);
  EXPECT_EQ(x["a"].holds, 2u);
  EXPECT_EQ(x["b"].violated_expected, 1u);
  EXPECT_EQ(*x["b"].first_expected_seed, 5u);
  EXPECT_EQ(*x["b"].first_unexpected_seed, 7u);
  merge_tallies(&x, y);
  EXPECT_EQ(x["a"].holds, 3u);
  EXPECT_EQ(x["b"].violated_unexpected, 2u);
  EXPECT_EQ(*x["b"].first_unexpected_seed, 2u);
  EXPECT_EQ(x["b"].unexpected_explanation, "Let b ...");
}

}  // namespace
}  // namespace cdc::campaign
