#include "model/wal.h"

#include <utility>

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

Wal::Wal(Lsn first_lsn) : insert_lsn_(first_lsn), flush_lsn_(first_lsn) {}

namespace {
uint64_t payload_bytes(const WalRecord& r) {
  CDC_ASSERT(r.row.empty() || r.new_row.empty(), "a record holds its new row once");
  const size_t new_row = r.row.empty() ? r.new_row.size() : encoded_size(r.row.values());
  return new_row + r.old_data.size() + 8 * r.truncated.size() + 4 * r.subxids.size() +
         (r.kind == WalKind::kCommit || r.kind == WalKind::kAbort ? 8 : 0);
}
}  // namespace

Lsn Wal::append(WalRecord&& r) {
  return append_in_place([&](WalRecord& in_place) { in_place = std::move(r); });
}

size_t Wal::records_in_segments() const {
  return held_segments() == 0 ? 0
                              : (held_segments() - 1) * kSegmentRecords + segments_.back().size();
}

WalRecord& Wal::open_record() {
  CDC_ASSERT(records_in_segments() == size_, "no record is open");
  if (held_segments() == 0 || segments_.back().size() == kSegmentRecords) {
    segments_.push_back(std::exchange(spare_, {}));
    segments_.back().reserve(kSegmentRecords);  // a small world's records fit the first
  }
  return segments_.back().emplace_back();
}

Lsn Wal::close_record() {
  CDC_ASSERT(records_in_segments() == size_ + 1, "one record is open, after the held ones");
  WalRecord& r = segments_.back().back();
  constexpr uint64_t kHeaderBytes = 24;
  const uint64_t size = (kHeaderBytes + payload_bytes(r) + 7) & ~uint64_t{7};
  r.start = insert_lsn_;
  r.end = Lsn(insert_lsn_.value() + size);
  CDC_ASSERT(r.end > r.start, "LSNs must increase");
  CDC_ASSERT(record_count() == 0 || record(record_count() - 1).end == r.start,
             "WAL must be contiguous");
  insert_lsn_ = r.end;
  bytes_written_ += size;
  ++size_;
  CDC_ASSERT(record(record_count() - 1).end == insert_lsn_ && flush_lsn_ <= insert_lsn_,
             "the WAL ends at its newest record");
  CDC_ASSERT(held_segments() == (size_ - 1) / kSegmentRecords + 1,
             "every segment but the last is full");
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
  // Records are sorted by end: find the first one to keep.
  const size_t gone = first_held_where([&](const WalRecord& r) { return r.end > lsn; });
  dropped_ += gone;
  head_ += gone;
  for (size_t limit = held_segments(); limit > 0 && head_ >= segments_[first_].size(); --limit)
    drop_front_segment();
  CDC_ASSERT(held_segments() == 0 ? head_ == 0 && size_ == 0 : head_ < segments_[first_].size(),
             "the first held segment holds a held record");
  CDC_ASSERT(record_count() == 0 || record(0).end > lsn, "no held record ends at or before lsn");
}

void Wal::drop_front_segment() {
  std::vector<WalRecord>& front = segments_[first_];
  const size_t n = front.size();
  CDC_ASSERT(n <= head_ && n <= size_, "a segment whose records are all truncated");
  // The records' rows are the heap's: released with their blocks fetched ahead.
  release_rows(front.begin(), front.end(), [](WalRecord& r) -> SharedRow& { return r.row; });
  front.clear();
  if (front.capacity() == kSegmentRecords) spare_ = std::move(front);
  ++first_;
  head_ -= n;
  size_ -= n;
  if (first_ * 2 >= segments_.size()) {  // the dropped half goes: amortised O(1)
    segments_.erase(segments_.begin(), segments_.begin() + static_cast<std::ptrdiff_t>(first_));
    first_ = 0;
  }
}

void Wal::restart_at(Lsn lsn) {
  CDC_ASSERT(lsn > insert_lsn_, "a restarted WAL must continue higher");
  dropped_ += record_count();
  segments_.clear();
  first_ = 0;
  head_ = 0;
  size_ = 0;
  insert_lsn_ = lsn;
  flush_lsn_ = lsn;
}

size_t Wal::lower_bound(Lsn lsn) const {
  return first_held_where([&](const WalRecord& r) { return r.start >= lsn; });
}

}  // namespace cdc
