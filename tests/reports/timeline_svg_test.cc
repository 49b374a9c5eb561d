#include "reports/timeline_svg.h"

#include <gtest/gtest.h>

#include "reports/html.h"
#include "reports/timeline_entries.h"
#include "tests/properties/destination_builder.h"
#include "tests/properties/history_builder.h"

namespace cdc::reports {
namespace {

using namespace cdc::properties::testing;  // NOLINT: the builders' vocabulary

size_t count(const std::string& text, const std::string& part) {
  size_t n = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1))
    ++n;
  return n;
}

TEST(TimelineSvgTest, OneSvgWithEveryLaneAndATooltipPerEntry) {
  History h = clean_merge().build();
  h.events.push_back({150, history::Event::Kind::kFault, "capture crashed"});
  const KeyTimeline t = key_timeline(h, kBinding, "k1");
  const std::string svg = timeline_svg(t);
  EXPECT_EQ(svg.rfind("<svg", 0), 0u);
  EXPECT_EQ(svg.substr(svg.size() - 6), "</svg>");
  EXPECT_EQ(count(svg, "<svg"), 1u);
  for (size_t i = 0; i < kLaneCount; ++i) {
    EXPECT_NE(svg.find(html_escape(lane_title(static_cast<Lane>(i)))), std::string::npos) << i;
  }
  // One <title> per entry, plus the picture's own.
  EXPECT_EQ(count(svg, "<title>"), timeline_entries(t).size() + 2);  // + the drain line
  EXPECT_NE(svg.find(">ins 0/64<"), std::string::npos);
  EXPECT_NE(svg.find(">drained<"), std::string::npos);
  EXPECT_NE(svg.find("class=\"fault-guide\""), std::string::npos);
  EXPECT_EQ(svg.find("<script"), std::string::npos);
  EXPECT_EQ(svg.find("http"), std::string::npos);
  EXPECT_EQ(svg, timeline_svg(t));  // deterministic
}

TEST(TimelineSvgTest, EscapesEventText) {
  History h = clean_normal().build();
  h.events.push_back({150, history::Event::Kind::kOperation, "a <b> & \"c\""});
  const std::string svg = timeline_svg(key_timeline(h, kBinding, "k1"));
  EXPECT_NE(svg.find("a &lt;b&gt; &amp; &quot;c&quot;"), std::string::npos);
  EXPECT_EQ(svg.find("<b>"), std::string::npos);
}

TEST(TimelineSvgTest, AnEmptyTimelineStillDrawsItsLanes) {
  const History h = HistoryBuilder().binding().build();
  const std::string svg = timeline_svg(key_timeline(h, kBinding, "k1"));
  EXPECT_EQ(count(svg, "<svg"), 1u);
  EXPECT_NE(svg.find("source commits"), std::string::npos);
}

TEST(TimelineSvgTest, LabelsOfCrowdedTicksMoveToFurtherRows) {
  History h = HistoryBuilder().binding().build();
  for (int i = 0; i < 6; ++i)
    h.events.push_back({150, history::Event::Kind::kOperation, "operation " + std::to_string(i)});
  const std::string svg = timeline_svg(key_timeline(h, kBinding, "k1"));
  EXPECT_EQ(count(svg, "class=\"leader\""), 5u);  // six labels at one tick: five below the first
}

}  // namespace
}  // namespace cdc::reports
