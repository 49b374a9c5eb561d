// liveness: the run drained within its budget, and every backfill that scans
// the table (Precise, Normal, Without Primary Key) completed, i.e. its state
// key appears in some CollectionTxn::completed_backfills. Only each binding's
// latest instance is judged: a later backfill request supersedes an earlier
// instance, which then never needs to finish.

#include "properties/checkers.h"
#include "properties/helpers.h"

namespace cdc::properties {

namespace {

constexpr char kName[] = "liveness";

bool scans(history::ResolvedMode m) {
  return m != history::ResolvedMode::kOnlyChanges;
}

Verdict not_drained(const history::History& h) {
  std::vector<std::string> witness = {
      "drain not reached; capture cursor at lsn " + to_string(h.drain.capture_cursor) +
      ", source flushed to lsn " + to_string(h.drain.source_flush_lsn)};
  // The first few errors show the cause; a stuck capture may fail thousands of times.
  constexpr size_t kShown = 5;
  size_t count = 0;
  for (const history::Event& e : h.events) {
    if (e.kind != history::Event::Kind::kCaptureError) continue;
    if (++count <= kShown) {
      witness.push_back("capture error at tick " + std::to_string(e.tick) + ": " + e.what);
    }
  }
  const std::string errors = std::to_string(count);
  return Verdict::violation(kName,
                            "Let the liveness phase run with faults healed. Then the capture must "
                            "drain to the source's flush position within its budget, but the run "
                            "did not drain (" +
                                errors + " capture errors recorded).",
                            std::move(witness));
}

}  // namespace

Verdict check_liveness(const history::History& h) {
  if (!h.drain.reached) return not_drained(h);
  for (const history::Binding& b : h.bindings) {
    const history::BackfillInstance* inst = detail::latest_instance(h, b.id);
    if (inst == nullptr || !scans(inst->mode)) continue;
    if (detail::completion_txn(h, inst->state_key) != nullptr) continue;
    return Verdict::violation(
        kName,
        "Let I be the " + detail::describe_instance(*inst) +
            ", the latest of its binding. Then I must complete once faults are healed, but " +
            "no collection txn marks " + inst->state_key + " complete although the run drained " +
            "at tick " + std::to_string(h.drain.tick) + ".",
        {detail::describe_instance(*inst), "drained at tick " + std::to_string(h.drain.tick) +
                                               " with no completion of " + inst->state_key});
  }
  return Verdict::hold(kName, "drained, and every latest scanning backfill completed");
}

}  // namespace cdc::properties
