// destination_convergence: after the drain, each merge destination over a
// keyed capture binding holds exactly the final source state of the binding's
// table: the same keys, and for each key every field present and equal to the
// source row. The destination is the replay of the binding's destination
// transactions (properties/destination.h).

#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "model/reduction.h"
#include "properties/checkers.h"
#include "properties/destination.h"
#include "properties/helpers.h"
#include "properties/timeline.h"

namespace cdc::properties {

namespace {

constexpr char kName[] = "destination_convergence";

// Why the destination row differs from the source row, or nullopt when equal.
std::optional<std::string> mismatch(const Row& source, const history::DestinationRow& r) {
  if (r.fields.size() != source.size()) {
    return "the destination row has " + std::to_string(r.fields.size()) +
           " fields and the source row " + std::to_string(source.size());
  }
  for (size_t c = 0; c < source.size(); ++c) {
    // The column's name is built only for a mismatch: this runs on every row.
    const auto col = [c] { return "field " + std::to_string(c); };
    if (!field_present(r.present_mask, c)) return col() + " is absent from the stored row";
    if (r.fields[c] != source[c]) {
      return col() + " is " + to_string(r.fields[c]) + " while the source has " +
             to_string(source[c]);
    }
  }
  return std::nullopt;
}

std::optional<Verdict> judge(const history::History& h, const detail::MaterializationRef& m) {
  const std::shared_ptr<const detail::SourceTimeline> shared =
      detail::timeline_for(h, m.capture->table_id);
  const detail::SourceTimeline& timeline = *shared;
  const std::vector<std::pair<std::string_view, const Row*>> source = timeline.final_rows();
  const detail::MergeState dest = detail::final_merge_state(h, m.mat->id);
  // The source's final rows and the destination's rows, walked together in
  // key order (both are sorted bytewise).
  auto src = source.begin();
  auto got = dest.rows.begin();
  while (src != source.end() || got != dest.rows.end()) {
    const bool take_src =
        got == dest.rows.end() || (src != source.end() && src->first <= got->first);
    const bool take_got =
        src == source.end() || (got != dest.rows.end() && got->first <= src->first);
    const std::string_view key_view = take_src ? src->first : std::string_view(got->first);
    const Row* src_row = take_src ? src->second : nullptr;
    const detail::RowRef* got_row = take_got ? &got->second : nullptr;
    if (take_src) ++src;
    if (take_got) ++got;
    std::optional<std::string> why;
    if (src_row == nullptr)
      why = "the destination holds the key, which the source does not";
    else if (got_row == nullptr)
      why = "the destination does not hold the key";
    else
      why = mismatch(*src_row, *got_row->row);
    if (!why) continue;
    const history::DocKey key(key_view);
    std::vector<std::string> witness = {
        "key " + detail::render_key(key) + " of " + detail::describe_materialization(*m.mat),
        "source row at drain (lsn " + to_string(h.drain.source_flush_lsn) +
            "): " + detail::describe_row(src_row),
        "destination " +
            (got_row == nullptr ? std::string("row: absent") : detail::describe_row_ref(*got_row))};
    if (const detail::TxnRef* last = dest.last_touch(key)) {
      witness.push_back("last to touch the key: " + detail::describe_txn(*last));
    } else {
      witness.push_back("no destination txn of materialization " + std::to_string(m.mat->id) +
                        " touched the key");
    }
    return Verdict::violation(kName,
                              "Let k = " + detail::render_key(key) + " be a key of " +
                                  detail::describe_binding(*m.capture) +
                                  ", materialized by merge into " + m.mat->destination +
                                  ", after the run drained to lsn " +
                                  to_string(h.drain.source_flush_lsn) +
                                  ". Then the destination must hold k's final source row (" +
                                  detail::describe_row(src_row) + "), but " + *why + ".",
                              std::move(witness), Verdict::Subject{m.capture->id, key});
  }
  return std::nullopt;
}

}  // namespace

Verdict check_destination_convergence(const history::History& h) {
  if (!h.drain.reached) return Verdict::unknown(kName, "the run did not drain, so no final state");
  const std::vector<detail::MaterializationRef> mats =
      detail::materializations_of(h, history::UpdateStrategy::kMerge, /*keyed_only=*/true);
  if (mats.empty()) return Verdict::unknown(kName, "no merge materialization of a keyed binding");
  for (const detail::MaterializationRef& m : mats) {
    if (std::optional<Verdict> v = judge(h, m)) return *std::move(v);
  }
  return Verdict::hold(kName, "every merge destination equals its table's final source state");
}

}  // namespace cdc::properties
