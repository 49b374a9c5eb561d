#include "reports/timeline_entries.h"

#include <algorithm>
#include <tuple>
#include <utility>

#include "model/assert.h"
#include "properties/destination.h"
#include "properties/helpers.h"

namespace cdc::reports {

const char* lane_title(Lane lane) {
  switch (lane) {
    case Lane::kSource:
      return "source commits";
    case Lane::kBackfill:
      return "backfill chunks / fences";
    case Lane::kCollection:
      return "collection documents";
    case Lane::kDestination:
      return "destination";
    case Lane::kOperations:
      return "operations & faults";
  }
  return "?";
}

const char* to_string(EntryKind k) {
  switch (k) {
    case EntryKind::kInsert:
      return "insert";
    case EntryKind::kUpdate:
      return "update";
    case EntryKind::kDelete:
      return "delete";
    case EntryKind::kNoChange:
      return "no_change";
    case EntryKind::kBackfillStart:
      return "backfill_start";
    case EntryKind::kBackfillDone:
      return "backfill_done";
    case EntryKind::kChunkRead:
      return "chunk_read";
    case EntryKind::kChunkFiltered:
      return "chunk_filtered";
    case EntryKind::kChunkCovered:
      return "chunk_covered";
    case EntryKind::kChunkFailed:
      return "chunk_failed";
    case EntryKind::kDocCreate:
      return "doc_create";
    case EntryKind::kDocUpdate:
      return "doc_update";
    case EntryKind::kDocDelete:
      return "doc_delete";
    case EntryKind::kDocSnapshot:
      return "doc_snapshot";
    case EntryKind::kExpiry:
      return "expiry";
    case EntryKind::kDestUpsert:
      return "dest_upsert";
    case EntryKind::kDestDelete:
      return "dest_delete";
    case EntryKind::kDestTruncate:
      return "dest_truncate";
    case EntryKind::kOperation:
      return "operation";
    case EntryKind::kFault:
      return "fault";
    case EntryKind::kRetention:
      return "retention";
    case EntryKind::kCaptureStart:
      return "capture_start";
    case EntryKind::kCaptureError:
      return "capture_error";
    case EntryKind::kMove:
      return "move";
  }
  return "?";
}

namespace {

namespace detail = properties::detail;

// How the world words the fault event of retention (sim/world.cc).
constexpr char kRetentionPrefix[] = "retention expired ";

// At most kLabelChars characters: longer text is cut (never inside a UTF-8
// sequence) and ends in an ellipsis.
std::string clip(std::string s) {
  if (s.size() <= kLabelChars) return s;
  size_t n = kLabelChars - 1;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80)
    --n;
  s.resize(n);
  return s + "\u2026";
}

std::string row_text(const std::optional<SharedRow>& r) {
  return r ? to_string(*r) : std::string("absent");
}

void add_commits(const KeyTimeline& t, std::vector<TimelineEntry>& out) {
  for (const TimelineCommit& c : t.commits) {
    auto [k, word] = std::pair{EntryKind::kUpdate, "upd"};
    if (c.before == c.after) {
      std::tie(k, word) = std::pair{EntryKind::kNoChange, "same"};
    } else if (!c.before) {
      std::tie(k, word) = std::pair{EntryKind::kInsert, "ins"};
    } else if (!c.after) {
      std::tie(k, word) = std::pair{EntryKind::kDelete, "del"};
    }
    out.push_back({c.tick, Lane::kSource, k,
                   clip(std::string(word) + " " + to_string(c.commit_lsn)),
                   "source commit at lsn " + to_string(c.commit_lsn) + ", xid " +
                       std::to_string(c.xid.value()) + ", tick " + std::to_string(c.tick) + ": " +
                       row_text(c.before) + " -> " + row_text(c.after),
                   false});
  }
}

// "behind the scan cursor (2,0)": where a ctid lies against the scan.
std::string against_cursor(Ctid ctid, const std::optional<Ctid>& cursor) {
  if (!cursor) return "no ctid scan running";
  return std::string(ctid < *cursor ? "behind" : "ahead of") + " the scan cursor " +
         to_string(*cursor);
}

// "; a restart would resume the scan from (1,0)", when that is not where
// the running scan would.
std::string restart_point(const TimelineMove& m) {
  if (!m.committed_cursor || m.committed_cursor == m.cursor) return "";
  return "; a restart would resume the scan from " + to_string(*m.committed_cursor);
}

void add_moves(const KeyTimeline& t, std::vector<TimelineEntry>& out) {
  for (const TimelineMove& m : t.moves) {
    const std::string label =
        m.leaves ? "moved to " + to_string(m.to) : "moved from " + to_string(m.from);
    out.push_back({m.tick, Lane::kSource, EntryKind::kMove, clip(label),
                   std::string(history::to_string(m.cause)) + " (lsn " + to_string(m.lsn) +
                       ", tick " + std::to_string(m.tick) + ") moved the row from ctid " +
                       to_string(m.from) + " (" + against_cursor(m.from, m.cursor) + ") to " +
                       to_string(m.to) + " (" + against_cursor(m.to, m.cursor) + ")" +
                       restart_point(m),
                   false});
  }
}

// "v2" for state key "items.v2": the table is the binding's, named elsewhere.
std::string instance_name(const std::string& state_key) {
  const size_t dot = state_key.rfind('.');
  return dot == std::string::npos || dot + 1 == state_key.size() ? state_key
                                                                 : state_key.substr(dot + 1);
}

void add_backfills(const KeyTimeline& t, std::vector<TimelineEntry>& out) {
  for (const TimelineBackfill& b : t.backfills) {
    std::string d = "backfill instance " + b.state_key + " (" + history::to_string(b.mode) +
                    ") requested at tick " + std::to_string(b.requested_tick) +
                    ", streaming from lsn " + to_string(b.stream_start_lsn);
    if (b.min_backfill_xid)
      d += ", min_backfill_xid " + std::to_string(b.min_backfill_xid->value());
    out.push_back({b.requested_tick, Lane::kBackfill, EntryKind::kBackfillStart,
                   clip(instance_name(b.state_key) + " from " + to_string(b.stream_start_lsn)), d,
                   false});
    if (!b.completed_tick) continue;
    out.push_back({*b.completed_tick, Lane::kBackfill, EntryKind::kBackfillDone,
                   clip(instance_name(b.state_key) + " done"),
                   "backfill instance " + b.state_key + " marked complete in collection txn seq " +
                       std::to_string(*b.completed_seq) + " (tick " +
                       std::to_string(*b.completed_tick) + ")",
                   false});
  }
}

TimelineEntry chunk_entry(const KeyTimeline& t, const TimelineChunk& c) {
  auto [k, word] = std::pair{EntryKind::kChunkCovered, "range"};
  std::string what = "covered the key's position but did not read it";
  if (c.read && c.emitted) {
    std::tie(k, word) = std::pair{EntryKind::kChunkRead, "read"};
    what = "read the key";
  } else if (c.read) {
    std::tie(k, word) = std::pair{EntryKind::kChunkFiltered, "filtered"};
    what = "read the key and filtered it out (min_backfill_xid)";
  }
  if (c.xmin) what += " (row xmin " + std::to_string(c.xmin->value()) + ")";
  if (c.failed) {
    std::tie(k, word) = std::pair{EntryKind::kChunkFailed, "failed"};
    what += "; the query failed part way";
  }
  std::string d = "chunk of " + c.state_key + " at tick " + std::to_string(c.tick) +
                  ", snapshot (fence) lsn " + to_string(c.snapshot_lsn) + ": " + what;
  d += c.committed_in ? ", committed in collection txn seq " + std::to_string(*c.committed_in)
                      : std::string(", never committed");
  if (c.final_chunk) d += ", final chunk";
  if (!t.order_key && !c.read) d += " (order key unknown)";
  return {c.tick, Lane::kBackfill, k, clip(std::string(word) + " " + to_string(c.snapshot_lsn)), d,
          false};
}

void add_documents(const KeyTimeline& t, std::vector<TimelineEntry>& out) {
  for (const TimelineDocument& d : t.documents) {
    EntryKind k = d.op == history::DocOp::kCreate   ? EntryKind::kDocCreate
                  : d.op == history::DocOp::kUpdate ? EntryKind::kDocUpdate
                                                    : EntryKind::kDocDelete;
    if (d.snapshot) k = EntryKind::kDocSnapshot;
    const std::string op = detail::doc_op_name(d.op);
    std::string s = "collection txn seq " + std::to_string(d.seq) + " (tick " +
                    std::to_string(d.tick) + "): document " + std::to_string(d.id) + " op " + op +
                    " lsn " + to_string(d.lsn) + " xid " + std::to_string(d.txid.value()) +
                    " change_index " + std::to_string(d.change_index) + " state " + d.state_key +
                    (d.snapshot ? " snapshot" : "") + ": " + to_string(d.fields);
    if (!d.survived) s += "; no longer in the collection at the end";
    out.push_back({d.tick, Lane::kCollection, k,
                   clip((d.snapshot ? "snap " : op + " ") + to_string(d.lsn)), s, !d.survived});
  }
  for (const TimelineExpiry& e : t.expiries) {
    out.push_back({e.tick, Lane::kCollection, EntryKind::kExpiry,
                   clip("expired x" + std::to_string(e.documents)),
                   "retention expired " + std::to_string(e.documents) + " document(s) of the key",
                   false});
  }
}

void add_destination(const KeyTimeline& t, std::vector<TimelineEntry>& out) {
  using Action = TimelineDestinationWrite::Action;
  for (const TimelineDestinationWrite& w : t.destination) {
    std::string d = "destination txn " + std::to_string(w.txn_index) + " of materialization " +
                    std::to_string(w.materialization) + " into " + w.destination + " at tick " +
                    std::to_string(w.tick) + (w.truncated_first ? " (truncated first)" : "") + ": ";
    EntryKind k = EntryKind::kDestUpsert;
    std::string label;
    if (w.action == Action::kUpsert) {
      CDC_ASSERT(w.row.has_value(), "an upsert carries its row");
      d += detail::describe_dest_row(*w.row);
      label = std::string(w.truncated_first ? "trunc+" : "") + detail::doc_op_name(w.row->op) +
              " " + to_string(w.row->lsn);
    } else if (w.action == Action::kDelete) {
      k = EntryKind::kDestDelete;
      label = "delete";
      d += "deleted the key";
    } else {
      k = EntryKind::kDestTruncate;
      label = "truncate";
      d += "emptied the table";
    }
    out.push_back({w.tick, Lane::kDestination, k, clip(label), d, false});
  }
}

void add_operations(const KeyTimeline& t, std::vector<TimelineEntry>& out) {
  for (const history::Event& e : t.operations) {
    auto [k, word] = std::pair{EntryKind::kOperation, "operation"};
    switch (e.kind) {
      case history::Event::Kind::kOperation:
        break;
      case history::Event::Kind::kFault:
        std::tie(k, word) = std::pair{EntryKind::kFault, "fault"};
        if (e.what.rfind(kRetentionPrefix, 0) == 0) k = EntryKind::kRetention;
        break;
      case history::Event::Kind::kCaptureStart:
        std::tie(k, word) = std::pair{EntryKind::kCaptureStart, "capture start"};
        break;
      case history::Event::Kind::kCaptureError:
        std::tie(k, word) = std::pair{EntryKind::kCaptureError, "capture error"};
        break;
    }
    // "retention expired 6 documents" -> "expired 6 documents": shorter, same words.
    const std::string label =
        k == EntryKind::kRetention ? e.what.substr(sizeof("retention ") - 1) : e.what;
    out.push_back({e.tick, Lane::kOperations, k, clip(label),
                   std::string(word) + " at tick " + std::to_string(e.tick) + ": " + e.what,
                   false});
  }
}

// The order of lanes within one tick: the order a tick runs in.
int rank(Lane lane) {
  switch (lane) {
    case Lane::kSource:
      return 0;
    case Lane::kOperations:
      return 1;
    case Lane::kBackfill:
      return 2;
    case Lane::kCollection:
      return 3;
    case Lane::kDestination:
      return 4;
  }
  return 5;
}

}  // namespace

std::vector<TimelineEntry> timeline_entries(const KeyTimeline& t) {
  std::vector<TimelineEntry> out;
  add_commits(t, out);
  add_moves(t, out);
  add_backfills(t, out);
  for (const TimelineChunk& c : t.chunks)
    out.push_back(chunk_entry(t, c));
  add_documents(t, out);
  add_destination(t, out);
  add_operations(t, out);
  std::stable_sort(out.begin(), out.end(), [](const TimelineEntry& a, const TimelineEntry& b) {
    if (a.tick != b.tick) return a.tick < b.tick;
    return rank(a.lane) < rank(b.lane);
  });
  CDC_ASSERT(std::is_sorted(
                 out.begin(), out.end(),
                 [](const TimelineEntry& a, const TimelineEntry& b) { return a.tick < b.tick; }),
             "timeline entries are in tick order");
  return out;
}

}  // namespace cdc::reports
