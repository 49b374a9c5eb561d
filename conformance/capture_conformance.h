// Capture conformance: the same capture, step for step, over the model
// (ModelSource) and over a real PostgreSQL 15 (PgSource).
//
// A schedule is a one-session workload (conformance/workload.h) with capture
// steps between its steps: before workload step i the capture takes
// capture_steps[i] steps; after the last one the session commits and the
// capture takes tail_steps more. Each side has its own database, its own
// capture (same bindings: one per keyed workload table, the schedule's
// algorithm and mode, a small chunk size; the same choices, from the same
// seed) and its own collection store.
//
// What must agree: per collection and document key, the documents in commit
// order, each rendered as
//   <op> [snapshot] <field>=<value> ...
// (present fields only; LSNs and xids are each side's own and are left out).
// A difference names the first (collection, key) whose sequences differ.
//
// Shrinking: the shortest workload prefix (with its capture steps) that
// still differs, by binary search over the prefix (shrink_prefix), each probe
// a fresh database on the server and a fresh model.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "conformance/cluster.h"
#include "conformance/workload.h"
#include "model/capture_state.h"
#include "model/status.h"

namespace cdc::conformance {

struct CaptureSchedule {
  Workload workload;                    // one session
  std::vector<uint32_t> capture_steps;  // before each workload step
  uint32_t tail_steps = 150;            // after the workload
  CaptureAlgorithm algorithm = CaptureAlgorithm::kEstuary;
  BackfillMode mode = BackfillMode::kAutomatic;
  uint32_t chunk_size = 3;
  uint64_t seed = 0;  // the captures' choices
};

// A schedule drawn from `seed`: `steps` workload steps, the first third
// without capture steps (rows to backfill), then 0..3 capture steps before
// each.
CaptureSchedule generate_capture_schedule(uint64_t seed, uint32_t steps, CaptureAlgorithm algorithm,
                                          BackfillMode mode);

// Per "<collection> <key>": the rendered documents in commit order.
using CaptureDocs = std::map<std::string, std::vector<std::string>>;

struct CaptureRun {
  CaptureDocs model;
  CaptureDocs pg;
  size_t documents = 0;         // on the model side
  size_t change_documents = 0;  // of them, not snapshot documents
  // The errors that stopped each side's capture (it restarts at its next step).
  std::vector<std::string> model_errors;
  std::vector<std::string> pg_errors;
  // What each side's capture chose not to capture, in words.
  std::vector<std::string> model_ignored;
  std::vector<std::string> pg_ignored;
};

// Runs the first `prefix` workload steps of the schedule on both sides.
// Fails only when the server cannot be set up or reached.
Result<CaptureRun> run_capture_schedule(const Cluster& cluster, const CaptureSchedule& s,
                                        size_t prefix, const std::string& database);

// The first difference, in words, or nullopt when the two sides agree.
std::optional<std::string> capture_difference(const CaptureRun& run);

struct CaptureCheck {
  size_t documents = 0;  // of the whole schedule, on the model side
  size_t change_documents = 0;
  std::vector<std::string> model_errors;  // of the whole schedule
  std::vector<std::string> pg_errors;
  std::optional<std::string> difference;  // of the whole schedule
  size_t shrunk_prefix = 0;               // workload steps that still differ
  std::string shrunk_difference;
  std::vector<std::string> shrunk_steps;  // the shrunk prefix, one line per step
  size_t runs = 0;
};

// Runs the whole schedule and, if the sides differ, shrinks it.
// `database_prefix` names the server databases (suffixed with a counter).
Result<CaptureCheck> check_capture(const Cluster& cluster, const CaptureSchedule& s,
                                   const std::string& database_prefix);

}  // namespace cdc::conformance
