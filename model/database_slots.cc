// Database: logical replication slots and their positions.
#include "model/database.h"

namespace cdc {

const char* to_string(SlotWalStatus s) {
  switch (s) {
    case SlotWalStatus::kReserved:
      return "reserved";
    case SlotWalStatus::kUnreserved:
      return "unreserved";
    case SlotWalStatus::kLost:
      return "lost";
  }
  CDC_ASSERT(false, "unknown slot WAL status");
  return "?";
}

namespace {
Error no_slot(const std::string& name) {
  return Error{ErrorCode::kUnknownSlot, "replication slot \"" + name + "\" does not exist"};
}
}  // namespace

Result<SlotInfo> Database::create_slot(const std::string& name) {
  if (name.empty()) return Error{ErrorCode::kInvalidArgument, "replication slot name is empty"};
  if (slots_.count(name)) {
    return Error{ErrorCode::kDuplicateObject, "replication slot \"" + name + "\" already exists"};
  }
  if (!running_xids_.empty()) {
    return Error{ErrorCode::kObjectInUse,
                 "creating replication slot \"" + name +
                     "\" would wait for running transactions to reach a consistent point"};
  }
  flush_wal();
  Slot s;
  s.info.name = name;
  s.info.restart_lsn = s.info.confirmed_flush_lsn = wal_.flush_lsn();
  s.info.generation = next_slot_generation_++;
  slots_.emplace(name, s);
  CDC_ASSERT(s.info.confirmed_flush_lsn == wal_.insert_lsn() && s.info.generation > 0,
             "a new slot starts at the end of the flushed WAL");
  return s.info;
}

Status Database::drop_slot(const std::string& name) {
  if (!slots_.erase(name)) return no_slot(name);
  ++slot_epoch_;
  prune_committed_log();
  return Status::ok();
}

Result<SlotInfo> Database::slot(const std::string& name) const {
  auto it = slots_.find(name);
  if (it == slots_.end()) return no_slot(name);
  SlotInfo info = it->second.info;
  CDC_ASSERT(info.restart_lsn <= info.confirmed_flush_lsn, "a slot restarts at or before its ack");
  if (info.wal_status != SlotWalStatus::kLost && options_.max_slot_wal_keep_size_bytes &&
      wal_.flush_lsn().value() - info.restart_lsn.value() >
          *options_.max_slot_wal_keep_size_bytes) {
    info.wal_status = SlotWalStatus::kUnreserved;
  }
  return info;
}

std::optional<Database::SlotIdentity> Database::slot_identity(const std::string& name) const {
  auto it = slots_.find(name);
  if (it == slots_.end()) return std::nullopt;
  // Lost is stored when it happens; slot() only adds kUnreserved on reading.
  return SlotIdentity{it->second.info.generation,
                      it->second.info.wal_status == SlotWalStatus::kLost};
}

std::vector<SlotInfo> Database::slots() const {
  std::vector<SlotInfo> out;
  for (const auto& [name, s] : slots_)
    out.push_back(slot(name).value());
  return out;
}

Lsn Database::restart_for(Lsn confirmed) const {
  // The decoder must see every record of each transaction that commits at or
  // after `confirmed`: running ones, and ones that committed since.
  Lsn restart = confirmed;
  for (const auto& [id, tx] : txns_) {
    if (tx.first_lsn && *tx.first_lsn < restart) restart = *tx.first_lsn;
  }
  for (const auto& [commit_start, first] : committed_log_) {
    if (commit_start >= confirmed && first < restart) restart = first;
  }
  CDC_ASSERT(restart <= confirmed, "a restart point is at or before the confirmed point");
  return restart;
}

void Database::prune_committed_log() {
  // Entries are only needed while some slot's confirmed position is at or
  // before their commit record.
  std::optional<Lsn> oldest_confirmed;
  for (const auto& [name, s] : slots_) {
    if (s.info.wal_status == SlotWalStatus::kLost) continue;
    if (!oldest_confirmed || s.info.confirmed_flush_lsn < *oldest_confirmed) {
      oldest_confirmed = s.info.confirmed_flush_lsn;
    }
  }
  size_t bound = committed_log_.size();
  while (!committed_log_.empty() && bound-- > 0 &&
         (!oldest_confirmed || committed_log_.front().first < *oldest_confirmed)) {
    committed_log_.pop_front();
  }
  CDC_ASSERT(committed_log_.empty() || !oldest_confirmed ||
                 committed_log_.front().first >= *oldest_confirmed,
             "the committed log keeps only commits a slot may still decode");
}

Status Database::acknowledge(const std::string& name, Lsn lsn) {
  auto it = slots_.find(name);
  if (it == slots_.end()) return no_slot(name);
  SlotInfo& info = it->second.info;
  if (info.wal_status == SlotWalStatus::kLost) {
    return Error{ErrorCode::kSlotLost,
                 "can no longer get changes from replication slot \"" + name + "\""};
  }
  CDC_ASSERT(info.restart_lsn <= info.confirmed_flush_lsn, "a slot restarts at or before its ack");
  const Lsn clamped = std::min(lsn, wal_.flush_lsn());
  if (clamped <= info.confirmed_flush_lsn) return Status::ok();
  info.confirmed_flush_lsn = clamped;
  info.restart_lsn = std::max(info.restart_lsn, restart_for(clamped));
  prune_committed_log();
  CDC_ASSERT(
      info.restart_lsn <= info.confirmed_flush_lsn && info.confirmed_flush_lsn <= wal_.flush_lsn(),
      "restart <= confirmed <= flush");
  return Status::ok();
}

Result<LogicalStream> Database::start_replication(const std::string& name, Lsn start) const {
  auto it = slots_.find(name);
  if (it == slots_.end()) return no_slot(name);
  const SlotInfo& info = it->second.info;
  if (info.wal_status == SlotWalStatus::kLost) {
    // START_REPLICATION's words (PostgreSQL 15 walsender: message, then
    // detail); pg_logical_slot_get_changes() words it differently.
    return Error{ErrorCode::kSlotLost,
                 "cannot read from logical replication slot \"" + name +
                     "\": this slot has been invalidated because it exceeded the maximum "
                     "reserved size"};
  }
  const Lsn begin_at = std::max(start, info.confirmed_flush_lsn);
  CDC_ASSERT(info.restart_lsn <= begin_at, "decoding reads from at or before its start point");
  return LogicalStream(this, name, info.generation, info.restart_lsn, begin_at);
}

}  // namespace cdc
