// retention_loss: a destination rebuilt after the collection expired
// documents cannot restore them. The documentation warns of it ("Data
// retention: If using Estuary's trial buckets, data expires after
// approximately 20 days."; to recreate a destination table from scratch with
// limited retention, "Use a Data Flow Backfill").
//
// For each materialization of a keyed capture binding, let R be its last
// destination txn with truncated_first (the rebuild that defines the final
// table), judged only when some Expiry of the capture binding's collection
// happened at or before R's tick. After the drain, the property is violated
// by a key that is present in the final source state, missing from the
// destination (merge: no stored row; delta: no row at all), and named by an
// Expiry of the collection at or before R. A missing key no expiry names is
// left to the convergence and loss checkers.
//
// kUnknown without a drain, or when no destination was rebuilt after an expiry.

#include <optional>
#include <set>

#include "properties/checkers.h"
#include "properties/destination.h"
#include "properties/helpers.h"
#include "properties/timeline.h"

namespace cdc::properties {

namespace {

constexpr char kName[] = "retention_loss";

std::optional<detail::TxnRef> last_rebuild(const std::vector<detail::TxnRef>& txns) {
  std::optional<detail::TxnRef> out;
  for (const detail::TxnRef& t : txns) {
    if (t.txn->truncated_first) out = t;
  }
  return out;
}

std::set<history::DocKey, std::less<>> destination_keys(const history::MaterializationBinding& m,
                                                        const std::vector<detail::TxnRef>& txns) {
  std::set<history::DocKey, std::less<>> out;
  if (m.strategy == history::UpdateStrategy::kMerge) {
    for (const auto& [key, row] : detail::replay_merge(txns).rows)
      out.emplace(key);
  } else {
    for (const detail::RowRef& r : detail::replay_delta(txns))
      out.insert(r.row->key);
  }
  return out;
}

// The last expiry of `capture` at or before `tick` that names `key` (any key
// when `key` is null), or nullptr.
const history::Expiry* expiry_before(const history::History& h, uint32_t capture, uint64_t tick,
                                     const history::DocKey* key) {
  const history::Expiry* out = nullptr;
  for (const history::Expiry& e : h.expiries) {
    if (e.capture_binding != capture || e.tick > tick) continue;
    if (key == nullptr) {
      out = &e;
      continue;
    }
    for (const history::DocKey& k : e.keys) {
      if (k == *key) {
        out = &e;
        break;
      }
    }
  }
  return out;
}

// The last backfill op bumping materialization `m` at or before `tick`, or nullptr.
const history::BackfillOp* rebuild_op(const history::History& h, uint32_t m, uint64_t tick) {
  const history::BackfillOp* out = nullptr;
  for (const history::BackfillOp& op : h.backfill_ops) {
    if (op.tick > tick) continue;
    for (uint32_t id : op.materialization_bindings) {
      if (id == m) out = &op;
    }
  }
  return out;
}

const char* op_words(history::BackfillOp::Type t) {
  switch (t) {
    case history::BackfillOp::Type::kCapture:
      return "capture backfill";
    case history::BackfillOp::Type::kMaterialization:
      return "materialization backfill";
    case history::BackfillOp::Type::kDataFlow:
      return "data flow backfill";
  }
  return "backfill";
}

Verdict lost(const history::History& h, const history::MaterializationBinding& m,
             const history::Binding& capture, const detail::TxnRef& rebuild,
             const history::DocKey& key, const SharedRow* source_row, const history::Expiry& e) {
  const history::BackfillOp* op = rebuild_op(h, m.id, rebuild.txn->tick);
  const std::string what = op != nullptr ? op_words(op->type) : "rebuild";
  const uint64_t at = op != nullptr ? op->tick : rebuild.txn->tick;
  const std::string k = detail::render_key(key);
  std::vector<std::string> witness = {
      "key " + k + " of " + detail::describe_materialization(m),
      "source row at drain (lsn " + to_string(h.drain.source_flush_lsn) +
          "): " + detail::describe_row(source_row),
      "expiry at tick " + std::to_string(e.tick) + " of " + m.collection + ": " +
          std::to_string(e.documents) + " documents, naming " + k};
  if (op != nullptr) witness.push_back(what + " requested at tick " + std::to_string(op->tick));
  witness.push_back("rebuild: " + detail::describe_txn(rebuild));
  witness.push_back("destination " + m.destination + " holds no row for " + k + " after the drain");
  return Verdict::violation(
      kName,
      "Let k = " + k + " be a key of " + detail::describe_binding(capture) +
          ", present at the source when the run drained to lsn " +
          to_string(h.drain.source_flush_lsn) + ". Then the " + history::to_string(m.strategy) +
          " destination " + m.destination +
          " must hold a row for k, but it holds none: the collection " + m.collection +
          " expired k's documents at tick " + std::to_string(e.tick) + ", before the " + what +
          " at tick " + std::to_string(at) +
          ", so the rebuilt table could not restore it (the rebuild is " +
          detail::describe_txn(rebuild) +
          "). The loss is due to retention, as the documentation warns "
          "(\"Data retention: If using Estuary's trial buckets, data expires after approximately "
          "20 days.\").",
      std::move(witness), Verdict::Subject{capture.id, key});
}

}  // namespace

Verdict check_retention_loss(const history::History& h) {
  bool judged = false;
  for (const history::MaterializationBinding& m : h.materializations) {
    const history::Binding* capture = detail::find_binding(h, m.capture_binding);
    if (capture == nullptr || capture->keyless) continue;
    const std::vector<detail::TxnRef> txns = detail::destination_txns_of(h, m.id);
    const std::optional<detail::TxnRef> rebuild = last_rebuild(txns);
    if (!rebuild) continue;
    const uint64_t tick = rebuild->txn->tick;
    if (expiry_before(h, capture->id, tick, nullptr) == nullptr) continue;
    if (!h.drain.reached)
      return Verdict::unknown(kName, "the run did not drain, so no final state");
    judged = true;
    const std::set<history::DocKey, std::less<>> have = destination_keys(m, txns);
    const std::shared_ptr<const detail::SourceTimeline> shared =
        detail::timeline_for(h, capture->table_id);
    const detail::SourceTimeline& timeline = *shared;
    for (const auto& [key_view, row] : timeline.final_rows()) {
      if (have.count(key_view) != 0) continue;
      const history::DocKey key(key_view);
      if (const history::Expiry* e = expiry_before(h, capture->id, tick, &key)) {
        return lost(h, m, *capture, *rebuild, key, row, *e);
      }
    }
  }
  if (!judged) return Verdict::unknown(kName, "no destination was rebuilt after an expiry");
  return Verdict::hold(kName, "every destination rebuilt after an expiry holds every source key");
}

}  // namespace cdc::properties
