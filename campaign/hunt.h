// A hunt: the plan's items in seed-major order, in parallel, until the
// lowest failing item is known (campaign/runner.h's stop rule), the time
// budget runs out, or `max_items` items ran. What `cdcsim mutants` runs twice
// per mutant (over its unaided plan and its aided plan), and over each plan
// without any mutant for that plan's baseline.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "campaign/judge.h"
#include "campaign/plan.h"
#include "campaign/runner.h"

namespace cdc::campaign {

struct FirstFailure {
  size_t item = 0;
  Target target;
  Finding finding;  // Judgement::first_failure() of its run
  std::string fingerprint;
  double seconds = 0;  // since the hunt began
};

struct Hunt {
  uint64_t runs = 0;
  uint64_t clean_prefix = 0;  // items [0, clean_prefix) all ran and passed
  double seconds = 0;
  std::optional<FirstFailure> first;  // the lowest failing item
};

// REQUIRES: options.stop_at_first_failure (set here regardless).
Hunt hunt(const Plan& p, RunnerOptions options);

}  // namespace cdc::campaign
