// A live run: a scenario's schedule against a real PostgreSQL 15, with the
// capture running over PgSource, and the history written in the outside
// format (docs/history-format/) for the same checkers.
//
// The run:
//   1. a throwaway cluster (conformance/cluster.h), started at the
//      scenario's start xid when it is not the default (pg_resetwal: a start
//      near the wrap);
//   2. the tables and the watermarks table; the schedule's initial
//      statements; the tables as they then are become `rows` records;
//   3. a test_decoding slot that records every commit from then on;
//   4. tick by tick: the schedule's statements on their sessions (one libpq
//      connection each, lock_timeout 50ms, a failing statement rolls its
//      transaction back), its faults, the capture's steps over PgSource, one
//      step of the materialization; after each tick the recording slot is
//      read (and consumed), so commits and collection transactions are
//      written in the order they happened;
//   5. open transactions commit, and the capture and the materialization run
//      until the capture has streamed past the server's flush LSN with every
//      backfill done and the materialization drained (or the liveness limit);
//   6. the destinations are dumped and the drained position written.
//
// Faults a real server takes: crash (a restart of the capture from its
// checkpoint, at once), capture_stall (no capture step for a while),
// checkpoint (with max_slot_wal_keep_size_bytes: a real invalidation of a
// capture slot lagging past it, see invalidating_checkpoint), query_failure
// (the next chunk query is cut off),
// backfill_one / backfill_all (a capture backfill: counters bumped, a
// graceful restart), vacuum_freeze, vacuum_full, checkpoint, xid_burn (at
// most kXidBurnMax xids, one transaction each), upgrade (as pg_upgrade does
// to slots: the capture's slot is dropped), TRUNCATE (a statement); and the
// scripted operations capture_backfill, stall_capture, upgrade and
// pause_writes / resume_writes (open transactions commit; statements
// scheduled meanwhile are skipped, as on the model), min_backfill_xid and
// max_backfill_xid (the fault kinds too; the next xid is the server's). The others are
// skipped, and the observations say so.
//
// A live run is not deterministic: the server's timing decides what a chunk
// reads and where a watermark falls. It reports what it observed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/status.h"
#include "sim/world.h"

namespace cdc::conformance {

constexpr uint64_t kXidBurnMax = 20'000;

struct LiveResult {
  std::vector<std::string> observed;  // what happened, one line each
  uint64_t source_commits = 0;
  uint64_t collection_txns = 0;
  uint64_t destination_txns = 0;
  bool drained = false;
};

// `o` (REQUIRES: o.schedule is set) without what a live run cannot record:
// tables without a primary key (the outside format has none yet), with
// their bindings, statements and faults, and Without Primary Key bindings.
// `notes` gets a line per table or binding left out.
sim::WorldOptions keyed_only(sim::WorldOptions o, std::vector<std::string>* notes);

// What a live run of a scenario's options runs: the world's defaults made
// explicit (the demo tables, one Automatic binding per table), the schedule
// drawn on the model when the scenario has none (a generated run records
// its explicit schedule), then keyed_only.
sim::WorldOptions live_options(sim::WorldOptions o, std::vector<std::string>* notes);

// Runs `o` (REQUIRES: o.schedule is set, every table has a primary key and
// no binding is Without Primary Key: live_options(o) is so) and writes the history to
// `history_path` (through a temporary file: no partial file is left). Fails when the server cannot
// be started or set up.
Result<LiveResult> run_live(const sim::WorldOptions& o, const std::string& history_path);

}  // namespace cdc::conformance
