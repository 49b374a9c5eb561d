#include "sim/costs.h"

#include <algorithm>

#include "model/assert.h"
#include "properties/checkers.h"

namespace cdc::sim {

void CostMeter::on_chunk(const history::Chunk& c) {
  ++costs_.chunks;
  costs_.rows_read += c.rows.size();
}

void CostMeter::on_collection_txn(const history::CollectionTxn& t) {
  for (const history::Document& d : t.docs)
    ++(d.snapshot ? costs_.snapshot_docs : costs_.change_docs);
}

// Marks keyed table t as showing `key`; whether it did not before.
// REQUIRES: key's bytes stay in place while the dictionary (ids()) lives.
bool CostMeter::show(Table* t, std::string_view key) {
  const uint32_t id = ids().add(t->source_table, key);
  if (id >= t->shown.size()) t->shown.resize(id + 1, 0);
  if (t->shown[id] != 0) return false;
  t->shown[id] = 1;
  ++t->shown_count;
  return true;
}

// show() of every upsert's key, in order; how many were not shown before.
// The keys' ids are added with their probes overlapped (a backfill writes
// thousands of keys in random order per transaction).
uint64_t CostMeter::show_all(Table* t, std::span<const history::DestinationRow> upserts) {
  CDC_ASSERT(!upserts.empty(), "show_all() of some rows");
  std::vector<std::string_view> keys;
  keys.reserve(upserts.size());
  for (const history::DestinationRow& r : upserts)
    keys.push_back(r.key);
  std::vector<uint32_t> key_ids(keys.size());
  ids().add_many(t->source_table, keys, key_ids);
  // Flags up to this table's highest id, not the dictionary's: other
  // tables' keys share it.
  const uint32_t top = *std::max_element(key_ids.begin(), key_ids.end());
  if (t->shown.size() <= top) t->shown.resize(top + 1, 0);
  uint64_t fresh = 0;
  for (const uint32_t id : key_ids) {
    if (t->shown[id] != 0) continue;
    t->shown[id] = 1;
    ++fresh;
  }
  t->shown_count += fresh;
  return fresh;
}

// Marks keyed table t as not showing `key`; whether it did before.
uint64_t CostMeter::hide(Table* t, std::string_view key) {
  const std::optional<uint32_t> id = ids().find(t->source_table, key);
  if (!id || *id >= t->shown.size() || t->shown[*id] == 0) return 0;
  t->shown[*id] = 0;
  --t->shown_count;
  return 1;
}

bool CostMeter::shows(const Table& t, std::string_view key) const {
  const std::optional<uint32_t> id = ids().find(t.source_table, key);
  return id && *id < t.shown.size() && t.shown[*id] != 0;
}

// Applies a committed destination transaction to what the table holds.
void CostMeter::apply(Table* t, const history::DestinationTxn& txn, history::UpdateStrategy s) {
  const bool merge = s == history::UpdateStrategy::kMerge;
  CDC_ASSERT(merge || txn.deletes.empty(), "a delta transaction deletes nothing");
  if (txn.truncated_first) {
    t->shown.clear();  // the ids stay in the dictionary, shown by no flag
    t->shown_count = 0;
    t->pending.clear();  // what the truncate dropped is never applied
    t->merged.clear();
    t->appended.clear();
    t->rows = 0;
  }
  if (!t->keyless) {  // applied when needed (catch_up)
    t->pending.push_back({txn.upserts, txn.deletes, merge});
    if (!merge) t->rows += txn.upserts.size();
    return;
  }
  if (merge) {
    for (const history::DocKey& k : txn.deletes)
      t->rows -= t->merged.erase(k);
    for (const history::DestinationRow& r : txn.upserts)
      t->rows += t->merged.insert_or_assign(r.key, r.fields).second ? 1 : 0;
    CDC_ASSERT(t->rows == t->merged.size(), "a merge table holds one row per key");
    return;
  }
  for (const history::DestinationRow& r : txn.upserts) {
    ++t->rows;
    if (r.op != history::DocOp::kDelete)
      ++t->appended[to_string(r.fields)];  // a delete row shows none
  }
}

void CostMeter::catch_up(Table* t) {
  CDC_ASSERT(!t->keyless || t->pending.empty(), "a keyless table applies its transactions at once");
  for (const Table::Pending& p : t->pending) {
    if (!p.merge) {
      for (const history::DestinationRow& r : p.upserts) {
        if (r.op != history::DocOp::kDelete) show(t, r.key);  // a delete row shows none
      }
      continue;
    }
    for (const history::DocKey& k : p.deletes)
      t->rows -= hide(t, k);
    constexpr size_t kFewKeys = 8;  // shown one by one
    if (p.upserts.size() >= kFewKeys) {
      t->rows += show_all(t, p.upserts);
    } else {
      for (const history::DestinationRow& r : p.upserts)
        t->rows += show(t, r.key) ? 1 : 0;
    }
    CDC_ASSERT(t->rows == t->shown_count, "a merge table holds one row per key");
  }
  t->pending.clear();
}

// Whether table `t` shows every required row: keyed tables by key, keyless
// ones as a multiset of rows (fields as text).
bool CostMeter::holds_all(const Table& t, const SourceRows& required) const {
  CDC_ASSERT(t.pending.empty(), "the table's transactions are applied");
  if (!t.keyless) {
    return std::all_of(required.begin(), required.end(),
                       [&](const auto& e) { return shows(t, e.first); });
  }
  std::map<std::string, uint64_t> shown = t.appended;
  for (const auto& [key, fields] : t.merged)
    ++shown[to_string(fields)];
  for (const auto& [identity, row] : required) {
    auto it = shown.find(to_string(row));
    if (it == shown.end() || it->second == 0) return false;
    --it->second;
  }
  return true;
}

void CostMeter::close_if_whole(uint32_t m, uint64_t tick) {
  auto open = open_.find(m);
  if (open == open_.end()) return;
  catch_up(&tables_[m]);
  if (!holds_all(tables_[m], open->second.required)) return;
  history::Downtime& d = costs_.downtimes[open->second.index];
  CDC_ASSERT(d.materialization == m && !d.ended && tick >= d.start_tick,
             "a downtime ends once, after it started");
  d.end_tick = tick;
  d.ended = true;
  open_.erase(open);
}

void CostMeter::on_destination_txn(uint64_t tick, const history::DestinationTxn& t,
                                   const history::MaterializationBinding& m,
                                   const history::Binding& b,
                                   const std::function<SourceRows()>& source_now) {
  CDC_ASSERT(t.binding == m.id && m.capture_binding == b.id, "the transaction's own bindings");
  Table& table = tables_[m.id];
  table.keyless = b.keyless;
  table.source_table = b.table_id;
  costs_.dest_rows_written += t.upserts.size();
  costs_.dest_rows_deleted += t.deletes.size();
  if (t.truncated_first) {
    catch_up(&table);  // the rows it drops
    costs_.dest_rows_dropped += table.rows;
    auto open = open_.find(m.id);
    if (open != open_.end()) {
      // Dropped again while down: it must now catch up with the source of now.
      costs_.downtimes[open->second.index].rows_dropped += table.rows;
      open->second.required = source_now();
    } else if (table.rows > 0) {
      costs_.downtimes.push_back({m.id, tick, tick, false, table.rows});
      open_[m.id] = Open{costs_.downtimes.size() - 1, b.table_id, source_now()};
    }
  }
  apply(&table, t, m.strategy);
  close_if_whole(m.id, tick);
}

void CostMeter::on_source_commit(const history::SourceCommit& c) {
  if (open_.empty()) return;
  std::vector<uint32_t> touched;
  for (auto& [m, open] : open_) {
    bool changed = false;
    for (const history::SourceKeyChange& k : c.changes) {
      if (k.table != open.table_id) continue;
      auto it = open.required.find(k.key);
      if (it == open.required.end()) continue;
      changed = true;
      if (k.after) {
        it->second = *k.after;
      } else {
        open.required.erase(it);  // gone from the source: no longer required
      }
    }
    if (changed) touched.push_back(m);
  }
  for (uint32_t m : touched)
    close_if_whole(m, c.tick);
}

namespace {

// When instance `i` was asked for: the last backfill operation naming its
// binding at or before the instance started (which may be later, when the
// capture reaches the binding), else when it started (the capture's first
// start, an added binding).
uint64_t request_tick(const history::History& h, const history::BackfillInstance& i) {
  uint64_t tick = i.requested_tick;
  for (const history::BackfillOp& op : h.backfill_ops) {
    if (op.tick > i.requested_tick) break;
    const auto& b = op.capture_bindings;
    if (std::find(b.begin(), b.end(), i.binding) != b.end()) tick = op.tick;
  }
  return tick;
}

// Request-to-completion ticks of the capture backfill instances that scan.
void add_backfill_times(const history::History& h, history::Costs* c) {
  std::map<std::string, uint64_t> completed;  // state key -> first completing txn's tick
  for (const history::CollectionTxn& t : h.collection_txns) {
    for (const std::string& k : t.completed_backfills)
      completed.try_emplace(k, t.tick);
  }
  for (const history::BackfillInstance& i : h.backfills) {
    if (i.mode == history::ResolvedMode::kOnlyChanges) continue;
    ++c->backfills;
    auto done = completed.find(i.state_key);
    const uint64_t asked = request_tick(h, i);
    if (done == completed.end() || done->second < asked) {
      ++c->backfills_unfinished;
      continue;
    }
    const uint64_t ticks = done->second - asked;
    c->backfill_ticks += ticks;
    c->backfill_ticks_max = std::max(c->backfill_ticks_max, ticks);
  }
}

}  // namespace

history::Costs CostMeter::finish(const history::History& h, uint64_t end_tick) {
  history::Costs c = costs_;
  for (history::Downtime& d : c.downtimes) {
    if (!d.ended) {
      CDC_ASSERT(end_tick >= d.start_tick, "a run ends after its downtimes start");
      d.end_tick = end_tick;
      ++c.downtimes_unended;
    }
    c.downtime_ticks += d.ticks();
    c.downtime_ticks_max = std::max(c.downtime_ticks_max, d.ticks());
  }
  c.downtime_count = c.downtimes.size();
  c.delta_duplicates = properties::count_delta_duplicates(h);
  add_backfill_times(h, &c);
  CDC_ASSERT(c.downtimes_unended == open_.size(), "every open downtime is counted unended");
  return c;
}

}  // namespace cdc::sim
