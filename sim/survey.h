// A survey: run N seeds of every (requested mode, fault class) configuration,
// judge each history with every checker, and classify each verdict against
// the expectations. The seed of this guarantee matrix.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "model/capture_state.h"
#include "properties/expectations.h"

namespace cdc::sim {

struct SurveyCell {
  uint64_t holds = 0;
  uint64_t unknown = 0;
  uint64_t violated_expected = 0;    // violated where the expectations allow it
  uint64_t violated_unexpected = 0;  // violated where it should hold: a bug
  uint64_t first_expected_seed = 0;
  uint64_t first_unexpected_seed = 0;
  std::string first_unexpected_explanation;
};

using SurveyKey = std::tuple<BackfillMode, properties::FaultClass, std::string>;

struct SurveyOptions {
  uint64_t first_seed = 1;
  uint64_t seeds = 20;
  uint64_t safety_ticks = 150;
  std::vector<BackfillMode> modes;             // empty: all five
  std::vector<properties::FaultClass> faults;  // empty: none and crashes
};

struct SurveyResult {
  std::map<SurveyKey, SurveyCell> cells;
  uint64_t runs = 0;
  uint64_t unexpected = 0;
};

SurveyResult survey(const SurveyOptions& options);

}  // namespace cdc::sim
