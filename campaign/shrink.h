// Shrinking a target's failing run into a scenario file: the explicit
// schedule that sim::shrink (sim/shrink.h) leaves, written as YAML with the
// expectation that the property is violated, and checked to replay from
// that text to the same fingerprint before anyone is shown it.
#pragma once

#include <cstdint>
#include <string>

#include "campaign/target.h"
#include "properties/history.h"

namespace cdc::campaign {

struct Shrunk {
  std::string property;
  std::string yaml;  // the scenario file text
  size_t steps_before = 0;
  size_t steps_after = 0;
  uint64_t runs = 0;
  double seconds = 0;
  bool complete = false;  // reached a fixpoint within the budget
  std::string fingerprint;
  history::History history;  // of the shrunk run
  bool round_trip = false;   // the saved text loads and runs to the same fingerprint
};

// True when `property` is violated in `h`.
bool violates(const history::History& h, const std::string& property);

// Shrinks `t` while `property` stays violated, under `budget_s` seconds of
// wall-clock time (the only clock read; the result depends on it only when
// the budget runs out). REQUIRES: budget_s > 0.
Shrunk shrink_target(const Target& t, const std::string& property, double budget_s);

}  // namespace cdc::campaign
