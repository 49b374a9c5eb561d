// Database: what a query outside any transaction sees, and the queries a
// capture issues (keyset chunks, ctid ranges, scans, lookups).
#include <algorithm>

#include "model/database.h"
#include "model/key_encoding.h"
#include "model/mutants.h"

namespace cdc {

bool Database::reader_sees(const HeapTuple& t) const {
  CDC_ASSERT(xid_is_normal(t.xmin) || t.has(kFrozen), "an unfrozen tuple's xmin is a writer's xid");
  if (t.has(kRemoved) || t.has(kXminAborted)) return false;
  if (!t.has(kFrozen)) {
    // Committed, and not "in the future" of the snapshot (after an xid jump a
    // committed but unfrozen xmin can follow the next xid and vanish).
    const bool before_next = mutant_active(Mutant::kXidRawCompareVisibility)
                                 ? t.xmin.value() < xids_.next().value()
                                 : xid_precedes(t.xmin, xids_.next());
    if (!t.has(kXminCommitted) || !before_next) return false;
  }
  if (t.xmax == kInvalidXid || !t.has(kXmaxCommitted)) return true;
  return !xid_precedes(t.xmax, xids_.next());
}

std::optional<uint32_t> Database::reader_version(const HeapTable& h, uint32_t newest) const {
  CDC_ASSERT(newest < h.slot_count(), "a chain starts at a tuple of the table");
  uint32_t slot = newest;
  for (uint32_t steps = 0; steps <= h.slot_count() && slot != kNoSlot; ++steps) {
    const HeapTuple& t = h.tuple(slot);
    if (reader_sees(t)) return slot;
    const bool committed = t.has(kFrozen) || t.has(kXminCommitted);
    if (committed && !t.has(kRemoved)) return std::nullopt;  // committed but deleted
    slot = t.prev;  // uncommitted or aborted version: look at its predecessor
  }
  CDC_ASSERT(slot == kNoSlot, "a version chain has no cycle");
  return std::nullopt;
}

ScannedRow Database::scanned(const HeapTable& h, uint32_t slot) const {
  const HeapTuple& t = h.tuple(slot);
  // Where a reader reads xmin: a visible (committed) tuple's writer's xid,
  // kept as it was written even once frozen.
  CDC_ASSERT(reader_sees(t), "a query returns only what readers see");
  return ScannedRow{h.ctid_of(slot), t.xmin, t.has(kFrozen), h.shared_row(slot)};
}

QueryResult Database::finish_query(std::vector<ScannedRow> rows, const QueryOptions& opts) const {
  QueryResult out;
  if (opts.fail_after_rows) {
    if (rows.size() > *opts.fail_after_rows) rows.resize(*opts.fail_after_rows);
    out.status = Error{ErrorCode::kQueryCanceled, "canceling statement due to statement timeout"};
  }
  out.rows = std::move(rows);
  return out;
}

namespace {

// Fetches, ahead of a walk over index entries, the tuple headers
// kTupleLead entries ahead and the row bytes kRowLead entries ahead (whose
// headers it fetched before): the entries' slots lie anywhere in the heap,
// so the walk's misses overlap instead of following one another. Nothing
// it does changes what the walk reads. A walk that reads at most `limit`
// rows leads by no more than that: the workload's one-row queries would
// otherwise fetch eighteen entries to read one.
class ScanAhead {
 public:
  ScanAhead(const HeapTable& h, KeyIndex::Iterator from, KeyIndex::Iterator end, uint32_t limit)
      : h_(h), tuple_(from), row_(from), end_(end) {
    for (uint32_t i = 0; i < std::min<uint32_t>(kTupleLead, limit); ++i)
      advance(&tuple_, /*row=*/false);
    for (uint32_t i = 0; i < std::min<uint32_t>(kRowLead, limit); ++i)
      advance(&row_, /*row=*/true);
  }
  // Call once per entry the walk reads.
  void step() {
    advance(&tuple_, /*row=*/false);
    advance(&row_, /*row=*/true);
  }

