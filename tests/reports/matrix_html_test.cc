#include "reports/matrix_html.h"

#include <gtest/gtest.h>

namespace cdc::reports {
namespace {

sim::Matrix small_matrix() {
  sim::Matrix m;
  m.options.seeds = 2;
  m.property_names = {"convergence", "no_loss", "coverage", "liveness", "retention_loss"};
  sim::MatrixRow r;
  r.runs = 2;
  r.properties["convergence"] = {0, 0, 0, 1, std::nullopt, 7, "", "Let <k> & \"so\" on"};
  r.properties["no_loss"] = {1, 0, 1, 0, 3, std::nullopt, "documented: it loses", ""};
  r.properties["coverage"] = {1, 1, 0, 0, std::nullopt, std::nullopt, "", ""};
  r.properties["liveness"] = {0, 2, 0, 0, std::nullopt, std::nullopt, "", ""};
  m.rows.push_back(r);
  m.runs = 2;
  m.unexpected = 1;
  return m;
}

TEST(ReportMatrixHtmlTest, ShadesFollowTheTallies) {
  EXPECT_EQ(shade({0, 0, 0, 1, std::nullopt, 1, "", ""}), MatrixShade::kUnexpected);
  EXPECT_EQ(shade({5, 0, 1, 1, 1, 1, "", ""}), MatrixShade::kUnexpected);
  EXPECT_EQ(shade({5, 0, 1, 0, 1, std::nullopt, "", ""}), MatrixShade::kExpected);
  EXPECT_EQ(shade({5, 3, 0, 0, std::nullopt, std::nullopt, "", ""}), MatrixShade::kHolds);
  EXPECT_EQ(shade({0, 3, 0, 0, std::nullopt, std::nullopt, "", ""}), MatrixShade::kUnknown);
  EXPECT_EQ(shade({}), MatrixShade::kNotApplicable);
}

TEST(ReportMatrixHtmlTest, OneRowPerCellOneColumnPerPropertyAndALegend) {
  const std::string html = matrix_html(small_matrix());
  EXPECT_NE(html.find("<table class=\"matrix\">"), std::string::npos);
  EXPECT_NE(html.find("<p class=\"legend\">"), std::string::npos);
  for (const char* p : {"convergence", "no_loss", "coverage", "liveness", "retention_loss"})
    EXPECT_NE(html.find(std::string("<span>") + p + "</span>"), std::string::npos) << p;
  EXPECT_NE(html.find("<td class=\"m-unexpected\""), std::string::npos);
  EXPECT_NE(html.find("<td class=\"m-expected\""), std::string::npos);
  EXPECT_NE(html.find("<td class=\"m-holds\""), std::string::npos);
  EXPECT_NE(html.find("<td class=\"m-unknown\""), std::string::npos);
  EXPECT_NE(html.find("<td class=\"m-na\""), std::string::npos);  // retention_loss: no tally
  EXPECT_NE(html.find("Let &lt;k&gt; &amp; &quot;so&quot; on"), std::string::npos);
  EXPECT_EQ(html.find("<k>"), std::string::npos);
  EXPECT_NE(html.find("first allowed: seed 3: documented: it loses"), std::string::npos);
  EXPECT_NE(std::string(matrix_html_css()).find(".m-unexpected"), std::string::npos);
}

}  // namespace
}  // namespace cdc::reports
