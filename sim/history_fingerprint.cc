#include "sim/history_fingerprint.h"

#include "sim/fingerprint.h"

namespace cdc::sim {

namespace {
// How far ahead a walk over rows fetches them: the record holding an
// item's row (for items that name a row elsewhere), the row's block
// (SharedRow::prefetch) and the long texts that block points at
// (SharedRow::prefetch_texts), each when the one before it has arrived.
constexpr size_t kRecordAhead = 24;
constexpr size_t kRowAhead = 16;
constexpr size_t kTextsAhead = 8;

// Calls add(fp, item) for each item of `items`, fetching ahead what it reads:
// fetch_record(item) kRecordAhead items on, row_of(item)'s block kRowAhead
// on, and its long texts kTextsAhead on.
template <typename T, typename RowOf, typename Add, typename FetchRecord>
void add_each(Fingerprint& fp, const std::vector<T>& items, RowOf row_of, Add add,
              FetchRecord fetch_record) {
  const size_t n = items.size();
  for (size_t i = 0; i < n; ++i) {
    if (i + kRecordAhead < n) fetch_record(items[i + kRecordAhead]);
    if (i + kRowAhead < n) row_of(items[i + kRowAhead]).prefetch();
    if (i + kTextsAhead < n) row_of(items[i + kTextsAhead]).prefetch_texts();
    add(fp, items[i]);
  }
}
// add_each() of items that hold their rows.
template <typename T, typename RowOf, typename Add>
void add_each(Fingerprint& fp, const std::vector<T>& items, RowOf row_of, Add add) {
  add_each(fp, items, row_of, add, [](const T&) {});
}

void add_optional_row(Fingerprint& fp, const OptionalRow& r) {
  fp.add_u64(r.has_value());
  if (r) fp.add_row(*r);
}
void add_doc(Fingerprint& fp, const history::Document& d) {
  fp.add_u64(d.binding);
  fp.add(d.state_key.str());
  fp.add(d.key);
  const char op = static_cast<char>(d.op);
  fp.add(std::string_view(&op, 1));
  fp.add_row(d.fields);
  fp.add_u64(d.present_mask);
  fp.add_u64(d.lsn.value());
  fp.add_u64(d.txid.value());
  fp.add_u64(d.snapshot);
  fp.add_u64(d.change_index);
  fp.add_u64(d.id);
}
void add_row(Fingerprint& fp, const history::DestinationRow& r) {
  fp.add(r.key);
  const char op = static_cast<char>(r.op);
  fp.add(std::string_view(&op, 1));
  fp.add_row(r.fields);
  fp.add_u64(r.present_mask);
  fp.add_u64(r.lsn.value());
  fp.add_u64(r.snapshot);
  fp.add_u64(r.collection_seq);
}

const SharedRow& fields_of(const history::DestinationRow& r) {
  return r.fields;
}

void add_header(Fingerprint& fp, const history::History& h) {
  fp.add_u64(h.seed);
  for (const auto& b : h.bindings) {
    fp.add(b.table);
    fp.add_u64(b.keyless);
  }
  for (const auto& i : h.backfills) {
    fp.add(i.state_key);
    fp.add_u64(static_cast<uint64_t>(i.mode));
    fp.add_u64(i.requested_tick);
    fp.add_u64(i.stream_start_lsn.value());
  }
}

void add_source(Fingerprint& fp, const history::History& h) {
  for (const auto& c : h.source_commits) {
    fp.add_u64(c.tick);
    fp.add_u64(c.xid.value());
    fp.add_u64(c.commit_lsn.value());
    const auto after_of = [](const history::SourceKeyChange& k) -> const SharedRow& {
      static const SharedRow kNone;
      return k.after ? *k.after : kNone;
    };
    add_each(fp, c.changes, after_of, [](Fingerprint& f, const history::SourceKeyChange& k) {
      f.add_u64(k.table);
      f.add(k.key);
      add_optional_row(f, k.before);
      add_optional_row(f, k.after);
    });
  }
  for (const auto& d : h.decoded) {
    fp.add_u64(d.tick);
    fp.add_u64(d.commit_lsn.value());
    fp.add_u64(d.changes);
  }
}

void add_capture(Fingerprint& fp, const history::History& h) {
  for (const auto& c : h.chunks) {
    fp.add_u64(c.tick);
    fp.add(c.state_key);
    fp.add(c.after ? std::string_view(*c.after) : std::string_view("-"));
    fp.add_u64(c.snapshot_lsn.value());
    fp.add_u64(c.failed);
    fp.add_u64(c.final_chunk);
    fp.add_u64(c.committed_in.value_or(0));
    for (const auto& r : c.rows) {
      fp.add(r.key);
      fp.add_u64(r.xmin.value());
      fp.add_u64(r.emitted);
    }
  }
  for (const auto& t : h.collection_txns) {
    fp.add_u64(t.seq);
    fp.add_u64(t.tick);
    fp.add_u64(t.checkpoint_cursor.value());
    add_each(
        fp, t.docs, [](const history::Document& d) -> const SharedRow& { return d.fields; },
        add_doc);
    for (const auto& k : t.completed_backfills)
      fp.add(k);
  }
}

void add_destinations(Fingerprint& fp, const history::History& h) {
  for (const auto& t : h.destination_txns) {
    fp.add_u64(t.tick);
    fp.add_u64(t.binding);
    fp.add(t.state_key);
    fp.add_u64(t.read_through_seq);
    fp.add_u64(t.truncated_first);
    add_each(fp, t.upserts, fields_of, add_row);
    for (const auto& k : t.deletes)
      fp.add(k);
  }
  for (const auto& e : h.expiries) {
    fp.add_u64(e.tick);
    fp.add_u64(e.capture_binding);
    for (const auto& k : e.keys)
      fp.add(k);
  }
}

void add_operations_and_end(Fingerprint& fp, const history::History& h) {
  for (const auto& op : h.backfill_ops) {
    fp.add_u64(op.tick);
    fp.add_u64(static_cast<uint64_t>(op.type));
    for (uint32_t b : op.capture_bindings)
      fp.add_u64(b);
    for (uint32_t m : op.materialization_bindings)
      fp.add_u64(m);
  }
  for (const auto& e : h.events) {
    fp.add_u64(e.tick);
    fp.add_u64(static_cast<uint64_t>(e.kind));
    fp.add(e.what);
  }
  fp.add_u64(h.final_state.recorded);
  for (uint32_t id : h.final_state.surviving_doc_ids)
    fp.add_u64(id);
  for (const std::vector<history::FinalRowRef>& refs : h.final_state.destinations) {
    fp.add_u64(refs.size());
    const auto row_of = [&](history::FinalRowRef r) -> const SharedRow& {
      return history::final_row(h, r).fields;
    };
    const auto fetch_record = [&](history::FinalRowRef r) {
      __builtin_prefetch(&history::final_row(h, r));
    };
    add_each(
        fp, refs, row_of,
        [&](Fingerprint& f, history::FinalRowRef r) { add_row(f, history::final_row(h, r)); },
        fetch_record);
  }
  fp.add_u64(h.drain.reached);
  fp.add_u64(h.drain.tick);
  fp.add_u64(h.drain.source_flush_lsn.value());
  fp.add_u64(h.drain.capture_cursor.value());
  fp.add_u64(h.crashes);
}

}  // namespace

std::string fingerprint(const history::History& h) {
  Fingerprint fp;
  add_header(fp, h);
  add_source(fp, h);
  add_capture(fp, h);
  add_destinations(fp, h);
  add_operations_and_end(fp, h);
  return fp.hex();
}

}  // namespace cdc::sim
