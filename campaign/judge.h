// The one classification of a finished run: every checker's verdict, the
// situations the run met, and its findings — each violated property and each
// unmet expectation, judged against the expectations of a matrix cell
// (properties/expectations.h) or against a scenario file's `expect`.
//
// A finding is unexpected when it fails the gate: a property expected to
// hold is violated, or a scenario's expectation is unmet. Every command that
// judges a run (run, replay, explore, gate, mutants, shrink) uses judge().
#pragma once

#include <string>
#include <vector>

#include "campaign/target.h"
#include "properties/expectations.h"
#include "properties/history.h"
#include "properties/verdict.h"

namespace cdc::campaign {

struct Finding {
  properties::Verdict verdict;
  bool unexpected = false;        // fails the gate
  std::string why;                // unexpected: what was expected; else what allows it
  bool known_limitation = false;  // allowed as a known limitation of the modelled algorithm
};

struct Judgement {
  std::vector<properties::Verdict> verdicts;  // check_all() order
  std::vector<properties::Situation> seen;    // sorted
  std::vector<Finding> findings;              // check_all() order

  bool failed() const;  // some finding is unexpected
  // The finding of `property`, or nullptr.
  const Finding* finding_of(const std::string& property) const;
  // The first unexpected violation, else the first unexpected finding, else
  // nullptr. A violation says more than an unmet "holds" that could not be
  // judged (e.g. convergence of a run that did not drain, beside liveness).
  const Finding* first_failure() const;
};

Judgement judge(const Target& t, const history::History& h);

}  // namespace cdc::campaign
