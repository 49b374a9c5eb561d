// How one verdict measures up to a scenario's expectations.
#pragma once

#include <string>

#include "properties/verdict.h"
#include "scenarios/loader.h"

namespace cdc::scenarios {

struct ExpectCheck {
  bool expected_to_hold = false;
  bool expected_violation = false;
  bool met = true;      // true when the verdict is not named by the expectations
  std::string message;  // why it is unmet ("" when met)
};

ExpectCheck check_expectation(const Expect& e, const properties::Verdict& v);

}  // namespace cdc::scenarios
