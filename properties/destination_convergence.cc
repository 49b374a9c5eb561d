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
std::optional<std::string> mismatch(std::span<const Value> source,
                                    const history::DestinationRow& r) {
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

// Why key `id`'s stored row differs from its final source row, or nullopt
// when it matches (or neither holds the key).
std::optional<std::string> differs(const detail::MergeById& dest, uint32_t id) {
  const SharedRow* src_row = dest.table->final_row(id);
  const detail::RowRef got = dest.row(id);
  if (src_row == nullptr && got.row == nullptr) return std::nullopt;
  if (src_row == nullptr) return "the destination holds the key, which the source does not";
  if (got.row == nullptr) return "the destination does not hold the key";
  return mismatch(*src_row, *got.row);
}

Verdict violation(const history::History& h, const detail::MaterializationRef& m,
                  const detail::MergeById& dest, uint32_t id) {
  const history::DocKey key(dest.table->key(id));
  const SharedRow* src_row = dest.table->final_row(id);
  const detail::RowRef got = dest.row(id);
  const detail::RowRef* got_row = got.row != nullptr ? &got : nullptr;
  std::vector<std::string> witness = {
      "key " + detail::render_key(key) + " of " + detail::describe_materialization(*m.mat),
      "source row at drain (lsn " + to_string(h.drain.source_flush_lsn) +
          "): " + detail::describe_row(src_row),
      "destination " +
          (got_row == nullptr ? std::string("row: absent") : detail::describe_row_ref(*got_row))};
  if (const detail::TxnRef last = dest.last(id); last.txn != nullptr) {
    witness.push_back("last to touch the key: " + detail::describe_txn(last));
  } else {
    witness.push_back("no destination txn of materialization " + std::to_string(m.mat->id) +
                      " touched the key");
  }
  return Verdict::violation(
      kName,
      "Let k = " + detail::render_key(key) + " be a key of " +
          detail::describe_binding(*m.capture) + ", materialized by merge into " +
          m.mat->destination + ", after the run drained to lsn " +
          to_string(h.drain.source_flush_lsn) +
          ". Then the destination must hold k's final source row (" +
          detail::describe_row(src_row) + "), but " + *differs(dest, id) + ".",
      std::move(witness), Verdict::Subject{m.capture->id, key});
}

// Compares the source's final rows and the destination's rows key by key, in
// id order (the order the replay and the timeline lay them out), and reports
// the differing key first in key order.
std::optional<Verdict> judge(const history::History& h, const detail::MaterializationRef& m) {
  const detail::MergeById dest = detail::final_merge_by_id(h, m.mat->id);
  const detail::TableKeys& table = *dest.table;
  const std::optional<uint32_t> first =
      table.first_in_key_order([&](uint32_t id) { return differs(dest, id).has_value(); },
                               [&](uint32_t id, detail::FetchStage stage) {
                                 table.prefetch_final_row(id, stage);
                                 dest.prefetch_row(id, stage);
                               });
  if (!first) return std::nullopt;
  return violation(h, m, dest, *first);
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
