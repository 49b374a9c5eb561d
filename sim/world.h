// The world: one source database, one capture and its collections, driven by
// a seeded workload and a seeded operation/fault scheduler, recorded into a
// history (DESIGN §3, §8, §10).
//
// run() goes seed -> prng -> swarm options -> fixed-order ticks:
//   safety phase     every tick: workload steps, at most one operation or
//                    fault, capture steps, retention;
//   liveness phase   faults healed, open transactions ended and writes paused;
//                    the capture runs until it has drained (every backfill
//                    done, streaming, cursor at the last source commit) or
//                    its tick budget runs out.
// Everything random comes from forks of one Prng: the same options give the
// same history, bit for bit.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/capture.h"
#include "model/materialization.h"
#include "model/situations.h"
#include "properties/history.h"
#include "sim/history_fingerprint.h"
#include "sim/prng.h"
#include "sim/schedule.h"
#include "sim/source_workload.h"

namespace cdc::sim {

// Operations and faults the scheduler may inject, each with a weight (0 = off).
struct FaultWeights {
  uint32_t crash = 0;          // capture crash and restart
  uint32_t query_failure = 0;  // the next chunk query fails part way
  uint32_t backfill_one = 0;   // bump one binding's backfill counter
  uint32_t backfill_all = 0;   // bump every binding's counter
  uint32_t vacuum_freeze = 0;
  uint32_t vacuum_full = 0;
  uint32_t checkpoint = 0;
  uint32_t xid_burn = 0;               // burn a large number of xids
  uint32_t capture_stall = 0;          // the capture does nothing for a while
  uint32_t upgrade = 0;                // major upgrade: writes paused, slots dropped
  uint32_t min_backfill_xid = 0;       // set min_backfill_xid, then backfill one binding
  uint32_t pause_writes = 0;           // the workload pauses for a while
  uint32_t materialization_crash = 0;  // materialization crash and restart
  uint32_t commit_failure = 0;         // the next destination commit fails
  uint32_t materialization_backfill_one = 0;
  uint32_t materialization_backfill_all = 0;
  uint32_t dataflow_backfill_one = 0;  // reset one collection, bump its bindings
  uint32_t dataflow_backfill_all = 0;
  uint32_t destination_schema_change = 0;  // the next backfill recreates the tables
  uint32_t max_backfill_xid = 0;           // set max_backfill_xid (later backfills read under it)
  uint32_t xid_age = 0;                    // freeze everything, then run 2^31 + 2000 xids past it

