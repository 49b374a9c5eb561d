// A demonstration run of the source model, and the best end-to-end check that
// exists before the capture does: a seeded random workload over the demo
// tables with a logical replication slot; the decoded stream is applied to a
// reference replica, acknowledged as it goes, and at the end the replica must
// equal the source tables. Optionally starts near xid wraparound and runs
// VACUUM FREEZE / VACUUM FULL / checkpoints along the way.
#pragma once

#include <cstdint>
#include <string>

#include "model/xid.h"

namespace cdc::sim {

struct SourceDemoOptions {
  uint64_t seed = 1;
  uint32_t steps = 20000;
  Xid start_xid = Xid(4294966296u);  // 1000 xids before the 32-bit wrap
  uint32_t poll_every_steps = 50;
};

struct SourceDemoResult {
  uint64_t committed = 0;
  uint64_t aborted = 0;
  uint64_t statements = 0;
  uint64_t failed_statements = 0;
  uint64_t decoded_txns = 0;
  uint64_t decoded_changes = 0;
  uint64_t wal_bytes = 0;
  uint64_t maintenance_ops = 0;
  uint32_t epoch = 0;
  uint32_t next_xid = 0;
  std::string table_rows;   // "accounts=12 tags=40 events=7"
  std::string mismatch;     // "" when the replica equals the source
  std::string fingerprint;  // hash of every decoded transaction, in order
};

SourceDemoResult run_source_demo(const SourceDemoOptions& options);

}  // namespace cdc::sim
