// The JSON Schema of the history format agrees with what the reader accepts.
#include "outside/format.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>

namespace cdc::outside {
namespace {

nlohmann::json schema() {
  std::ifstream in(CDCSIM_SOURCE_DIR "/docs/history-format/history.schema.json");
  EXPECT_TRUE(in.good());
  return nlohmann::json::parse(in);
}

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

TEST(FormatTest, EverySchemaObjectListsExactlyTheKeysTheReaderAccepts) {
  const nlohmann::json s = schema();
  ASSERT_EQ(s.at("$defs").size(), format_objects().size());
  for (const auto& [object, keys] : format_objects()) {
    const nlohmann::json& def = s.at("$defs").at(object);
    std::vector<std::string> listed;
    for (const auto& [key, value] : def.at("properties").items())
      listed.push_back(key);
    EXPECT_EQ(sorted(listed), sorted(keys)) << object;
    EXPECT_EQ(def.at("additionalProperties"), false) << object;
  }
}

TEST(FormatTest, ALineIsOneOfTheRecordTypes) {
  const nlohmann::json s = schema();
  std::vector<std::string> refs;
  for (const nlohmann::json& r : s.at("oneOf"))
    refs.push_back(r.at("$ref").get<std::string>());
  std::vector<std::string> want;
  for (const std::string& t : record_types()) {
    want.push_back("#/$defs/" + t);
    EXPECT_EQ(s.at("$defs").at(t).at("properties").at("type").at("const"), t);
  }
  EXPECT_EQ(refs, want);
}

}  // namespace
}  // namespace cdc::outside
