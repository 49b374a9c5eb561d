// Determinism across changes: the fingerprint of every catalogue scenario
// and every file of tests/campaign/pinned at its own seed, and of every
// matrix cell at seed 1 or 2, is pinned in
// golden_fingerprints.txt. A change that moves a seed on purpose regenerates
// the file (CDCSIM_UPDATE_GOLDEN=1 campaign_tests
// --gtest_filter='GoldenFingerprints.*') and says why in its commit.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "campaign/target.h"

namespace cdc::campaign {
namespace {

const std::string kGolden =
    std::string(CDCSIM_SOURCE_DIR) + "/tests/campaign/golden_fingerprints.txt";

// The scenario files of `dir` (relative to the source directory), sorted.
std::vector<std::string> scenario_files(const std::string& dir) {
  std::vector<std::string> files;
  for (const auto& e :
       std::filesystem::directory_iterator(std::string(CDCSIM_SOURCE_DIR) + "/" + dir)) {
    if (e.path().extension() == ".yaml") files.push_back(dir + "/" + e.path().filename().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// "TARGET SEED FINGERPRINT" lines: the catalogue, the pinned files (worlds
// no catalogue file runs, such as bulk loads), then the cells.
std::string fingerprints() {
  std::string out;
  std::vector<std::string> files = scenario_files("scenarios/catalogue");
  for (const std::string& f : scenario_files("tests/campaign/pinned"))
    files.push_back(f);
  for (const std::string& f : files) {
    const auto t = file_target(std::string(CDCSIM_SOURCE_DIR) + "/" + f, std::nullopt);
    const Target& target = std::get<Target>(t);
    out += f + " " + std::to_string(target.seed) + " " +
           sim::run_world(target.options).fingerprint + "\n";
  }
  // One seed per cell, alternating sides of the xid wrap (odd seeds start
  // near it), so that 800 cells stay cheap under the sanitizers.
  uint64_t index = 0;
  for (const sim::MatrixCell& c : sim::all_cells()) {
    const uint64_t seed = 1 + index++ % 2;
    out += sim::cell_spec(c) + " " + std::to_string(seed) + " " +
           sim::run_world(cell_options(c, seed)).fingerprint + "\n";
  }
  return out;
}

TEST(GoldenFingerprints, CatalogueAndMatrixCellsAreUnchanged) {
  const std::string now = fingerprints();
  if (std::getenv("CDCSIM_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(kGolden) << now;
    GTEST_SKIP() << "rewrote " << kGolden;
  }
  std::ifstream in(kGolden);
  ASSERT_TRUE(in) << "missing " << kGolden;
  std::stringstream golden;
  golden << in.rdbuf();
  std::istringstream a(golden.str()), b(now);
  std::string la, lb;
  size_t line = 0, differ = 0;
  while (std::getline(a, la) && std::getline(b, lb)) {
    ++line;
    if (la != lb && ++differ <= 10)
      ADD_FAILURE() << "line " << line << ": golden " << la << ", now " << lb;
  }
  EXPECT_EQ(golden.str().size(), now.size()) << "the list of targets changed";
  EXPECT_EQ(differ, 0u) << differ << " fingerprints moved";
}

}  // namespace
}  // namespace cdc::campaign
