// The capture's durable state: per-binding backfill state under a state key
// that includes the binding's backfill counter, and the checkpoint
// {cursor LSN, states} that commits with every collection transaction.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/types.h"
#include "model/value.h"

namespace cdc {

// What a binding asks for (the resource's "mode").
enum class BackfillMode : uint8_t {
  kAutomatic,
  kNormal,
  kPrecise,
  kOnlyChanges,
  kWithoutPrimaryKey
};
const char* to_string(BackfillMode m);

// Which vendor's backfill algorithm a capture runs (model/capture.h,
// "Algorithms").
enum class CaptureAlgorithm : uint8_t { kEstuary, kDebezium, kFlink };
const char* to_string(CaptureAlgorithm a);  // "estuary", "debezium", "flink"

// What the capture does for a binding after resolving its mode.
enum class CaptureMode : uint8_t { kPrecise, kNormal, kWithoutPrimaryKey, kOnlyChanges };
const char* to_string(CaptureMode m);

// Flink CDC: a finished snapshot split, the key range [start, end) in the
// database's order (nullopt: unbounded) and its high watermark.
struct FlinkSplit {
  std::optional<Key> start;
  std::optional<Key> end;
  Lsn high_watermark;
  // Where its backfill read ended: the commit of the last transaction it
  // took, or how far it had decoded when nothing more came. A transaction
  // committing later was not in the split.
  Lsn read_end;
};

struct BindingState {
  CaptureMode mode = CaptureMode::kNormal;
  std::vector<uint32_t> key_columns;
  std::optional<Key> scanned;        // keyed backfill cursor: last key read
  std::optional<Ctid> scanned_ctid;  // keyless backfill cursor: last ctid range end
  uint32_t keyless_max_block = 0;    // keyless: scan bound, fixed when the backfill starts
  bool backfilled = false;           // done (or never needed)
  uint64_t backfilled_count = 0;     // rows read so far
  std::optional<Key> max_key;        // Debezium, Flink: the maximum key, read at the first chunk
  std::vector<FlinkSplit> splits;    // Flink: the finished splits, in key order
};

struct CaptureCheckpoint {
  Lsn cursor;
  std::map<std::string, BindingState> states;  // by state key
  bool streaming = false;  // Flink: the stream split exists and resumes at the cursor
};

// *to = from, keeping what `to` holds where it can: when both have the same
// state keys (a checkpoint committed again as the capture goes on), each
// state is assigned in place and keeps its nodes and its vectors' storage.
// A member added to CaptureCheckpoint is copied here too.
inline void assign_checkpoint(std::optional<CaptureCheckpoint>* held,
                              const CaptureCheckpoint& from) {
  if (!held->has_value()) {
    held->emplace(from);
    return;
  }
  CaptureCheckpoint* to = &**held;
  to->cursor = from.cursor;
  to->streaming = from.streaming;
  const bool same_keys =
      to->states.size() == from.states.size() &&
      std::equal(to->states.begin(), to->states.end(), from.states.begin(),
                 [](const auto& a, const auto& b) { return a.first == b.first; });
  if (!same_keys) {
    to->states = from.states;
    return;
  }
  auto state = to->states.begin();
  for (const auto& [key, st] : from.states)
    (state++)->second = st;
}

}  // namespace cdc
