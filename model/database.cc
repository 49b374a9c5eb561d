// Database: construction, catalogue, xid assignment and transaction control.
#include "model/database.h"
#include "model/situations.h"

#include <algorithm>

namespace cdc {

Database::Database(DatabaseOptions options)
    : options_(options),
      xids_(options.next_xid),
      limits_(XidLimits::from_oldest(xid_of(options.next_xid))),
      // A cluster that starts at next_xid holds nothing older: like a fresh
      // initdb, or a pg_resetwal'd and frozen cluster.
      system_frozen_(xid_of(options.next_xid)),
      wal_(options.first_lsn) {
  recompute_limits();
  CDC_ASSERT(xids_.next_full() == options.next_xid && wal_.insert_lsn() == options.first_lsn,
             "a new cluster starts where its options say");
  CDC_ASSERT(xid_precedes(xids_.next(), limits_.stop_limit), "a new cluster accepts writes");
}

Result<TableId> Database::create_table(TableSchema schema) {
  CDC_ASSERT(relfrozenxid_.size() == tables_.size(), "one relfrozenxid per table");
  if (Status s = schema.validate(); !s.is_ok()) return s.error();
  if (table_names_.count(schema.name)) {
    return Error{ErrorCode::kDuplicateObject, "relation \"" + schema.name + "\" already exists"};
  }
  Result<FullXid> ddl = assign_xid();  // the catalogue insert is a transaction of its own
  if (!ddl.is_ok()) return ddl.error();
  const TableId id(static_cast<uint32_t>(tables_.size()));
  table_names_.emplace(schema.name, id);
  tables_.push_back(std::make_unique<HeapTable>(std::move(schema)));
  relfrozenxid_.push_back(oldest_running_or_next());
  recompute_limits();
  CDC_ASSERT(table_names_.size() == tables_.size() && relfrozenxid_.size() == tables_.size(),
             "one name and one relfrozenxid per table");
  return id;
}

Result<TableId> Database::table_id(std::string_view name) const {
  auto it = table_names_.find(name);
  if (it == table_names_.end()) {
    return Error{ErrorCode::kUnknownTable, "relation \"" + std::string(name) + "\" does not exist"};
  }
  return it->second;
}

Status Database::check_table(TableId t) const {
  if (t.value() >= tables_.size()) {
    return Error{ErrorCode::kUnknownTable,
                 "relation with id " + std::to_string(t.value()) + " does not exist"};
  }
  return Status::ok();
}

const TableSchema& Database::schema(TableId t) const {
  return heap(t).schema();
}

const HeapTable& Database::heap(TableId t) const {
  CDC_ASSERT(t.value() < tables_.size(), "unknown table id");
  return *tables_[t.value()];
}

// ---- xids ----

Result<FullXid> Database::assign_xid() {
  const Xid next = xids_.next();
  CDC_ASSERT(xid_is_normal(next), "the counter never rests on a special xid");
  if (!xid_precedes(next, limits_.stop_limit)) {
    return Error{ErrorCode::kWraparoundStop,
                 "database is not accepting commands to avoid wraparound data loss in database "
                 "\"postgres\""};
  }
  if (!xid_precedes(next, limits_.warn_limit)) {
    ++wraparound_warnings_;
    const uint32_t left = limits_.wrap_limit.value() - next.value();
    last_warning_ =
        "database \"postgres\" must be vacuumed within " + std::to_string(left) + " transactions";
  }
  const FullXid given = xids_.assign();
  CDC_ASSERT(xid_is_normal(xid_of(given)), "assigned a special xid");
  CDC_ASSERT(xids_.next_full() > given, "full xids only grow");
  return given;
}

Result<FullXid> Database::txid_current() {
  Result<FullXid> x = assign_xid();
  if (!x.is_ok()) return x;
  WalRecord r;
  r.kind = WalKind::kCommit;
  r.top_xid = r.xid = xid_of(x.value());
  r.txn_first_lsn = wal_.insert_lsn();
  const Lsn start = wal_.insert_lsn();
  wal_.flush_to(wal_.append(std::move(r)));
  CDC_ASSERT(wal_.flush_lsn() == wal_.insert_lsn(), "txid_current's commit is flushed");
  committed_log_.emplace_back(start, start);
  maybe_checkpoint();
  return x;
}

Status Database::burn_xids(uint64_t n) {
  // Refuse the whole burn if it would cross the stop limit part way.
  const Xid start = xids_.next();
  CDC_ASSERT(xid_is_normal(start), "the counter never rests on a special xid");
  const uint32_t room = limits_.stop_limit.value() - start.value();
  if (!xid_precedes(start, limits_.stop_limit) || n > room) {
    return Error{ErrorCode::kWraparoundStop,
                 "database is not accepting commands to avoid wraparound data loss in database "
                 "\"postgres\""};
  }
  // Each xid handed out at or past the warning limit warns, as n separate
  // transactions would.
  const uint64_t before_warn =
      xid_precedes(start, limits_.warn_limit) ? limits_.warn_limit.value() - start.value() : 0;
  xids_.skip(n);
  if (n > before_warn) {
    wraparound_warnings_ += n - before_warn;
    const uint32_t left = limits_.wrap_limit.value() - xids_.next().value() + 1;
    last_warning_ =
        "database \"postgres\" must be vacuumed within " + std::to_string(left) + " transactions";
  }
  CDC_ASSERT(xids_.next() == xid_advance_by(start, n), "burning n xids advances by n normal xids");
  return Status::ok();
}

Xid Database::oldest_running_or_next() const {
  Xid oldest = xids_.next();
  for (const auto& [raw, id] : running_xids_) {
    if (xid_precedes(Xid(raw), oldest)) oldest = Xid(raw);
  }
  return oldest;
}

Database::SnapshotBounds Database::current_snapshot() const {
  const FullXid next = xids_.next_full();
  // An xid at or before the next one, as a full xid: at most 2^31 behind.
  auto full = [&](Xid x) {
    return FullXid(next.value() - static_cast<uint32_t>(xids_.next().value() - x.value()));
  };
  const Xid xmax = snapshot_xmax();
  Xid xmin = oldest_running_or_next();
  if (xid_follows(xmin, xmax)) xmin = xmax;
  const SnapshotBounds b{full(xmin), full(xmax)};
  CDC_ASSERT(b.xmin <= b.xmax && b.xmax <= next, "xmin <= xmax <= the next full xid");
  return b;
}

Xid Database::snapshot_xmax() const {
  // Every assigned xid before the next one is running or completed; step down
  // past the running ones (special ids are never assigned: skip them).
  uint32_t x = xids_.next().value();
  for (size_t steps = 0; steps <= running_xids_.size(); ++steps) {
    uint32_t below = x - 1;
    if (below < kFirstNormalXid.value()) below = 0xffffffffu;
    const bool running = std::any_of(running_xids_.begin(), running_xids_.end(),
                                     [&](const auto& e) { return e.first == below; });
    if (!running) break;
    x = below;
  }
  CDC_ASSERT(xid_is_normal(Xid(x)) && xid_precedes_or_equals(Xid(x), xids_.next()),
             "the snapshot xmax is a normal xid at or before the next xid");
  return Xid(x);
}

void Database::recompute_limits() {
  // datfrozenxid: the oldest relfrozenxid that is not "in the future"
  // (PostgreSQL ignores such bogus values when it recomputes it).
  Xid oldest = system_frozen_;
  for (Xid r : relfrozenxid_) {
    if (xid_precedes(r, xids_.next()) && xid_precedes(r, oldest)) oldest = r;
  }
  limits_ = XidLimits::from_oldest(oldest);
}

// ---- transaction control ----

TxnId Database::begin() {
  const TxnId id(next_txn_id_++);
  Txn tx;
  if (!spare_levels_.empty()) {
    tx.levels = std::move(spare_levels_.back());
    spare_levels_.pop_back();
  }
  tx.levels.resize(1);
  CDC_ASSERT(tx.levels[0].xid == kInvalidXid && tx.levels[0].writes.empty() &&
                 tx.levels[0].merged.empty() && tx.levels[0].truncated.empty() &&
                 tx.levels[0].tables_written.empty(),
             "a new transaction starts with an empty top level");
  txns_.emplace_back(id, std::move(tx));
  return id;
}

bool Database::is_running(TxnId txn) const {
  return find_txn(txn) != nullptr;
}

const Database::Txn* Database::find_txn(TxnId id) const {
  auto it = std::lower_bound(txns_.begin(), txns_.end(), id,
                             [](const auto& e, TxnId i) { return e.first < i; });
  return it != txns_.end() && it->first == id ? &it->second : nullptr;
}

void Database::erase_txn(TxnId id) {
  auto it = std::lower_bound(txns_.begin(), txns_.end(), id,
                             [](const auto& e, TxnId i) { return e.first < i; });
  CDC_ASSERT(it != txns_.end() && it->first == id, "erasing a transaction that is not running");
  if (spare_levels_.size() < kSpareLevels) {
    std::vector<Level>& levels = it->second.levels;
    for (Level& level : levels) {
      level.xid = kInvalidXid;
      level.merged.clear();
      level.writes.clear();
      level.truncated.clear();
      level.tables_written.clear();
    }
    spare_levels_.push_back(std::move(levels));
  }
  txns_.erase(it);
}

Result<Database::Txn*> Database::txn(TxnId id) {
  const Txn* found = find_txn(id);
  if (!found) {
    return Error{ErrorCode::kUnknownTransaction,
                 "transaction " + std::to_string(id.value()) + " is not running"};
  }
  return const_cast<Txn*>(found);
}

Result<std::optional<Xid>> Database::current_xid_of(TxnId id) const {
  const Txn* tx = find_txn(id);
  if (!tx) {
    return Error{ErrorCode::kUnknownTransaction,
                 "transaction " + std::to_string(id.value()) + " is not running"};
  }
  const Level& level = tx->levels.back();
  if (level.xid == kInvalidXid) return std::optional<Xid>();
  CDC_ASSERT(xid_is_normal(level.xid) && running_owner(level.xid) == id,
             "a level's xid is a normal xid its transaction runs under");
  return std::optional<Xid>(level.xid);
}

Result<std::optional<Xid>> Database::top_xid_of(TxnId id) const {
  const Txn* tx = find_txn(id);
  if (!tx) {
    return Error{ErrorCode::kUnknownTransaction,
                 "transaction " + std::to_string(id.value()) + " is not running"};
  }
  if (!tx->top) return std::optional<Xid>();
  return std::optional<Xid>(xid_of(*tx->top));
}

Result<Xid> Database::ensure_xid(TxnId id, Txn& tx) {
  CDC_ASSERT(find_txn(id) == &tx, "ensure_xid of a running transaction");
  // A subtransaction's xid is assigned after its parent's, as in PostgreSQL.
  for (Level& level : tx.levels) {
    if (level.xid != kInvalidXid) continue;
    Result<FullXid> x = assign_xid();
    if (!x.is_ok()) return x.error();
    if (!tx.top) tx.top = x.value();
    level.xid = xid_of(x.value());
    CDC_ASSERT(!running_owner(level.xid), "xid handed out twice");
    running_xids_.emplace_back(level.xid.value(), id);
  }
  CDC_ASSERT(tx.top && xid_of(*tx.top) == tx.levels.front().xid,
             "the top-level xid is the first level's");
  CDC_ASSERT(xid_is_normal(tx.levels.back().xid), "a writer's xid is normal");
  return tx.levels.back().xid;
}

void Database::append_toast(Txn& tx, Xid xid, TableId t, std::span<const Value> row,
                            uint64_t omitted_mask) {
  const TableSchema& s = schema(t);
  std::string chunks;  // the chunks hold the values; most rows have none
  for (uint32_t c = 0; c < s.columns.size() && c < 64; ++c) {
    if (!s.is_toasted(row, c) || ((omitted_mask >> c) & 1u)) continue;
    chunks += row[c].as_text();
  }
  if (chunks.empty()) return;
  WalRecord rec;
  rec.kind = WalKind::kToast;
  rec.xid = xid;
  rec.table = t;
  rec.new_row = std::move(chunks);
  append_record(tx, std::move(rec));
}

void Database::append_record(Txn& tx, WalRecord&& r) {
  append_record_in_place(tx, [&](WalRecord& in_place) { in_place = std::move(r); });
}

Status Database::savepoint(TxnId id) {
  Result<Txn*> tx = txn(id);
  if (!tx.is_ok()) return tx.error();
  CDC_ASSERT(tx.value()->levels.size() < 10000, "savepoint nesting runaway");
  tx.value()->levels.emplace_back();
  return Status::ok();
}

Status Database::release_savepoint(TxnId id) {
  Result<Txn*> r = txn(id);
  if (!r.is_ok()) return r.error();
  Txn& tx = *r.value();
  if (tx.levels.size() < 2) return Error{ErrorCode::kNoSavepoint, "savepoint does not exist"};
  Level child = std::move(tx.levels.back());
  tx.levels.pop_back();
  Level& parent = tx.levels.back();
  // ensure_xid gives every level an xid, parents first.
  CDC_ASSERT(child.xid == kInvalidXid || parent.xid != kInvalidXid,
             "a subtransaction with an xid has a parent with one");
  const size_t parent_writes = parent.writes.size();
  if (child.xid != kInvalidXid) parent.merged.push_back(child.xid);
  parent.merged.insert(parent.merged.end(), child.merged.begin(), child.merged.end());
  parent.writes.insert(parent.writes.end(), std::make_move_iterator(child.writes.begin()),
                       std::make_move_iterator(child.writes.end()));
  parent.truncated.insert(parent.truncated.end(), child.truncated.begin(), child.truncated.end());
  for (TableId t : child.tables_written) {
    if (std::find(parent.tables_written.begin(), parent.tables_written.end(), t) ==
        parent.tables_written.end()) {
      parent.tables_written.push_back(t);
    }
  }
  CDC_ASSERT(parent.writes.size() == parent_writes + child.writes.size(),
             "the parent takes over every write of the released child");
  return Status::ok();
}

Status Database::rollback_to_savepoint(TxnId id) {
  Result<Txn*> r = txn(id);
  if (!r.is_ok()) return r.error();
  Txn& tx = *r.value();
  if (tx.levels.size() < 2) return Error{ErrorCode::kNoSavepoint, "savepoint does not exist"};
  Level& level = tx.levels.back();
  CDC_ASSERT(level.xid == kInvalidXid || running_owner(level.xid) == id,
             "the subtransaction rolled back runs under this transaction");
  for (auto it = level.writes.rbegin(); it != level.writes.rend(); ++it)
    undo(*it);
  for (TableId t : level.truncated)
    truncating_.erase(t);  // the lock goes with the subtransaction
  std::vector<Xid> aborted = level.merged;
  if (level.xid != kInvalidXid) aborted.insert(aborted.begin(), level.xid);
  if (!aborted.empty()) {
    reached(Situation::kSubtransactionRolledBack);
    WalRecord rec;
    rec.kind = WalKind::kSubAbort;
    rec.xid = aborted.front();
    rec.subxids = aborted;
    append_record(tx, std::move(rec));
    for (Xid x : aborted)
      forget_xid(x);
  }
  level = Level{};  // the savepoint stays; a fresh subtransaction starts under it
  CDC_ASSERT(aborted.empty() || !running_owner(aborted.front()),
             "a rolled-back subtransaction's xid no longer runs");
  return Status::ok();
}

Result<Lsn> Database::commit(TxnId id) {
  Result<Txn*> r = txn(id);
  if (!r.is_ok()) return r.error();
  Txn& tx = *r.value();
  if (!tx.top) {  // wrote nothing: no commit record
    erase_txn(id);
    return wal_.flush_lsn();
  }
  const Lsn commit_start = wal_.insert_lsn();
  append_record_in_place(tx, [&](WalRecord& rec) {  // sets tx.first_lsn first, if unset
    rec.kind = WalKind::kCommit;
    rec.xid = xid_of(*tx.top);
    for (size_t i = 0; i < tx.levels.size(); ++i) {
      const Level& level = tx.levels[i];
      if (i > 0 && level.xid != kInvalidXid) rec.subxids.push_back(level.xid);
      rec.subxids.insert(rec.subxids.end(), level.merged.begin(), level.merged.end());
    }
    rec.txn_first_lsn = *tx.first_lsn;
  });
  const Lsn commit_lsn = wal_.insert_lsn();  // the end of the commit record
  CDC_ASSERT(commit_lsn > commit_start && commit_start >= *tx.first_lsn,
             "a commit record ends after its transaction's first record");
  wal_.flush_to(commit_lsn);
  committed_log_.emplace_back(commit_start, *tx.first_lsn);
  if (commit_observer_) {
    CommittedTxn& seen = observed_;
    CDC_ASSERT(seen.versions.empty(), "no commit is being observed");
    seen.xid = xid_of(*tx.top);
    seen.commit_lsn = wal_.insert_lsn();
    for (Level& level : tx.levels) {
      for (WriteRef& w : level.writes) {
        // Slots stay put until the commit is over (a TRUNCATE's rewrite comes
        // after the observer), so a write's slot still holds its version.
        const HeapTable& h = *tables_[w.table.value()];
        seen.versions.push_back({w.table, h.ctid_of(w.slot), w.inserted, h.shared_row(w.slot),
                                 w.updated, h.tuple(w.slot).xmin});
      }
    }
    commit_observer_(seen);
    seen.versions.clear();
  }
  finish_commit_writes(tx);
  forget(id, tx);
  maybe_checkpoint();
  CDC_ASSERT(!is_running(id) && wal_.flush_lsn() >= commit_lsn,
             "a commit ends its transaction and is durable");
  return wal_.flush_lsn();
}

Status Database::abort(TxnId id) {
  Result<Txn*> r = txn(id);
  if (!r.is_ok()) return r.error();
  Txn& tx = *r.value();
  CDC_ASSERT(!tx.levels.empty(), "a running transaction has its top level");
  for (auto level = tx.levels.rbegin(); level != tx.levels.rend(); ++level) {
    for (auto w = level->writes.rbegin(); w != level->writes.rend(); ++w)
      undo(*w);
  }
  if (tx.top) {
    WalRecord rec;
    rec.kind = WalKind::kAbort;
    rec.xid = xid_of(*tx.top);
    rec.txn_first_lsn = tx.first_lsn.value_or(wal_.insert_lsn());
    append_record(tx, std::move(rec));  // not flushed: aborts are asynchronous
  }
  forget(id, tx);
  CDC_ASSERT(!is_running(id), "an aborted transaction no longer runs");
  return Status::ok();
}

void Database::forget(TxnId id, const Txn& tx) {
  CDC_ASSERT(find_txn(id) == &tx, "forgetting a running transaction");
  for (const Level& level : tx.levels) {
    if (level.xid != kInvalidXid) forget_xid(level.xid);
    for (Xid x : level.merged)
      forget_xid(x);
  }
  for (const Level& level : tx.levels) {
    for (TableId t : level.truncated)
      truncating_.erase(t);
  }
  erase_txn(id);  // invalidates tx
  CDC_ASSERT(std::none_of(running_xids_.begin(), running_xids_.end(),
                          [&](const auto& e) { return e.second == id; }),
             "a finished transaction holds no xid");
}

size_t Database::memory_bytes() const {
  size_t bytes = sizeof(*this);
  for (const auto& t : tables_)
    bytes += t->memory_bytes();
  return bytes;
}

}  // namespace cdc
