// resume_state on real runs: worlds with crashes restart the capture many
// times; every restart records what each saved binding resumed with, and the
// checker accepts it. The two seeded resume bugs are caught by it.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "model/mutants.h"
#include "properties/checkers.h"
#include "properties/expectations.h"
#include "sim/configurations.h"
#include "sim/history_fingerprint.h"

namespace cdc::sim {
namespace {

using properties::FaultClass;
using properties::Verdict;

constexpr BackfillMode kModes[] = {BackfillMode::kAutomatic, BackfillMode::kNormal,
                                   BackfillMode::kPrecise, BackfillMode::kOnlyChanges,
                                   BackfillMode::kWithoutPrimaryKey};
constexpr uint64_t kSeeds = 3;

RunResult crash_run(uint64_t seed, BackfillMode mode) {
  WorldOptions o = configured_world(seed, mode, FaultClass::kCrashes);
  o.safety_ticks = 150;
  return run_world(o);
}

TEST(ResumeStateRun, RunsWithCrashesRecordResumesThatCarryTheCommittedState) {
  size_t resumes = 0;
  size_t judged = 0;
  for (BackfillMode mode : kModes) {
    for (uint64_t seed = 1; seed <= kSeeds; ++seed) {
      const RunResult r = crash_run(seed, mode);
      resumes += r.history.resumes.size();
      const Verdict v = properties::check_resume_state(r.history);
      EXPECT_FALSE(v.violated()) << to_string(mode) << " seed " << seed << ": " << v.explanation;
      if (v.holds()) ++judged;
      for (const history::Resume& res : r.history.resumes) {
        EXPECT_LE(res.last_seq, r.history.collection_txns.size());
      }
    }
  }
  EXPECT_GT(resumes, 0u);
  EXPECT_GE(judged, std::size(kModes) * kSeeds / 2);  // most crash runs resume something
}

// Resumes follow from the rest of the history, so they are not fingerprinted:
// recording them left every pinned fingerprint as it was.
TEST(ResumeStateRun, ResumesAreNotPartOfTheFingerprint) {
  const RunResult r = crash_run(1, BackfillMode::kPrecise);
  ASSERT_FALSE(r.history.resumes.empty());
  history::History without = r.history;
  without.resumes.clear();
  EXPECT_EQ(fingerprint(without), r.fingerprint);
}

// What the seeded bug `m` does to the crash runs: how many runs violate
// resume_state, and which other properties expected to hold are violated.
struct Kills {
  size_t runs = 0;
  size_t by_resume_state = 0;
  std::set<std::string> others;
};

Kills kills(Mutant m) {
  Kills k;
  set_active_mutant(m);
  for (BackfillMode mode : kModes) {
    for (uint64_t seed = 1; seed <= kSeeds; ++seed) {
      const RunResult r = crash_run(seed, mode);
      ++k.runs;
      const std::vector<properties::Situation> seen = properties::situations(r.history);
      for (const Verdict& v : properties::check_all(r.history)) {
        if (!v.violated()) continue;
        if (v.property == "resume_state") {
          ++k.by_resume_state;
        } else if (properties::expectation(mode, v.property, seen).expect ==
                   properties::Expect::kHolds) {
          k.others.insert(v.property);
        }
      }
    }
  }
  set_active_mutant(Mutant::kNone);
  return k;
}

std::string listed(const std::set<std::string>& names) {
  std::string out;
  for (const std::string& n : names)
    out += (out.empty() ? "" : ", ") + n;
  return out.empty() ? "none" : out;
}

// A backfill that starts over re-reads rows: coverage sees the overlap too
// (keyed scans only), resume_state sees the cursor it resumed with.
TEST(ResumeStateRun, ResumeRescansFromStartIsCaught) {
  const Kills k = kills(Mutant::kResumeRescansFromStart);
  EXPECT_GE(k.by_resume_state, k.runs / 2) << "other checkers: " << listed(k.others);
  RecordProperty("runs", std::to_string(k.runs));
  RecordProperty("killed_by_resume_state", std::to_string(k.by_resume_state));
  RecordProperty("other_checkers", listed(k.others));
}

// A done backfill that runs one more chunk past its end mostly leaves the
// collection right: only resume_state sees it (other checkers only when
// Precise drops a change meanwhile, rarely).
TEST(ResumeStateRun, ResumeForgetsDoneIsCaught) {
  const Kills k = kills(Mutant::kResumeForgetsDone);
  EXPECT_GE(k.by_resume_state, k.runs / 2) << "other checkers: " << listed(k.others);
  RecordProperty("runs", std::to_string(k.runs));
  RecordProperty("killed_by_resume_state", std::to_string(k.by_resume_state));
  RecordProperty("other_checkers", listed(k.others));
}

}  // namespace
}  // namespace cdc::sim
