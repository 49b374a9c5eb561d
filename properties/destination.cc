#include "properties/destination.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "properties/helpers.h"

namespace cdc::properties::detail {

std::vector<MaterializationRef> materializations_of(const history::History& h,
                                                    history::UpdateStrategy strategy,
                                                    bool keyed_only) {
  std::vector<MaterializationRef> out;
  for (const history::MaterializationBinding& m : h.materializations) {
    if (m.strategy != strategy) continue;
    const history::Binding* b = find_binding(h, m.capture_binding);
    if (b == nullptr || (keyed_only && b->keyless)) continue;
    out.push_back(MaterializationRef{&m, b});
  }
  return out;
}

std::vector<TxnRef> destination_txns_of(const history::History& h, uint32_t m) {
  std::vector<TxnRef> out;
  for (const history::DestinationTxn& t : h.destination_txns) {
    if (t.binding == m) out.push_back(TxnRef{&t, out.size() + 1});
  }
  return out;
}

const RowRef* MergeState::row(std::string_view key) const {
  const auto it = std::lower_bound(rows.begin(), rows.end(), key,
                                   [](const auto& r, std::string_view k) { return r.first < k; });
  return it != rows.end() && it->first == key ? &it->second : nullptr;
}

const TxnRef* MergeState::last_touch(std::string_view key) const {
  const std::optional<uint32_t> id = touched.find(0, key);
  return id ? &last[*id] : nullptr;
}

MergeState replay_merge(const std::vector<TxnRef>& txns) {
  MergeState s;
  std::vector<RowRef> row;       // by key id
  std::vector<uint8_t> present;  // by key id
  const auto touch = [&](std::string_view key, const TxnRef& t) {
    const uint32_t id = s.touched.add(0, key);
    if (id == s.last.size()) {
      s.last.push_back(t);
      row.emplace_back();
      present.push_back(0);
    }
    s.last[id] = t;
    return id;
  };
  for (const TxnRef& t : txns) {
    if (t.txn->truncated_first) std::fill(present.begin(), present.end(), 0);
    for (const history::DestinationRow& r : t.txn->upserts) {
      const uint32_t id = touch(r.key, t);
      row[id] = RowRef{t, &r};
      present[id] = 1;
    }
    for (const history::DocKey& k : t.txn->deletes)
      present[touch(k, t)] = 0;
  }
  std::vector<uint32_t> ids;
  for (uint32_t id = 0; id < present.size(); ++id) {
    if (present[id] != 0) ids.push_back(id);
  }
  sort_by_key(s.touched, &ids);
  s.rows.reserve(ids.size());
  for (const uint32_t id : ids)
    s.rows.emplace_back(s.touched.key(id), row[id]);
  return s;
}

std::vector<RowRef> replay_delta(const std::vector<TxnRef>& txns) {
  std::vector<RowRef> rows;
  for (const TxnRef& t : txns) {
    if (t.txn->truncated_first) rows.clear();
    for (const history::DestinationRow& r : t.txn->upserts)
      rows.push_back(RowRef{t, &r});
  }
  return rows;
}

MergeState final_merge_state(const history::History& h, uint32_t m) {
  MergeState replayed = replay_merge(destination_txns_of(h, m));
  if (!h.final_state.recorded || m >= h.final_state.destinations.size()) return replayed;
  // The replay's row of each key, by key id, to tell explained rows.
  std::vector<const RowRef*> replayed_row(replayed.last.size(), nullptr);
  for (const auto& [key, ref] : replayed.rows) {
    replayed_row[*replayed.touched.find(0, key)] = &ref;
  }
  // The recorded rows in key order, the first of a key where one repeats.
  const std::vector<history::DestinationRow>& recorded = h.final_state.destinations[m];
  std::vector<const history::DestinationRow*> sorted;
  sorted.reserve(recorded.size());
  for (const history::DestinationRow& r : recorded)
    sorted.push_back(&r);
  const auto by_key = [](const auto* a, const auto* b) { return a->key < b->key; };
  if (!std::is_sorted(sorted.begin(), sorted.end(), by_key)) {
    std::stable_sort(sorted.begin(), sorted.end(), by_key);
  }
  MergeState s;
  s.rows.reserve(sorted.size());
  for (const history::DestinationRow* r : sorted) {
    if (!s.rows.empty() && s.rows.back().first == r->key) continue;
    const std::optional<uint32_t> id = replayed.touched.find(0, r->key);
    const RowRef* it = id ? replayed_row[*id] : nullptr;
    const bool explained = it != nullptr && it->row->fields == r->fields && it->row->lsn == r->lsn;
    s.rows.emplace_back(r->key, explained ? *it : RowRef{TxnRef{}, r});
  }
  s.touched = std::move(replayed.touched);
  s.last = std::move(replayed.last);
  return s;
}

std::vector<RowRef> final_delta_rows(const history::History& h, uint32_t m) {
  if (!h.final_state.recorded || m >= h.final_state.destinations.size()) {
    return replay_delta(destination_txns_of(h, m));
  }
  std::vector<RowRef> rows;
  for (const history::DestinationRow& r : h.final_state.destinations[m]) {
    rows.push_back(RowRef{TxnRef{}, &r});
  }
  return rows;
}

std::string describe_materialization(const history::MaterializationBinding& m) {
  return "materialization " + std::to_string(m.id) + " (" + history::to_string(m.strategy) +
         " into " + m.destination + ", reading " + m.collection + " of binding " +
         std::to_string(m.capture_binding) + ")";
}

std::string describe_txn(const TxnRef& t) {
  if (t.txn == nullptr) return "no destination transaction (the table's final state)";
  std::string s = "destination txn " + std::to_string(t.index) + " of materialization " +
                  std::to_string(t.txn->binding) + " at tick " + std::to_string(t.txn->tick) +
                  " (read through collection seq " + std::to_string(t.txn->read_through_seq);
  if (t.txn->truncated_first) s += ", truncated first";
  return s + ")";
}

std::string describe_dest_row(const history::DestinationRow& r) {
  std::string s = "row " + render_key(r.key) + " op " + doc_op_name(r.op) + " lsn " +
                  to_string(r.lsn) + " from collection seq " + std::to_string(r.collection_seq);
  if (r.snapshot) s += " (snapshot)";
  return s + ": " + to_string(r.fields);
}

std::string describe_row_ref(const RowRef& r) {
  return describe_dest_row(*r.row) + ", written by " + describe_txn(r.txn);
}

}  // namespace cdc::properties::detail
