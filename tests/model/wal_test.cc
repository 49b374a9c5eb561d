// The WAL's records against a plain vector of the same records: long runs
// of appends, truncations at any LSN (on a record's end, just before it,
// past the end), restarts, and the searches by LSN.
#include "model/wal.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace cdc {
namespace {

WalRecord record_of(size_t payload_bytes, uint32_t tag) {
  WalRecord r;
  r.kind = WalKind::kInsert;
  r.xid = Xid(tag);
  r.new_row = std::string(payload_bytes, 'x');
  return r;
}

// What the WAL must hold: every record appended and not truncated, in order.
struct Model {
  std::vector<WalRecord> held;
  uint64_t dropped = 0;
};

void expect_same(const Wal& wal, const Model& m) {
  RC_ASSERT(wal.record_count() == m.held.size());
  RC_ASSERT(wal.dropped_count() == m.dropped);
  for (size_t i = 0; i < m.held.size(); ++i) {
    RC_ASSERT(wal.record(i).start == m.held[i].start);
    RC_ASSERT(wal.record(i).end == m.held[i].end);
    RC_ASSERT(wal.record(i).xid == m.held[i].xid);
  }
  RC_ASSERT(wal.oldest_lsn() == (m.held.empty() ? wal.insert_lsn() : m.held.front().start));
}

RC_GTEST_PROP(WalProps, HoldsWhatAPlainVectorHolds, ()) {
  Wal wal(Lsn(0x1000));
  Model m;
  uint32_t tag = 0;
  const size_t ops = *rc::gen::inRange<size_t>(1, 60);
  for (size_t op = 0; op < ops; ++op) {
    const int kind = *rc::gen::inRange(0, 10);
    if (kind < 6) {  // a run of appends, now and then a long one
      const size_t n = *rc::gen::inRange<size_t>(1, kind == 0 ? 700 : 40);
      for (size_t i = 0; i < n; ++i) {
        const size_t payload = *rc::gen::inRange<size_t>(0, 40);
        WalRecord r = record_of(payload, ++tag);
        const Lsn start = wal.insert_lsn();
        const Lsn end = wal.append(r);
        // A record starts where the previous one ended and takes a 24-byte
        // header plus its payload, rounded up to 8 bytes (wal.h).
        RC_ASSERT(end.value() - start.value() == ((24 + payload + 7) & ~size_t{7}));
        // (RC_ASSERT does not short-circuit ||: the test is computed first.)
        const bool contiguous = m.held.empty() || m.held.back().end == start;
        RC_ASSERT(contiguous);
        r.start = start;
        r.end = end;
        m.held.push_back(r);
      }
    } else if (kind < 9) {  // truncate before an LSN: a record's end, or between
      if (m.held.empty()) continue;
      const size_t at = *rc::gen::inRange<size_t>(0, m.held.size() + 1);
      const Lsn lsn = at == m.held.size()
                          ? wal.insert_lsn()
                          : Lsn(m.held[at].end.value() - *rc::gen::inRange<uint64_t>(0, 2));
      wal.truncate_before(lsn);
      const auto keep = std::find_if(m.held.begin(), m.held.end(),
                                     [&](const WalRecord& r) { return lsn < r.end; });
      m.dropped += static_cast<uint64_t>(keep - m.held.begin());
      m.held.erase(m.held.begin(), keep);
    } else {
      const Lsn next(wal.insert_lsn().value() + 4096);
      wal.restart_at(next);
      m.dropped += m.held.size();
      m.held.clear();
      RC_ASSERT(wal.insert_lsn() == next);
    }
    expect_same(wal, m);
  }
  // lower_bound: the first held record starting at or after an LSN, below
  // the oldest record, on or just after a record's start, and past the end.
  for (size_t probe = 0; probe < 20 && !m.held.empty(); ++probe) {
    const size_t at = *rc::gen::inRange<size_t>(0, m.held.size());
    const int where = *rc::gen::inRange(0, 4);
    const Lsn lsn = where == 0 ? Lsn(m.held.front().start.value() - 1)
                    : where == 1
                        ? Lsn(wal.insert_lsn().value() + 1)
                        : Lsn(m.held[at].start.value() + *rc::gen::inRange<uint64_t>(0, 2));
    const auto want = std::find_if(m.held.begin(), m.held.end(),
                                   [&](const WalRecord& r) { return !(r.start < lsn); });
    RC_ASSERT(wal.lower_bound(lsn) == static_cast<size_t>(want - m.held.begin()));
  }
}

// Truncating a prefix, then everything, then filling the WAL again, keeps
// every record in the order it was appended.
TEST(WalTest, TruncationKeepsTheRestInOrder) {
  Wal wal(Lsn(0x1000));
  std::vector<Lsn> ends;
  for (uint32_t i = 0; i < 1000; ++i)
    ends.push_back(wal.append(record_of(8, i)));
  wal.truncate_before(ends[255]);  // records 0..255 go
  ASSERT_EQ(wal.record_count(), 744u);
  EXPECT_EQ(wal.dropped_count(), 256u);
  EXPECT_EQ(wal.record(0).xid, Xid(256));
  EXPECT_EQ(wal.record(743).xid, Xid(999));
  wal.truncate_before(ends[999]);  // everything
  EXPECT_EQ(wal.record_count(), 0u);
  EXPECT_EQ(wal.oldest_lsn(), wal.insert_lsn());
  for (uint32_t i = 1000; i < 1600; ++i)
    wal.append(record_of(8, i));
  ASSERT_EQ(wal.record_count(), 600u);
  EXPECT_EQ(wal.record(0).xid, Xid(1000));
  EXPECT_EQ(wal.record(599).xid, Xid(1599));
  EXPECT_EQ(wal.lower_bound(wal.record(300).start), 300u);
}

// Records lie in segments and never move once appended; a truncation lets
// go of a record's row when the whole segment it lies in is truncated, and
// the truncated records of the first held segment wait for the rest of it.
TEST(WalTest, RecordsStayPutAndTheirRowsGoWithTheirSegment) {
  Wal wal(Lsn(0x1000));
  std::vector<SharedRow> rows;
  std::vector<Lsn> ends;
  const WalRecord* first = nullptr;
  for (uint32_t i = 0; i < 3000; ++i) {
    WalRecord r = record_of(0, i);
    rows.push_back(SharedRow(Row{Value::int64(i)}));
    r.row = rows.back();
    ends.push_back(wal.append(std::move(r)));
    if (i == 0) first = &wal.record(0);
  }
  const WalRecord* last = &wal.record(2999);
  for (uint32_t i = 3000; i < 5000; ++i)
    wal.append(record_of(8, i));
  EXPECT_EQ(&wal.record(0), first);  // appends moved nothing
  EXPECT_EQ(&wal.record(2999), last);
  for (const SharedRow& row : rows)
    ASSERT_EQ(row.use_count(), 2u);

  wal.truncate_before(ends[1022]);  // records 0..1022 go; their segment holds 1023
  ASSERT_EQ(wal.record_count(), 5000u - 1023u);
  EXPECT_EQ(wal.record(0).xid, Xid(1023));
  EXPECT_EQ(rows[0].use_count(), 2u);
  EXPECT_EQ(&wal.record(1976), last);  // nor did the truncation

  wal.truncate_before(ends[1023]);  // the first segment's last record goes: the segment with it
  ASSERT_EQ(wal.record_count(), 5000u - 1024u);
  EXPECT_EQ(wal.record(0).xid, Xid(1024));
  for (uint32_t i = 0; i < 1024; ++i)
    ASSERT_EQ(rows[i].use_count(), 1u) << i;
  EXPECT_EQ(rows[1024].use_count(), 2u);
  EXPECT_EQ(wal.lower_bound(wal.record(2000).start), 2000u);

  wal.truncate_before(ends[2999]);  // across two segments, into a third
  ASSERT_EQ(wal.record_count(), 2000u);
  EXPECT_EQ(wal.record(0).xid, Xid(3000));
  EXPECT_EQ(wal.dropped_count(), 3000u);
  for (uint32_t i = 0; i < 2048; ++i)
    ASSERT_EQ(rows[i].use_count(), 1u) << i;
  EXPECT_EQ(rows[2048].use_count(), 2u);  // its segment also holds record 3000

  wal.truncate_before(wal.insert_lsn());  // everything, the last partial segment too
  EXPECT_EQ(wal.record_count(), 0u);
  for (const SharedRow& row : rows)
    ASSERT_EQ(row.use_count(), 1u);
  wal.append(record_of(8, 5000));
  ASSERT_EQ(wal.record_count(), 1u);
  EXPECT_EQ(wal.record(0).xid, Xid(5000));
  EXPECT_EQ(wal.oldest_lsn(), wal.record(0).start);
}

// A record written in place is the record the WAL then holds, at the LSNs an
// append of the same record would have given it, and is held only once
// written.
TEST(WalTest, ARecordWrittenInPlaceIsHeldWhereItWasWritten) {
  Wal by_value(Lsn(0x1000));
  Wal in_place(Lsn(0x1000));
  for (uint32_t i = 0; i < 2100; ++i) {  // across two segment boundaries
    const Lsn want = by_value.append(record_of(i % 40, i));
    const WalRecord* written = nullptr;
    size_t held_while_written = 0;
    const Lsn got = in_place.append_in_place([&](WalRecord& r) {
      held_while_written = in_place.record_count();
      r = record_of(i % 40, i);
      written = &r;
    });
    ASSERT_EQ(got, want);
    ASSERT_EQ(held_while_written, i);
    ASSERT_EQ(in_place.record_count(), i + 1u);
    ASSERT_EQ(&in_place.record(i), written);
    ASSERT_EQ(in_place.record(i).start, by_value.record(i).start);
    ASSERT_EQ(in_place.record(i).xid, Xid(i));
  }
  EXPECT_EQ(in_place.insert_lsn(), by_value.insert_lsn());
  EXPECT_EQ(in_place.bytes_written(), by_value.bytes_written());
}

}  // namespace
}  // namespace cdc
