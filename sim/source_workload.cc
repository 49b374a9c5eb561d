#include "sim/source_workload.h"

#include <algorithm>
#include <charconv>

namespace cdc::sim {

std::vector<TableSchema> demo_schemas() {
  TableSchema accounts;
  accounts.name = "accounts";
  accounts.columns = {{"id", ColumnType::kInt64, Collation::kC, false, false},
                      {"balance", ColumnType::kInt64, Collation::kC, false, true},
                      {"note", ColumnType::kText, Collation::kC, true, true}};
  accounts.primary_key = {0};
  accounts.toast_threshold_bytes = 64;

  TableSchema tags;
  tags.name = "tags";
  tags.columns = {{"name", ColumnType::kText, Collation::kLocale, false, false},
                  {"region", ColumnType::kText, Collation::kC, false, false},
                  {"n", ColumnType::kInt64, Collation::kC, false, true}};
  tags.primary_key = {0, 1};
  tags.replica_identity = ReplicaIdentity::kFull;

  TableSchema events;
  events.name = "events";
  events.columns = {{"payload", ColumnType::kText, Collation::kC, false, true},
                    {"n", ColumnType::kInt64, Collation::kC, false, true}};
  events.tuples_per_page = 8;
  return {accounts, tags, events};
}

SourceWorkload::SourceWorkload(Database* db, std::vector<TableId> tables, Prng prng,
                               SourceWorkloadOptions options)
    : db_(db), tables_(std::move(tables)), prng_(prng), options_(options) {
  CDC_ASSERT(!tables_.empty(), "a workload needs tables");
  CDC_ASSERT(options_.sessions > 0 && options_.key_space > 0, "bad workload options");
  sessions_.resize(options_.sessions);
}

Value SourceWorkload::random_value(const ColumnDef& c, bool key) {
  if (c.type == ColumnType::kInt64) {
    return Value::int64(
        key ? prng_.range_inclusive(options_.key_min, options_.key_min + options_.key_space - 1)
            : prng_.range_inclusive(-1000, 1000));
  }
  if (key) {
    // Letters that the two collations order differently: case and accents.
    static const char* const kAlphabet[] = {"a", "A", "b", "B", "e", "é", "É", "z", "Z", "0", " "};
    constexpr uint64_t kLetters = sizeof kAlphabet / sizeof kAlphabet[0];
    std::string s;
    const uint64_t n = 1 + prng_.below(options_.text_key_length_max);
    for (uint64_t i = 0; i < n; ++i)
      s += kAlphabet[prng_.below(kLetters)];
    return Value::text(s);
  }
  char head[24] = {'v'};
  const auto [end, ec] = std::to_chars(head + 1, head + sizeof head, ++counter_);
  CDC_ASSERT(ec == std::errc(), "a counter fits its buffer");
  const std::string_view text(head, static_cast<size_t>(end - head));
  if (c.toastable && prng_.chance(options_.toasted_value)) {
    return Value::text(std::string(text) + std::string(200, 'x'));
  }
  return Value::text(text);
}

Row SourceWorkload::random_row(const TableSchema& s) {
  Row row;
  row.reserve(s.columns.size());
  for (uint32_t c = 0; c < s.columns.size(); ++c) {
    bool key = false;
    for (uint32_t k : s.primary_key)
      key = key || k == c;
    row.push_back(random_value(s.columns[c], key));
  }
  return row;
}

void SourceWorkload::step() {
  run(decide());
}

void SourceWorkload::run(const Statement& st) {
  execute(st);
  if (observer_) observer_(st);
}

Statement SourceWorkload::decide() {
  Statement st;
  st.session = static_cast<uint32_t>(prng_.below(sessions_.size()));
  const Session& s = sessions_[st.session];
  if (!s.txn) {
    st.kind = Statement::Kind::kBegin;
  } else if (prng_.chance(options_.commit_after_statement)) {
    st.kind = prng_.chance(options_.abort_instead_of_commit) ? Statement::Kind::kAbort
                                                             : Statement::Kind::kCommit;
  } else {
    decide_statement(s, &st);
  }
  return st;
}

void SourceWorkload::finish() {
  for (uint32_t i = 0; i < sessions_.size(); ++i) {
    if (!sessions_[i].txn) continue;
    Statement st;
    st.at_finish = true;
    st.session = i;
    st.kind = prng_.chance(options_.abort_instead_of_commit) ? Statement::Kind::kAbort
                                                             : Statement::Kind::kCommit;
    run(st);
  }
}

void SourceWorkload::load(uint64_t rows, uint32_t rows_per_txn) {
  CDC_ASSERT(rows_per_txn > 0, "a bulk load commits some rows per transaction");
  for (const Session& s : sessions_)
    CDC_ASSERT(!s.txn, "a bulk load starts with no transaction open");
  const uint64_t failed_before = stats_.failed_statements;
  for (uint32_t t = 0; t < tables_.size(); ++t)
    load_table(t, rows, rows_per_txn);
  CDC_ASSERT(stats_.failed_statements == failed_before,
             "a bulk load inserts only keys not present");
}

// Rows are drawn in groups whose keys the index fetches together, and each
// is then checked and inserted in turn: the draws, checks and inserts are
// those of drawing, checking and inserting one row at a time. A group never
// draws a row that the one-at-a-time loop would not (each draw loads at most
// one row), and nothing but the draws reads the generator.
void SourceWorkload::load_table(uint32_t t, uint64_t rows, uint32_t rows_per_txn) {
  constexpr uint64_t kGroup = 16;
  const TableSchema& s = db_->schema(tables_[t]);
  const HeapTable& heap = db_->heap(tables_[t]);
  const bool keyed = s.has_primary_key();
  const uint64_t max_draws = 4 * rows + 64;
  Statement commit;
  commit.kind = Statement::Kind::kCommit;
  std::vector<Row> group;
  std::vector<std::string> ikeys;
  std::vector<std::string_view> views;
  uint64_t loaded = 0;
  for (uint64_t draws = 0; loaded < rows && draws < max_draws;) {
    const uint64_t n = std::min({kGroup, rows - loaded, max_draws - draws});
    group.clear();
    ikeys.clear();
    views.clear();
    for (uint64_t i = 0; i < n; ++i) {
      group.push_back(random_row(s));
      // The index holds the newest version of every key, uncommitted too.
      if (keyed) ikeys.push_back(heap.index_key_of_row(group.back()));
    }
    draws += n;
    if (keyed) {
      for (const std::string& k : ikeys)
        views.push_back(k);
      heap.index_prefetch(views);
    }
    for (uint64_t i = 0; i < n; ++i) {
      if (keyed && heap.index_find(ikeys[i])) continue;
      Statement st;
      st.kind = Statement::Kind::kInsert;
      st.table = t;
      st.row = std::move(group[i]);
      run(st);
      if (++loaded % rows_per_txn == 0) run(commit);
    }
  }
  if (loaded % rows_per_txn != 0) run(commit);
}

void SourceWorkload::commit_open() {
  for (Session& s : sessions_) {
    if (s.txn) end(s, /*commit=*/true);
  }
}

void SourceWorkload::end(Session& s, bool commit) {
  if (commit) {
    Result<Lsn> r = db_->commit(*s.txn);
    CDC_ASSERT(r.is_ok(), "commit of a running transaction failed");
    ++stats_.committed;
  } else {
    CDC_ASSERT(db_->abort(*s.txn).is_ok(), "abort of a running transaction failed");
    ++stats_.aborted;
  }
  s.txn.reset();
}

void SourceWorkload::decide_statement(const Session& s, Statement* st) {
  using K = Statement::Kind;
  if (s.savepoints > 0 && prng_.chance(options_.rollback_to_savepoint)) {
    st->kind = K::kRollbackToSavepoint;
    return;
  }
  if (s.savepoints > 0 && prng_.chance(options_.release_savepoint)) {
    st->kind = K::kReleaseSavepoint;
    return;
  }
  if (prng_.chance(options_.savepoint)) {
    st->kind = K::kSavepoint;
    return;
  }
  st->table = static_cast<uint32_t>(prng_.below(tables_.size()));
  const TableId t = tables_[st->table];
  if (prng_.chance(options_.truncate)) {
    st->kind = K::kTruncate;
  } else if (db_->schema(t).has_primary_key()) {
    decide_keyed(t, st);
  } else {
    decide_keyless(t, st);
  }
}

// A key chosen on purpose rather than at random: near a backfill cursor, or
// an existing row's (the next one after a random key, wrapping around).
std::optional<SourceWorkload::Aimed> SourceWorkload::aimed_key(TableId t) {
  if (options_.near_cursor.numerator > 0 && key_hints_ && prng_.chance(options_.near_cursor)) {
    const std::vector<Key> near = key_hints_(t);
    if (!near.empty()) return Aimed{near[prng_.below(near.size())], std::nullopt};
  }
  if (options_.existing_key.numerator > 0 && prng_.chance(options_.existing_key)) {
    const TableSchema& s = db_->schema(t);
    const Key from = s.key_of(random_row(s));
    for (const std::optional<Key>& after : {std::optional<Key>(from), std::optional<Key>()}) {
      QueryResult q = db_->keyset_chunk(t, after, 1, KeyOrder::kDatabase);
      if (!q.status.is_ok() || q.rows.empty()) continue;
      // The chunk read the newest version of the key a reader sees, as a
      // lookup of the key does: the caller need not look it up again.
      Key key = s.key_of(q.rows[0].row);
      return Aimed{std::move(key), std::move(q.rows[0])};
    }
  }
  return std::nullopt;
}

void SourceWorkload::decide_keyed(TableId t, Statement* st) {
  const TableSchema& s = db_->schema(t);
  Row row = random_row(s);
  std::optional<Aimed> aimed = aimed_key(t);
  if (aimed) {
    for (size_t i = 0; i < s.primary_key.size(); ++i)
      row[s.primary_key[i]] = aimed->key[i];
  }
  const Key key = aimed ? std::move(aimed->key) : s.key_of(row);  // the row's key either way
  Result<std::optional<ScannedRow>> current =
      aimed && aimed->row ? Result<std::optional<ScannedRow>>(std::move(aimed->row))
                          : db_->lookup(t, key);
  CDC_ASSERT(current.is_ok(), "lookup of a well-formed key");
  if (!current.value()) {
    st->kind = Statement::Kind::kInsert;
    st->row = std::move(row);
    return;
  }
  st->key = key;
  if (prng_.chance(options_.delete_row)) {
    st->kind = Statement::Kind::kDelete;
    return;
  }
  const SharedRow& old = current.value()->row;
  if (prng_.chance(options_.key_change)) {
    // A key change: a fresh key, which may collide with another row's (the
    // statement then fails on the unique key, as in PostgreSQL). It writes
    // every column unless key_change_keeps_toasted says otherwise: a TOASTed
    // value left unchanged by a key change is lost downstream (a known
    // limitation, demonstrated by the catalogue's toast-lost-on-key-change.yaml),
    // which would mask everything else.
    for (uint32_t k : s.primary_key)
      row[k] = random_value(s.columns[k], /*key=*/true);
    if (options_.key_change_keeps_toasted.numerator > 0) {
      for (uint32_t c = 0; c < s.columns.size(); ++c) {
        if (s.is_toasted(old, c) && prng_.chance(options_.key_change_keeps_toasted))
          row[c] = old[c];
      }
    }
    st->kind = Statement::Kind::kUpdate;
    st->row = std::move(row);
    return;
  }
  for (uint32_t c = 0; c < s.columns.size(); ++c) {
    if (s.is_toasted(old, c) && prng_.chance(options_.keep_toasted_column)) row[c] = old[c];
  }
  st->kind = Statement::Kind::kUpdate;
  st->row = std::move(row);
}

// A visible row next to a ctid scan's cursor: the last one it has read or
// the first it has not, looked for within kNearSlots slots of the cursor.
std::optional<ScannedRow> SourceWorkload::aimed_row(TableId t) {
  if (options_.keyless_near_cursor.numerator == 0 || !ctid_hints_ ||
      !prng_.chance(options_.keyless_near_cursor)) {
    return std::nullopt;
  }
  const std::vector<Ctid> cursors = ctid_hints_(t);
  if (cursors.empty()) return std::nullopt;
  const Ctid cursor = cursors[prng_.below(cursors.size())];
  const uint32_t first_unread = db_->first_slot_at_or_after(t, cursor);
  const uint32_t slots = db_->slot_count(t);
  constexpr uint32_t kNearSlots = 64;
  if (prng_.chance({1, 2})) {  // the read side
    for (uint32_t slot = first_unread; slot > 0 && first_unread - slot < kNearSlots; --slot) {
      if (std::optional<ScannedRow> r = db_->visible_at(t, slot - 1)) return r;
    }
    return std::nullopt;
  }
  for (uint32_t slot = first_unread; slot < slots && slot - first_unread < kNearSlots; ++slot) {
    if (std::optional<ScannedRow> r = db_->visible_at(t, slot)) return r;
  }
  return std::nullopt;
}

// A visible row chosen uniformly: slots drawn at random until one holds a
// visible row, so the cost does not grow with the table while most slots are
// live; after kProbes misses, one pass over the tuple headers decides.
std::optional<ScannedRow> SourceWorkload::random_visible_row(TableId t) {
  const uint32_t slots = db_->slot_count(t);
  if (slots == 0) return std::nullopt;
  constexpr int kProbes = 16;
  for (int probe = 0; probe < kProbes; ++probe) {
    if (std::optional<ScannedRow> r = db_->visible_at(t, static_cast<uint32_t>(prng_.below(slots))))
      return r;
  }
  const std::vector<uint32_t> visible = db_->visible_slots(t);
  if (visible.empty()) return std::nullopt;
  return db_->visible_at(t, visible[prng_.below(visible.size())]);
}

void SourceWorkload::decide_keyless(TableId t, Statement* st) {
  const TableSchema& s = db_->schema(t);
  std::optional<ScannedRow> victim;
  if (!prng_.chance({1, 2})) {
    victim = aimed_row(t);
    if (!victim) victim = random_visible_row(t);
  }
  if (!victim) {  // a coin toss, or an empty table
    st->kind = Statement::Kind::kInsert;
    st->row = random_row(s);
    return;
  }
  st->match = victim->row.to_row();
  st->ctid = victim->ctid;
  if (prng_.chance(options_.delete_row)) {
    st->kind = Statement::Kind::kDelete;
    return;
  }
  st->kind = Statement::Kind::kUpdate;
  st->row = random_row(s);
}

void SourceWorkload::execute(const Statement& st) {
  using K = Statement::Kind;
  if (st.session >= sessions_.size()) sessions_.resize(st.session + 1);
  Session& s = sessions_[st.session];
  if (st.kind == K::kCommit || st.kind == K::kAbort) {
    if (s.txn) end(s, st.kind == K::kCommit);
    return;
  }
  if (!s.txn) {
    s.txn = db_->begin();
    s.savepoints = 0;
  }
  switch (st.kind) {
    case K::kBegin:
    case K::kCommit:
    case K::kAbort:
      return;
    case K::kRollbackToSavepoint:
      if (s.savepoints == 0) return;
      CDC_ASSERT(db_->rollback_to_savepoint(*s.txn).is_ok(), "rollback to an open savepoint");
      ++stats_.savepoint_rollbacks;
      return;
    case K::kReleaseSavepoint:
      if (s.savepoints == 0) return;
      CDC_ASSERT(db_->release_savepoint(*s.txn).is_ok(), "release of an open savepoint");
      --s.savepoints;
      return;
    case K::kSavepoint:
      CDC_ASSERT(db_->savepoint(*s.txn).is_ok(), "savepoint in a running transaction");
      ++s.savepoints;
      return;
    case K::kInsert:
    case K::kUpdate:
    case K::kDelete:
    case K::kTruncate:
      break;
  }
  ++stats_.statements;
  const Status result = write(*s.txn, st);
  if (result.is_ok()) {
    if (st.kind == K::kTruncate) ++stats_.truncates;
    return;
  }
  // A failed statement aborts the transaction, savepoints included.
  ++stats_.failed_statements;
  end(s, /*commit=*/false);
}

Status SourceWorkload::write(TxnId txn, const Statement& st) {
  CDC_ASSERT(st.table < tables_.size(), "statement on an unknown table index");
  const TableId t = tables_[st.table];
  switch (st.kind) {
    case Statement::Kind::kTruncate:
      return db_->truncate(txn, {t});
    case Statement::Kind::kInsert:
      return db_->insert(txn, t, st.row);
    default:
      break;
  }
  if (!db_->schema(t).has_primary_key()) return write_keyless(txn, st);
  if (st.kind == Statement::Kind::kDelete) return db_->remove(txn, t, st.key);
  return db_->update(txn, t, st.key, st.row);
}

// The row to change is the one at the recorded ctid when it still holds the
// recorded values, else the first row (in ctid order) that does.
// The tuple at the recorded ctid is read alone (a one-tuple ctid range);
// only when it no longer holds the values is the table scanned.
Status SourceWorkload::write_keyless(TxnId txn, const Statement& st) {
  const TableId t = tables_[st.table];
  std::optional<Ctid> victim;
  if (st.ctid && st.ctid->offset > 0) {
    const Ctid before{st.ctid->block, static_cast<uint16_t>(st.ctid->offset - 1)};
    const QueryResult at = db_->ctid_range(t, before, *st.ctid);
    CDC_ASSERT(at.status.is_ok() && at.rows.size() <= 1, "a one-tuple ctid range of a known table");
    if (!at.rows.empty() && at.rows[0].row == st.match) victim = at.rows[0].ctid;
  }
  if (!victim) {
    const QueryResult rows = db_->scan(t);
    CDC_ASSERT(rows.status.is_ok(), "scan of a known table");
    const auto first = std::find_if(rows.rows.begin(), rows.rows.end(),
                                    [&](const ScannedRow& r) { return r.row == st.match; });
    if (first != rows.rows.end()) victim = first->ctid;
  }
  if (!victim) return Error{ErrorCode::kRowNotFound, "no row matches the statement's old values"};
  if (st.kind == Statement::Kind::kDelete) return db_->remove_at(txn, t, *victim);
  return db_->update_at(txn, t, *victim, st.row);
}

}  // namespace cdc::sim
