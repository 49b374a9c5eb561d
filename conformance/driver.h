// The conformance driver: runs a workload prefix on a fresh model and on a
// fresh PostgreSQL database side by side, then compares.
//
// A run of prefix p:
//   1. PostgreSQL: CREATE DATABASE, the tables, a test_decoding slot, one
//      connection per workload session; the model: the same tables, started
//      at PostgreSQL's next xid, and a slot;
//   2. steps 1..p on both sides, one at a time (the model first), recording
//      each step's result; after every commit and maintenance step, both
//      sides' tables are observed;
//   3. every open transaction commits (session order); a last observation;
//   4. the end-of-run probes: decoding, xmin filters, keyset chunks and ctid
//      ranges, slot behaviour.
// compare_all() then runs every comparison (compare_*.h) on the trace.
//
// Shrinking: for every comparison that differs, the shortest prefix that still
// differs is found by binary search over the prefix length, each probe a fresh
// run of both sides. (A prefix that ends inside transactions is still a
// workload: step 3 commits them.)
#pragma once

#include <cstddef>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "conformance/cluster.h"
#include "conformance/comparison.h"
#include "conformance/trace.h"
#include "conformance/workload.h"

namespace cdc::conformance {

struct RunOptions {
  size_t prefix = std::numeric_limits<size_t>::max();  // clamped to the workload's length
  bool slot_checks = true;
};

// One run (see file comment). Fails only when PostgreSQL cannot be set up
// (with the server log's tail); disagreements are in the trace.
Result<RunTrace> run_workload(const Cluster& cluster, const Workload& w, const RunOptions& o);

std::vector<Comparison> compare_all(const Workload& w, const RunTrace& t);

struct ShrunkDifference {
  Difference first;          // as the full run found it
  size_t shrunk_prefix = 0;  // the shortest prefix that still differs in first.comparison
  Difference shrunk;         // as that prefix shows it
  size_t runs = 0;           // fresh runs the search took
};

// Binary search for the least p in (lo, hi] with differs(p), assuming
// differs(hi) and not differs(lo); returns hi if nothing shorter differs.
// `probes_max` bounds the number of calls.
size_t shrink_prefix(size_t lo, size_t hi, const std::function<bool(size_t)>& differs,
                     size_t probes_max, size_t* probes);

// Shrinks the first difference of each comparison that differs.
Result<std::vector<ShrunkDifference>> shrink_differences(const Cluster& cluster, const Workload& w,
                                                         const std::vector<Comparison>& found,
                                                         const RunOptions& o);

// A report: for each difference its comparison, prefixes and text, the
// shrunk workload's steps, and every comparison's notes.
std::string format_report(const Workload& w, const std::vector<Comparison>& comparisons,
                          const std::vector<ShrunkDifference>& shrunk);

}  // namespace cdc::conformance
