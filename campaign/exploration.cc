#include "campaign/exploration.h"

#include <fmt/core.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "campaign/judge.h"
#include "campaign/plan.h"
#include "campaign/shrink.h"
#include "campaign/tally.h"
#include "model/assert.h"
#include "model/mutants.h"
#include "properties/checkers.h"

namespace cdc::campaign {

namespace {

std::string file_name_part(std::string s) {
  for (char& c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') c = '-';
  }
  return s;
}

struct Outcome {
  bool ran = false;
  std::string fingerprint;
  Judgement judgement;
  SituationSet situations;
  reports::CostValues costs{};
};

struct CaseRef {
  size_t k = 0;  // index into this shard's items
  size_t finding = 0;
  bool demo = false;
};

// One exploration: plan, run, summarize, shrink.
class Explorer {
 public:
  Explorer(const ExplorationOptions& o, Plan plan) : o_(o), plan_(std::move(plan)) {}

  reports::ExploreReport run();

 private:
  void lay_out();
  void run_items_of_shard();
  void start_report();
  void tally(size_t k);
  void choose_cases(size_t k, std::set<std::string>* demo_seen);
  void shrink_cases();

  const ExplorationOptions& o_;
  Plan plan_;
  std::vector<size_t> items_;  // global item indices of this shard, increasing
  std::vector<Outcome> outcomes_;
  std::vector<CaseRef> failures_, demos_;
  reports::ExploreReport r_;
};

void Explorer::lay_out() {
  for (size_t i = 0; i < plan_.items(); ++i) {
    if (i % o_.shard_count == o_.shard_index) items_.push_back(i);
  }
  outcomes_.assign(items_.size(), {});
}

void Explorer::run_items_of_shard() {
  const RunnerResult rr = run_items(items_.size(), o_.runner, [&](size_t k) {
    const Target t = plan_.target(items_[k]);
    const sim::RunResult r = sim::run_world(t.options);
    Outcome& out = outcomes_[k];
    out.fingerprint = r.fingerprint;
    out.situations = r.situations;
    out.costs = reports::cost_values(r.history.costs);
    out.judgement = judge(t, r.history);
    out.ran = true;
    return out.judgement.failed();
  });
  r_.seconds = rr.seconds;
}

void Explorer::start_report() {
  r_.command = o_.command;
  r_.mutant = active_mutant() == Mutant::kNone ? "" : mutant_info(active_mutant()).name;
  r_.files = o_.files;
  for (const sim::MatrixCell& c : o_.cells)
    r_.cells.push_back(sim::cell_spec(c));
  r_.seeds = o_.seeds;
  r_.shard_index = o_.shard_index;
  r_.shard_count = o_.shard_count;
  r_.planned = items_.size();
  r_.shrink = o_.shrink;
  r_.demos = o_.demos;
  for (const std::string& f : o_.files)
    r_.file_rows.push_back({f, 0, {}});
  if (o_.cells.empty()) return;
  r_.matrix.emplace();
  r_.matrix->options.seeds = o_.seeds;
  r_.matrix->options.safety_ticks = kCellSafetyTicks;
  r_.matrix->options.liveness_ticks_max = kCellLivenessTicksMax;
  r_.matrix->property_names = properties::property_names();
  for (const sim::MatrixCell& c : o_.cells)
    r_.matrix->rows.emplace_back().cell = c;
}

// Adds item k's run to the counts, its row's tallies and the run records.
void Explorer::tally(size_t k) {
  const size_t item = items_[k];
  const size_t source = item % plan_.sources.size();
  const uint64_t seed = plan_.seed_of(item);
  const Outcome& o = outcomes_[k];
  ++r_.runs;
  reports::add_situations(&r_.situations, o.situations);
  r_.run_records.push_back(
      {item, plan_.sources[source].name(), seed, o.fingerprint, o.judgement.failed(), o.costs});
  reports::add_costs(&r_.costs[plan_.sources[source].name()], o.costs);
  if (source < o_.files.size()) {
    reports::FileRow& row = r_.file_rows[source];
    ++row.runs;
    add_run(&row.properties, seed, o.judgement);
  } else {
    sim::MatrixRow& row = r_.matrix->rows[source - o_.files.size()];
    ++row.runs;
    ++r_.matrix->runs;
    r_.matrix->unexpected += add_run(&row.properties, seed, o.judgement);
  }
  for (const Finding& f : o.judgement.findings) {
    if (f.verdict.violated()) ++r_.violations_by_property[f.verdict.property];
  }
}

// Notes item k's first failure, and its allowed violations as examples (the
// first of each property, up to --demos).
void Explorer::choose_cases(size_t k, std::set<std::string>* demo_seen) {
  const Judgement& j = outcomes_[k].judgement;
  if (const Finding* f = j.first_failure()) {
    ++r_.failed_runs;
    const Target t = plan_.target(items_[k]);
    r_.failures.push_back({items_[k], f->verdict.property, f->why,
                           t.replay_command() + " --fingerprint " + outcomes_[k].fingerprint});
    failures_.push_back({k, static_cast<size_t>(f - j.findings.data()), false});
  }
  for (size_t n = 0; n < j.findings.size(); ++n) {
    const Finding& f = j.findings[n];
    if (f.unexpected || !f.verdict.violated() || demos_.size() >= o_.demos) continue;
    if (demo_seen->insert(f.verdict.property).second) demos_.push_back({k, n, true});
  }
}

void Explorer::shrink_cases() {
  std::vector<CaseRef> shown(failures_.begin(),
                             failures_.begin() + std::min<size_t>(failures_.size(), o_.shrink));
  shown.insert(shown.end(), demos_.begin(), demos_.end());
  r_.cases.assign(shown.size(), {});
  RunnerOptions ro;
  ro.jobs = o_.runner.jobs;
  run_items(shown.size(), ro, [&](size_t c) {
    const CaseRef& ref = shown[c];
    const Outcome& o = outcomes_[ref.k];
    const Target t = plan_.target(items_[ref.k]);
    reports::ReportCase rc =
        make_case(t, o.fingerprint, o.judgement.findings[ref.finding], o_.shrink_budget_s);
    rc.item = items_[ref.k];
    rc.finding = ref.finding;
    rc.demo = ref.demo;
    r_.cases[c] = std::move(rc);
    return false;
  });
}

reports::ExploreReport Explorer::run() {
  lay_out();
  run_items_of_shard();
  start_report();
  std::set<std::string> demo_seen;
  for (size_t k = 0; k < items_.size(); ++k) {
    if (!outcomes_[k].ran) continue;
    tally(k);
    choose_cases(k, &demo_seen);
  }
  shrink_cases();
  CDC_ASSERT(r_.runs <= r_.planned, "no more runs than planned");
  CDC_ASSERT(r_.failures.size() == r_.failed_runs, "one failure record per failing run");
  return std::move(r_);
}

}  // namespace

std::string shrunk_path(const Target& t, const std::string& property) {
  const std::string stem =
      t.source.cell ? t.name() : std::filesystem::path(t.source.file).stem().string();
  return fmt::format("shrunk/{}-seed-{}-{}.yaml", file_name_part(stem), t.seed, property);
}

void show_run(reports::ReportCase* c, const history::History& h) {
  for (const properties::Verdict& v : properties::check_all(h)) {
    if (v.property == c->verdict.property && v.violated()) c->verdict = v;
  }
  c->timeline.reset();
  if (c->verdict.subject) {
    c->timeline = reports::key_timeline(h, c->verdict.subject->binding, c->verdict.subject->key);
  }
}

reports::ReportCase make_case(const Target& t, const std::string& fingerprint, const Finding& f,
                              double shrink_budget_s) {
  reports::ReportCase c;
  c.title = fmt::format("{} seed {}: {}", t.name(), t.seed, f.verdict.property);
  c.target = t.name();
  c.seed = t.seed;
  c.unexpected = f.unexpected;
  c.expectation = f.unexpected ? "" : f.why;
  c.reproduce = t.replay_command() + " --fingerprint " + fingerprint;
  c.fingerprint = fingerprint;
  c.verdict = f.verdict;
  if (!f.verdict.violated()) {
    show_run(&c, sim::run_world(t.options).history);
    return c;
  }
  const Shrunk s = shrink_target(t, f.verdict.property, shrink_budget_s);
  c.steps_before = s.steps_before;
  c.steps_after = s.steps_after;
  c.shrink_seconds = s.seconds;
  c.shrunk_yaml = s.yaml;
  c.shrunk_path = shrunk_path(t, f.verdict.property);
  show_run(&c, s.history);
  return c;
}

std::variant<reports::ExploreReport, std::string> explore(const ExplorationOptions& o) {
  CDC_ASSERT(o.shard_index < o.shard_count && o.seeds >= 1, "a valid shard and seed count");
  std::variant<Plan, std::string> plan = make_plan(o.files, o.cells, o.seeds);
  if (const auto* err = std::get_if<std::string>(&plan)) return *err;
  Explorer e(o, std::get<Plan>(std::move(plan)));
  return e.run();
}

}  // namespace cdc::campaign
