// A checker's judgement of a history.
//
// kHolds: the property holds on this history. kViolated: it does not; the
// witness is the smallest set of facts that shows it and the explanation
// reads like a proof ("Let ... Then ... but ..."). kUnknown: the history
// cannot be judged for this property (e.g. the run never drained, or the
// binding has no key); the explanation says why.
#pragma once

#include <string>
#include <vector>

namespace cdc::properties {

struct Verdict {
  enum class Outcome : unsigned char { kHolds, kViolated, kUnknown };
  std::string property;
  Outcome outcome = Outcome::kHolds;
  std::string explanation;
  std::vector<std::string> witness;

  bool holds() const { return outcome == Outcome::kHolds; }
  bool violated() const { return outcome == Outcome::kViolated; }
  static Verdict hold(std::string property, std::string why = "");
  static Verdict violation(std::string property, std::string explanation,
                           std::vector<std::string> witness);
  static Verdict unknown(std::string property, std::string why);
};

const char* to_string(Verdict::Outcome o);

}  // namespace cdc::properties
