// The write-ahead log: records at strictly increasing LSNs, a flush position,
// and truncation of the prefix that no consumer needs any more.
//
// A record occupies [start, end); end is start plus a 24-byte header plus its
// payload, rounded up to 8 bytes, so LSNs are strictly increasing and the next
// record starts where the previous ended. A commit's LSN is its record's end.
// Only records that end at or before flush_lsn() can be decoded.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/assert.h"
#include "model/shared_row.h"
#include "model/types.h"

namespace cdc {

enum class WalKind : uint8_t {
  kInsert,
  kUpdate,
  kDelete,
  kTruncate,
  kCommit,    // top-level commit; lists the committed subtransaction xids
  kAbort,     // top-level abort
  kSubAbort,  // ROLLBACK TO SAVEPOINT of a subtransaction that had an xid
  // The chunks of new out-of-line (TOAST) values, written to the table's
  // TOAST relation before the heap record that points to them; decoding
  // reassembles them into that change and emits nothing for them.
  kToast,
};

const char* to_string(WalKind k);

enum class OldTuple : uint8_t { kNone, kKey, kRow };

struct WalRecord {
  Lsn start;
  Lsn end;
  WalKind kind = WalKind::kCommit;
  Xid top_xid;  // the top-level transaction
  Xid xid;      // the (sub)transaction that wrote the record
  TableId table;
  // The new row of an insert or update, held once: the heap's row itself
  // when the record logs it whole (decoding hands the block on), else the
  // encoding of the row with its omitted columns NULL (an UPDATE leaving a
  // TOAST datum out) in new_row; a kToast record's chunks are in new_row.
  // At most one of the two is set; the record weighs the encoding either way.
  SharedRow row;
  std::string new_row;
  uint64_t omitted_mask = 0;  // update: bit c set = column c is an unchanged toast datum
  OldTuple old_kind = OldTuple::kNone;
  std::string old_data;            // encoded Key (kKey) or Row (kRow)
  std::vector<TableId> truncated;  // kTruncate
  std::vector<Xid> subxids;        // kCommit: committed subxacts; kSubAbort: aborted ones
  Lsn txn_first_lsn;               // kCommit/kAbort: first record of the transaction
};

class Wal {
 public:
  explicit Wal(Lsn first_lsn);

  // Appends `r` (start/end are assigned here) and returns its end LSN: one
  // move, into its place in the log (its two strings each copy their
  // in-object buffer on every move; the hot paths use append_in_place).
  Lsn append(WalRecord&& r);
  Lsn append(const WalRecord& r) { return append(WalRecord(r)); }
  // Appends the record `fill(WalRecord&)` writes into a default record in
  // its place in the log, so the record is never moved (start/end are
  // assigned after it). The record is not held (record_count() leaves it
  // out) until fill returns. REQUIRES: fill does not touch this WAL.
  template <class Fill>
  Lsn append_in_place(Fill&& fill) {
    fill(open_record());
    return close_record();
  }
  Lsn insert_lsn() const { return insert_lsn_; }
  Lsn flush_lsn() const { return flush_lsn_; }
  // REQUIRES: lsn <= insert_lsn(). Flushing never goes backwards.
  void flush_to(Lsn lsn);
  // The oldest LSN still held (== insert_lsn() when empty).
  Lsn oldest_lsn() const;
  // Drops every record that ends at or before `lsn`.
  void truncate_before(Lsn lsn);
  // Discards all records and continues at `lsn` (a new cluster after an
  // upgrade). REQUIRES: lsn > insert_lsn().
  void restart_at(Lsn lsn);
  // Index (for record()) of the first held record starting at or after lsn.
  size_t lower_bound(Lsn lsn) const;
  // Records held, oldest first: record(0) .. record(record_count() - 1).
  size_t record_count() const { return size_ - head_; }
  // REQUIRES: i < record_count().
  const WalRecord& record(size_t i) const {
    CDC_ASSERT(i < record_count(), "a held record");
    const size_t at = head_ + i;
    return segments_[first_ + at / kSegmentRecords][at % kSegmentRecords];
  }
  // Total bytes of WAL written since startup (for checkpoint pacing).
  uint64_t bytes_written() const { return bytes_written_; }
  // First record index's absolute sequence number (records dropped before it).
  uint64_t dropped_count() const { return dropped_; }

 private:
  // The records lie in segments of kSegmentRecords, each reserved whole, so
  // a record is never moved once appended (a vector that doubled, or closed
  // the gap a truncation left, moved every record it kept, and a record's two
  // strings copy their in-object buffers on each move). A truncation frees
  // the segments it empties; the first held segment keeps its truncated
  // records (before head_) until the truncation reaches its end.
  // Invariants: segments_[first_..] are held, and every one of them but the
  // last holds kSegmentRecords records; size_ counts them all; head_ lies in
  // the first held segment unless none are held.
  static constexpr size_t kSegmentRecords = 1024;
  size_t held_segments() const { return segments_.size() - first_; }
  // Index of the first held record `pred` accepts (record_count() if none).
  // REQUIRES: pred is false on a prefix of the held records and true after.
  template <class Pred>
  size_t first_held_where(Pred pred) const {
    size_t lo = 0;
    size_t hi = record_count();
    while (lo < hi) {  // bounded: the range halves each time
      const size_t mid = lo + (hi - lo) / 2;
      if (pred(record(mid))) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }
  // Records the segments hold: size_, and one more while a record is open.
  size_t records_in_segments() const;
  // A default record after the held ones, for append_in_place to fill.
  WalRecord& open_record();
  // Holds the record open_record() gave, its start and end assigned.
  Lsn close_record();
  void drop_front_segment();
  std::vector<std::vector<WalRecord>> segments_;
  size_t first_ = 0;              // segments before it were dropped (emptied), and go at half
  std::vector<WalRecord> spare_;  // a dropped segment's buffer, for the next one
  size_t head_ = 0;               // records of segments_[first_] before it are truncated
  size_t size_ = 0;  // records in the held segments, the truncated ones before head_ included
  Lsn insert_lsn_;
  Lsn flush_lsn_;
  uint64_t bytes_written_ = 0;
  uint64_t dropped_ = 0;
};

}  // namespace cdc
