// Histories recorded outside the harness: a file of JSON lines, one record
// per line, as docs/history-format/README.md describes it (JSON Schema:
// docs/history-format/history.schema.json), read into the same
// history::History the simulation records, so that the same checkers judge a
// real pipeline's output.
//
// Contract:
// - read_outside_history() never aborts on input. A line that is not JSON,
//   an unknown record type or key, a value of the wrong type or past a limit,
//   a reference to an undeclared table, collection or destination, a source
//   history that contradicts itself (an update of a key no earlier commit
//   holds, commit LSNs out of order) or a test_decoding transaction left open
//   is an Error whose message starts "FILE:LINE:COL: ".
// - The history returned holds what the checkers assume of a recorded one:
//   tables, bindings and materializations numbered in declaration order; the
//   source commits in strictly increasing LSN order, each key's change net
//   within its commit with its before image taken from the earlier commits;
//   every document's key the capture encoding of its key columns; ticks are
//   line numbers, so order within the file is order in time.
// - What the format does not carry is absent: no chunks, capture restarts,
//   expiries, backfill operations or backfill completions. outside_gaps()
//   (outside/support.h) names the checkers that leaves without input.
#pragma once

#include <cstdint>
#include <istream>
#include <string>
#include <vector>

#include "model/schema.h"
#include "model/status.h"
#include "properties/history.h"

namespace cdc::outside {

// Limits on one history file.
inline constexpr size_t kMaxLineBytes = 64u << 20;  // one record
inline constexpr uint64_t kMaxLines = 100'000'000;  // records in a file
inline constexpr size_t kMaxTables = 1000;

struct OutsideHistory {
  history::History history;
  std::vector<TableSchema> tables;  // by TableId value
  uint64_t lines = 0;               // records read (blank lines not counted)
  bool has_destination_dump = false;
};

// Reads `in`; `file` names it in error messages.
Result<OutsideHistory> read_outside_history(std::istream& in, const std::string& file);
// Opens and reads `path` ("-": standard input).
Result<OutsideHistory> read_outside_history_file(const std::string& path);

}  // namespace cdc::outside
