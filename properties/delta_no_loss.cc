// delta_no_loss: no_loss judged at a delta destination (DESIGN §9, "for delta
// destinations: in the destination"). For a delta materialization of a keyed
// capture binding, let I be the binding's latest backfill instance. A source
// change of key k at commit C after I's stream start is covered iff the
// destination (after replay) holds a row for k with lsn >= C.commit_lsn, or k
// is absent from the source at the end and the destination holds no row for
// k at or past I's stream start (a key that came and went unobserved leaves
// nothing to lose).
//
// Duplicates are counted, not judged (delta_duplicates judges them): a row
// duplicates an earlier row of the same key with the same (lsn, op, fields).

#include <map>
#include <optional>
#include <tuple>

#include "properties/checkers.h"
#include "properties/destination.h"
#include "properties/helpers.h"
#include "properties/timeline.h"

namespace cdc::properties {

namespace {

constexpr char kName[] = "delta_no_loss";

struct KeyRows {
  std::optional<detail::RowRef> newest;  // the row of highest lsn (first one on ties)
  bool since_start = false;              // some row has lsn >= the stream start
};

std::map<history::DocKey, KeyRows> index_rows(const std::vector<detail::RowRef>& rows,
                                              Lsn stream_start) {
  std::map<history::DocKey, KeyRows> out;
  for (const detail::RowRef& r : rows) {
    KeyRows& k = out[r.row->key];
    if (!k.newest || k.newest->row->lsn < r.row->lsn) k.newest = r;
    if (r.row->lsn >= stream_start) k.since_start = true;
  }
  return out;
}

uint64_t count_duplicates(const std::vector<detail::RowRef>& rows) {
  uint64_t n = 0;
  std::map<std::tuple<history::DocKey, uint64_t, char>, std::vector<const SharedRow*>> seen;
  for (const detail::RowRef& r : rows) {
    std::vector<const SharedRow*>& same =
        seen[{r.row->key, r.row->lsn.value(), static_cast<char>(r.row->op)}];
    bool dup = false;
    for (const SharedRow* other : same) {
      if (*other == r.row->fields) dup = true;
    }
    if (dup)
      ++n;
    else
      same.push_back(&r.row->fields);
  }
  return n;
}

Verdict lost(const history::History& h, const detail::MaterializationRef& m,
             const history::BackfillInstance& inst, const history::SourceCommit& c,
             const history::SourceKeyChange& ch, const KeyRows* rows, const SharedRow* final_row) {
  const std::string key = detail::render_key(ch.key);
  std::vector<std::string> witness = {
      detail::describe_materialization(*m.mat), detail::describe_instance(inst),
      detail::describe_commit(c) + " changing key " + key + " from " +
          detail::describe_row(ch.before ? &*ch.before : nullptr) + " to " +
          detail::describe_row(ch.after ? &*ch.after : nullptr)};
  std::string but;
  if (rows != nullptr && rows->newest) {
    witness.push_back("newest destination " + detail::describe_row_ref(*rows->newest));
    but = "the newest row for k in " + m.mat->destination + " is at lsn " +
          to_string(rows->newest->row->lsn);
  } else {
    but = m.mat->destination + " holds no row for k";
  }
  if (final_row != nullptr)
    but += ", and k is present at the source at the end";
  else
    but += ", and it holds rows for k written at or past the stream start";
  return Verdict::violation(
      kName,
      "Let C be the " + detail::describe_commit(c) + ", which changed k = " + key +
          " after the stream start " + to_string(inst.stream_start_lsn) + " of " + inst.state_key +
          ". Then the delta destination " + m.mat->destination + " of " +
          detail::describe_materialization(*m.mat) +
          " must hold a row for k at lsn >= " + to_string(c.commit_lsn) + " (the run drained to " +
          to_string(h.drain.source_flush_lsn) + "), but " + but + ".",
      std::move(witness), Verdict::Subject{m.capture->id, ch.key});
}

std::optional<Verdict> judge(const history::History& h, const detail::MaterializationRef& m,
                             const history::BackfillInstance& inst,
                             const std::vector<detail::RowRef>& rows) {
  const std::shared_ptr<const detail::SourceTimeline> shared =
      detail::timeline_for(h, m.capture->table_id);
  const detail::SourceTimeline& timeline = *shared;
  const std::map<history::DocKey, KeyRows> index = index_rows(rows, inst.stream_start_lsn);
  for (const history::SourceCommit& c : h.source_commits) {
    if (c.commit_lsn <= inst.stream_start_lsn) continue;
    for (const history::SourceKeyChange& ch : c.changes) {
      if (ch.table != m.capture->table_id) continue;
      const auto it = index.find(ch.key);
      const KeyRows* kr = it == index.end() ? nullptr : &it->second;
      if (kr != nullptr && kr->newest && kr->newest->row->lsn >= c.commit_lsn) continue;
      const SharedRow* final_row = timeline.final_state(ch.key);
      if ((kr == nullptr || !kr->since_start) && final_row == nullptr) continue;
      return lost(h, m, inst, c, ch, kr, final_row);
    }
  }
  return std::nullopt;
}

}  // namespace

Verdict check_delta_no_loss(const history::History& h) {
  if (!h.drain.reached) return Verdict::unknown(kName, "the run did not drain within its budget");
  const std::vector<detail::MaterializationRef> mats =
      detail::materializations_of(h, history::UpdateStrategy::kDelta, /*keyed_only=*/true);
  if (mats.empty()) return Verdict::unknown(kName, "no delta materialization of a keyed binding");
  bool judged = false;
  uint64_t duplicates = 0;
  for (const detail::MaterializationRef& m : mats) {
    const history::BackfillInstance* inst = detail::latest_instance(h, m.capture->id);
    if (inst == nullptr) continue;
    judged = true;
    const std::vector<detail::RowRef> rows = detail::final_delta_rows(h, m.mat->id);
    if (std::optional<Verdict> v = judge(h, m, *inst, rows)) return *std::move(v);
    duplicates += count_duplicates(rows);
  }
  if (!judged) {
    return Verdict::unknown(kName, "no delta materialization reads a binding with an instance");
  }
  return Verdict::hold(kName,
                       "every change after each stream start reached its delta destination; " +
                           std::to_string(duplicates) +
                           (duplicates == 1 ? " duplicate row" : " duplicate rows"));
}

}  // namespace cdc::properties
