// destination_no_resurrection: a merge destination never brings a deleted key
// back as a stale row. For each merge materialization of a keyed capture
// binding, replay its destination txns. When a txn deletes a key that held a
// row R, and a later txn stores a row for the key again, the new row's lsn
// must be above R's lsn: a row no newer than one the destination held before
// the delete is a stale row brought back. (A DestinationTxn names deleted
// keys without the deleting document's version, so R's lsn is the best lower
// bound on the delete's version. The bound is inclusive: a delete follows
// the version R shows, so R itself coming back is stale too.) A
// re-insertion at the source comes with a newer lsn and is fine. A
// truncation (truncated_first) starts the table afresh: a rebuilt table is
// a new table for its readers.

#include <memory>
#include <optional>
#include <vector>

#include "properties/checkers.h"
#include "properties/destination.h"
#include "properties/helpers.h"
#include "properties/history_keys.h"

namespace cdc::properties {

namespace {

constexpr char kName[] = "destination_no_resurrection";

struct KeyState {
  std::optional<detail::RowRef> present;  // the stored row, when the key is present
  std::optional<detail::RowRef> held;     // the row held before the last delete
  detail::TxnRef deleted_by;              // the txn of that delete
};

std::optional<Verdict> judge(const history::History& h, const detail::MaterializationRef& m) {
  const std::shared_ptr<const detail::HistoryKeys> ids = detail::history_keys(h);
  // Each key's state, by id.
  detail::ReplayById<KeyState> keys(ids->of_materialization(m.mat->id).size());
  for (const detail::TxnRef& t : detail::destination_txns_of(h, m.mat->id)) {
    if (t.txn->truncated_first) keys.clear();
    for (const history::DestinationRow& r : t.txn->upserts) {
      KeyState& k = keys.set(ids->upsert(*t.txn, r));
      const detail::RowRef now{t, &r};
      if (!k.present && k.held && r.lsn <= k.held->row->lsn) {
        const std::string key = detail::render_key(r.key);
        return Verdict::violation(
            kName,
            "Let k = " + key + " be a key of " + detail::describe_binding(*m.capture) +
                ", materialized by merge into " + m.mat->destination + ". Then once " +
                detail::describe_txn(k.deleted_by) +
                " deleted k, which held a row at source version lsn " +
                to_string(k.held->row->lsn) + ", k may come back only at a newer version, but " +
                detail::describe_txn(t) + " stores k again at version lsn " + to_string(r.lsn) +
                ", no newer.",
            {"key " + key + " of " + detail::describe_materialization(*m.mat),
             "held before the delete: " + detail::describe_row_ref(*k.held),
             "deleted by " + detail::describe_txn(k.deleted_by),
             "resurrected as " + detail::describe_row_ref(now)},
            Verdict::Subject{m.capture->id, r.key});
      }
      k.present = now;
    }
    for (size_t i = 0; i < t.txn->deletes.size(); ++i) {
      KeyState& k = keys.set(ids->deleted(*t.txn, i));
      if (!k.present) continue;  // deleting an absent key changes nothing a reader sees
      k.held = k.present;
      k.present.reset();
      k.deleted_by = t;
    }
  }
  return std::nullopt;
}

}  // namespace

Verdict check_destination_no_resurrection(const history::History& h) {
  const std::vector<detail::MaterializationRef> mats =
      detail::materializations_of(h, history::UpdateStrategy::kMerge, /*keyed_only=*/true);
  if (mats.empty()) return Verdict::unknown(kName, "no merge materialization of a keyed binding");
  for (const detail::MaterializationRef& m : mats) {
    if (std::optional<Verdict> v = judge(h, m)) return *std::move(v);
  }
  return Verdict::hold(kName, "no deleted key came back as a row no newer than the one deleted");
}

}  // namespace cdc::properties
