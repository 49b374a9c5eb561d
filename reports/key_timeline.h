// The story of one key in one run, taken from its recorded history for a
// failure report: what the source did to the key, what the backfills read,
// what the collection and the destinations stored, what retention dropped,
// and the run's operations and faults as context; then what was left at the
// end.
//
// Contract:
// - key_timeline() is a pure function of the history (no simulation, no
//   clock); the same history gives the same timeline.
// - Every list is in history order, which is tick order: the recorder
//   appends as ticks pass.
// - An unknown binding or a key the history never mentions gives empty
//   lists (operations and drain are still filled), never an error.
//
// What belongs to the key (capture binding b with source table T, key k):
// - commits: every SourceCommit with a change of (T, k); several changes of
//   k in one commit are one entry, from the first `before` to the last
//   `after` (the commit's net effect);
// - moves: every RowMove of T from or to k (a table without a primary key,
//   or one a binding scans by ctid), with b's scan cursors at the time;
// - backfills: every BackfillInstance of b (the fences of the backfill lane:
//   where each instance starts streaming, and when it completed);
// - chunks: every Chunk of b that read k (a row with key k) or whose range
//   covered k's position in the database order (`after` < k's order key,
//   and k's order key <= its last row's or the chunk is final). A key's
//   order key is known only when some chunk of b read it; without it only
//   the chunks that read k are listed;
// - documents: every Document of b with key k;
// - expiries: every Expiry of b naming k (how many of k's documents went);
// - destination: per materialization binding reading b, every destination
//   row of k it wrote, every delete of k, and every truncation of its table
//   (truncated_first) that did not also write k;
// - operations: every Event of the run (context, not filtered by key);
// - end: the documents of k still in the collection, and the rows of k in
//   each destination, when the run ended (FinalState when recorded, else the
//   replay).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/types.h"
#include "model/value.h"
#include "properties/history.h"

namespace cdc::reports {

struct TimelineCommit {
  uint64_t tick = 0;
  Lsn commit_lsn;
  Xid xid;
  std::optional<SharedRow> before;  // nullopt: absent
  std::optional<SharedRow> after;   // nullopt: absent
};

// The row at the key moved to another ctid, or a row moved to the key (a
// table without a primary key, whose keys are ctids: history::RowMove).
struct TimelineMove {
  uint64_t tick = 0;
  history::RowMove::Cause cause = history::RowMove::Cause::kUpdate;
  Ctid from;
  Ctid to;
  bool leaves = true;  // the row left the key (false: it arrived at the key)
  Lsn lsn;
  // The binding's ctid scan then, if it was scanning: where it would resume.
  std::optional<Ctid> cursor;
  // Where a restart would have resumed it (the last committed checkpoint's
  // cursor), if the binding was scanning by ctid then.
  std::optional<Ctid> committed_cursor;
};

// A backfill instance of the binding.
struct TimelineBackfill {
  uint64_t requested_tick = 0;
  std::string state_key;
  history::ResolvedMode mode = history::ResolvedMode::kNormal;
  Lsn stream_start_lsn;
  std::optional<Xid> min_backfill_xid;
  std::optional<uint64_t> completed_seq;   // collection txn that first marked it done
  std::optional<uint64_t> completed_tick;  // that txn's tick
};

struct TimelineChunk {
  uint64_t tick = 0;
  std::string state_key;
  Lsn snapshot_lsn;         // the fence: the flush LSN read just before the query
  bool read = false;        // a row of the chunk is the key
  bool emitted = false;     // read and emitted (read && !emitted: min_backfill_xid filtered it)
  std::optional<Xid> xmin;  // the row's xmin, when read
  bool failed = false;      // the query failed part way
  std::optional<uint64_t> committed_in;  // collection txn seq holding its rows
  bool final_chunk = false;
};

struct TimelineDocument {
  uint64_t seq = 0;  // collection txn
  uint64_t tick = 0;
  uint64_t id = 0;
  std::string state_key;
  history::DocOp op = history::DocOp::kCreate;
  Lsn lsn;
  Xid txid;
  bool snapshot = false;
  uint32_t change_index = 0;
  SharedRow fields;
  uint64_t present_mask = 0;
  bool survived = true;  // still in the collection when the run ended
};

struct TimelineExpiry {
  uint64_t tick = 0;
  uint64_t documents = 0;  // documents of the key that expired
};

struct TimelineDestinationWrite {
  enum class Action : uint8_t {
    kUpsert,    // stored (merge) or appended (delta) a row of the key
    kDelete,    // a merge delete of the key
    kTruncate,  // emptied the table (truncated_first) without writing the key
  };
  uint64_t tick = 0;
  uint32_t materialization = 0;  // MaterializationBinding::id
  std::string destination;
  size_t txn_index = 0;  // 1-based among the materialization's destination txns
  Action action = Action::kUpsert;
  bool truncated_first = false;
  std::optional<history::DestinationRow> row;  // kUpsert only
};
const char* to_string(TimelineDestinationWrite::Action a);

struct TimelineFinalRow {
  uint32_t materialization = 0;
  std::string destination;
  history::UpdateStrategy strategy = history::UpdateStrategy::kMerge;
  history::DestinationRow row;
};

struct TimelineEnd {
  bool recorded = false;  // from FinalState (false: replayed from the transactions)
  std::vector<TimelineDocument> documents;         // the key's surviving documents
  std::vector<TimelineFinalRow> destination_rows;  // the key's rows, per materialization
};

struct KeyTimeline {
  uint32_t capture_binding = 0;
  history::DocKey key;
  std::string key_text;      // the key for people: "k1" in quotes, or 0x… hex
  std::string binding_text;  // "binding 1 (items)", or "binding 9 (not in the history)"
  std::optional<history::DbOrderKey> order_key;  // from a chunk row that read the key
  std::vector<history::MaterializationBinding> materializations;  // those reading the binding
  std::vector<TimelineCommit> commits;
  std::vector<TimelineMove> moves;
  std::vector<TimelineBackfill> backfills;
  std::vector<TimelineChunk> chunks;
  std::vector<TimelineDocument> documents;
  std::vector<TimelineExpiry> expiries;
  std::vector<TimelineDestinationWrite> destination;
  std::vector<history::Event> operations;
  history::Drain drain;
  TimelineEnd end;
};

KeyTimeline key_timeline(const history::History& h, uint32_t capture_binding,
                         const history::DocKey& key);

}  // namespace cdc::reports
