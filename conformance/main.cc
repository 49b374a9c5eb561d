// cdcsim-conformance: a long differential campaign of the source model
// against a throwaway PostgreSQL 15 cluster (tools/conformance.sh).
//
// For each of N workloads (seeds S, S+1, ...) of M steps it runs the model
// and PostgreSQL side by side, compares (driver.h), shrinks what differs, and
// prints per workload the differences and the time each side took; then the
// totals: workloads compared, steps per workload, differences, and the mean
// time per workload of the model and of PostgreSQL with their ratio.
// With --capture it compares the capture instead (capture_conformance.h):
// per seed, one one-session schedule of M steps for each algorithm (Estuary
// Automatic, Debezium Normal, Flink CDC Precise), the collection documents
// of the capture over the model and over PostgreSQL, a difference shrunk.
// Exit code: 0 when nothing differs, 1 when something does, 2 when
// PostgreSQL cannot be started or set up.
#include <CLI/CLI.hpp>

#include <algorithm>

#include <cstdio>
#include <map>
#include <string>

#include "conformance/capture_conformance.h"
#include "conformance/cluster.h"
#include "conformance/driver.h"

namespace {

using cdc::Status;
using cdc::conformance::Cluster;
using cdc::conformance::ClusterOptions;
using cdc::conformance::Comparison;

struct Totals {
  size_t workloads = 0;
  size_t differences = 0;
  double model_seconds = 0;
  double pg_seconds = 0;
  double pg_setup_seconds = 0;
  double pg_seconds_max = 0;
  std::map<std::string, size_t> coverage;  // what the workloads exercised
};

// Counts what a run exercised, so that "no difference" can be read as "no
// difference on these".
void count_coverage(const cdc::conformance::Workload& w, const cdc::conformance::RunTrace& t,
                    std::map<std::string, size_t>* c) {
  using cdc::conformance::Outcome;
  using cdc::conformance::Step;
  for (size_t i = 0; i < t.prefix; ++i) {
    const Step& step = w.steps[i];
    if (step.kind == Step::Kind::kVacuumFreeze) ++(*c)["VACUUM FREEZE"];
    if (step.kind == Step::Kind::kVacuumFull) ++(*c)["VACUUM FULL"];
    if (step.kind == Step::Kind::kStatement) ++(*c)[to_string(step.statement.kind)];
    const Outcome o = t.pg_steps[i].outcome;
    if (o != Outcome::kOk) ++(*c)[std::string("failed: ") + to_string(o)];
  }
  for (const auto& txn : t.decoded.pg.value) {
    ++(*c)["decoded transactions"];
    for (const std::string& ch : txn.changes) {
      if (ch.find("<unchanged-toast>") != std::string::npos) ++(*c)["decoded unchanged TOAST"];
      if (ch.find(" old(") != std::string::npos) ++(*c)["decoded old key/row"];
      if (ch.starts_with("TRUNCATE")) ++(*c)["decoded TRUNCATE"];
    }
  }
  for (const auto& wk : t.walks)
    (*c)["keyset chunks"] += wk.chunks.pg.value.size();
  (*c)["xmin filter queries"] += t.filters.size();
  if (t.next_xid.pg.value < t.first_xid) ++(*c)["workloads across the xid wrap"];
}

// The command line, with its defaults.
struct Flags {
  uint64_t workloads = 20;
  uint32_t steps = 200;
  uint64_t seed = 1;
  uint32_t sessions = 3;
  uint64_t start_xid = 0;
  bool near_wraparound = false;
  bool no_shrink = false;
  bool capture = false;
};

void add_flags(CLI::App* app, Flags* f) {
  app->add_option("--workloads", f->workloads, "workloads to compare")
      ->check(CLI::Range(1, 100000));
  app->add_option("--steps", f->steps, "steps per workload")->check(CLI::Range(1, 100000));
  app->add_option("--seed", f->seed, "seed of the first workload (then seed+1, ...)");
  app->add_option("--sessions", f->sessions, "concurrent sessions")->check(CLI::Range(1, 16));
  app->add_flag("--near-wraparound", f->near_wraparound,
                "move the xid counter 20 xids before the wrap before every workload "
                "(pg_resetwal -x), so that each crosses it");
  app->add_option("--start-xid", f->start_xid,
                  "as --near-wraparound, but at this xid (pg_resetwal -x before every workload)")
      ->check(CLI::Range(uint64_t{3}, uint64_t{0xffffffff}));
  app->add_flag("--no-shrink", f->no_shrink, "report differences without shrinking them");
  app->add_flag("--capture", f->capture,
                "compare the capture's collection documents (one session, each algorithm) "
                "instead of the source model");
}

// The xid the cluster starts at, and is reset to before every workload: none
// by default, 20 before the wrap with --near-wraparound, --start-xid if given.
ClusterOptions cluster_options(const Flags& f) {
  ClusterOptions co;
  if (f.near_wraparound) co.start_xid = 0xffffffffu - 20;
  if (f.start_xid) co.start_xid = static_cast<uint32_t>(f.start_xid);
  return co;
}

// The first line of the output: what is about to be compared.
void print_campaign(const Flags& f, const ClusterOptions& co) {
  std::printf(
      "conformance: %llu workloads x %u steps, %u sessions, seeds %llu..%llu%s\n",
      static_cast<unsigned long long>(f.workloads), f.steps, f.sessions,
      static_cast<unsigned long long>(f.seed),
      static_cast<unsigned long long>(f.seed + f.workloads - 1),
      co.start_xid ? (", cluster started at xid " + std::to_string(*co.start_xid)).c_str() : "");
}

size_t count_differences(const std::vector<Comparison>& comparisons) {
  size_t differences = 0;
  for (const Comparison& c : comparisons)
    differences += c.differences.size();
  return differences;
}

void add_to_totals(const cdc::conformance::Workload& w, const cdc::conformance::RunTrace& t,
                   size_t differences, Totals* totals) {
  ++totals->workloads;
  totals->differences += differences;
  totals->model_seconds += t.model_seconds;
  totals->pg_seconds += t.pg_seconds;
  totals->pg_setup_seconds += t.pg_setup_seconds;
  totals->pg_seconds_max = std::max(totals->pg_seconds_max, t.pg_seconds);
  count_coverage(w, t, &totals->coverage);
}

void print_workload(const cdc::conformance::Workload& w, const cdc::conformance::RunTrace& t,
                    size_t differences) {
  std::printf(
      "workload seed %llu: %zu steps, %zu difference(s), model %.1f ms, PostgreSQL %.1f ms "
      "(x%.0f), PostgreSQL setup %.1f ms\n",
      static_cast<unsigned long long>(w.seed), w.steps.size(), differences, t.model_seconds * 1e3,
      t.pg_seconds * 1e3, t.model_seconds > 0 ? t.pg_seconds / t.model_seconds : 0.0,
      t.pg_setup_seconds * 1e3);
}

// Prints the report of a workload that differs, its differences shrunk
// unless `shrink` is false (a shrink that fails reports them unshrunk).
void print_differences(const Cluster& cluster, const cdc::conformance::Workload& w,
                       const std::vector<Comparison>& comparisons, bool shrink) {
  std::vector<cdc::conformance::ShrunkDifference> shrunk;
  if (shrink) {
    auto s = cdc::conformance::shrink_differences(cluster, w, comparisons, {});
    if (s.is_ok()) shrunk = s.value();
  }
  std::printf("%s", cdc::conformance::format_report(w, comparisons, shrunk).c_str());
}

// Generates the workload of `seed`, runs it on the model and on PostgreSQL,
// compares, prints the outcome and adds it to `totals`. The first workload
// without differences leaves its report in `notes` (what is not compared).
// Returns false, after printing why on stderr, when PostgreSQL cannot run it.
bool compare_workload(const Cluster& cluster, const Flags& f, uint64_t seed, Totals* totals,
                      std::string* notes) {
  cdc::conformance::WorkloadOptions wo;
  wo.steps = f.steps;
  wo.sessions = f.sessions;
  const cdc::conformance::Workload w = cdc::conformance::generate_workload(seed, wo);
  auto trace = cdc::conformance::run_workload(cluster, w, {});
  if (!trace.is_ok()) {
    std::fprintf(stderr, "workload seed %llu: %s\n", static_cast<unsigned long long>(w.seed),
                 trace.error().message.c_str());
    return false;
  }
  const cdc::conformance::RunTrace& t = trace.value();
  const std::vector<Comparison> comparisons = cdc::conformance::compare_all(w, t);
  const size_t differences = count_differences(comparisons);
  add_to_totals(w, t, differences, totals);
  print_workload(w, t, differences);
  if (differences > 0) {
    print_differences(cluster, w, comparisons, !f.no_shrink);
  } else if (notes->empty()) {
    *notes = cdc::conformance::format_report(w, comparisons, {});
  }
  std::fflush(stdout);
  return true;
}

// The summary after the last workload, then what is deliberately not compared.
void print_totals(const Totals& totals, uint32_t steps, const std::string& notes) {
  const double n = static_cast<double>(totals.workloads);
  std::printf("\nworkloads compared: %zu\noperations per workload: %u\ndifferences found: %zu\n",
              totals.workloads, steps, totals.differences);
  std::printf(
      "time per workload: model %.2f ms, PostgreSQL %.2f ms (+ %.1f ms setup); "
      "PostgreSQL / model = %.0f\n",
      totals.model_seconds / n * 1e3, totals.pg_seconds / n * 1e3,
      totals.pg_setup_seconds / n * 1e3,
      totals.model_seconds > 0 ? totals.pg_seconds / totals.model_seconds : 0.0);
  std::printf("slowest workload on PostgreSQL: %.1f ms\ncoverage:", totals.pg_seconds_max * 1e3);
  for (const auto& [what, count] : totals.coverage)
    std::printf(" %s %zu,", what.c_str(), count);
  std::printf("\n");
  if (!notes.empty()) std::printf("\nwhat is deliberately not compared:\n%s", notes.c_str());
}

// --capture: every seed's schedule under each algorithm; returns the exit code.
int capture_campaign(const Cluster& cluster, const Flags& f) {
  using cdc::CaptureAlgorithm;
  const std::vector<std::pair<CaptureAlgorithm, cdc::BackfillMode>> runs = {
      {CaptureAlgorithm::kEstuary, cdc::BackfillMode::kAutomatic},
      {CaptureAlgorithm::kDebezium, cdc::BackfillMode::kNormal},
      {CaptureAlgorithm::kFlink, cdc::BackfillMode::kPrecise}};
  std::printf("capture conformance: %llu seeds x %u steps x %zu algorithms\n",
              static_cast<unsigned long long>(f.workloads), f.steps, runs.size());
  size_t schedules = 0, documents = 0, differences = 0;
  for (uint64_t i = 0; i < f.workloads; ++i) {
    for (const auto& [algorithm, mode] : runs) {
      const auto s =
          cdc::conformance::generate_capture_schedule(f.seed + i, f.steps, algorithm, mode);
      auto c = cdc::conformance::check_capture(cluster, s, "capture");
      if (!c.is_ok()) {
        std::fprintf(stderr, "seed %llu: %s\n", static_cast<unsigned long long>(f.seed + i),
                     c.error().message.c_str());
        return 2;
      }
      ++schedules;
      documents += c.value().documents;
      std::printf("seed %llu %s/%s: %zu documents, %s\n",
                  static_cast<unsigned long long>(f.seed + i), to_string(algorithm),
                  to_string(mode), c.value().documents,
                  c.value().difference ? "DIFFERS" : "the same on both sides");
      if (!c.value().difference) continue;
      ++differences;
      std::printf("  %s\n  shrunk to %zu steps (%zu runs): %s\n", c.value().difference->c_str(),
                  c.value().shrunk_prefix, c.value().runs, c.value().shrunk_difference.c_str());
      for (const std::string& step : c.value().shrunk_steps)
        std::printf("    %s\n", step.c_str());
    }
    std::fflush(stdout);
  }
  std::printf("\nschedules compared: %zu\ndocuments compared: %zu\ndifferences found: %zu\n",
              schedules, documents, differences);
  return differences == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Differential conformance: the source model against PostgreSQL 15"};
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);  // script defaults
  Flags flags;
  add_flags(&app, &flags);
  CLI11_PARSE(app, argc, argv);

  const ClusterOptions co = cluster_options(flags);
  auto cluster = Cluster::start(co);
  if (!cluster.is_ok()) {
    std::fprintf(stderr, "%s\n", cluster.error().message.c_str());
    return 2;
  }
  if (flags.capture) return capture_campaign(*cluster.value(), flags);
  print_campaign(flags, co);
  Totals totals;
  std::string notes;
  for (uint64_t i = 0; i < flags.workloads; ++i) {
    if (i > 0 && co.start_xid) {
      // Back before the wrap (forward, in the next epoch): every workload crosses it.
      if (Status r = cluster.value()->reset_xid(*co.start_xid); !r.is_ok()) {
        std::fprintf(stderr, "%s\n", r.message().c_str());
        return 2;
      }
    }
    if (!compare_workload(*cluster.value(), flags, flags.seed + i, &totals, &notes)) return 2;
  }
  print_totals(totals, flags.steps, notes);
  return totals.differences == 0 ? 0 : 1;
}
