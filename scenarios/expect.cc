#include "scenarios/expect.h"

#include <algorithm>

namespace cdc::scenarios {

ExpectCheck check_expectation(const Expect& e, const properties::Verdict& v) {
  ExpectCheck c;
  c.expected_to_hold = std::find(e.holds.begin(), e.holds.end(), v.property) != e.holds.end();
  c.expected_violation =
      std::find(e.violated.begin(), e.violated.end(), v.property) != e.violated.end();
  if (c.expected_to_hold && !v.holds()) {
    c.met = false;
    c.message = v.property + " should hold, but is " + properties::to_string(v.outcome) +
                (v.explanation.empty() ? "" : ": " + v.explanation);
  } else if (c.expected_violation && !v.violated()) {
    c.met = false;
    c.message = v.property + " should be violated, but is " + properties::to_string(v.outcome);
  }
  return c;
}

}  // namespace cdc::scenarios
