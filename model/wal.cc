#include "model/wal.h"

#include <algorithm>

#include "model/assert.h"
#include "model/row_codec.h"

namespace cdc {

const char* to_string(WalKind k) {
  switch (k) {
    case WalKind::kInsert:
      return "INSERT";
    case WalKind::kUpdate:
      return "UPDATE";
    case WalKind::kDelete:
      return "DELETE";
    case WalKind::kTruncate:
      return "TRUNCATE";
    case WalKind::kCommit:
      return "COMMIT";
    case WalKind::kAbort:
      return "ABORT";
    case WalKind::kSubAbort:
      return "SUBABORT";
    case WalKind::kToast:
      return "TOAST";
  }
  CDC_ASSERT(false, "unknown WAL record kind");
  return "?";
}

Wal::Wal(Lsn first_lsn) : insert_lsn_(first_lsn), flush_lsn_(first_lsn) {
  // A small world writes a few hundred records: room for them up front
  // spares the vector's first doublings, each of which moves every record.
  records_.reserve(kInitialRecords);
}

namespace {
uint64_t payload_bytes(const WalRecord& r) {
  CDC_ASSERT(r.row.empty() || r.new_row.empty(), "a record holds its new row once");
  const size_t new_row = r.row.empty() ? r.new_row.size() : encoded_size(r.row.values());
  return new_row + r.old_data.size() + 8 * r.truncated.size() + 4 * r.subxids.size() +
         (r.kind == WalKind::kCommit || r.kind == WalKind::kAbort ? 8 : 0);
}
}  // namespace

Lsn Wal::append(WalRecord r) {
  constexpr uint64_t kHeaderBytes = 24;
  const uint64_t size = (kHeaderBytes + payload_bytes(r) + 7) & ~uint64_t{7};
  r.start = insert_lsn_;
  r.end = Lsn(insert_lsn_.value() + size);
  CDC_ASSERT(r.end > r.start, "LSNs must increase");
  CDC_ASSERT(record_count() == 0 || records_.back().end == r.start, "WAL must be contiguous");
  insert_lsn_ = r.end;
  bytes_written_ += size;
  records_.push_back(std::move(r));
  CDC_ASSERT(records_.back().end == insert_lsn_ && flush_lsn_ <= insert_lsn_,
             "the WAL ends at its newest record");
  return insert_lsn_;
}

void Wal::flush_to(Lsn lsn) {
  CDC_ASSERT(lsn <= insert_lsn_, "flushing beyond the end of WAL");
  if (lsn > flush_lsn_) flush_lsn_ = lsn;
}

Lsn Wal::oldest_lsn() const {
  return record_count() == 0 ? insert_lsn_ : record(0).start;
}

void Wal::truncate_before(Lsn lsn) {
  CDC_ASSERT(head_ <= records_.size(), "the held records lie inside the vector");
  // Records are sorted by end: find the first one to keep.
  auto first_kept =
      std::upper_bound(records_.begin() + static_cast<std::ptrdiff_t>(head_), records_.end(), lsn,
                       [](Lsn l, const WalRecord& r) { return l < r.end; });
  const size_t new_head = static_cast<size_t>(first_kept - records_.begin());
  dropped_ += new_head - head_;
  head_ = new_head;
  if (head_ > 0 && head_ * 2 >= records_.size()) {
    // The records' rows are the heap's: released with their blocks fetched ahead.
    release_rows(records_.begin(), records_.begin() + static_cast<std::ptrdiff_t>(head_),
                 [](WalRecord& r) -> SharedRow& { return r.row; });
    records_.erase(records_.begin(), records_.begin() + static_cast<std::ptrdiff_t>(head_));
    head_ = 0;
  }
  CDC_ASSERT(record_count() == 0 || record(0).end > lsn, "no held record ends at or before lsn");
}

void Wal::restart_at(Lsn lsn) {
  CDC_ASSERT(lsn > insert_lsn_, "a restarted WAL must continue higher");
  dropped_ += record_count();
  records_.clear();
  head_ = 0;
  insert_lsn_ = lsn;
  flush_lsn_ = lsn;
}

size_t Wal::lower_bound(Lsn lsn) const {
  auto it = std::lower_bound(records_.begin() + static_cast<std::ptrdiff_t>(head_), records_.end(),
                             lsn, [](const WalRecord& r, Lsn l) { return r.start < l; });
  return static_cast<size_t>(it - records_.begin()) - head_;
}

}  // namespace cdc
