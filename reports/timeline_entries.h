// A key's timeline (reports/key_timeline.h) flattened into one list of
// entries in tick order, each with a lane, a short label and a one-line
// description: what the Markdown table and the SVG picture of a failure
// report show.
//
// Contract:
// - timeline_entries() is pure; entries are sorted by tick, and within one
//   tick in the order a tick runs (source commits, operations and faults,
//   backfill, collection, destination), then in history order.
// - `label` is short (at most kLabelChars characters) and names the op and
//   the LSN where there is one ("upd 0/12C", "snap 0/C8", "v2 from 0/64" for
//   backfill instance items.v2); `detail` says everything the timeline holds
//   about the entry.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "reports/key_timeline.h"

namespace cdc::reports {

enum class Lane : uint8_t { kSource, kBackfill, kCollection, kDestination, kOperations };
inline constexpr size_t kLaneCount = 5;
// "source commits", "backfill chunks / fences", "collection documents",
// "destination", "operations & faults".
const char* lane_title(Lane lane);

// What an entry is, which decides its marker in the picture.
enum class EntryKind : uint8_t {
  kInsert,         // source commit: absent -> present
  kUpdate,         // source commit: present -> present
  kDelete,         // source commit: present -> absent
  kNoChange,       // source commit whose net effect leaves the key as it was
  kBackfillStart,  // a backfill instance of the binding starts (its stream start: a fence)
  kBackfillDone,   // that instance is marked complete
  kChunkRead,      // a chunk read and emitted the key
  kChunkFiltered,  // a chunk read the key but min_backfill_xid filtered it out
  kChunkCovered,   // a chunk's range covered the key but it did not read it
  kChunkFailed,    // a chunk query failed part way (whatever it read is lost)
  kDocCreate,      // collection document op c (change)
  kDocUpdate,      // op u
  kDocDelete,      // op d
  kDocSnapshot,    // a backfill (snapshot) document
  kExpiry,         // retention dropped documents of the key
  kDestUpsert,     // a destination stored or appended a row of the key
  kDestDelete,     // a merge destination deleted the key
  kDestTruncate,   // a destination table was emptied
  kOperation,      // a scheduled operation
  kFault,          // an injected fault
  kRetention,      // retention dropped documents of the collections (any key's; the run-level
                   // fault event "retention expired N documents")
  kCaptureStart,   // the capture (re)started
  kCaptureError,   // the capture stopped with an error
  kMove,           // the row moved to another ctid, from or to the key (no primary key)
};
const char* to_string(EntryKind k);  // "insert", "chunk_read", "dest_upsert", ...

inline constexpr size_t kLabelChars = 24;

struct TimelineEntry {
  uint64_t tick = 0;
  Lane lane = Lane::kSource;
  EntryKind kind = EntryKind::kOperation;
  std::string label;   // short, for a marker
  std::string detail;  // one line
  bool gone = false;   // a document that did not survive to the end of the run
};

std::vector<TimelineEntry> timeline_entries(const KeyTimeline& t);

}  // namespace cdc::reports
