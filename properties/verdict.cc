#include "properties/verdict.h"

#include <type_traits>

#include "properties/history.h"

namespace cdc::properties {

static_assert(std::is_same_v<decltype(Verdict::Subject::key), history::DocKey>,
              "Verdict::Subject::key must be a history::DocKey");

Verdict Verdict::hold(std::string property, std::string why) {
  return Verdict{std::move(property), Outcome::kHolds, std::move(why), {}, std::nullopt};
}

Verdict Verdict::violation(std::string property, std::string explanation,
                           std::vector<std::string> witness, std::optional<Subject> subject) {
  return Verdict{std::move(property), Outcome::kViolated, std::move(explanation),
                 std::move(witness), std::move(subject)};
}

Verdict Verdict::unknown(std::string property, std::string why) {
  return Verdict{std::move(property), Outcome::kUnknown, std::move(why), {}, std::nullopt};
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
