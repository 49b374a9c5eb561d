#include "model/decoding.h"

#include <algorithm>
#include <span>
#include <utility>

#include "model/database.h"
#include "model/mutants.h"
#include "model/row_codec.h"

namespace cdc {

const char* to_string(ChangeKind k) {
  switch (k) {
    case ChangeKind::kInsert:
      return "INSERT";
    case ChangeKind::kUpdate:
      return "UPDATE";
    case ChangeKind::kDelete:
      return "DELETE";
    case ChangeKind::kTruncate:
      return "TRUNCATE";
  }
  CDC_ASSERT(false, "unknown change kind");
  return "?";
}

namespace {
std::string render_tuple(const TableSchema& s, std::span<const Value> row,
                         const std::vector<uint32_t>& cols, uint64_t omitted) {
  CDC_ASSERT(row.size() == cols.size(), "one value per rendered column");
  std::string out;
  for (size_t i = 0; i < cols.size(); ++i) {
    const ColumnDef& c = s.columns[cols[i]];
    if (i) out += " ";
    out += c.name + (c.type == ColumnType::kInt64 ? "[int64]:" : "[text]:");
    out += ((omitted >> cols[i]) & 1u) ? "unchanged-toast-datum" : to_string(row[i]);
  }
  return out;
}
std::vector<uint32_t> all_columns(const TableSchema& s) {
  std::vector<uint32_t> cols(s.columns.size());
  for (uint32_t i = 0; i < cols.size(); ++i)
    cols[i] = i;
  return cols;
}

// A change record as the consumer sees it.
DecodedChange decode_change(const WalRecord& r) {
  CDC_ASSERT(r.kind == WalKind::kInsert || r.kind == WalKind::kUpdate ||
                 r.kind == WalKind::kDelete || r.kind == WalKind::kTruncate,
             "a change record");
  DecodedChange c;
  c.kind = r.kind == WalKind::kInsert   ? ChangeKind::kInsert
           : r.kind == WalKind::kUpdate ? ChangeKind::kUpdate
           : r.kind == WalKind::kDelete ? ChangeKind::kDelete
                                        : ChangeKind::kTruncate;
  c.table = r.table;
  c.lsn = r.start;
  CDC_ASSERT(r.row.empty() || (r.omitted_mask == 0 && r.new_row.empty()),
             "a record carries the heap's row only when it logs that row whole, and then "
             "no encoding of it");
  if (!r.row.empty()) {
    c.new_row = r.row;  // the heap's block
  } else if (!r.new_row.empty()) {
    c.new_row = decode_row(r.new_row);
  }
  c.omitted_mask = r.omitted_mask;
  c.old_kind = r.old_kind;
  if (r.old_kind != OldTuple::kNone) c.old = decode_row(r.old_data);
  c.truncated = r.truncated;
  CDC_ASSERT(c.kind == ChangeKind::kDelete || c.kind == ChangeKind::kTruncate || !c.new_row.empty(),
             "an insert or update carries its new row");
  return c;
}
}  // namespace

std::string to_string(const Database& db, const DecodedChange& c) {
  CDC_ASSERT(c.kind != ChangeKind::kTruncate || !c.truncated.empty(),
             "a TRUNCATE names its tables");
  if (c.kind == ChangeKind::kTruncate) {
    std::string out = "TRUNCATE:";
    for (TableId t : c.truncated)
      out += " " + db.schema(t).name;
    return out;
  }
  const TableSchema& s = db.schema(c.table);
  std::string out = "table " + s.name + ": " + to_string(c.kind) + ":";
  if (c.old_kind == OldTuple::kKey) out += " old-key: " + render_tuple(s, c.old, s.primary_key, 0);
  if (c.old_kind == OldTuple::kRow) out += " old-row: " + render_tuple(s, c.old, all_columns(s), 0);
  if (c.kind == ChangeKind::kInsert || c.kind == ChangeKind::kUpdate) {
    out += " new-tuple: " + render_tuple(s, c.new_row, all_columns(s), c.omitted_mask);
  }
  if (c.kind == ChangeKind::kDelete && c.old_kind == OldTuple::kNone) out += " (no-tuple-data)";
  return out;
}

LogicalStream::LogicalStream(const Database* db, std::string slot, uint64_t generation,
                             Lsn read_from, Lsn start_decoding_at)
    : db_(db),
      slot_(std::move(slot)),
      generation_(generation),
      read_from_(read_from),
      read_pos_(read_from),
      start_decoding_at_(start_decoding_at),
      last_commit_lsn_(start_decoding_at) {
  CDC_ASSERT(db_ != nullptr, "a stream reads a database");
  CDC_ASSERT(read_from <= start_decoding_at, "decoding must start at or before its start point");
}

Status LogicalStream::check_slot() const {
  CDC_ASSERT(read_from_ <= read_pos_, "decoding only moves forward");
  if (slot_seen_at_epoch_ != db_->slot_epoch()) {
    const std::optional<Database::SlotIdentity> info = db_->slot_identity(slot_);
    if (!info || info->generation != generation_) {
      return Error{ErrorCode::kUnknownSlot, "replication slot \"" + slot_ + "\" does not exist"};
    }
    if (info->lost) {
      return Error{ErrorCode::kSlotLost,
                   "can no longer get changes from replication slot \"" + slot_ + "\""};
    }
    slot_seen_at_epoch_ = db_->slot_epoch();
  }
  if (db_->wal().oldest_lsn() > read_pos_) {
    return Error{ErrorCode::kSlotLost, "requested WAL segment has already been removed"};
  }
  return Status::ok();
}

Result<std::vector<DecodedTxn>> LogicalStream::poll(size_t max_txns) {
  CDC_ASSERT(read_from_ <= read_pos_ && start_decoding_at_ <= last_commit_lsn_,
             "decoding only moves forward");
  if (failed_) return *failed_;
  if (Status s = check_slot(); !s.is_ok()) {
    failed_ = s.error();
    return *failed_;
  }
  std::vector<DecodedTxn> out;
  const Wal& wal = db_->wal();
  const Lsn flush = wal.flush_lsn();
  // Nothing flushed past what was read (most polls): no record can end by it.
  if (read_pos_ >= flush) return out;
  for (size_t i = wal.lower_bound(read_pos_); i < wal.record_count() && out.size() < max_txns;
       ++i) {
    const WalRecord& r = wal.record(i);
    if (r.end > flush) break;
    apply(r, &out);
    read_pos_ = r.end;
  }
  CDC_ASSERT(out.size() <= max_txns && (out.empty() || out.back().commit_lsn <= flush),
             "decoding returns at most max_txns transactions, all flushed");
  return out;
}

LogicalStream::Pending* LogicalStream::find_pending(Xid top) {
  for (auto& [xid, p] : reorder_) {
    if (xid == top) return &p;
  }
  return nullptr;
}

LogicalStream::Pending& LogicalStream::pending(Xid top) {
  if (Pending* p = find_pending(top)) return *p;
  Pending& p = reorder_.emplace_back(top, Pending{}).second;
  p.writers = std::exchange(spare_writers_, {});
  CDC_ASSERT(p.writers.empty(), "a transaction opens with no writers");
  return p;
}

void LogicalStream::erase_pending(Xid top) {
  std::erase_if(reorder_, [&](const auto& e) { return e.first == top; });
}

void LogicalStream::apply(const WalRecord& r, std::vector<DecodedTxn>* out) {
  CDC_ASSERT(r.start < r.end && r.start >= read_pos_, "each record is decoded once, in LSN order");
  switch (r.kind) {
    case WalKind::kInsert:
    case WalKind::kUpdate:
    case WalKind::kDelete:
    case WalKind::kTruncate: {
      // Where decoding reads the writer's xid (the xmin of the tuple the
      // record wrote): the top-level xid, or a subtransaction's, assigned
      // after it.
      CDC_ASSERT(xid_is_normal(r.xid) && (r.xid == r.top_xid || xid_follows(r.xid, r.top_xid)),
                 "a change's writer is its transaction or one of its subtransactions");
      Pending& p = pending(r.top_xid);
      if (p.changes.empty()) p.first_lsn = r.start;
      p.writers.push_back(r.xid);
      p.changes.push_back(decode_change(r));
      return;
    }
    case WalKind::kSubAbort: {
      if (mutant_active(Mutant::kDecodingIgnoresSubxactAbort)) return;
      Pending* p = find_pending(r.top_xid);
      if (!p) return;
      size_t kept = 0;
      for (size_t i = 0; i < p->changes.size(); ++i) {
        if (std::find(r.subxids.begin(), r.subxids.end(), p->writers[i]) != r.subxids.end()) {
          continue;
        }
        if (kept != i) {  // a self-move would empty the change
          p->writers[kept] = p->writers[i];
          p->changes[kept] = std::move(p->changes[i]);
        }
        ++kept;
      }
      p->writers.resize(kept);
      p->changes.resize(kept);
      return;
    }
    case WalKind::kAbort:
      erase_pending(r.top_xid);
      return;
    case WalKind::kToast:  // part of the change that follows it
      return;
    case WalKind::kCommit: {
      // Every transaction this stream emits must have been read whole.
      CDC_ASSERT(r.start < start_decoding_at_ || r.txn_first_lsn >= read_from_,
                 "restart_lsn let a transaction's first records escape decoding");
      Pending* found = find_pending(r.top_xid);
      if (!found) return;  // nothing decoded: an empty transaction
      Pending p = std::move(*found);
      erase_pending(r.top_xid);
      p.writers.clear();
      spare_writers_ = std::move(p.writers);
      if (r.start < start_decoding_at_ || p.changes.empty()) return;
      DecodedTxn txn;
      txn.xid = r.top_xid;
      txn.first_lsn = r.txn_first_lsn;
      txn.commit_lsn = r.end;
      txn.changes = std::move(p.changes);
      // Commits come out in increasing commit LSN, each past the start point.
      CDC_ASSERT(txn.commit_lsn > last_commit_lsn_, "decoding returns commits in LSN order");
      last_commit_lsn_ = txn.commit_lsn;
      out->push_back(std::move(txn));
      return;
    }
  }
}

}  // namespace cdc
