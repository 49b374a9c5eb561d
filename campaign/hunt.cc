#include "campaign/hunt.h"

#include <mutex>
#include <vector>

#include "model/assert.h"

namespace cdc::campaign {

Hunt hunt(const Plan& p, RunnerOptions options) {
  options.stop_at_first_failure = true;
  std::vector<std::optional<FirstFailure>> failures(std::min(p.items(), options.max_items));
  const RunnerResult rr = run_items(p.items(), options, [&](size_t i) {
    const Target t = p.target(i);
    const sim::RunResult r = sim::run_world(t.options);
    const Judgement j = judge(t, r.history);
    const Finding* f = j.first_failure();
    if (f) failures[i] = FirstFailure{i, t, *f, r.fingerprint, 0};
    return f != nullptr;
  });
  Hunt h;
  h.runs = rr.runs;
  h.seconds = rr.seconds;
  h.clean_prefix = rr.clean_prefix;
  if (rr.first_failure) {
    h.first = std::move(failures[*rr.first_failure]);
    CDC_ASSERT(h.first.has_value(), "the first failing item recorded its failure");
    h.first->seconds = rr.first_failure_seconds;
  }
  return h;
}

}  // namespace cdc::campaign
