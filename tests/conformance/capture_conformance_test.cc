// The same capture over the model and over a real PostgreSQL 15: generated
// one-session schedules must give the same collection documents on both
// sides, for each algorithm; the comparison finds a planted difference, and
// a seeded bug in the source model is found and shrunk.
#include "conformance/capture_conformance.h"

#include <gtest/gtest.h>

#include "model/mutants.h"

namespace cdc::conformance {
namespace {

constexpr uint32_t kSteps = 80;

std::unique_ptr<Cluster> start_cluster() {
  auto cluster = Cluster::start({});
  EXPECT_TRUE(cluster.is_ok()) << cluster.error().message;
  return cluster.is_ok() ? std::move(cluster).value() : nullptr;
}

std::string report(const CaptureCheck& c) {
  std::string out = "difference: " + c.difference.value_or("none") + "\nshrunk to " +
                    std::to_string(c.shrunk_prefix) + " steps: " + c.shrunk_difference + "\n";
  for (const std::string& s : c.shrunk_steps)
    out += "  " + s + "\n";
  for (const std::string& e : c.model_errors)
    out += "model capture error: " + e + "\n";
  for (const std::string& e : c.pg_errors)
    out += "PostgreSQL capture error: " + e + "\n";
  return out;
}

void expect_agreement(CaptureAlgorithm a, BackfillMode m, uint64_t seed) {
  std::unique_ptr<Cluster> cluster = start_cluster();
  ASSERT_NE(cluster, nullptr);
  const CaptureSchedule s = generate_capture_schedule(seed, kSteps, a, m);
  Result<CaptureCheck> c = check_capture(*cluster, s, "capture");
  ASSERT_TRUE(c.is_ok()) << c.error().message;
  // Enough to compare: rows backfilled and changes streamed.
  EXPECT_GT(c.value().documents, 10u) << report(c.value());
  EXPECT_GT(c.value().change_documents, 2u) << report(c.value());
  EXPECT_FALSE(c.value().difference) << report(c.value());
}

TEST(CaptureConformanceTest, EstuaryAgrees) {
  expect_agreement(CaptureAlgorithm::kEstuary, BackfillMode::kAutomatic, 1);
}

TEST(CaptureConformanceTest, DebeziumAgrees) {
  expect_agreement(CaptureAlgorithm::kDebezium, BackfillMode::kNormal, 3);
}

TEST(CaptureConformanceTest, FlinkAgrees) {
  expect_agreement(CaptureAlgorithm::kFlink, BackfillMode::kPrecise, 3);
}

TEST(CaptureConformanceTest, TheComparisonNamesTheFirstKeyThatDiffers) {
  CaptureRun run;
  run.model["accounts (1)"] = {"c snapshot id=1 balance=5", "u id=1 balance=6"};
  run.pg = run.model;
  EXPECT_FALSE(capture_difference(run));
  run.pg["accounts (1)"][1] = "u id=1 balance=7";
  const std::optional<std::string> d = capture_difference(run);
  ASSERT_TRUE(d);
  EXPECT_NE(d->find("accounts (1): document 2"), std::string::npos) << *d;
  run.pg = run.model;
  run.pg["accounts (2)"] = {"c id=2 balance=1"};
  ASSERT_TRUE(capture_difference(run));
  EXPECT_NE(capture_difference(run)->find("only PostgreSQL"), std::string::npos);
}

// The model's decoding omits a changed TOAST value (a seeded bug of the
// source model): the model's capture writes documents without it, the
// server's with it, and the difference shrinks to a short prefix.
TEST(CaptureConformanceTest, ASourceModelBugIsFoundAndShrunk) {
  std::unique_ptr<Cluster> cluster = start_cluster();
  ASSERT_NE(cluster, nullptr);
  set_active_mutant(Mutant::kToastChangedValueOmitted);
  Result<CaptureCheck> c = Error{ErrorCode::kInvalidArgument, "no seed differed"};
  for (uint64_t seed = 3; seed <= 6; ++seed) {  // seed 3 changes a TOASTed value while streaming
    c = check_capture(*cluster,
                      generate_capture_schedule(seed, kSteps, CaptureAlgorithm::kEstuary,
                                                BackfillMode::kAutomatic),
                      "mutant");
    if (!c.is_ok() || c.value().difference) break;
  }
  set_active_mutant(Mutant::kNone);
  ASSERT_TRUE(c.is_ok()) << c.error().message;
  ASSERT_TRUE(c.value().difference);
  EXPECT_LT(c.value().shrunk_prefix, kSteps) << report(c.value());
  EXPECT_FALSE(c.value().shrunk_difference.empty());
}

}  // namespace
}  // namespace cdc::conformance
