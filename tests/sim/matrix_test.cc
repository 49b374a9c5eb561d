// A small guarantee matrix (one seed per cell) as a gate: no property that
// should hold may be violated, and the reports render it.
#include "sim/matrix.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "reports/matrix_report.h"

namespace cdc::sim {
namespace {

TEST(MatrixTest, EveryCellHasNoUnexpectedViolation) {
  MatrixOptions o;
  o.seeds = 2;
  const Matrix m = run_matrix(o);
  EXPECT_EQ(m.rows.size(), 160u);  // 4 backfill types x 5 modes x 2 strategies x 4 fault classes
  EXPECT_EQ(m.runs, 320u);
  for (const MatrixRow& r : m.rows) {
    for (const auto& [name, t] : r.properties) {
      EXPECT_EQ(t.violated_unexpected, 0u)
          << cell_name(r.cell) << " / " << name << ": seed " << t.first_unexpected_seed.value_or(0)
          << ": " << t.unexpected_explanation;
    }
  }
  EXPECT_EQ(m.unexpected, 0u);
}

TEST(MatrixTest, ReportsRenderEveryCellAndProperty) {
  MatrixOptions o;
  o.seeds = 1;
  o.cells = {{properties::BackfillType::kCapture, BackfillMode::kNormal, UpdateStrategy::kDelta,
              properties::FaultClass::kNone},
             {properties::BackfillType::kNone, BackfillMode::kOnlyChanges, UpdateStrategy::kMerge,
              properties::FaultClass::kNone}};
  const Matrix m = run_matrix(o);
  const nlohmann::json j = nlohmann::json::parse(reports::matrix_json(m));
  EXPECT_EQ(j["schema_version"], 1);
  ASSERT_EQ(j["cells"].size(), 2u);
  EXPECT_EQ(j["cells"][1]["cell"]["mode"], "Only Changes");
  // Only Changes never backfills: convergence is violated, as documented.
  EXPECT_EQ(j["cells"][1]["properties"]["convergence"]["violated_as_expected"], 1);
  EXPECT_FALSE(j["expectations"].empty());
  const std::string md = reports::matrix_markdown(m);
  EXPECT_NE(md.find("| capture / Normal / delta / none |"), std::string::npos);
  EXPECT_NE(md.find("as expected 1/1 (seed 1)"), std::string::npos);
  EXPECT_NE(md.find("## Expectations"), std::string::npos);
}

}  // namespace
}  // namespace cdc::sim
