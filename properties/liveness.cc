// liveness: the run drained within its budget, and every backfill that scans
// the table (Precise, Normal, Without Primary Key) completed, i.e. its state
// key appears in some CollectionTxn::completed_backfills. Only each binding's
// latest instance is judged: a later backfill request supersedes an earlier
// instance, which then never needs to finish.
// A Without Primary Key scan has completed only if it got to the end of the
// table: its committed chunks, chained from block 0, must reach every page
// the table had when the first of them ran (Chunk::blocks, table_pages). A
// scan that declares itself done earlier has stopped, not finished.

#include <optional>

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

// The first block the committed ctid-range chunks of `inst`, chained from
// block 0, do not cover; and the table's pages when the first of them ran.
struct Reach {
  uint32_t next_block = 0;
  uint32_t pages = 0;
  const history::Chunk* first = nullptr;
  const history::Chunk* last = nullptr;  // the one that reached furthest
};

Reach keyless_reach(const history::History& h, const history::BackfillInstance& inst) {
  Reach r;
  for (const history::Chunk& c : h.chunks) {
    if (c.state_key != inst.state_key || c.binding != inst.binding) continue;
    if (!c.committed_in || !c.blocks) continue;
    if (r.first == nullptr) {
      r.first = &c;
      r.pages = c.table_pages;
    }
    if (c.blocks->first <= r.next_block && c.blocks->second + 1 > r.next_block) {
      r.next_block = c.blocks->second + 1;
      r.last = &c;
    }
  }
  return r;
}

std::string blocks_of(const history::Chunk& c) {
  return " (blocks " + std::to_string(c.blocks->first) + ".." + std::to_string(c.blocks->second) +
         ")";
}

std::optional<Verdict> stopped_early(const history::History& h,
                                     const history::BackfillInstance& inst) {
  const Reach r = keyless_reach(h, inst);
  if (r.first == nullptr || r.next_block >= r.pages) return std::nullopt;
  std::vector<std::string> witness = {detail::describe_instance(inst),
                                      "first committed " + detail::describe_chunk(*r.first) +
                                          blocks_of(*r.first) + ": the table had " +
                                          std::to_string(r.pages) + " pages"};
  if (r.last != nullptr) {
    witness.push_back("furthest " + detail::describe_chunk(*r.last) + blocks_of(*r.last));
  }
  return Verdict::violation(
      kName,
      "Let I be the " + detail::describe_instance(inst) +
          ", a ctid-range scan marked complete. Then its committed chunks must reach every page "
          "the table had when its scan began (" +
          std::to_string(r.pages) + "), but they stop before block " +
          std::to_string(r.next_block) + ".",
      std::move(witness));
}

}  // namespace

Verdict check_liveness(const history::History& h) {
  if (!h.drain.reached) return not_drained(h);
  for (const history::Binding& b : h.bindings) {
    const history::BackfillInstance* inst = detail::latest_instance(h, b.id);
    if (inst == nullptr || !scans(inst->mode)) continue;
    if (detail::completion_txn(h, inst->state_key) != nullptr) {
      if (inst->mode != history::ResolvedMode::kWithoutPrimaryKey) continue;
      if (std::optional<Verdict> v = stopped_early(h, *inst)) return *std::move(v);
      continue;
    }
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
