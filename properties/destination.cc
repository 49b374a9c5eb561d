#include "properties/destination.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "model/assert.h"
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
  const std::optional<uint32_t> id = table != nullptr ? table->find(key) : touched.find(0, key);
  return id && *id < last.size() && last[*id].txn != nullptr ? &last[*id] : nullptr;
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

RowRef row_at(const std::vector<TxnRef>& txns, uint32_t txn, uint32_t row) {
  const TxnRef& t = txns.at(txn);
  return RowRef{t, &t.txn->upserts.at(row)};
}

RowRef MergeById::row(uint32_t id) const {
  const RowAt& at = rows_.at(id);
  if (at.txn == kNone) return RowRef{};
  if (at.txn == RowAt::kRecorded) return RowRef{TxnRef{}, recorded_.at(at.row)};
  return row_at(txns_, at.txn, at.row);
}

void MergeById::prefetch_row(uint32_t id, FetchStage stage) const {
  const RowAt& at = rows_.at(id);
  if (at.txn == kNone || at.txn == RowAt::kRecorded) return;
  const history::DestinationRow* row = &txns_[at.txn].txn->upserts[at.row];
  if (stage == FetchStage::kRecords) {
    __builtin_prefetch(row);
  } else {
    row->fields.prefetch();
  }
}

TxnRef MergeById::last(uint32_t id) const {
  const uint32_t at = last_.at(id);
  return at == kNone ? TxnRef{} : txns_.at(at);
}

// The replay of materialization m's transactions by the ids of the
// history's keys.
void MergeById::replay(const history::History& h, uint32_t m) {
  txns_ = destination_txns_of(h, m);
  CDC_ASSERT(txns_.size() < RowAt::kRecorded, "a txn's position fits in 32 bits");
  last_.assign(table->size(), kNone);
  ReplayById<RowAt> row(table->size());
  for (uint32_t ti = 0; ti < txns_.size(); ++ti) {
    const history::DestinationTxn& t = *txns_[ti].txn;
    if (t.truncated_first) row.clear();
    CDC_ASSERT(t.upserts.size() < kNone, "a row's index fits in 32 bits");
    for (uint32_t ri = 0; ri < t.upserts.size(); ++ri) {
      const uint32_t id = keys->upsert(t, t.upserts[ri]);
      row.set(id) = RowAt{ti, ri};
      last_[id] = ti;
    }
    for (size_t i = 0; i < t.deletes.size(); ++i) {
      const uint32_t id = keys->deleted(t, i);
      row.set(id) = RowAt{};
      last_[id] = ti;
    }
  }
  rows_ = std::move(row).take();
}

// The recorded rows replace the replay's: a row the replay explains (same
// fields and version) keeps its transaction; the first of a key wins.
void MergeById::take_recorded(const history::History& h, uint32_t m) {
  std::vector<RowAt> recorded(table->size());
  const history::FinalRows final_rows(h, m);
  for (size_t i = 0; i < final_rows.size(); ++i) {
    const history::DestinationRow& r = final_rows[i];
    const uint32_t id = keys->final_row(m, i);
    if (recorded[id].txn != kNone) continue;
    const RowRef it = row(id);
    if (it.row != nullptr && it.row->fields == r.fields && it.row->lsn == r.lsn) {
      recorded[id] = rows_[id];
      continue;
    }
    CDC_ASSERT(recorded_.size() < kNone, "a row's index fits in 32 bits");
    recorded[id] = RowAt{RowAt::kRecorded, static_cast<uint32_t>(recorded_.size())};
    recorded_.push_back(&r);
  }
  rows_ = std::move(recorded);
}

MergeById final_merge_by_id(const history::History& h, uint32_t m) {
  MergeById s;
  s.keys = history_keys(h);
  s.table = &s.keys->of_materialization(m);
  s.replay(h, m);
  if (h.final_state.recorded && m < h.final_state.destinations.size()) s.take_recorded(h, m);
  return s;
}

MergeState final_merge_state(const history::History& h, uint32_t m) {
  MergeById by_id = final_merge_by_id(h, m);
  MergeState s;
  for (const uint32_t id : by_id.table->in_key_order()) {
    const RowRef r = by_id.row(id);
    if (r.row == nullptr) continue;
    s.rows.emplace_back(r.row->key, r);
  }
  s.last.resize(by_id.table->size());
  for (uint32_t id = 0; id < s.last.size(); ++id)
    s.last[id] = by_id.last(id);
  s.table = by_id.table;
  s.table_owner = std::move(by_id.keys);
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

std::vector<RowRef> final_delta_rows(const history::History& h, uint32_t m) {
  if (!h.final_state.recorded || m >= h.final_state.destinations.size()) {
    return replay_delta(destination_txns_of(h, m));
  }
  std::vector<RowRef> rows;
  for (const history::DestinationRow& r : history::FinalRows(h, m)) {
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
