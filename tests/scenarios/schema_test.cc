// The JSON Schema for editors agrees with what the loader accepts.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>

#include "scenarios/loader.h"

namespace cdc::scenarios {
namespace {

nlohmann::json schema() {
  std::ifstream in(CDCSIM_SOURCE_DIR "/scenarios/scenario.schema.json");
  EXPECT_TRUE(in.good());
  return nlohmann::json::parse(in);
}

std::vector<std::string> property_names(const nlohmann::json& object) {
  std::vector<std::string> out;
  for (const auto& [key, value] : object.at("properties").items())
    out.push_back(key);
  std::sort(out.begin(), out.end());
  return out;
}

TEST(SchemaTest, EveryObjectListsExactlyTheKeysTheLoaderAccepts) {
  const nlohmann::json s = schema();
  for (const std::string& object : scenario_objects()) {
    const nlohmann::json& def = object == "scenario" ? s : s.at("$defs").at(object);
    std::vector<std::string> keys = scenario_keys(object);
    std::sort(keys.begin(), keys.end());
    EXPECT_EQ(property_names(def), keys) << object;
    EXPECT_EQ(def.at("additionalProperties"), false) << object;
  }
  EXPECT_EQ(s.at("$defs").size() + 1, scenario_objects().size());
}

}  // namespace
}  // namespace cdc::scenarios
