#include "conformance/driver.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

#include "conformance/compare_chunks.h"
#include "conformance/compare_ctid.h"
#include "conformance/compare_decoding.h"
#include "conformance/compare_outcomes.h"
#include "conformance/compare_slots.h"
#include "conformance/compare_xmin.h"
#include "conformance/model_side.h"
#include "conformance/pg_side.h"

namespace cdc::conformance {
namespace {

constexpr size_t kShrinkProbesMax = 24;

std::string run_name() {
  static uint64_t counter = 0;
  return "cdc_" + std::to_string(getpid()) + "_" + std::to_string(++counter);
}

bool observed_after(const Step& step) {
  return step.kind != Step::Kind::kStatement ||
         step.statement.kind == sim::Statement::Kind::kCommit;
}

// Tracks whether a rewrite (VACUUM FULL, the commit of a transaction that ran
// TRUNCATE) happened since the last observation.
class RewriteTracker {
 public:
  void step(const Step& step, const StepResult& model) {
    if (step.kind == Step::Kind::kVacuumFull) {
      pending_ = true;
      return;
    }
    if (step.kind != Step::Kind::kStatement) return;
    const sim::Statement& st = step.statement;
    using K = sim::Statement::Kind;
    if (st.kind == K::kTruncate && model.outcome == Outcome::kOk) truncated_.insert(st.session);
    const bool ended =
        st.kind == K::kCommit || st.kind == K::kAbort || (model.outcome != Outcome::kOk);
    if (ended && truncated_.erase(st.session) && st.kind == K::kCommit) pending_ = true;
  }
  void finish() {
    if (!truncated_.empty()) pending_ = true;
    truncated_.clear();
  }
  bool take() { return std::exchange(pending_, false); }

 private:
  std::set<uint32_t> truncated_;
  bool pending_ = false;
};

void observe(Sides& sides, size_t after_steps, bool at_finish, bool rewrite, RunTrace* t) {
  Observation o;
  o.after_steps = after_steps;
  o.at_finish = at_finish;
  o.rewrite = rewrite;
  Result<std::optional<std::vector<TableRows>>> m =
      sides.on_model([](Side& s) { return s.snapshot(); });
  Result<std::optional<std::vector<TableRows>>> p =
      sides.on_pg([](Side& s) { return s.snapshot(); });
  if (m.is_ok()) o.model = m.value();
  if (p.is_ok()) o.pg = p.value();
  if (!m.is_ok()) o.error = "model: " + m.error().message;
  if (!p.is_ok()) o.error = "PostgreSQL: " + p.error().message;
  t->observations.push_back(std::move(o));
}

}  // namespace

Result<RunTrace> run_workload(const Cluster& cluster, const Workload& w, const RunOptions& o) {
  RunTrace t;
  t.prefix = std::min(o.prefix, w.steps.size());
  const std::string name = run_name();
  const auto setup_start = std::chrono::steady_clock::now();
  Result<std::unique_ptr<PgSide>> created =
      PgSide::create(PgSideOptions{&cluster, name, w.schemas, w.options.sessions, name});
  if (!created.is_ok()) return created.error();
  std::unique_ptr<PgSide> pg = std::move(created).value();
  t.pg_setup_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - setup_start).count();
  t.first_xid = xid_of(pg->first_next_xid()).value();
  const auto model_start = std::chrono::steady_clock::now();
  ModelSide model(ModelSideOptions{w.schemas, pg->first_next_xid(), name});
  const double model_setup =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - model_start).count();

  Sides sides(&model, pg.get());
  RewriteTracker rewrites;
  for (size_t i = 0; i < t.prefix; ++i) {
    const Step& step = w.steps[i];
    t.model_steps.push_back(sides.on_model([&](Side& s) { return s.execute(step); }));
    t.pg_steps.push_back(sides.on_pg([&](Side& s) { return s.execute(step); }));
    rewrites.step(step, t.model_steps.back());
    if (observed_after(step)) observe(sides, i + 1, false, rewrites.take(), &t);
  }
  Status mf = sides.on_model([](Side& s) { return s.finish(); });
  Status pf = sides.on_pg([](Side& s) { return s.finish(); });
  if (!pf.is_ok()) return Error{pf.code(), "PostgreSQL: final commits failed: " + pf.message()};
  CDC_ASSERT(mf.is_ok(), "the model's final commits cannot fail");
  rewrites.finish();
  observe(sides, t.prefix, true, rewrites.take(), &t);

  sim::Prng prng = sim::Prng(w.seed).fork(3);
  probe_decoding(sides, &t);
  probe_xmin_filters(sides, w, prng.fork(1), &t);
  probe_chunks(sides, w, prng.fork(2), &t);
  if (o.slot_checks) probe_slots(sides, prng.fork(3), &t);
  t.model_seconds = sides.model_seconds() + model_setup;
  t.pg_seconds = sides.pg_seconds();
  return t;
}