  uint32_t total() const;
};

// Every weight of FaultWeights with its name in scenario files, in one fixed
// order: the one list that totals, swarm testing and the loader walk.
struct FaultWeightField {
  const char* name;
  uint32_t FaultWeights::*weight;
};
const std::vector<FaultWeightField>& fault_weight_fields();

// An operation the world performs at a given tick of the safety phase, in
// addition to (and before) the random ones: how scenarios script what a user
// does. `bindings` are capture binding indices (empty: all).
struct ScriptedOp {
  enum class Kind : uint8_t {
    kCaptureBackfill,          // bump the bindings' counters (optionally setting their mode)
    kMaterializationBackfill,  // bump the materialization bindings of these bindings
    kDataFlowBackfill,         // reset the collections, bump everything attached
    kUpgrade,                  // major upgrade (ends open transactions first)
    kPauseWrites,              // the workload stops until kResumeWrites
    kResumeWrites,
    kStallCapture,             // the capture does nothing for `ticks` ticks
    kSetMinBackfillXid,        // min_backfill_xid := the next xid
    kSetMaxBackfillXid,        // max_backfill_xid := the next xid
    kXidAge,                   // the cluster runs over 2^31 xids past its frozen rows
    kWaitUntilDrained,         // run capture and materialization until drained (bounded)
    kNewStorage,               // the collections move to new, empty storage (no bumps)
    kCorruptCollections,       // documents of the collections are lost
    kCorruptDestinations,      // destination rows are damaged
    kDestinationSchemaChange,  // the destination tables' schema version changes
    kAddBinding,               // `bindings` name tables (indices) newly added to the capture
  };
  uint64_t tick = 0;
  Kind kind = Kind::kCaptureBackfill;
  std::vector<uint32_t> bindings;
  std::optional<BackfillMode> mode;  // kCaptureBackfill: new mode for the bindings
  uint64_t ticks = 0;                // kStallCapture
};

// What generic exploration adds to the generator, off by default (scenario
// files keep their runs): where faults strike and which values they pick.
struct GenerationOptions {
  // Capture crashes wait for a chosen step (FaultStep::amount: a phase), and
  // materialization crashes may wait for a built transaction.
  bool crash_points = false;
  // min_backfill_xid at an existing row's xmin; xid burns that land at the
  // wrap; after a min_backfill_xid, sometimes a max_backfill_xid (at a row's
  // xmin, the next xid, or just past a wrap the burn led to), or an xid age
  // followed by a new min_backfill_xid at the next xid.
  bool xid_bounds = false;
  // After the capture reports its slot lost, the next drawn fault is, half
  // the time, a capture backfill of every binding: what the documentation
  // tells a user to do. Takes effect only where backfill_all has a weight.
  bool backfill_after_slot_loss = false;
};

struct WorldOptions {
  uint64_t seed = 1;
  std::vector<TableSchema> tables;       // empty: demo_schemas()
  std::vector<CaptureBinding> bindings;  // empty: one Automatic binding per table
  // One materialization binding per capture binding, into table "dest_<table>".
  bool materialize = true;
  UpdateStrategy strategy = UpdateStrategy::kMerge;
  bool keep_existing_on_backfill = false;
  uint32_t materialization_txns_per_commit = 4;  // collection txns per destination txn
  uint32_t initial_rows = 12;                    // per table, before the capture starts
  // How the initial rows are written: by 3 x initial_rows random workload
  // steps per table (inserts, updates, deletes, aborts, savepoints: a table
  // with a past), or in bulk, initial_rows inserts of distinct keys per table
  // in transactions of kBulkLoadRowsPerTxn (a table freshly loaded, as COPY
  // leaves it; far cheaper for millions of rows).
  enum class InitialLoad : uint8_t { kWorkload, kBulk };
  InitialLoad initial_load = InitialLoad::kWorkload;
  Xid start_xid = Xid(1000);
  std::optional<uint64_t> max_slot_wal_keep_size_bytes;
  CaptureOptions capture;
  SourceWorkloadOptions workload;
  Ratio write_per_tick{2, 3};   // chance of a workload step each tick
  Ratio fault_per_tick{1, 20};  // chance of an operation/fault each tick
  FaultWeights faults;
  GenerationOptions generation;
  uint32_t capture_steps_per_tick = 1;
  std::optional<uint64_t> retention_ticks;
  uint64_t safety_ticks = 300;
  uint64_t liveness_ticks_max = 20000;
  bool swarm = false;              // switch fault kinds off and reweight per seed
  std::vector<ScriptedOp> script;  // performed at their ticks, in order
  // Set: the run performs exactly this schedule; nothing is generated (the
  // workload, initial rows, fault weights and rates above are not used).
  std::optional<Schedule> schedule;
  bool record_schedule = false;  // fill RunResult::schedule
};

// Applies swarm testing to `o`: each enabled fault kind is kept with
// probability 1/2 and reweighted at random; decided by the seed alone.
WorldOptions swarm(WorldOptions o);

// `o` with the world's defaults made explicit: demo_schemas() when no table
// is given, and one Automatic binding per table (collection "acme/<table>")
// when no binding is. What every run of `o` runs.
WorldOptions with_defaults(WorldOptions o);
// The materialization bindings of `o` (REQUIRES: its bindings explicit): one
// per capture binding, into table "dest_<table>", with o's strategy.
std::vector<MaterializationBindingSpec> materialization_specs(const WorldOptions& o);

struct RunResult {
  history::History history;
  std::string fingerprint;
  // What the run performed (with record_schedule, or the given schedule):
  // given as WorldOptions::schedule, it replays to the same fingerprint.
  Schedule schedule;
  // The situations the run reached (model/situations.h); not in the history
  // or the fingerprint.
  SituationSet situations;
};

RunResult run_world(const WorldOptions& options);

}  // namespace cdc::sim
