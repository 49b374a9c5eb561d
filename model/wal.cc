#include "model/wal.h"

#include <algorithm>

#include "model/assert.h"

namespace cdc {

const char* to_string(WalKind k) {
  switch (k) {
    case WalKind::kInsert: return "INSERT";
    case WalKind::kUpdate: return "UPDATE";
    case WalKind::kDelete: return "DELETE";
    case WalKind::kTruncate: return "TRUNCATE";
    case WalKind::kCommit: return "COMMIT";
    case WalKind::kAbort: return "ABORT";
    case WalKind::kSubAbort: return "SUBABORT";
  }
  return "?";
}

Wal::Wal(Lsn first_lsn) : insert_lsn_(first_lsn), flush_lsn_(first_lsn) {}

namespace {
uint64_t payload_bytes(const WalRecord& r) {
  return r.new_row.size() + r.old_data.size() + 8 * r.truncated.size() + 4 * r.subxids.size() +
         (r.kind == WalKind::kCommit || r.kind == WalKind::kAbort ? 8 : 0);
}
}  // namespace

Lsn Wal::append(WalRecord r) {
  constexpr uint64_t kHeaderBytes = 24;
  const uint64_t size = (kHeaderBytes + payload_bytes(r) + 7) & ~uint64_t{7};
  r.start = insert_lsn_;
  r.end = Lsn(insert_lsn_.value() + size);
  CDC_ASSERT(r.end > r.start, "LSNs must increase");
  CDC_ASSERT(records_.empty() || records_.back().end == r.start, "WAL must be contiguous");
  insert_lsn_ = r.end;
  bytes_written_ += size;
  records_.push_back(std::move(r));
  return insert_lsn_;
}

void Wal::flush_to(Lsn lsn) {
  CDC_ASSERT(lsn <= insert_lsn_, "flushing beyond the end of WAL");
  if (lsn > flush_lsn_) flush_lsn_ = lsn;
}

Lsn Wal::oldest_lsn() const { return records_.empty() ? insert_lsn_ : records_.front().start; }

void Wal::truncate_before(Lsn lsn) {
  size_t bound = 100'000'000;  // loop limit: far more records than any run holds
  while (!records_.empty() && records_.front().end <= lsn && bound-- > 0) {
    records_.pop_front();
    ++dropped_;
  }
}

void Wal::restart_at(Lsn lsn) {
  CDC_ASSERT(lsn > insert_lsn_, "a restarted WAL must continue higher");
  dropped_ += records_.size();
  records_.clear();
  insert_lsn_ = lsn;
  flush_lsn_ = lsn;
}

size_t Wal::lower_bound(Lsn lsn) const {
  auto it = std::lower_bound(records_.begin(), records_.end(), lsn,
                             [](const WalRecord& r, Lsn l) { return r.start < l; });
  return static_cast<size_t>(it - records_.begin());
}

}  // namespace cdc
