// A checker's judgement of a history.
//
// kHolds: the property holds on this history. kViolated: it does not; the
// witness is the smallest set of facts that shows it and the explanation
// reads like a proof ("Let ... Then ... but ..."). kUnknown: the history
// cannot be judged for this property (e.g. the run never drained, or the
// binding has no key); the explanation says why.
//
// Subject. A violation whose witness centres on one key of one binding names
// it in `subject` (reports draw that key's timeline); a violation about a
// whole instance, a chunk chain or a run has none. Holds and unknown
// verdicts never have one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/compact_key.h"

namespace cdc::properties {

struct Verdict {
  enum class Outcome : unsigned char { kHolds, kViolated, kUnknown };
  // The key a violation is about. `binding` is a capture binding id
  // (history::Binding::id): for a destination checker, the capture binding
  // the materialization reads. `key` is a history::DocKey (the same type,
  // spelled out so that this header stays free of history.h; verdict.cc
  // asserts they agree).
  struct Subject {
    Subject() = default;
    Subject(uint32_t b, std::string_view k, std::string text = "")
        : binding(b), key(k), key_text(std::move(text)) {}
    uint32_t binding = 0;
    CompactKey key;
    std::string key_text;  // the key as typed values, e.g. ('Zoë', 7); set by check_all
  };
  std::string property;
  Outcome outcome = Outcome::kHolds;
  std::string explanation;
  std::vector<std::string> witness;
  std::optional<Subject> subject;  // only on violations; see "Subject" above

  bool holds() const { return outcome == Outcome::kHolds; }
  bool violated() const { return outcome == Outcome::kViolated; }
  static Verdict hold(std::string property, std::string why = "");
  static Verdict violation(std::string property, std::string explanation,
                           std::vector<std::string> witness,
                           std::optional<Subject> subject = std::nullopt);
  static Verdict unknown(std::string property, std::string why);
};

const char* to_string(Verdict::Outcome o);

}  // namespace cdc::properties
