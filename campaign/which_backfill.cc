#include "campaign/which_backfill.h"

#include <algorithm>
#include <optional>
#include <set>

#include "campaign/runner.h"
#include "campaign/target.h"
#include "model/assert.h"
#include "properties/checkers.h"
#include "sim/fingerprint.h"

namespace cdc::campaign {

namespace {

using Alt = DecisionAlternative;

// Row texts are the documentation's own words (the table being measured).
std::vector<DecisionRow> rows_one_to_five() {
  return {
      {1,
       "Refresh my collections with source data, without dropping destination tables",
       "Use a Capture Backfill to pull all source data into Estuary collections",
       "The same refresh at tick 100 done four ways. The capture backfill re-reads both tables "
       "and keeps the destination tables up (no downtime); the data flow backfill re-reads them "
       "too but drops and rebuilds the destination tables; the materialization backfill reads "
       "nothing from the source and only rebuilds the destinations.",
       {{"row1-capture-backfill.yaml", "capture backfill (every binding)", true, false},
        {"row1-capture-backfill-one-binding.yaml", "capture backfill (accounts only)", false,
         false},
        {"row2-materialization-backfill.yaml", "materialization backfill", false, false},
        {"row3-dataflow-backfill.yaml", "data flow backfill", false, false},
        {"row1-capture-backfill.yaml", "no backfill", false, true}}},
      {2,
       "Rebuild destination tables using existing collection data",
       "Use a Materialization Backfill to drop and recreate destination tables from collections",
       "Both rebuild the destination tables; only the data flow backfill re-reads the source "
       "to do it.",
       {{"row2-materialization-backfill.yaml", "materialization backfill", true, false},
        {"row3-dataflow-backfill.yaml", "data flow backfill", false, false},
        {"row2-materialization-backfill.yaml", "no backfill", false, true}}},
      {3,
       "Completely refresh my entire data pipeline from source to destination",
       "Use a Data Flow Backfill to drop destination tables and backfill from source",
       "Merge and delta destinations, each refreshed by a data flow backfill or by a capture "
       "backfill that keeps the tables. Into delta tables a capture backfill appends every "
       "backfilled row again: the duplicates the documentation warns of.",
       {{"row3-dataflow-backfill.yaml", "data flow backfill, merge", true, false},
        {"row3-dataflow-backfill-delta.yaml", "data flow backfill, delta", false, false},
        {"row1-capture-backfill.yaml", "capture backfill, merge", false, false},
        {"capture-backfill-with-delta.yaml", "capture backfill, delta", false, false}}},
      {4,
       "Recover from a replication slot failure in PostgreSQL",
       "Use a Capture Backfill to re-establish consistency",
       "The capture stalls while the WAL it needs grows past max_slot_wal_keep_size, the slot "
       "is lost, and a backfill at tick 175 recovers.",
       {{"slot-failure-recovery.yaml", "capture backfill", true, false},
        {"row4-slot-failure-dataflow-backfill.yaml", "data flow backfill", false, false},
        {"slot-failure-recovery.yaml", "no backfill", false, true}}},
      {5,
       "Add a new table to my existing data flow",
       "Use a Capture Backfill for just the new binding",
       "The new table (tags) is backfilled when it is added, or only its changes are captured "
       "(Only Changes from the start).",
       {{"row5-add-table.yaml", "capture backfill of the new binding", true, false},
        {"row5-add-table-only-changes.yaml", "Only Changes (no backfill)", false, false}}},
  };
}

std::vector<DecisionRow> rows_six_to_ten() {
  return {
      {6,
       "Ensure my own storage bucket contains complete historical data",
       "Use a Capture Backfill after setting up the new storage mapping",
       "The collections move to new, empty storage at tick 100; both rebuild the destination "
       "tables from the new storage at tick 150.",
       {{"row6-new-storage-capture-backfill.yaml", "capture backfill after the move", true, false},
        {"row6-new-storage-without-backfill.yaml", "no capture backfill", false, false}}},
      {7,
       "Recreate a destination table from scratch when using trial buckets with limited "
       "retention",
       "Use a Data Flow Backfill to ensure all historical source data is included",
       "Documents expire after 40 ticks. A materialization backfill rebuilds the tables from "
       "what is left of the collections; the data flow backfill re-reads the source.",
       {{"row7-dataflow-backfill-with-retention.yaml", "data flow backfill", true, false},
        {"materialization-backfill-after-retention.yaml", "materialization backfill", false, false},
        {"row7-dataflow-backfill-with-retention.yaml", "no backfill", false, true}}},
      {8,
       "Update my destination with schema changes from the source",
       "Use a Data Flow Backfill to ensure schema changes are properly propagated",
       "The destination schema version changes at tick 100 (column contents are not "
       "modelled), and the tables are recreated by the next backfill.",
       {{"row8-schema-change-dataflow-backfill.yaml", "data flow backfill", true, false},
        {"row8-schema-change-materialization-backfill.yaml", "materialization backfill", false,
         false}}},
      {9,
       "Recover from data corruption in both collections and destinations",
       "Use a Data Flow Backfill for a complete refresh of the entire pipeline",
       "At tick 300 half of the documents and destination rows are damaged; a backfill "
       "follows at tick 301. The first line also rebuilds the destinations once more at tick "
       "350 to show the repaired collections are sound.",
       {{"row9-corruption-dataflow-backfill.yaml",
         "data flow backfill, then a materialization "
         "backfill",
         true, false},
        {"row9-corruption-dataflow-backfill-once.yaml", "data flow backfill", false, false},
        {"row9-corruption-capture-backfill.yaml", "capture backfill", false, false},
        {"row9-corruption-left-alone.yaml", "no backfill", false, false}}},
      {10,
       "Recover from data corruption in both collections and destinations for very large (TBs "
       "of data) datasets",
       "Use a Data Flow Backfill for a refresh of the pipeline with capture configurations to "
       "start the backfill from a particular timestamp or transaction id",
       "min_backfill_xid is set at tick 60 and a backfill follows at tick 120; a data flow "
       "backfill of everything is the full-cost reference.",
       {{"row10-dataflow-backfill-from-xid.yaml", "data flow backfill from the xid", true, false},
        {"row10-capture-backfill-from-xid.yaml", "capture backfill from the xid", false, false},
        {"row10-dataflow-backfill-without-xid.yaml", "data flow backfill of everything", false,
         false},
        {"row10-dataflow-backfill-from-xid.yaml", "no backfill", false, true}}},
  };
}

std::vector<DecisionRow> make_rows() {
  std::vector<DecisionRow> rows = rows_one_to_five();
  for (DecisionRow& r : rows_six_to_ten())
    rows.push_back(std::move(r));
  return rows;
}

bool is_backfill(const sim::ScriptedOp& op) {
  using K = sim::ScriptedOp::Kind;
  return op.kind == K::kCaptureBackfill || op.kind == K::kMaterializationBackfill ||
         op.kind == K::kDataFlowBackfill;
}

struct Job {
  size_t row = 0, alternative = 0, seed_index = 0;
  Target target;
};

// One run: its costs, workload digest and verdict marks into `a`, at its seed's slot.
void run_one(const Job& job, reports::AlternativeRuns* a) {
  const sim::RunResult r = sim::run_world(job.target.options);
  a->costs[job.seed_index] = reports::cost_values(r.history.costs);
  a->workloads[job.seed_index] = workload_digest(r.history);
  const std::vector<properties::Verdict> verdicts = properties::check_all(r.history);
  CDC_ASSERT(verdicts.size() == a->properties.size(), "a verdict per property");
  // One mark per seed and property, in a slot of its own (runs of one
  // alternative may run at once); count_verdicts sums them afterwards.
  for (size_t i = 0; i < verdicts.size(); ++i) {
    const size_t k = verdicts[i].holds() ? 0 : verdicts[i].violated() ? 1 : 2;
    a->verdicts[job.seed_index * verdicts.size() + i][k] = 1;
  }
}

// The per-seed verdict marks run_one left -> runs per property and outcome.
void count_verdicts(reports::AlternativeRuns* a) {
  const size_t n = a->properties.size();
  CDC_ASSERT(a->verdicts.size() == n * a->seeds.size(), "marks per seed and property");
  std::vector<std::array<uint64_t, 3>> counts(n, {0, 0, 0});
  for (size_t s = 0; s < a->seeds.size(); ++s) {
    for (size_t i = 0; i < n; ++i) {
      for (size_t k = 0; k < 3; ++k)
        counts[i][k] += a->verdicts[s * n + i][k];
    }
  }
  a->verdicts = std::move(counts);
}

}  // namespace

const std::vector<DecisionRow>& decision_rows() {
  static const std::vector<DecisionRow> kRows = make_rows();
  return kRows;
}

std::string workload_digest(const history::History& h) {
  std::set<uint32_t> captured;
  for (const history::Binding& b : h.bindings)
    captured.insert(b.table_id);
  sim::Fingerprint fp;
  for (const history::SourceCommit& c : h.source_commits) {
    for (const history::SourceKeyChange& k : c.changes) {
      if (!captured.count(k.table)) continue;
      fp.add_u64(c.tick);
      fp.add_u64(k.table);
      fp.add(k.key);
      fp.add_u64(k.after.has_value());
      if (k.after) fp.add_row(*k.after);
    }
  }
  return fp.hex();
}

std::variant<reports::WhichBackfillPage, std::string> which_backfill(
    const WhichBackfillOptions& o) {
  CDC_ASSERT(o.seeds >= 1, "at least one seed");
  reports::WhichBackfillPage page;
  page.command = o.command;
  page.seeds = o.seeds;
  std::vector<Job> jobs;
  for (size_t r = 0; r < o.rows.size(); ++r) {
    const DecisionRow& row = o.rows[r];
    reports::DecisionRowRuns& out = page.rows.emplace_back();
    out.row = row.row;
    out.want = row.want;
    out.should = row.should;
    out.note = row.note;
    std::optional<uint64_t> first_seed;
    for (size_t a = 0; a < row.alternatives.size(); ++a) {
      const Alt& alt = row.alternatives[a];
      const std::string path = o.catalogue_dir + "/" + alt.file;
      if (!first_seed) {
        std::variant<Target, std::string> own = file_target(path, std::nullopt);
        if (const auto* err = std::get_if<std::string>(&own)) return *err;
        first_seed = std::get<Target>(own).seed;
      }
      reports::AlternativeRuns& runs = out.alternatives.emplace_back();
      runs.label = alt.label;
      runs.file = o.shown_dir + "/" + alt.file;
      runs.documented = alt.documented;
      runs.no_backfill = alt.no_backfill;
      runs.properties = properties::property_names();
      runs.costs.assign(o.seeds, {});
      runs.workloads.assign(o.seeds, "");
      runs.verdicts.assign(o.seeds * runs.properties.size(), {});
      for (uint64_t s = 0; s < o.seeds; ++s) {
        std::variant<Target, std::string> t = file_target(path, *first_seed + s);
        if (const auto* err = std::get_if<std::string>(&t)) return *err;
        Job job{r, a, s, std::get<Target>(std::move(t))};
        if (alt.no_backfill) std::erase_if(job.target.options.script, is_backfill);
        runs.seeds.push_back(*first_seed + s);
        jobs.push_back(std::move(job));
      }
    }
  }
  RunnerOptions ro;
  ro.jobs = o.jobs;
  run_items(jobs.size(), ro, [&](size_t i) {
    const Job& j = jobs[i];
    run_one(j, &page.rows[j.row].alternatives[j.alternative]);
    return false;
  });
  for (reports::DecisionRowRuns& row : page.rows) {
    for (reports::AlternativeRuns& a : row.alternatives)
      count_verdicts(&a);
  }
  return page;
}

}  // namespace cdc::campaign
