// cdcsim-conformance: a long differential campaign of the source model
// against a throwaway PostgreSQL 15 cluster (tools/conformance.sh).
//
// For each of N workloads (seeds S, S+1, ...) of M steps it runs the model
// and PostgreSQL side by side, compares (driver.h), shrinks what differs, and
// prints per workload the differences and the time each side took; then the
// totals: workloads compared, steps per workload, differences, and the mean
// time per workload of the model and of PostgreSQL with their ratio.
// Exit code: 0 when nothing differs, 1 when something does, 2 when
// PostgreSQL cannot be started or set up.
#include <CLI/CLI.hpp>

#include <algorithm>

#include <cstdio>
#include <map>
#include <string>

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

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Differential conformance: the source model against PostgreSQL 15"};
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);  // script defaults
  uint64_t workloads = 20;
  uint32_t steps = 200;
  uint64_t seed = 1;
  uint32_t sessions = 3;
  uint64_t start_xid = 0;
  bool near_wraparound = false;
  bool no_shrink = false;
  app.add_option("--workloads", workloads, "workloads to compare")->check(CLI::Range(1, 100000));
  app.add_option("--steps", steps, "steps per workload")->check(CLI::Range(1, 100000));
  app.add_option("--seed", seed, "seed of the first workload (then seed+1, ...)");
  app.add_option("--sessions", sessions, "concurrent sessions")->check(CLI::Range(1, 16));
  app.add_flag("--near-wraparound", near_wraparound,
               "move the xid counter 20 xids before the wrap before every workload "
               "(pg_resetwal -x), so that each crosses it");
  app.add_option("--start-xid", start_xid,
                 "as --near-wraparound, but at this xid (pg_resetwal -x before every workload)")
      ->check(CLI::Range(uint64_t{3}, uint64_t{0xffffffff}));
  app.add_flag("--no-shrink", no_shrink, "report differences without shrinking them");
  CLI11_PARSE(app, argc, argv);

  ClusterOptions co;
  if (near_wraparound) co.start_xid = 0xffffffffu - 20;
  if (start_xid) co.start_xid = static_cast<uint32_t>(start_xid);
  auto cluster = Cluster::start(co);
  if (!cluster.is_ok()) {
    std::fprintf(stderr, "%s\n", cluster.error().message.c_str());
    return 2;
  }
  std::printf(
      "conformance: %llu workloads x %u steps, %u sessions, seeds %llu..%llu%s\n",
      static_cast<unsigned long long>(workloads), steps, sessions,
      static_cast<unsigned long long>(seed), static_cast<unsigned long long>(seed + workloads - 1),
      co.start_xid ? (", cluster started at xid " + std::to_string(*co.start_xid)).c_str() : "");
  cdc::conformance::WorkloadOptions wo;
  wo.steps = steps;
  wo.sessions = sessions;
  Totals totals;
  std::string notes;
  for (uint64_t i = 0; i < workloads; ++i) {
    if (i > 0 && co.start_xid) {
      // Back before the wrap (forward, in the next epoch): every workload crosses it.
      if (Status r = cluster.value()->reset_xid(*co.start_xid); !r.is_ok()) {
        std::fprintf(stderr, "%s\n", r.message().c_str());
        return 2;
      }
    }
    const cdc::conformance::Workload w = cdc::conformance::generate_workload(seed + i, wo);
    auto trace = cdc::conformance::run_workload(*cluster.value(), w, {});
    if (!trace.is_ok()) {
      std::fprintf(stderr, "workload seed %llu: %s\n", static_cast<unsigned long long>(w.seed),
                   trace.error().message.c_str());
      return 2;
    }
    const std::vector<Comparison> comparisons = cdc::conformance::compare_all(w, trace.value());
    size_t differences = 0;
    for (const Comparison& c : comparisons)
      differences += c.differences.size();
    const auto& t = trace.value();
    ++totals.workloads;
    totals.differences += differences;
    totals.model_seconds += t.model_seconds;
    totals.pg_seconds += t.pg_seconds;
    totals.pg_setup_seconds += t.pg_setup_seconds;
    totals.pg_seconds_max = std::max(totals.pg_seconds_max, t.pg_seconds);
    count_coverage(w, t, &totals.coverage);
    std::printf(
        "workload seed %llu: %zu steps, %zu difference(s), model %.1f ms, PostgreSQL %.1f ms "
        "(x%.0f), PostgreSQL setup %.1f ms\n",
        static_cast<unsigned long long>(w.seed), w.steps.size(), differences, t.model_seconds * 1e3,
        t.pg_seconds * 1e3, t.model_seconds > 0 ? t.pg_seconds / t.model_seconds : 0.0,
        t.pg_setup_seconds * 1e3);
    if (differences > 0) {
      std::vector<cdc::conformance::ShrunkDifference> shrunk;
      if (!no_shrink) {
        auto s = cdc::conformance::shrink_differences(*cluster.value(), w, comparisons, {});
        if (s.is_ok()) shrunk = s.value();
      }
      std::printf("%s", cdc::conformance::format_report(w, comparisons, shrunk).c_str());
    } else if (notes.empty()) {
      notes = cdc::conformance::format_report(w, comparisons, {});
    }
    std::fflush(stdout);
  }
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
  return totals.differences == 0 ? 0 : 1;
}
