// destination_no_regression: per key, the source version of what a reader of
// a merge destination sees never goes backwards. For each merge
// materialization of a keyed capture binding, replay its destination txns;
// when a txn stores a row for a key that held a row just before, the new
// row's state index in the key's source timeline must not be below the old
// one's: state_index(k, new.lsn) >= state_index(k, old.lsn). Only present ->
// present transitions are judged (a DestinationTxn names deleted keys without
// a version). A truncation (truncated_first) starts the table afresh: a
// rebuilt table is a new table for its readers.

#include <memory>
#include <optional>
#include <vector>

#include "properties/checkers.h"
#include "properties/destination.h"
#include "properties/helpers.h"
#include "properties/history_keys.h"
#include "properties/timeline.h"

namespace cdc::properties {

namespace {

constexpr char kName[] = "destination_no_regression";

std::string seen(const detail::SourceTimeline& timeline, const history::DestinationRow& r) {
  return "at source version lsn " + to_string(r.lsn) + " (state " +
         std::to_string(timeline.state_index(r.key, r.lsn)) + " of its timeline)";
}

std::optional<Verdict> judge(const history::History& h, const detail::MaterializationRef& m) {
  const std::shared_ptr<const detail::HistoryKeys> keys = detail::history_keys(h);
  const detail::TableKeys& table = keys->of_materialization(m.mat->id);
  const detail::SourceTimeline& timeline = table.timeline();
  const auto state_index = [&](uint32_t id, Lsn lsn) -> size_t {
    const std::optional<detail::TimelineKey> entry = table.entry(id);
    return entry ? timeline.state_index(*entry, lsn) : 0;
  };
  // The row each key holds (txn null: none), by id.
  detail::ReplayById<detail::RowRef> rows(table.size());
  for (const detail::TxnRef& t : detail::destination_txns_of(h, m.mat->id)) {
    if (t.txn->truncated_first) rows.clear();
    for (const history::DestinationRow& r : t.txn->upserts) {
      const detail::RowRef now{t, &r};
      const uint32_t id = keys->upsert(*t.txn, r);
      const detail::RowRef before = rows[id];
      rows.set(id) = now;
      if (before.row != nullptr) {
        if (state_index(id, r.lsn) >= state_index(id, before.row->lsn)) continue;
        const std::string key = detail::render_key(r.key);
        return Verdict::violation(
            kName,
            "Let k = " + key + " be a key of " + detail::describe_binding(*m.capture) +
                ", materialized by merge into " + m.mat->destination + ". Then after " +
                detail::describe_txn(before.txn) + " a reader sees k " +
                seen(timeline, *before.row) + ", but after " + detail::describe_txn(t) +
                " it sees k " + seen(timeline, r) + ", an older state.",
            {"key " + key + " of " + detail::describe_materialization(*m.mat),
             "seen before: " + detail::describe_row_ref(before),
             "seen after: " + detail::describe_row_ref(now)},
            Verdict::Subject{m.capture->id, r.key});
      }
    }
    for (size_t i = 0; i < t.txn->deletes.size(); ++i)
      rows.set(keys->deleted(*t.txn, i)) = detail::RowRef{};
  }
  return std::nullopt;
}

}  // namespace

Verdict check_destination_no_regression(const history::History& h) {
  const std::vector<detail::MaterializationRef> mats =
      detail::materializations_of(h, history::UpdateStrategy::kMerge, /*keyed_only=*/true);
  if (mats.empty()) return Verdict::unknown(kName, "no merge materialization of a keyed binding");
  for (const detail::MaterializationRef& m : mats) {
    if (std::optional<Verdict> v = judge(h, m)) return *std::move(v);
  }
  return Verdict::hold(kName, "no key's stored source version ever went backwards");
}

}  // namespace cdc::properties
