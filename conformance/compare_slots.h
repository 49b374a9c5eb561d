// Slot behaviour, on the slot the workload was decoded from:
//   1. the first k decoded transactions are consumed and confirmed (k drawn
//      at random); streaming then starts at an LSN below confirmed_flush_lsn
//      (PostgreSQL: START_REPLICATION ... LOGICAL 0/1) and must deliver exactly
//      the remaining transactions: it silently starts at confirmed_flush_lsn;
//   2. with max_slot_wal_keep_size = 1MB, WAL is written until wal_status
//      leaves "reserved"; after a CHECKPOINT the slot is "lost";
//   3. reading the lost slot with START_REPLICATION fails (PostgreSQL SQLSTATE
//      55000, the model slot_lost) with the same message and detail ("cannot
//      read from logical replication slot ...: this slot has been invalidated
//      because it exceeded the maximum reserved size").
// How much WAL step 2 takes is not compared (PostgreSQL counts 1 MB WAL
// segments, the model bytes of synthetic records), nor PostgreSQL's
// "extended" status, which the model does not have.
#pragma once

#include "conformance/comparison.h"
#include "conformance/trace.h"
#include "conformance/workload.h"
#include "sim/prng.h"

namespace cdc::conformance {

// REQUIRES: probe_decoding ran (t->decoded).
void probe_slots(Sides& sides, sim::Prng prng, RunTrace* t);

Comparison compare_slots(const Workload& w, const RunTrace& t);

}  // namespace cdc::conformance
