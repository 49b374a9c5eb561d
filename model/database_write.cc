// Database: INSERT, UPDATE, DELETE and TRUNCATE inside a transaction, and what
// commit and abort do to the tuples a transaction wrote.
#include <algorithm>

#include "model/database.h"
#include "model/mutants.h"
#include "model/row_codec.h"

namespace cdc {

namespace {

// The index key of the version a write names.
// (A template: Database::WriteRef is private, and a deduced type names nothing.)
template <typename WriteRef>
std::string index_key_of_write(const HeapTable& h, const WriteRef& w) {
  return h.index_key_of_row(h.shared_row(w.slot));
}

Error lock_error(const TableSchema& s) {
  return Error{ErrorCode::kLockNotAvailable,
               "could not obtain lock on row in relation \"" + s.name + "\""};
}
Error not_found(const TableSchema& s) {
  return Error{ErrorCode::kRowNotFound, "no such row in relation \"" + s.name + "\""};
}
Error duplicate(const TableSchema& s) {
  return Error{ErrorCode::kUniqueViolation,
               "duplicate key value violates unique constraint \"" + s.name + "_pkey\""};
}

// The columns an UPDATE leaves out of its WAL record: the TOASTed ones it
// did not change.
uint64_t omitted_columns(const TableSchema& s, std::span<const Value> old_row,
                         const SharedRow& new_row) {
  CDC_ASSERT(old_row.size() == s.columns.size() && new_row.size() == s.columns.size(),
             "an update logs full-width rows");
  uint64_t omitted = 0;
  for (uint32_t c = 0; c < s.columns.size(); ++c) {
    const bool unchanged =
        new_row[c] == old_row[c] || mutant_active(Mutant::kToastChangedValueOmitted);
    if (s.is_toasted(old_row, c) && unchanged) omitted |= uint64_t{1} << c;
  }
  return omitted;
}

// Writes the WAL record of an UPDATE into `rec`, a default record: the new
// row (`new_row`, the heap's, when nothing is omitted; else encoded with the
// `omitted` columns NULL), and the whole old row (REPLICA IDENTITY FULL) or
// the old key (a key change under DEFAULT).
void write_update_record(WalRecord* rec, TableId t, const TableSchema& s,
                         std::span<const Value> old_row, const SharedRow& new_row, uint64_t omitted,
                         bool key_changed, Xid xid) {
  rec->kind = WalKind::kUpdate;
  rec->xid = xid;
  rec->table = t;
  rec->omitted_mask = omitted;
  if (omitted == 0) {
    rec->row = new_row;
  } else {
    Row logged = new_row.to_row();
    for (uint32_t c = 0; c < s.columns.size(); ++c) {
      if (omitted & (uint64_t{1} << c)) logged[c] = Value::null();
    }
    rec->new_row = encode_row(logged);
  }
  if (s.replica_identity == ReplicaIdentity::kFull) {
    if (!mutant_active(Mutant::kReplicaIdentityFullNoOldRow)) {
      rec->old_kind = OldTuple::kRow;
      rec->old_data = encode_row(old_row);
    }
  } else if (key_changed) {
    rec->old_kind = OldTuple::kKey;
    const bool from_new = mutant_active(Mutant::kKeyChangeOldKeyFromNewRow);
    rec->old_data = encode_row(s.key_of(from_new ? new_row.values() : old_row));
  }
}
}  // namespace

void Database::Txn::wrote(TableId t) {
  std::vector<TableId>& mine = levels.back().tables_written;
  if (std::find(mine.begin(), mine.end(), t) == mine.end()) mine.push_back(t);
}

bool Database::Txn::has_written(TableId t) const {
  for (const Level& level : levels) {
    for (TableId w : level.tables_written) {
      if (w == t) return true;
    }
  }
  return false;
}

std::optional<TxnId> Database::running_owner(Xid x) const {
  for (const auto& [raw, id] : running_xids_) {
    if (raw == x.value()) return id;
  }
  return std::nullopt;
}

void Database::forget_xid(Xid x) {
  std::erase_if(running_xids_, [&](const auto& e) { return e.first == x.value(); });
}

bool Database::xid_running_in(Xid x, TxnId me) const {
  return running_owner(x) == me;
}

Database::RowState Database::writer_state(const HeapTable& h, uint32_t slot, TxnId me) const {
  const HeapTuple& t = h.tuple(slot);
  // Where a writer reads xmin: its writer's xid, a normal one, unless frozen.
  CDC_ASSERT(xid_is_normal(t.xmin) || t.has(kFrozen), "an unfrozen tuple's xmin is a writer's xid");
  if (t.has(kRemoved) || t.has(kXminAborted)) return RowState::kAbsent;
  const bool xmin_done = t.has(kFrozen) || t.has(kXminCommitted);
  if (!xmin_done && !xid_running_in(t.xmin, me)) return RowState::kLocked;
  if (xmin_done && !t.has(kFrozen) && !xid_precedes(t.xmin, xids_.next())) {
    return RowState::kAbsent;  // written "in the future" after an xid jump: invisible
  }
  if (t.xmax == kInvalidXid) return RowState::kLive;
  if (t.has(kXmaxCommitted) || xid_running_in(t.xmax, me)) return RowState::kDeleted;
  return RowState::kLocked;
}

// Whether an UPDATE or DELETE's snapshot sees no row at `slot`: another
// running transaction wrote the tuple and (for a keyed table) no committed
// version of its key precedes it. PostgreSQL then finds no row (0 rows, no
// xid taken) instead of waiting for the writer.
bool Database::unseen_by_statement(const HeapTable& h, uint32_t slot, TxnId me) const {
  const HeapTuple& t = h.tuple(slot);
  if (t.has(kFrozen) || t.has(kXminCommitted) || t.has(kXminAborted) || t.has(kRemoved)) {
    return false;
  }
  if (xid_running_in(t.xmin, me)) return false;
  return !h.schema().has_primary_key() || !reader_version(h, slot).has_value();
}

Status Database::writable(TableId t, TxnId me) const {
  if (Status s = check_table(t); !s.is_ok()) return s;
  auto it = truncating_.find(t);
  if (it != truncating_.end() && it->second != me) return lock_error(schema(t));
  return Status::ok();
}

Status Database::check_key(const TableSchema& s, const Key& key) const {
  CDC_ASSERT(s.primary_key.size() <= s.columns.size(), "keys are checked against a valid schema");
  if (!s.has_primary_key()) {
    return Error{ErrorCode::kInvalidArgument,
                 "relation \"" + s.name + "\" has no primary key; address rows by ctid"};
  }
  if (key.size() != s.primary_key.size()) {
    return Error{ErrorCode::kInvalidArgument, "key of relation \"" + s.name + "\" has " +
                                                  std::to_string(s.primary_key.size()) +
                                                  " columns"};
  }
  for (size_t i = 0; i < key.size(); ++i) {
    const ColumnDef& c = s.columns[s.primary_key[i]];
    if (key[i].is_null() || !key[i].matches(c.type)) {
      return Error{ErrorCode::kInvalidArgument, "bad value for key column \"" + c.name + "\""};
    }
  }
  return Status::ok();
}

Status Database::insert(TxnId id, TableId t, Row row) {
  Result<Txn*> r = txn(id);
  if (!r.is_ok()) return r.error();
  if (Status s = writable(t, id); !s.is_ok()) return s;
  HeapTable& h = *tables_[t.value()];
  if (Status s = h.schema().check_row(row); !s.is_ok()) return s;
  // The xid comes before the unique check: an INSERT that then fails on a
  // duplicate or locked key has still consumed it (database.h: Xids).
  Txn& tx = *r.value();
  Result<Xid> xid = ensure_xid(id, tx);
  if (!xid.is_ok()) return xid.error();
  std::string ikey;
  uint32_t prev = kNoSlot;
  if (h.schema().has_primary_key()) {
    ikey = h.index_key_of_row(row);
    if (std::optional<uint32_t> newest = h.index_find(ikey)) {
      const RowState st = writer_state(h, *newest, id);
      if (st == RowState::kLive) return duplicate(h.schema());
      if (st == RowState::kLocked) return lock_error(h.schema());
      prev = *newest;
    }
  }
  const SharedRow stored(std::move(row));
  const uint32_t slot = h.append(stored, xid.value(), prev);
  if (h.schema().has_primary_key()) h.index_set(ikey, slot);
  tx.levels.back().writes.push_back({t, slot, true});
  tx.wrote(t);
  CDC_ASSERT(h.tuple(slot).xmin == tx.levels.back().xid,
             "a new tuple's xmin is its writer's (sub)transaction xid");
  CDC_ASSERT(!h.schema().has_primary_key() || h.index_find(ikey) == slot,
             "the inserted version is its key's newest");
  append_toast(tx, xid.value(), t, stored, 0);
  append_record_in_place(tx, [&](WalRecord& rec) {
    rec.kind = WalKind::kInsert;
    rec.xid = xid.value();
    rec.table = t;
    rec.row = stored;
  });
  CDC_ASSERT(tx.levels.back().writes.back().slot == slot, "the insert's write is the last");
  return Status::ok();
}

Status Database::update(TxnId id, TableId t, const Key& key, Row new_row) {
  if (Status s = writable(t, id); !s.is_ok()) return s;
  const HeapTable& h = *tables_[t.value()];
  if (Status s = check_key(h.schema(), key); !s.is_ok()) return s;
  const std::string ikey = h.index_key(key);
  std::optional<uint32_t> newest = h.index_find(ikey);
  if (!newest) return not_found(h.schema());
  return write_new_version(id, t, *newest, std::move(new_row), &ikey);
}

Status Database::upsert(TxnId id, TableId t, const Key& key, Row row) {
  // The checks in lookup's order, so a failing upsert fails as before.
  if (Status s = check_table(t); !s.is_ok()) return s;
  const HeapTable& h = *tables_[t.value()];
  if (Status s = check_key(h.schema(), key); !s.is_ok()) return s;
  if (Status s = writable(t, id); !s.is_ok()) return s;
  CDC_ASSERT(h.schema().row_has_key(row, key), "an upsert's row carries its key");
  const std::string ikey = h.index_key(key);
  const std::optional<uint32_t> newest = h.index_find(ikey);
  if (newest && reader_version(h, *newest)) {
    return write_new_version(id, t, *newest, std::move(row), &ikey);
  }
  return insert(id, t, std::move(row));
}

Status Database::update_at(TxnId id, TableId t, Ctid ctid, Row new_row) {
  if (Status s = writable(t, id); !s.is_ok()) return s;
  const HeapTable& h = *tables_[t.value()];
  if (h.schema().has_primary_key()) {
    return Error{
        ErrorCode::kInvalidArgument,
        "update_at is for tables without a primary key; update \"" + h.schema().name + "\" by key"};
  }
  std::optional<uint32_t> slot = h.slot_of(ctid);
  if (!slot) return not_found(h.schema());
  CDC_ASSERT(h.ctid_of(*slot) == ctid, "slot_of and ctid_of are inverse");
  return write_new_version(id, t, *slot, std::move(new_row));
}

// Writes new_row as the successor of the version at old_slot (an UPDATE).
Status Database::write_new_version(TxnId id, TableId t, uint32_t old_slot, Row new_row,
                                   const std::string* old_ikey) {
  Result<Txn*> r = txn(id);
  if (!r.is_ok()) return r.error();
  HeapTable& h = *tables_[t.value()];
  CDC_ASSERT(old_slot < h.slot_count(), "updating a tuple of the table");
  const TableSchema& s = h.schema();
  if (Status st = s.check_row(new_row); !st.is_ok()) return st;
  const RowState st = writer_state(h, old_slot, id);
  if (st != RowState::kLive && st != RowState::kLocked) return not_found(s);
  if (st == RowState::kLocked && unseen_by_statement(h, old_slot, id)) return not_found(s);
  Txn& tx = *r.value();
  Result<Xid> xid = ensure_xid(id, tx);  // before the lock and unique checks
  if (!xid.is_ok()) return xid.error();
  if (st == RowState::kLocked) return lock_error(s);
  const SharedRow old_row = h.shared_row(old_slot);  // a handle: append() may move the tuples
  std::string new_ikey;
  uint32_t prev = old_slot;
  bool key_changed = false;
  if (s.has_primary_key()) {
    // Equal index keys are equal key values: collations are deterministic
    // (collation.h), so the old key needs no encoding, and a kept key keeps
    // the index key the caller found the row by.
    key_changed = !s.same_key(old_row, new_row);
    new_ikey = !key_changed && old_ikey != nullptr ? *old_ikey : h.index_key_of_row(new_row);
    if (key_changed) {
      prev = kNoSlot;
      if (std::optional<uint32_t> other = h.index_find(new_ikey)) {
        const RowState ost = writer_state(h, *other, id);
        if (ost == RowState::kLive) return duplicate(s);
        if (ost == RowState::kLocked) return lock_error(s);
        prev = *other;
      }
    }
  }
  h.tuple(old_slot).xmax = xid.value();
  const SharedRow stored(std::move(new_row));
  const uint64_t omitted = omitted_columns(s, old_row.values(), stored);
  const uint32_t slot = h.append(stored, xid.value(), prev);
  if (s.has_primary_key()) h.index_set(new_ikey, slot);
  tx.levels.back().writes.push_back(
      {t, old_slot, false, /*updated=*/false, /*key_kept=*/s.has_primary_key() && !key_changed});
  tx.levels.back().writes.push_back({t, slot, true, /*updated=*/true});
  tx.wrote(t);
  CDC_ASSERT(h.tuple(slot).xmin == tx.levels.back().xid && h.tuple(old_slot).xmax == xid.value(),
             "the new version's xmin and the old one's xmax are the writer's xid");
  append_toast(tx, xid.value(), t, stored, omitted);
  append_record_in_place(tx, [&](WalRecord& rec) {
    write_update_record(&rec, t, s, old_row.values(), stored, omitted, key_changed, xid.value());
  });
  const std::vector<WriteRef>& writes = tx.levels.back().writes;
  CDC_ASSERT(writes.size() >= 2 && writes.back().slot == slot &&
                 writes[writes.size() - 2].slot == old_slot,
             "the update's two writes are the last");
  return Status::ok();
}

Status Database::remove(TxnId id, TableId t, const Key& key) {
  Result<Txn*> r = txn(id);
  if (!r.is_ok()) return r.error();
  if (Status s = writable(t, id); !s.is_ok()) return s;
  HeapTable& h = *tables_[t.value()];
  const TableSchema& s = h.schema();
  if (Status st = check_key(s, key); !st.is_ok()) return st;
  std::optional<uint32_t> slot = h.index_find(h.index_key(key));
  if (!slot) return not_found(s);
  const RowState st = writer_state(h, *slot, id);
  if (st != RowState::kLive && st != RowState::kLocked) return not_found(s);
  if (st == RowState::kLocked && unseen_by_statement(h, *slot, id)) return not_found(s);
  Txn& tx = *r.value();
  Result<Xid> xid = ensure_xid(id, tx);  // before the lock check
  if (!xid.is_ok()) return xid.error();
  if (st == RowState::kLocked) return lock_error(s);
  const SharedRow old_row = h.shared_row(*slot);
  h.tuple(*slot).xmax = xid.value();
  tx.levels.back().writes.push_back({t, *slot, false});
  tx.wrote(t);
  CDC_ASSERT(h.tuple(*slot).xmax == tx.levels.back().xid, "a DELETE's xmax is its writer's xid");
  append_record_in_place(tx, [&](WalRecord& rec) {
    rec.kind = WalKind::kDelete;
    rec.xid = xid.value();
    rec.table = t;
    if (s.replica_identity == ReplicaIdentity::kFull) {
      rec.old_kind = OldTuple::kRow;
      rec.old_data = encode_row(old_row);
    } else {
      rec.old_kind = OldTuple::kKey;
      rec.old_data = encode_row(s.key_of(old_row));
    }
  });
  return Status::ok();
}

Status Database::remove_at(TxnId id, TableId t, Ctid ctid) {
  Result<Txn*> r = txn(id);
  if (!r.is_ok()) return r.error();
  if (Status s = writable(t, id); !s.is_ok()) return s;
  HeapTable& h = *tables_[t.value()];
  const TableSchema& s = h.schema();
  if (s.has_primary_key()) {
    return Error{
        ErrorCode::kInvalidArgument,
        "remove_at is for tables without a primary key; delete from \"" + s.name + "\" by key"};
  }
  std::optional<uint32_t> slot = h.slot_of(ctid);
  if (!slot) return not_found(s);
  const RowState st = writer_state(h, *slot, id);
  if (st != RowState::kLive && st != RowState::kLocked) return not_found(s);
  if (st == RowState::kLocked && unseen_by_statement(h, *slot, id)) return not_found(s);
  Txn& tx = *r.value();
  Result<Xid> xid = ensure_xid(id, tx);  // before the lock check
  if (!xid.is_ok()) return xid.error();
  if (st == RowState::kLocked) return lock_error(s);
  CDC_ASSERT(h.ctid_of(*slot) == ctid, "slot_of and ctid_of are inverse");
  h.tuple(*slot).xmax = xid.value();
  tx.levels.back().writes.push_back({t, *slot, false});
  tx.wrote(t);
  CDC_ASSERT(h.tuple(*slot).xmax == tx.levels.back().xid, "a DELETE's xmax is its writer's xid");
  WalRecord rec;
  rec.kind = WalKind::kDelete;
  rec.xid = xid.value();
  rec.table = t;
  if (s.replica_identity == ReplicaIdentity::kFull) {
    rec.old_kind = OldTuple::kRow;
    rec.old_data = encode_row(h.shared_row(*slot).values());
  }
  append_record(tx, std::move(rec));
  return Status::ok();
}

bool Database::table_busy(TableId t, TxnId except) const {
  for (const auto& [id, tx] : txns_) {
    if (id != except && tx.has_written(t)) return true;
  }
  auto it = truncating_.find(t);
  return it != truncating_.end() && it->second != except;
}

Status Database::truncate(TxnId id, const std::vector<TableId>& tables) {
  Result<Txn*> r = txn(id);
  if (!r.is_ok()) return r.error();
  if (tables.empty()) return Error{ErrorCode::kInvalidArgument, "TRUNCATE needs a table"};
  for (TableId t : tables) {
    if (Status s = check_table(t); !s.is_ok()) return s;
  }
  // An ACCESS EXCLUSIVE lock request takes the xid before it waits (wal_level
  // >= replica logs the lock): a TRUNCATE refused on a lock consumed one.
  Txn& tx = *r.value();
  Result<Xid> xid = ensure_xid(id, tx);
  if (!xid.is_ok()) return xid.error();
  for (TableId t : tables) {
    if (table_busy(t, id)) return lock_error(schema(t));
  }
  for (TableId t : tables) {
    HeapTable& h = *tables_[t.value()];
    for (uint32_t slot = 0; slot < h.slot_count(); ++slot) {
      if (writer_state(h, slot, id) != RowState::kLive) continue;
      h.tuple(slot).xmax = xid.value();
      tx.levels.back().writes.push_back({t, slot, false});
    }
    tx.wrote(t);
    if (!truncating_.count(t)) {
      truncating_.emplace(t, id);
      tx.levels.back().truncated.push_back(t);
    }
  }
  for (TableId t : tables) {
    CDC_ASSERT(truncating_.at(t) == id, "a TRUNCATE holds its tables' lock");
  }
  WalRecord rec;
  rec.kind = WalKind::kTruncate;
  rec.xid = xid.value();
  rec.truncated = tables;
  append_record(tx, std::move(rec));
  return Status::ok();
}

void Database::undo(const WriteRef& w) {
  HeapTable& h = *tables_[w.table.value()];
  HeapTuple& t = h.tuple(w.slot);
  CDC_ASSERT(!t.has(w.inserted ? kXminCommitted : kXmaxCommitted), "undoing a committed write");
  if (!w.inserted) {
    CDC_ASSERT(t.xmax != kInvalidXid, "undoing a DELETE that set no xmax");
    t.xmax = kInvalidXid;
    return;
  }
  t.flags |= kXminAborted;
  if (!h.schema().has_primary_key()) return;
  const std::string ikey = index_key_of_write(h, w);
  std::optional<uint32_t> newest = h.index_find(ikey);
  if (newest != w.slot) return;
  if (t.prev == kNoSlot) {
    h.index_erase(ikey);
  } else {
    h.index_set(ikey, t.prev);
  }
  CDC_ASSERT(h.index_find(ikey) != w.slot, "an aborted version is no key's newest");
}

void Database::finish_commit_writes(Txn& tx) {
  for (const Level& level : tx.levels) {
    for (const WriteRef& w : level.writes) {
      HeapTuple& t = tables_[w.table.value()]->tuple(w.slot);
      CDC_ASSERT(!t.has(kXminAborted) && !t.has(kRemoved),
                 "committing an undone or vacuumed write");
      t.flags |= w.inserted ? kXminCommitted : kXmaxCommitted;
    }
  }
  // A key whose newest version is now deleted leaves the index.
  for (const Level& level : tx.levels) {
    for (const WriteRef& w : level.writes) {
      HeapTable& h = *tables_[w.table.value()];
      if (w.inserted || w.key_kept || !h.schema().has_primary_key()) continue;
      const std::string ikey = index_key_of_write(h, w);
      if (h.index_find(ikey) == w.slot) h.index_erase(ikey);
    }
  }
  // A committed TRUNCATE gives the table a new, empty file; rows the same
  // transaction inserted afterwards are carried over.
  std::vector<TableId> truncated;
  for (const Level& level : tx.levels) {
    truncated.insert(truncated.end(), level.truncated.begin(), level.truncated.end());
  }
  for (TableId t : truncated) {
    HeapTable& h = *tables_[t.value()];
    std::vector<uint32_t> keep;
    for (uint32_t slot = 0; slot < h.slot_count(); ++slot) {
      if (reader_sees(h.tuple(slot))) keep.push_back(slot);
    }
    rewrite_table(t, h, keep, Rewrite::kTruncate);
    CDC_ASSERT(h.slot_count() == keep.size(), "a truncated table keeps only what readers see");
  }
}

}  // namespace cdc
