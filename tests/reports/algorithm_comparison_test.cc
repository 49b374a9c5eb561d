#include "reports/algorithm_comparison.h"

#include <gtest/gtest.h>

namespace cdc::reports {
namespace {

sim::MatrixRow row(CaptureAlgorithm a, properties::KeyKind k) {
  sim::MatrixRow r;
  r.cell.backfill = properties::BackfillType::kCapture;
  r.cell.mode = BackfillMode::kNormal;
  r.cell.faults = properties::FaultClass::kCrashes;
  r.cell.key = k;
  r.cell.algorithm = a;
  r.runs = 2;
  r.properties["no_loss"].holds = 2;
  return r;
}

TEST(AlgorithmComparisonTest, OneAlgorithmHasNoComparison) {
  sim::Matrix m;
  m.property_names = {"no_loss"};
  m.rows = {row(CaptureAlgorithm::kEstuary, properties::KeyKind::kInt)};
  EXPECT_EQ(comparison_markdown(m), "");
  EXPECT_EQ(comparison_html(m), "");
}

TEST(AlgorithmComparisonTest, EntriesCountViolationsOverSharedCellsWithAShrinkCommand) {
  sim::Matrix m;
  m.property_names = {"no_loss", "exactly_once", "convergence"};
  sim::MatrixRow estuary = row(CaptureAlgorithm::kEstuary, properties::KeyKind::kInt);
  estuary.properties["exactly_once"].holds = 2;
  estuary.properties["convergence"].violated_unexpected = 1;
  estuary.properties["convergence"].holds = 1;
  estuary.properties["convergence"].first_unexpected_seed = 7;
  sim::MatrixRow debezium = row(CaptureAlgorithm::kDebezium, properties::KeyKind::kInt);
  debezium.properties["exactly_once"].violated_expected = 1;
  debezium.properties["exactly_once"].holds = 1;
  debezium.properties["exactly_once"].first_expected_seed = 3;
  // A keyless Estuary cell has no Debezium counterpart: left out.
  sim::MatrixRow keyless = row(CaptureAlgorithm::kEstuary, properties::KeyKind::kKeyless);
  keyless.properties["no_loss"].violated_unexpected = 2;
  m.rows = {estuary, keyless, debezium};
  const std::string md = comparison_markdown(m);
  EXPECT_NE(md.find("### Fault class: crashes"), std::string::npos) << md;
  EXPECT_NE(md.find("| property | estuary merge | debezium merge |"), std::string::npos) << md;
  EXPECT_NE(md.find("| no_loss | holds | holds |"), std::string::npos) << md;
  EXPECT_NE(md.find("| exactly_once | holds | documented 1/2 |"), std::string::npos) << md;
  EXPECT_NE(md.find("| convergence | UNEXPECTED 1/2 | unknown |"), std::string::npos) << md;
  EXPECT_NE(md.find("`cdcsim shrink --cell capture/Normal/merge/crashes/int/debezium --seed 3 "
                    "--property exactly_once`"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("--cell capture/Normal/merge/crashes/int --seed 7 --property convergence"),
            std::string::npos);
  const std::string html = comparison_html(m);
  EXPECT_NE(html.find("--property exactly_once\">documented 1/2</td>"), std::string::npos) << html;
  EXPECT_EQ(html.find("<script"), std::string::npos);
}

}  // namespace
}  // namespace cdc::reports
