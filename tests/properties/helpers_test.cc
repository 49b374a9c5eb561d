#include "properties/helpers.h"

#include <gtest/gtest.h>

#include "tests/properties/history_builder.h"

namespace cdc::properties::testing {
namespace {

TEST(HelpersTest, RenderKeyQuotesPrintableAndHexesTheRest) {
  EXPECT_EQ(detail::render_key("k1"), "\"k1\"");
  EXPECT_EQ(detail::render_key(std::string("\x00\xff", 2)), "0x00ff");
  EXPECT_EQ(detail::render_key("a\"b"), "0x612262");
}

TEST(HelpersTest, LatestInstanceIsTheLastOfItsBinding) {
  const History h = HistoryBuilder()
                        .binding()
                        .instance(ResolvedMode::kPrecise, 0, "items.v1")
                        .instance(ResolvedMode::kNormal, 0, "other.v1", 2)
                        .instance(ResolvedMode::kNormal, 0, "items.v2")
                        .build();
  ASSERT_NE(detail::latest_instance(h, kBinding), nullptr);
  EXPECT_EQ(detail::latest_instance(h, kBinding)->state_key, "items.v2");
  EXPECT_EQ(detail::latest_instance(h, 3), nullptr);
}

}  // namespace
}  // namespace cdc::properties::testing