 private:
  static constexpr uint32_t kTupleLead = 12;
  static constexpr uint32_t kRowLead = 6;
  void advance(KeyIndex::Iterator* at, bool row) {
    if (*at == end_) return;
    if (row) {
      h_.prefetch_row(at->slot());
    } else {
      h_.prefetch_tuple(at->slot());
    }
    ++*at;
  }
  const HeapTable& h_;
  KeyIndex::Iterator tuple_;
  KeyIndex::Iterator row_;
  const KeyIndex::Iterator end_;
};

// `xmax`: the query's snapshot xmax (Database::snapshot_xmax).
bool passes(const QueryOptions& opts, Xid xmin, Xid xmax) {
  return !opts.xmin_filter || opts.xmin_filter->matches(xmin, xmax);
}
QueryResult failed(Status s) {
  QueryResult r;
  r.status = std::move(s);
  return r;
}

// A keyset chunk's keys strictly increase in the order it was sorted by
// (`order`: one collation per key column), all after the cursor; the seeded
// bug chunk-predicate-inclusive re-reads the cursor row first. The capture
// pages on that: its next chunk starts after this one's last key.
void assert_chunk_order(const HeapTable& h, const std::vector<ScannedRow>& rows,
                        const std::optional<Key>& after, const std::vector<Collation>& order) {
  if (rows.empty()) return;
  const TableSchema& s = h.schema();
  const std::vector<ColumnType>& types = h.key_types();
  if (after) {
    const int c = compare_keys(*after, s.key_of(rows.front().row), types, order);
    CDC_ASSERT(c < 0 || (c == 0 && mutant_active(Mutant::kChunkPredicateInclusive)),
               "a chunk starts after the cursor");
  }
  for (size_t i = 1; i < rows.size(); ++i) {
    CDC_ASSERT(compare_row_keys(rows[i - 1].row, rows[i].row, s.primary_key, types, order) < 0,
               "a chunk's keys strictly increase in its order");
  }
}
}  // namespace

QueryResult Database::keyset_chunk(TableId t, const std::optional<Key>& after, uint32_t limit,
                                   KeyOrder order, const QueryOptions& opts) const {
  if (Status s = check_table(t); !s.is_ok()) return failed(s);
  const HeapTable& h = heap(t);
  const Xid xmax = snapshot_xmax();
  const TableSchema& s = h.schema();
  if (!s.has_primary_key()) {
    return failed(Error{ErrorCode::kInvalidArgument,
                        "relation \"" + s.name + "\" has no primary key to page by"});
  }
  if (limit == 0) return failed(Error{ErrorCode::kInvalidArgument, "LIMIT must be positive"});
  if (after) {
    if (Status st = check_key(s, *after); !st.is_ok()) return failed(st);
  }
  // A key with a non-"C" collation has a bytewise index beside its own
  // (built by the first chunk that asks for it).
  const bool bytewise_differs = order == KeyOrder::kBytewise && h.has_bytewise_index();
  const std::vector<Collation>& sorted_by =
      order == KeyOrder::kBytewise ? h.bytewise_collations() : h.key_collations();
  std::vector<ScannedRow> rows;
  rows.reserve(std::min<size_t>(limit, h.index().size()));
  // Walk the index in the requested order from the cursor. (The capture's
  // query text: WHERE (k) > (cursor); >= re-reads the cursor row.)
  const KeyIndex& index = bytewise_differs ? h.bytewise_index() : h.index();
  std::optional<std::string> cursor;
  if (after) cursor = encode_key(*after, h.key_types(), sorted_by);
  const bool inclusive = mutant_active(Mutant::kChunkPredicateInclusive);
  auto it = !cursor     ? index.begin()
            : inclusive ? index.lower_bound(*cursor)
                        : index.upper_bound(*cursor);
  ScanAhead ahead(h, it, index.end(), limit);
  for (; it != index.end() && rows.size() < limit; ++it) {
    ahead.step();
    std::optional<uint32_t> slot = reader_version(h, it.slot());
    if (slot && passes(opts, h.tuple(*slot).xmin, xmax)) rows.push_back(scanned(h, *slot));
  }
  CDC_ASSERT(rows.size() <= limit, "a chunk holds at most LIMIT rows");
  assert_chunk_order(h, rows, after, sorted_by);
  return finish_query(std::move(rows), opts);
}

QueryResult Database::ctid_range(TableId t, Ctid after, Ctid upto, const QueryOptions& opts) const {
  if (Status s = check_table(t); !s.is_ok()) return failed(s);
  const HeapTable& h = heap(t);
  const Xid xmax = snapshot_xmax();
  std::vector<ScannedRow> rows;
  for (uint32_t slot = h.first_slot_after(after); slot < h.slot_count(); ++slot) {
    if (h.ctid_of(slot) > upto) break;
    const HeapTuple& tup = h.tuple(slot);
    if (reader_sees(tup) && passes(opts, tup.xmin, xmax)) rows.push_back(scanned(h, slot));
  }
  CDC_ASSERT(rows.empty() || (rows.front().ctid > after && rows.back().ctid <= upto),
             "a ctid range returns tuples inside it");
  return finish_query(std::move(rows), opts);
}

QueryResult Database::scan(TableId t, const QueryOptions& opts) const {
  if (Status s = check_table(t); !s.is_ok()) return failed(s);
  const HeapTable& h = heap(t);
  const Xid xmax = snapshot_xmax();
  std::vector<ScannedRow> rows;
  for (uint32_t slot = 0; slot < h.slot_count(); ++slot) {
    const HeapTuple& tup = h.tuple(slot);
    if (reader_sees(tup) && passes(opts, tup.xmin, xmax)) rows.push_back(scanned(h, slot));
  }
  CDC_ASSERT(!h.schema().has_primary_key() || rows.size() <= h.index().size(),
             "a reader sees at most one version of each key");
  return finish_query(std::move(rows), opts);
}

uint32_t Database::slot_count(TableId t) const {
  CDC_ASSERT(check_table(t).is_ok(), "slot_count of a table");
  return heap(t).slot_count();
}

std::optional<ScannedRow> Database::visible_at(TableId t, uint32_t slot) const {
  const HeapTable& h = heap(t);
  CDC_ASSERT(slot < h.slot_count(), "visible_at a slot of the table");
  if (!reader_sees(h.tuple(slot))) return std::nullopt;
  return scanned(h, slot);
}

uint32_t Database::first_slot_at_or_after(TableId t, Ctid c) const {
  const HeapTable& h = heap(t);
  if (const std::optional<uint32_t> at = h.slot_of(c)) return *at;
  return h.first_slot_after(c);
}

std::vector<uint32_t> Database::visible_slots(TableId t) const {
  const HeapTable& h = heap(t);
  std::vector<uint32_t> out;
  for (uint32_t slot = 0; slot < h.slot_count(); ++slot) {
    if (reader_sees(h.tuple(slot))) out.push_back(slot);
  }
  return out;
}

Result<std::optional<ScannedRow>> Database::lookup(TableId t, const Key& key) const {
  if (Status s = check_table(t); !s.is_ok()) return s.error();
  const HeapTable& h = heap(t);
  if (Status s = check_key(h.schema(), key); !s.is_ok()) return s.error();
  std::optional<uint32_t> newest = h.index_find(h.index_key(key));
  if (!newest) return std::optional<ScannedRow>();
  std::optional<uint32_t> slot = reader_version(h, *newest);
  if (!slot) return std::optional<ScannedRow>();
  ScannedRow found = scanned(h, *slot);
  for (size_t i = 0; i < key.size(); ++i) {
    CDC_ASSERT(found.row[h.schema().primary_key[i]] == key[i],
               "a key's version chain holds versions of that key only");
  }
  return std::optional<ScannedRow>(std::move(found));
}

Result<std::optional<Key>> Database::last_key(TableId t) const {
  if (Status s = check_table(t); !s.is_ok()) return s.error();
  const HeapTable& h = heap(t);
  const TableSchema& s = h.schema();
  if (!s.has_primary_key()) {
    return Error{ErrorCode::kInvalidArgument,
                 "relation \"" + s.name + "\" has no primary key to order by"};
  }
  // The index in reverse, to the first entry with a version this reader sees.
  if (h.index().empty()) return std::optional<Key>();
  KeyIndex::Iterator it = h.index().last();
  for (size_t seen = 0; seen < h.index().size(); ++seen) {
    const std::optional<uint32_t> slot = reader_version(h, it.slot());
    if (slot) return std::optional<Key>(s.key_of(scanned(h, *slot).row));
    if (it == h.index().begin()) break;
    --it;
  }
  return std::optional<Key>();
}

Result<uint32_t> Database::page_count(TableId t) const {
  if (Status s = check_table(t); !s.is_ok()) return s.error();
  return heap(t).page_count();
}

}  // namespace cdc