std::vector<Comparison> compare_all(const Workload& w, const RunTrace& t) {
  return {compare_outcomes(w, t), compare_xmin(w, t),   compare_ctid(w, t),
          compare_decoding(w, t), compare_chunks(w, t), compare_slots(w, t)};
}

size_t shrink_prefix(size_t lo, size_t hi, const std::function<bool(size_t)>& differs,
                     size_t probes_max, size_t* probes) {
  CDC_ASSERT(lo < hi, "shrink_prefix needs lo < hi");
  size_t n = 0;
  while (hi - lo > 1 && n < probes_max) {
    const size_t mid = lo + (hi - lo) / 2;
    ++n;
    if (differs(mid)) {
      hi = mid;
    } else {
      lo = mid;
    }
  }
  if (probes) *probes = n;
  return hi;
}

Result<std::vector<ShrunkDifference>> shrink_differences(const Cluster& cluster, const Workload& w,
                                                         const std::vector<Comparison>& found,
                                                         const RunOptions& o) {
  // The first difference of each kind (Difference::comparison).
  std::map<std::string, Difference> firsts;
  for (const Comparison& c : found) {
    for (const Difference& d : c.differences) {
      auto it = firsts.find(d.comparison);
      if (it == firsts.end() || d.prefix < it->second.prefix) firsts[d.comparison] = d;
    }
  }
  std::vector<ShrunkDifference> out;
  for (const auto& [kind, first] : firsts) {
    ShrunkDifference s;
    s.first = first;
    s.shrunk = first;
    std::optional<Error> failure;
    std::map<size_t, Difference> found_at;
    auto differs = [&](size_t p) {
      RunOptions po = o;
      po.prefix = p;
      Result<RunTrace> t = run_workload(cluster, w, po);
      if (!t.is_ok()) {
        failure = t.error();
        return false;
      }
      for (const Comparison& c : compare_all(w, t.value())) {
        for (const Difference& d : c.differences) {
          if (d.comparison != kind) continue;
          found_at[p] = d;
          return true;
        }
      }
      return false;
    };
    // The empty workload first: some differences need no step at all.
    const size_t hi = std::max<size_t>(first.prefix, 1);
    s.runs = 1;
    if (differs(0)) {
      s.shrunk_prefix = 0;
    } else if (hi > 1) {
      size_t probes = 0;
      s.shrunk_prefix = shrink_prefix(0, hi, differs, kShrinkProbesMax, &probes);
      s.runs += probes;
    } else {
      s.shrunk_prefix = hi;
    }
    if (failure) return *failure;
    if (auto it = found_at.find(s.shrunk_prefix); it != found_at.end()) s.shrunk = it->second;
    out.push_back(std::move(s));
  }
  return out;
}

std::string format_report(const Workload& w, const std::vector<Comparison>& comparisons,
                          const std::vector<ShrunkDifference>& shrunk) {
  std::string out;
  size_t differences = 0;
  for (const Comparison& c : comparisons)
    differences += c.differences.size();
  out += "workload seed " + std::to_string(w.seed) + ", " + std::to_string(w.steps.size()) +
         " steps: " + std::to_string(differences) + " difference(s)\n";
  for (const Comparison& c : comparisons) {
    for (const Difference& d : c.differences) {
      out += "  DIFFERENCE [" + d.comparison + "] at prefix " + std::to_string(d.prefix) + ": " +
             d.what + "\n";
    }
  }
  for (const ShrunkDifference& s : shrunk) {
    out += "  SHRUNK [" + s.first.comparison + "] from prefix " + std::to_string(s.first.prefix) +
           " to " + std::to_string(s.shrunk_prefix) + " (" + std::to_string(s.runs) +
           " fresh runs): " + s.shrunk.what + "\n    steps:\n";
    for (size_t i = 0; i < s.shrunk_prefix && i < w.steps.size(); ++i)
      out += "      " + std::to_string(i + 1) + ". " + to_string(w.steps[i], w.schemas) + "\n";
    out += "      then every open transaction commits\n";
  }
  for (const Comparison& c : comparisons) {
    for (const std::string& n : c.notes)
      out += "  note [" + c.name + "]: " + n + "\n";
  }
  return out;
}

}  // namespace cdc::conformance
