#include "properties/verdict.h"

namespace cdc::properties {

Verdict Verdict::hold(std::string property, std::string why) {
  return Verdict{std::move(property), Outcome::kHolds, std::move(why), {}};
}

Verdict Verdict::violation(std::string property, std::string explanation,
                           std::vector<std::string> witness) {
  return Verdict{std::move(property), Outcome::kViolated, std::move(explanation),
                 std::move(witness)};
}

Verdict Verdict::unknown(std::string property, std::string why) {
  return Verdict{std::move(property), Outcome::kUnknown, std::move(why), {}};
}

const char* to_string(Verdict::Outcome o) {
  switch (o) {
    case Verdict::Outcome::kHolds:
      return "holds";
    case Verdict::Outcome::kViolated:
      return "violated";
    case Verdict::Outcome::kUnknown:
      return "unknown";
  }
  return "?";
}

}  // namespace cdc::properties
