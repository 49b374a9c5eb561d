#include "campaign/tally.h"

#include "model/assert.h"

namespace cdc::campaign {

namespace {

void count_unexpected(sim::PropertyTally* t, uint64_t seed, const std::string& explanation) {
  if (t->violated_unexpected++ == 0) {
    t->first_unexpected_seed = seed;
    t->unexpected_explanation = explanation;
  }
}

void count_expected(sim::PropertyTally* t, uint64_t seed, const std::string& reason) {
  if (t->violated_expected++ == 0) {
    t->first_expected_seed = seed;
    t->expected_reason = reason;
  }
}

}  // namespace

uint64_t add_run(Tallies* tallies, uint64_t seed, const Judgement& j) {
  uint64_t unexpected = 0;
  for (const properties::Verdict& v : j.verdicts) {
    sim::PropertyTally& t = (*tallies)[v.property];
    const Finding* f = j.finding_of(v.property);
    if (f && f->unexpected) {
      ++unexpected;
      count_unexpected(&t, seed, v.violated() ? v.explanation : f->why);
    } else if (v.violated()) {
      CDC_ASSERT(f != nullptr, "every violation is a finding");
      count_expected(&t, seed, f->why);
      if (f->known_limitation) ++t.known_limitation;
    } else if (v.holds()) {
      ++t.holds;
    } else {
      ++t.unknown;
    }
  }
  return unexpected;
}

void merge_tallies(Tallies* into, const Tallies& from) {
  for (const auto& [property, b] : from) {
    sim::PropertyTally& a = (*into)[property];
    a.holds += b.holds;
    a.unknown += b.unknown;
    if (b.violated_expected &&
        (!a.first_expected_seed || *b.first_expected_seed < *a.first_expected_seed)) {
      a.first_expected_seed = b.first_expected_seed;
      a.expected_reason = b.expected_reason;
    }
    if (b.violated_unexpected &&
        (!a.first_unexpected_seed || *b.first_unexpected_seed < *a.first_unexpected_seed)) {
      a.first_unexpected_seed = b.first_unexpected_seed;
      a.unexpected_explanation = b.unexpected_explanation;
    }
    a.violated_expected += b.violated_expected;
    a.known_limitation += b.known_limitation;
    a.violated_unexpected += b.violated_unexpected;
  }
}

}  // namespace cdc::campaign
