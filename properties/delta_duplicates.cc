// delta_duplicates: a delta destination never holds the same backfilled row
// twice. Two rows of one key, both snapshot creates (op c) with equal fields,
// mean the key was backfilled twice into the same table: what a capture
// backfill does to a delta destination, which appends every document and
// dedups nothing. The documentation warns of it ("Using capture backfills (not
// dropping the destination tables) when you have materializations that use
// delta updates may result in duplicate rows."), so the expectations mark it
// as violable after a capture backfill; the verdict counts the duplicates.
//
// Judged over the final rows (after replay) of every delta materialization of
// a keyed capture binding. A duplicate row is a snapshot create equal (key,
// fields) to an earlier one in the same destination.

#include <map>
#include <optional>
#include <utility>

#include "properties/checkers.h"
#include "properties/destination.h"
#include "properties/helpers.h"

namespace cdc::properties {

namespace {

constexpr char kName[] = "delta_duplicates";

struct FirstPair {
  const detail::MaterializationRef* mat = nullptr;
  detail::RowRef first;
  detail::RowRef second;
};

// Counts the duplicate snapshot creates among `rows`; records the first pair.
uint64_t count(const detail::MaterializationRef& m, const std::vector<detail::RowRef>& rows,
               std::optional<FirstPair>& pair) {
  uint64_t n = 0;
  std::map<history::DocKey, std::vector<detail::RowRef>> earlier;  // distinct snapshot creates
  for (const detail::RowRef& r : rows) {
    if (r.row->op != history::DocOp::kCreate || !r.row->snapshot) continue;
    std::vector<detail::RowRef>& same_key = earlier[r.row->key];
    const detail::RowRef* twin = nullptr;
    for (const detail::RowRef& e : same_key) {
      if (e.row->fields == r.row->fields) {
        twin = &e;
        break;
      }
    }
    if (twin == nullptr) {
      same_key.push_back(r);
      continue;
    }
    ++n;
    if (!pair) pair = FirstPair{&m, *twin, r};
  }
  return n;
}

// The duplicates of every delta materialization of a keyed binding, and the
// first pair found.
uint64_t count_all(const history::History& h, const std::vector<detail::MaterializationRef>& mats,
                   std::optional<FirstPair>& pair) {
  uint64_t total = 0;
  for (const detail::MaterializationRef& m : mats) {
    total += count(m, detail::final_delta_rows(h, m.mat->id), pair);
  }
  return total;
}

}  // namespace

uint64_t count_delta_duplicates(const history::History& h) {
  std::optional<FirstPair> pair;
  return count_all(
      h, detail::materializations_of(h, history::UpdateStrategy::kDelta, /*keyed_only=*/true),
      pair);
}

Verdict check_delta_duplicates(const history::History& h) {
  const std::vector<detail::MaterializationRef> mats =
      detail::materializations_of(h, history::UpdateStrategy::kDelta, /*keyed_only=*/true);
  if (mats.empty()) return Verdict::unknown(kName, "no delta materialization of a keyed binding");
  std::optional<FirstPair> pair;
  const uint64_t total = count_all(h, mats, pair);
  if (!pair) return Verdict::hold(kName, "0 duplicate rows: no key was backfilled twice");
  const history::DestinationRow& a = *pair->first.row;
  const history::DestinationRow& b = *pair->second.row;
  const std::string key = detail::render_key(a.key);
  const std::string total_rows =
      std::to_string(total) + (total == 1 ? " duplicate row" : " duplicate rows");
  return Verdict::violation(
      kName,
      "Let k = " + key + " be a key of " + detail::describe_binding(*pair->mat->capture) +
          ", materialized by delta updates into " + pair->mat->mat->destination +
          ". Then each backfill of the table should append k's snapshot row once, but the "
          "destination holds two snapshot creates of k with fields " +
          to_string(a.fields) + ", from collection seq " + std::to_string(a.collection_seq) +
          " (lsn " + to_string(a.lsn) + ") and collection seq " + std::to_string(b.collection_seq) +
          " (lsn " + to_string(b.lsn) + "): k was backfilled twice into the same table, " +
          total_rows +
          " in total, as the documentation warns (\"Using capture backfills ... when you have "
          "materializations that use delta updates may result in duplicate rows.\").",
      {"key " + key + " of " + detail::describe_materialization(*pair->mat->mat),
       "first " + detail::describe_row_ref(pair->first),
       "duplicate " + detail::describe_row_ref(pair->second), total_rows + " in total"},
      Verdict::Subject{pair->mat->capture->id, a.key});
}

}  // namespace cdc::properties
