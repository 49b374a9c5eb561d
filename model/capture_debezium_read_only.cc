// Capture: Debezium's read-only incremental snapshot for PostgreSQL
// (read.only=true; capture.h, "Algorithms"): the window's watermarks come
// from pg_current_snapshot() instead of signal-table writes. A streamed data
// event opens the window when its transaction id reaches the low
// watermark's xmin and closes it when the id passes both snapshots' xmax; a
// COMMIT (or a heartbeat) closes it when its id is the high watermark's xmax
// or at or below its xmin. The ids of events come from the WAL, 32 bits; the
// watermarks are epoch-extended, 64 bits, and are compared as they are.
#include <algorithm>

#include "model/capture.h"
#include "model/xid.h"

namespace cdc {

// pg_current_xact_id() (which assigns an xid), then the low watermark.
Status Capture::read_only_open(uint32_t b) {
  CDC_ASSERT(read_only() && !window_, "a read-only window opens between iterations");
  if (Result<FullXid> x = source_->txid_current(); !x.is_ok()) return fail(x.error());
  Result<Source::SnapshotBounds> low = source_->current_snapshot();
  if (!low.is_ok()) return fail(low.error());
  window_.emplace();
  window_->binding = b;
  window_->low = low.value();
  in_backfill_iteration_ = true;
  phase_ = Phase::kWindowQuery;
  return Status::ok();
}

// The rule on a transaction's data events (all carry its id): the window
// opens, or, once the high watermark is known, closes and flushes before
// the events (which it then does not deduplicate). An open window removes
// the keys they touch.
bool Capture::read_only_sees_events(const DecodedTxn& txn) {
  CDC_ASSERT(window_ && read_only() && window_->low, "a read-only window with its low watermark");
  Window& w = *window_;
  const uint64_t t = txn.xid.value();  // 32 bits, as decoded from the WAL
  w.last_xid = txn.xid;
  if (!w.open && t >= w.low->xmin.value()) {
    w.open = true;
  } else if (w.open && w.high && t > std::max(w.high->xmax, w.low->xmax).value()) {
    window_flush();
    return true;
  }
  if (w.open) window_drop_keys(txn);
  return false;
}

// The rule at a COMMIT or a heartbeat (`xid`: the transaction's, or the last
// one seen; none seen counts as 0).
bool Capture::read_only_sees_commit(std::optional<Xid> xid) {
  CDC_ASSERT(window_ && read_only(), "a read-only window");
  Window& w = *window_;
  if (xid) w.last_xid = xid;
  if (!w.high) return false;
  const uint64_t t = xid ? xid->value() : 0;
  if (t != w.high->xmax.value() && t > w.high->xmin.value()) return false;
  if (!w.open && epoch_of(w.low->xmin) > 0) {
    observer_->on_ignored(IgnoredRecord::kWindowNeverOpened,
                          "a read-only window of " + bindings_[w.binding].table +
                              " closed at xid " + std::to_string(t) +
                              " without opening: its low watermark's xmin is " +
                              std::to_string(w.low->xmin.value()) + " (epoch " +
                              std::to_string(epoch_of(w.low->xmin)) + ")");
  }
  window_flush();
  return true;
}

}  // namespace cdc
