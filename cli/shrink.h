// `cdcsim shrink`: minimises a failing run of a target into an explicit
// schedule (sim/shrink.h) and saves it as a scenario file that `cdcsim run`
// replays to the same violation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "cli/target.h"

namespace cdc::cli {

struct ShrinkArgs {
  std::string file;
  std::string cell;
  std::optional<uint64_t> seed;
  std::string property;  // empty: the first unexpected finding
  double budget_s = 30;
  std::string out;  // empty: shrunk-<property>-seed-<S>.yaml
};

int run_shrink(const ShrinkArgs& a);

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

// Shrinks `t` while `property` stays violated, under `budget_s` seconds of
// wall-clock time (the only clock read; the result depends on it only when
// the budget runs out).
Shrunk shrink_target(const Target& t, const std::string& property, double budget_s);

}  // namespace cdc::cli
