#include "properties/destination.h"

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

MergeState replay_merge(const std::vector<TxnRef>& txns) {
  MergeState s;
  for (const TxnRef& t : txns) {
    if (t.txn->truncated_first) s.rows.clear();
    for (const history::DestinationRow& r : t.txn->upserts) {
      s.rows.insert_or_assign(r.key, RowRef{t, &r});
      s.last_touch.insert_or_assign(r.key, t);
    }
    for (const history::DocKey& k : t.txn->deletes) {
      s.rows.erase(k);
      s.last_touch.insert_or_assign(k, t);
    }
  }
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
  MergeState s;
  s.last_touch = std::move(replayed.last_touch);
  for (const history::DestinationRow& r : h.final_state.destinations[m]) {
    auto it = replayed.rows.find(r.key);
    const bool explained = it != replayed.rows.end() && it->second.row->fields == r.fields &&
                           it->second.row->lsn == r.lsn;
    // The recorded rows come in key order, so each goes at the end.
    s.rows.emplace_hint(s.rows.end(), r.key, explained ? it->second : RowRef{TxnRef{}, &r});
  }
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
