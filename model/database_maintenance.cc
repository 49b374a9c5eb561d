// Database: VACUUM variants, checkpoints, pg_resetwal -x and major upgrades.
#include "model/database.h"
#include "model/situations.h"

namespace cdc {

namespace {
Error busy(const std::string& what) {
  return Error{ErrorCode::kObjectInUse, what + " would wait for running transactions"};
}
}  // namespace

Status Database::vacuum(TableId t) {
  if (Status s = check_table(t); !s.is_ok()) return s;
  // Its SHARE UPDATE EXCLUSIVE lock waits for a running TRUNCATE's lock.
  if (truncating_.count(t)) return busy("VACUUM of \"" + schema(t).name + "\"");
  HeapTable& h = *tables_[t.value()];
  for (uint32_t slot = 0; slot < h.slot_count(); ++slot) {
    HeapTuple& tup = h.tuple(slot);
    if (tup.has(kRemoved)) continue;
    const bool dead = tup.has(kXminAborted) || tup.has(kXmaxCommitted);
    if (!dead) continue;
    // A dead version that a running writer's newer version still chains to
    // cannot exist: the chain only passes through versions deleted by running
    // transactions. So removing dead tuples never breaks a chain.
    CDC_ASSERT(!reader_sees(tup), "VACUUM removes only tuples no reader sees");
    tup.flags |= kRemoved;
  }
  return Status::ok();
}

Status Database::vacuum_freeze(TableId t) {
  if (Status s = vacuum(t); !s.is_ok()) return s;
  HeapTable& h = *tables_[t.value()];
  for (uint32_t slot = 0; slot < h.slot_count(); ++slot) {
    HeapTuple& tup = h.tuple(slot);
    if (!tup.has(kRemoved) && tup.has(kXminCommitted)) tup.flags |= kFrozen;
  }
  relfrozenxid_[t.value()] = oldest_running_or_next();
  recompute_limits();
  CDC_ASSERT(xid_precedes_or_equals(relfrozenxid_[t.value()], xids_.next()),
             "relfrozenxid never passes the next xid");
  return Status::ok();
}

Status Database::vacuum_freeze_all() {
  for (uint32_t i = 0; i < tables_.size(); ++i) {
    if (Status s = vacuum_freeze(TableId(i)); !s.is_ok()) return s;
  }
  system_frozen_ = oldest_running_or_next();
  recompute_limits();
  return Status::ok();
}

void Database::rewrite_table(TableId t, HeapTable& h, const std::vector<uint32_t>& keep,
                             Rewrite why) {
  CDC_ASSERT(&h == tables_[t.value()].get(), "rewriting the table's own heap");
  std::vector<std::pair<Ctid, Ctid>> moves;
  moves.reserve(keep.size());
  for (uint32_t i = 0; i < keep.size(); ++i)
    moves.emplace_back(h.ctid_of(keep[i]), h.ctid_of(i));
  h.rewrite(keep, /*freeze=*/why == Rewrite::kVacuumFull);
  CDC_ASSERT(moves.size() == h.slot_count(), "every kept tuple has its old and new ctid");
  if (rewrite_observer_) rewrite_observer_(t, why, moves);
}

Status Database::vacuum_full(TableId t) {
  if (Status s = check_table(t); !s.is_ok()) return s;
  // As in PostgreSQL: VACUUM first looks the table up under an ACCESS SHARE
  // lock, which waits for a running TRUNCATE's lock (no xid taken yet). Then,
  // a transaction of its own, it takes an xid (refused past the stop limit)
  // before it waits for its ACCESS EXCLUSIVE lock (wal_level >= replica logs
  // that lock), so a VACUUM FULL refused on a table with writers has
  // consumed one.
  const std::string busy_what = "VACUUM FULL of \"" + schema(t).name + "\"";
  if (truncating_.count(t)) return busy(busy_what);
  const Xid freeze_limit = oldest_running_or_next();
  if (Result<FullXid> x = assign_xid(); !x.is_ok()) return x.error();
  if (table_busy(t, TxnId(0))) return busy(busy_what);
  HeapTable& h = *tables_[t.value()];
  std::vector<uint32_t> keep;
  for (uint32_t slot = 0; slot < h.slot_count(); ++slot) {
    if (reader_sees(h.tuple(slot))) keep.push_back(slot);
  }
  rewrite_table(t, h, keep, Rewrite::kVacuumFull);
  CDC_ASSERT(h.slot_count() == keep.size() && (keep.empty() || h.tuple(0).has(kFrozen)),
             "VACUUM FULL keeps exactly what readers see, frozen");
  relfrozenxid_[t.value()] = freeze_limit;
  recompute_limits();
  return Status::ok();
}

Status Database::reset_xid(Xid x, std::optional<uint32_t> epoch) {
  if (!xid_is_normal(x)) {
    return Error{ErrorCode::kInvalidArgument,
                 "transaction ID (-x) must be greater than or equal to 3"};
  }
  if (!txns_.empty()) return busy("pg_resetwal");
  xids_.reset(x, epoch.value_or(xids_.epoch()));
  // pg_resetwal puts the oldest xid 2,000,000,000 behind the new next xid.
  system_frozen_ = xid_retreat_for_limit(x, kResetwalOldestDistance);
  for (Xid& r : relfrozenxid_)
    r = system_frozen_;
  recompute_limits();
  CDC_ASSERT(xids_.next() == x && xid_precedes(x, limits_.stop_limit),
             "pg_resetwal leaves the counter at x, writable");
  return Status::ok();
}

Status Database::major_upgrade() {
  if (!txns_.empty()) return busy("pg_upgrade");
  CDC_ASSERT(running_xids_.empty() && truncating_.empty(), "no transaction runs");
  const Lsn old_end = wal_.insert_lsn();
  slots_.clear();
  ++slot_epoch_;
  committed_log_.clear();
  // The new cluster's WAL starts in a later segment than the old one ended in.
  constexpr uint64_t kSegment = uint64_t{16} << 20;
  const uint64_t next = (wal_.insert_lsn().value() / kSegment + 2) * kSegment;
  wal_.restart_at(Lsn(next));
  checkpointed_bytes_ = wal_.bytes_written();
  CDC_ASSERT(wal_.insert_lsn() > old_end, "the upgraded cluster's WAL continues higher");
  return Status::ok();
}

void Database::flush_wal() {
  wal_.flush_to(wal_.insert_lsn());
}

void Database::maybe_checkpoint() {
  if (wal_.bytes_written() - checkpointed_bytes_ >= options_.checkpoint_every_bytes) checkpoint();
}

void Database::checkpoint() {
  CDC_ASSERT(wal_.flush_lsn() <= wal_.insert_lsn(), "flushed WAL was written");
  checkpointed_bytes_ = wal_.bytes_written();
  Lsn keep_from = wal_.flush_lsn();
  for (auto& [name, slot] : slots_) {
    SlotInfo& info = slot.info;
    if (info.wal_status == SlotWalStatus::kLost) continue;
    const uint64_t held = wal_.flush_lsn().value() - info.restart_lsn.value();
    if (options_.max_slot_wal_keep_size_bytes && held > *options_.max_slot_wal_keep_size_bytes) {
      info.wal_status = SlotWalStatus::kLost;
      ++slot_epoch_;
      reached(Situation::kSlotInvalidated);
      continue;
    }
    keep_from = std::min(keep_from, info.restart_lsn);
  }
  wal_.truncate_before(keep_from);
  prune_committed_log();
  for (const auto& [name, slot] : slots_) {
    CDC_ASSERT(
        slot.info.wal_status == SlotWalStatus::kLost || wal_.oldest_lsn() <= slot.info.restart_lsn,
        "a checkpoint keeps the WAL every valid slot needs");
  }
}

}  // namespace cdc
