// What one conformance run recorded on both sides: step results, table
// observations and the results of the end-of-run probes. Data only; the
// probes that fill it live beside their comparisons (compare_*.h) and the
// driver (driver.h) runs them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "conformance/side.h"

namespace cdc::conformance {

// A value each side produced, or the error it gave instead.
template <typename T>
struct Sided {
  T value{};
  std::optional<std::string> error;
};

template <typename T>
struct PerSide {
  Sided<T> model;
  Sided<T> pg;
};

// The tables' live rows after `after_steps` steps (taken after each commit
// and each maintenance step, and after the final commits). PostgreSQL cannot
// read a table while another session holds a TRUNCATE's lock: then pg is
// nullopt and the observation is compared on neither side.
struct Observation {
  size_t after_steps = 0;
  bool at_finish = false;
  // A VACUUM FULL ran, or a transaction that ran TRUNCATE committed, since
  // the previous observation: rows may have moved without being updated.
  bool rewrite = false;
  std::optional<std::vector<TableRows>> model;
  std::optional<std::vector<TableRows>> pg;
  std::optional<std::string> error;  // a side failed to read (not a lock wait)
};

struct FilterProbe {
  uint32_t table = 0;
  Query query;  // kScan with a filter
  PerSide<TableRows> rows;
};

struct ChunkWalk {
  uint32_t table = 0;
  Query first;  // the first chunk's query; later chunks continue from each side's own cursor
  PerSide<std::vector<TableRows>> chunks;
};

// ctid ranges on one side: each side's own layout (ctids differ).
struct CtidSideProbe {
  TableRows layout;  // every live row in ctid order
  uint32_t pages = 0;
  std::vector<Query> partition;  // (p,0) .. (p+w,0] ranges over all pages and beyond
  std::vector<TableRows> partition_rows;
  std::vector<std::pair<size_t, size_t>> rank_ranges;  // [i, j): rows ranked i..j-1
  std::vector<TableRows> rank_rows;
  std::optional<std::string> error;
};

struct CtidProbe {
  uint32_t table = 0;
  CtidSideProbe model;
  CtidSideProbe pg;
};

struct SlotProbe {
  bool ran = false;
  size_t decoded = 0;   // transactions the slot held
  size_t consumed = 0;  // of which the first `consumed` were consumed and confirmed
  PerSide<std::vector<CanonTxn>> streamed;   // START_REPLICATION below confirmed_flush_lsn
  PerSide<std::vector<std::string>> status;  // wal_status: before, after WAL, after CHECKPOINT
  // The error reading the invalidated slot; `value` is its SQLSTATE (PostgreSQL)
  // or error code (model), `error` unset when the read failed as it should.
  PerSide<std::string> read_error_code;
  PerSide<std::string> read_error_message;
};

struct RunTrace {
  size_t prefix = 0;  // steps run
  uint32_t first_xid = 0;
  std::vector<StepResult> model_steps;
  std::vector<StepResult> pg_steps;
  std::vector<Observation> observations;
  PerSide<std::vector<CanonTxn>> decoded;
  PerSide<uint32_t> next_xid;  // at the end
  std::vector<FilterProbe> filters;
  std::vector<ChunkWalk> walks;
  std::vector<FilterProbe> cursors;  // single keyset chunks from random cursors
  std::vector<CtidProbe> ctids;
  SlotProbe slot;
  double model_seconds = 0;     // everything the model did for this run
  double pg_seconds = 0;        // everything PostgreSQL did (setup excluded)
  double pg_setup_seconds = 0;  // CREATE DATABASE, tables, slot, connections
};

}  // namespace cdc::conformance
