#include "campaign/judge.h"

#include <algorithm>

#include "model/assert.h"
#include "properties/checkers.h"
#include "scenarios/expect.h"

namespace cdc::campaign {

namespace {

std::optional<Finding> cell_finding(const sim::MatrixCell& cell, const properties::Verdict& v,
                                    const std::vector<properties::Situation>& seen) {
  if (!v.violated()) return std::nullopt;
  const properties::Expectation e = properties::expectation(cell.mode, v.property, seen);
  const bool unexpected = e.expect == properties::Expect::kHolds;
  return Finding{v, unexpected,
                 unexpected ? "expected to hold in this cell"
                            : std::string(properties::to_string(e.expect)) + ": " + e.reason,
                 e.expect == properties::Expect::kKnownLimitation};
}

std::optional<Finding> file_finding(const scenarios::Expect& expect, const properties::Verdict& v) {
  const scenarios::ExpectCheck c = scenarios::check_expectation(expect, v);
  if (!c.met) return Finding{v, true, c.message, false};
  if (!v.violated()) return std::nullopt;
  return Finding{v, false,
                 c.expected_violation ? "the scenario expects this violation"
                                      : "the scenario does not judge this property",
                 false};
}

}  // namespace

bool Judgement::failed() const {
  return std::any_of(findings.begin(), findings.end(),
                     [](const Finding& f) { return f.unexpected; });
}

const Finding* Judgement::finding_of(const std::string& property) const {
  for (const Finding& f : findings) {
    if (f.verdict.property == property) return &f;
  }
  return nullptr;
}

const Finding* Judgement::first_failure() const {
  const Finding* first = nullptr;
  for (const Finding& f : findings) {
    if (!f.unexpected) continue;
    if (f.verdict.violated()) return &f;
    if (!first) first = &f;
  }
  return first;
}

Judgement judge(const Target& t, const history::History& h) {
  Judgement j;
  j.verdicts = properties::check_all(h);
  j.seen = properties::situations(h);
  for (const properties::Verdict& v : j.verdicts) {
    std::optional<Finding> f =
        t.source.cell ? cell_finding(*t.source.cell, v, j.seen) : file_finding(t.expect, v);
    if (f) j.findings.push_back(std::move(*f));
  }
  CDC_ASSERT(j.findings.size() <= j.verdicts.size(), "at most one finding per verdict");
  CDC_ASSERT(std::is_sorted(j.seen.begin(), j.seen.end()), "situations are sorted");
  return j;
}

}  // namespace cdc::campaign
