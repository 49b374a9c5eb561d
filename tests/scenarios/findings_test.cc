// The findings of docs/findings seen as a matrix cell sees them: a run that
// loses a row to a rewrite behind the ctid scan must show the situation that
// makes the loss a known limitation, or a cell would report it as unexpected.
#include <gtest/gtest.h>

#include <algorithm>

#include "properties/checkers.h"
#include "properties/expectations.h"
#include "scenarios/loader.h"

namespace cdc::scenarios {
namespace {

history::History run_finding(const std::string& name) {
  const LoadResult r = load_scenario_file(CDCSIM_SOURCE_DIR "/docs/findings/" + name);
  EXPECT_TRUE(std::holds_alternative<Scenario>(r)) << std::get<LoadError>(r).to_string();
  if (!std::holds_alternative<Scenario>(r)) return {};
  return sim::run_world(std::get<Scenario>(r).options).history;
}

void expect_known_limitation(const history::History& h) {
  const std::vector<properties::Situation> seen = properties::situations(h);
  EXPECT_NE(std::find(seen.begin(), seen.end(), properties::Situation::kRewriteBehindKeylessScan),
            seen.end());
  EXPECT_EQ(
      properties::expectation(BackfillMode::kWithoutPrimaryKey, "keyless_no_loss", seen).expect,
      properties::Expect::kKnownLimitation);
}

// VACUUM FULL packs a row behind the running scan.
TEST(FindingsTest, ARewriteBehindTheRunningScanIsExcused) {
  const history::History h = run_finding("keyless-vacuum-full-loses-rows.yaml");
  ASSERT_TRUE(properties::check_keyless_no_loss(h).violated());
  expect_known_limitation(h);
}

// VACUUM FULL packs a row the running scan has read, but whose chunk has not
// committed, behind the committed cursor; a restart resumes from there.
TEST(FindingsTest, ARewriteBehindTheCommittedCursorBeforeARestartIsExcused) {
  const history::History h = run_finding("keyless-vacuum-full-before-restart-loses-rows.yaml");
  ASSERT_TRUE(properties::check_keyless_no_loss(h).violated());
  expect_known_limitation(h);
  const auto behind_committed = [](const history::RowMove& m) {
    return std::any_of(m.cursors.begin(), m.cursors.end(), [&](const auto& c) {
      return c.committed && !(m.from < c.next) && m.to < c.next;
    });
  };
  EXPECT_TRUE(std::any_of(h.row_moves.begin(), h.row_moves.end(), behind_committed));
}

}  // namespace
}  // namespace cdc::scenarios
