// delta_no_prebackfill_rows: a data flow backfill rebuilds a delta
// destination from the new collection generation only ("Materialization
// bindings are configured to only read from now onwards (they don't re-send
// previously captured data along with the new backfill)").
//
// For each BackfillOp of type kDataFlow at tick T that bumped a delta
// materialization binding m: let R be m's first destination txn at tick >= T
// with truncated_first (the rebuild), and let S be the seq of the first
// collection txn at tick >= T (every collection txn when there is none: the
// boundary is then past the last seq). Then no row that R or a later
// destination txn of m appends may come from a collection txn below S. This
// covers the final state and every state a reader could see after the
// rebuild. Ticks order events only coarsely, so a collection txn at tick T
// counts as after the op: the check errs toward holding.
//
// kUnknown when no data flow backfill bumped a delta binding, or when none of
// those bindings was ever rebuilt (liveness judges a rebuild that never came).

#include <algorithm>
#include <optional>

#include "properties/checkers.h"
#include "properties/destination.h"
#include "properties/helpers.h"

namespace cdc::properties {

namespace {

constexpr char kName[] = "delta_no_prebackfill_rows";

const history::MaterializationBinding* find_delta(const history::History& h, uint32_t id) {
  for (const history::MaterializationBinding& m : h.materializations) {
    if (m.id == id && m.strategy == history::UpdateStrategy::kDelta) return &m;
  }
  return nullptr;
}

// The seq of the first collection txn at tick >= `tick`, or one past the last seq.
uint64_t boundary_seq(const history::History& h, uint64_t tick) {
  uint64_t past_last = 0;
  for (const history::CollectionTxn& t : h.collection_txns) {
    if (t.tick >= tick) return t.seq;
    past_last = std::max(past_last, t.seq + 1);
  }
  return past_last;
}

Verdict stale_row(const history::History& h, const history::BackfillOp& op,
                  const history::MaterializationBinding& m, const detail::TxnRef& rebuild,
                  uint64_t boundary, const detail::RowRef& row) {
  std::vector<std::string> witness = {
      "data flow backfill requested at tick " + std::to_string(op.tick),
      detail::describe_materialization(m), "rebuild: " + detail::describe_txn(rebuild),
      "first collection txn of the new generation: seq " + std::to_string(boundary),
      "pre-backfill " + detail::describe_row_ref(row)};
  const history::Binding* capture = detail::find_binding(h, m.capture_binding);
  const std::string source = capture != nullptr ? detail::describe_binding(*capture) : m.collection;
  return Verdict::violation(
      kName,
      "Let the data flow backfill at tick " + std::to_string(op.tick) + " reset " + m.collection +
          " (of " + source + "), so that its new generation starts at collection seq " +
          std::to_string(boundary) + ", and let " + detail::describe_txn(rebuild) +
          " rebuild the delta destination " + m.destination +
          ". Then every row of the rebuilt table must come from collection seq >= " +
          std::to_string(boundary) + ", but " +
          (row.txn.index == rebuild.index ? std::string("the rebuild itself")
                                          : detail::describe_txn(row.txn)) +
          " appended the row for key " + detail::render_key(row.row->key) +
          " from collection seq " + std::to_string(row.row->collection_seq) +
          ", which was captured before the backfill.",
      std::move(witness), Verdict::Subject{m.capture_binding, row.row->key});
}

}  // namespace

Verdict check_delta_no_prebackfill_rows(const history::History& h) {
  bool touched = false;
  size_t judged = 0;
  size_t unrebuilt = 0;
  for (const history::BackfillOp& op : h.backfill_ops) {
    if (op.type != history::BackfillOp::Type::kDataFlow) continue;
    for (uint32_t id : op.materialization_bindings) {
      const history::MaterializationBinding* m = find_delta(h, id);
      if (m == nullptr) continue;
      touched = true;
      const std::vector<detail::TxnRef> txns = detail::destination_txns_of(h, id);
      size_t first = txns.size();
      for (size_t i = 0; i < txns.size(); ++i) {
        if (txns[i].txn->tick >= op.tick && txns[i].txn->truncated_first) {
          first = i;
          break;
        }
      }
      if (first == txns.size()) {
        ++unrebuilt;
        continue;
      }
      ++judged;
      const uint64_t boundary = boundary_seq(h, op.tick);
      for (size_t i = first; i < txns.size(); ++i) {
        for (const history::DestinationRow& r : txns[i].txn->upserts) {
          if (r.collection_seq < boundary) {
            return stale_row(h, op, *m, txns[first], boundary, detail::RowRef{txns[i], &r});
          }
        }
      }
    }
  }
  if (!touched) return Verdict::unknown(kName, "no data flow backfill bumped a delta binding");
  if (judged == 0) {
    return Verdict::unknown(kName, "no delta binding bumped by a data flow backfill was rebuilt");
  }
  std::string why =
      "every delta destination rebuilt by a data flow backfill holds only rows of "
      "the new collection generation";
  if (unrebuilt > 0) why += " (" + std::to_string(unrebuilt) + " bumped binding(s) never rebuilt)";
  return Verdict::hold(kName, why);
}

}  // namespace cdc::properties
