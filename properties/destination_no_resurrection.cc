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

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <vector>

#include "model/assert.h"
#include "properties/checkers.h"
#include "properties/destination.h"
#include "properties/helpers.h"
#include "properties/history_keys.h"

namespace cdc::properties {

namespace {

constexpr char kName[] = "destination_no_resurrection";

// A key's state in 20 bytes: positions in the replayed txns (and in a txn's
// upserts) instead of references, so the replay of a table of millions of
// keys stays small. kNone: no such row or txn.
struct KeyState {
  static constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();
  uint32_t present_txn = kNone;  // the stored row's txn, when the key is present
  uint32_t present_row = 0;      // its index in that txn's upserts
  uint32_t held_txn = kNone;     // the row held before the last delete
  uint32_t held_row = 0;
  uint32_t deleted_by = kNone;  // the txn of that delete
};
static_assert(sizeof(KeyState) == 20);

// `now` stores a key that `deleted_by` deleted while it held `held`, at a
// version no newer than held's.
Verdict violation(const detail::MaterializationRef& m, const detail::RowRef& held,
                  const detail::TxnRef& deleted_by, const detail::RowRef& now) {
  const history::DestinationRow& r = *now.row;
  const std::string key = detail::render_key(r.key);
  return Verdict::violation(
      kName,
      "Let k = " + key + " be a key of " + detail::describe_binding(*m.capture) +
          ", materialized by merge into " + m.mat->destination + ". Then once " +
          detail::describe_txn(deleted_by) + " deleted k, which held a row at source version lsn " +
          to_string(held.row->lsn) + ", k may come back only at a newer version, but " +
          detail::describe_txn(now.txn) + " stores k again at version lsn " + to_string(r.lsn) +
          ", no newer.",
      {"key " + key + " of " + detail::describe_materialization(*m.mat),
       "held before the delete: " + detail::describe_row_ref(held),
       "deleted by " + detail::describe_txn(deleted_by),
       "resurrected as " + detail::describe_row_ref(now)},
      Verdict::Subject{m.capture->id, r.key});
}

std::optional<Verdict> judge(const history::History& h, const detail::MaterializationRef& m) {
  const std::shared_ptr<const detail::HistoryKeys> ids = detail::history_keys(h);
  // Each key's state, by id.
  detail::ReplayById<KeyState> keys(ids->of_materialization(m.mat->id).size());
  const std::vector<detail::TxnRef> txns = detail::destination_txns_of(h, m.mat->id);
  CDC_ASSERT(txns.size() < KeyState::kNone, "a txn's position fits in 32 bits");
  for (uint32_t ti = 0; ti < txns.size(); ++ti) {
    const detail::TxnRef& t = txns[ti];
    if (t.txn->truncated_first) keys.clear();
    const std::vector<history::DestinationRow>& upserts = t.txn->upserts;
    CDC_ASSERT(upserts.size() < KeyState::kNone, "a row's index fits in 32 bits");
    for (uint32_t ri = 0; ri < upserts.size(); ++ri) {
      const history::DestinationRow& r = upserts[ri];
      KeyState& k = keys.set(ids->upsert(*t.txn, r));
      if (k.present_txn == KeyState::kNone && k.held_txn != KeyState::kNone) {
        const detail::RowRef held = detail::row_at(txns, k.held_txn, k.held_row);
        if (r.lsn <= held.row->lsn) {
          return violation(m, held, txns[k.deleted_by], detail::RowRef{t, &r});
        }
      }
      k.present_txn = ti;
      k.present_row = ri;
    }
    for (size_t i = 0; i < t.txn->deletes.size(); ++i) {
      KeyState& k = keys.set(ids->deleted(*t.txn, i));
      if (k.present_txn == KeyState::kNone)
        continue;  // deleting an absent key changes nothing a reader sees
      k.held_txn = k.present_txn;
      k.held_row = k.present_row;
      k.present_txn = KeyState::kNone;
      k.deleted_by = ti;
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
