#include "reports/key_timeline.h"

#include <algorithm>
#include <map>

#include "model/assert.h"
#include "properties/destination.h"
#include "properties/helpers.h"

namespace cdc::reports {

namespace detail = properties::detail;

const char* to_string(TimelineDestinationWrite::Action a) {
  switch (a) {
    case TimelineDestinationWrite::Action::kUpsert:
      return "upsert";
    case TimelineDestinationWrite::Action::kDelete:
      return "delete";
    case TimelineDestinationWrite::Action::kTruncate:
      return "truncate";
  }
  return "?";
}

namespace {

void add_commits(const history::History& h, const history::Binding& b, KeyTimeline& t) {
  for (const history::SourceCommit& c : h.source_commits) {
    std::optional<TimelineCommit> entry;
    for (const history::SourceKeyChange& ch : c.changes) {
      if (ch.table != b.table_id || ch.key != t.key) continue;
      if (!entry) entry = TimelineCommit{c.tick, c.commit_lsn, c.xid, ch.before, ch.after};
      entry->after = ch.after;  // net effect: first before, last after
    }
    if (entry) t.commits.push_back(*std::move(entry));
  }
}

void add_moves(const history::History& h, const history::Binding& b, KeyTimeline& t) {
  for (const history::RowMove& m : h.row_moves) {
    if (m.table != b.table_id || (m.from_key != t.key && m.to_key != t.key)) continue;
    TimelineMove e{m.tick, m.cause,      m.from,      m.to, m.from_key == t.key,
                   m.lsn,  std::nullopt, std::nullopt};
    for (const history::RowMove::ScanCursor& c : m.cursors) {
      if (c.binding != b.id) continue;
      (c.committed ? e.committed_cursor : e.cursor) = c.next;
    }
    t.moves.push_back(e);
  }
}

void add_backfills(const history::History& h, KeyTimeline& t) {
  for (const history::BackfillInstance& i : h.backfills) {
    if (i.binding != t.capture_binding) continue;
    TimelineBackfill b{i.requested_tick,   i.state_key,  i.mode,      i.stream_start_lsn,
                       i.min_backfill_xid, std::nullopt, std::nullopt};
    if (const history::CollectionTxn* done = detail::completion_txn(h, i.state_key)) {
      b.completed_seq = done->seq;
      b.completed_tick = done->tick;
    }
    t.backfills.push_back(std::move(b));
  }
}

// Whether chunk `c` covers order key `ok`: after < ok, and ok <= its last
// row's order key or the chunk is final (it read to the end of the table).
bool covers(const history::Chunk& c, const history::DbOrderKey& ok) {
  if (c.after && !(*c.after < ok)) return false;
  if (!c.rows.empty() && ok <= c.order_key(c.rows.size() - 1)) return true;
  return c.final_chunk;
}

void add_chunks(const history::History& h, KeyTimeline& t) {
  for (const history::Chunk& c : h.chunks) {
    if (c.binding != t.capture_binding || t.order_key) continue;
    for (size_t i = 0; i < c.rows.size(); ++i) {
      if (c.rows[i].key == t.key) t.order_key = c.order_key(i);
    }
  }
  for (const history::Chunk& c : h.chunks) {
    if (c.binding != t.capture_binding) continue;
    const auto row = std::find_if(c.rows.begin(), c.rows.end(),
                                  [&](const history::ChunkRow& r) { return r.key == t.key; });
    const bool read = row != c.rows.end();
    if (!read && !(t.order_key && covers(c, *t.order_key))) continue;
    TimelineChunk e;
    e.tick = c.tick;
    e.state_key = c.state_key;
    e.snapshot_lsn = c.snapshot_lsn;
    e.read = read;
    e.emitted = read && row->emitted;
    if (read) e.xmin = row->xmin;
    e.failed = c.failed;
    e.committed_in = c.committed_in;
    e.final_chunk = c.final_chunk;
    CDC_ASSERT(!e.emitted || e.read, "a chunk emits only rows it read");
    t.chunks.push_back(std::move(e));
  }
}

void add_documents(const history::History& h, KeyTimeline& t) {
  const std::vector<uint32_t>& alive = h.final_state.surviving_doc_ids;
  for (const history::CollectionTxn& txn : h.collection_txns) {
    for (const history::Document& d : txn.docs) {
      if (d.binding != t.capture_binding || d.key != t.key) continue;
      const bool survived =
          !h.final_state.recorded || std::binary_search(alive.begin(), alive.end(), d.id);
      t.documents.push_back(TimelineDocument{txn.seq, txn.tick, d.id, d.state_key, d.op, d.lsn,
                                             d.txid, d.snapshot, d.change_index, d.fields,
                                             d.present_mask, survived});
      if (survived) t.end.documents.push_back(t.documents.back());
    }
  }
}

void add_expiries(const history::History& h, KeyTimeline& t) {
  for (const history::Expiry& e : h.expiries) {
    if (e.capture_binding != t.capture_binding) continue;
    const auto n = static_cast<uint64_t>(std::count(e.keys.begin(), e.keys.end(), t.key));
    if (n > 0) t.expiries.push_back(TimelineExpiry{e.tick, n});
  }
}

// The writes of destination txn `ref` of materialization `m` to the key.
void add_writes(const history::MaterializationBinding& m, const detail::TxnRef& ref,
                KeyTimeline& t) {
  const history::DestinationTxn& txn = *ref.txn;
  CDC_ASSERT(ref.index >= 1, "destination txns are counted from 1");
  const size_t before = t.destination.size();
  auto write = [&](TimelineDestinationWrite::Action a) {
    return TimelineDestinationWrite{
        txn.tick, m.id, m.destination, ref.index, a, txn.truncated_first, std::nullopt};
  };
  for (const history::DestinationRow& r : txn.upserts) {
    if (r.key != t.key) continue;
    t.destination.push_back(write(TimelineDestinationWrite::Action::kUpsert));
    t.destination.back().row = r;
  }
  const bool merge = m.strategy == history::UpdateStrategy::kMerge;
  if (merge && std::find(txn.deletes.begin(), txn.deletes.end(), t.key) != txn.deletes.end()) {
    t.destination.push_back(write(TimelineDestinationWrite::Action::kDelete));
  }
  if (txn.truncated_first && t.destination.size() == before) {
    t.destination.push_back(write(TimelineDestinationWrite::Action::kTruncate));
  }
}

void add_destinations(const history::History& h, KeyTimeline& t) {
  for (const history::MaterializationBinding& m : h.materializations) {
    if (m.capture_binding == t.capture_binding) t.materializations.push_back(m);
  }
  // Destination txns of every reading materialization, in history order,
  // numbered per materialization as properties/destination.h does.
  std::map<uint32_t, size_t> counted;
  for (const history::DestinationTxn& txn : h.destination_txns) {
    const size_t index = ++counted[txn.binding];
    for (const history::MaterializationBinding& m : t.materializations) {
      if (m.id == txn.binding) add_writes(m, detail::TxnRef{&txn, index}, t);
    }
  }
}

void add_final_rows(const history::History& h, KeyTimeline& t) {
  for (const history::MaterializationBinding& m : t.materializations) {
    auto add = [&](const history::DestinationRow& r) {
      t.end.destination_rows.push_back(TimelineFinalRow{m.id, m.destination, m.strategy, r});
    };
    if (m.strategy == history::UpdateStrategy::kMerge) {
      const detail::MergeState s = detail::final_merge_state(h, m.id);
      if (const detail::RowRef* r = s.row(t.key)) add(*r->row);
    } else {
      for (const detail::RowRef& r : detail::final_delta_rows(h, m.id)) {
        if (r.row->key == t.key) add(*r.row);
      }
    }
  }
}

}  // namespace

KeyTimeline key_timeline(const history::History& h, uint32_t capture_binding,
                         const history::DocKey& key) {
  KeyTimeline t;
  t.capture_binding = capture_binding;
  t.key = key;
  t.key_text = detail::render_key(h, capture_binding, key);
  t.operations = h.events;
  t.drain = h.drain;
  t.end.recorded = h.final_state.recorded;
  const history::Binding* b = detail::find_binding(h, capture_binding);
  t.binding_text = b != nullptr
                       ? detail::describe_binding(*b)
                       : "binding " + std::to_string(capture_binding) + " (not in the history)";
  if (b != nullptr) add_commits(h, *b, t);
  if (b != nullptr) add_moves(h, *b, t);
  add_backfills(h, t);
  add_chunks(h, t);
  add_documents(h, t);
  add_expiries(h, t);
  add_destinations(h, t);
  add_final_rows(h, t);
  CDC_ASSERT(t.end.documents.size() <= t.documents.size(),
             "surviving documents are a subset of the key's documents");
  return t;
}

}  // namespace cdc::reports
