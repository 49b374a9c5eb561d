#include "campaign/merge.h"

#include <fmt/core.h>

#include <algorithm>
#include <set>

#include "campaign/exploration.h"
#include "campaign/tally.h"
#include "model/assert.h"
#include "model/mutants.h"
#include "scenarios/loader.h"

namespace cdc::campaign {

namespace {

bool same_plan(const reports::ExploreReport& a, const reports::ExploreReport& b) {
  return a.files == b.files && a.cells == b.cells && a.seeds == b.seeds && a.mutant == b.mutant &&
         a.shrink == b.shrink && a.demos == b.demos && a.shard_count == b.shard_count &&
         a.matrix.has_value() == b.matrix.has_value();
}

std::string check_shards(const std::vector<NamedReport>& shards) {
  if (shards.empty()) return "no report to merge";
  const reports::ExploreReport& first = shards.front().report;
  std::set<uint64_t> seen;
  for (const NamedReport& s : shards) {
    if (!same_plan(first, s.report)) {
      return fmt::format(
          "{}: not a shard of the same exploration as {} (files, cells, seeds, "
          "mutant, --shrink, --demos and the shard count must agree)",
          s.name, shards.front().name);
    }
    if (!seen.insert(s.report.shard_index).second) {
      return fmt::format("{}: shard {}/{} is given twice", s.name, s.report.shard_index,
                         s.report.shard_count);
    }
  }
  if (!first.mutant.empty() && !mutant_named(first.mutant)) {
    return fmt::format("{}: unknown mutant \"{}\"", shards.front().name, first.mutant);
  }
  for (uint64_t i = 0; i < first.shard_count; ++i) {
    if (!seen.count(i)) return fmt::format("shard {}/{} is missing", i, first.shard_count);
  }
  return "";
}

void add_counts(reports::ExploreReport* into, const reports::ExploreReport& r) {
  into->runs += r.runs;
  into->failed_runs += r.failed_runs;
  into->planned += r.planned;
  into->seconds = std::max(into->seconds, r.seconds);
  for (const auto& [p, n] : r.violations_by_property)
    into->violations_by_property[p] += n;
  reports::add_situation_runs(&into->situations, r.situations);
  reports::merge_costs(&into->costs, r.costs);
  for (size_t i = 0; i < r.file_rows.size(); ++i) {
    into->file_rows[i].runs += r.file_rows[i].runs;
    merge_tallies(&into->file_rows[i].properties, r.file_rows[i].properties);
  }
  if (!r.matrix) return;
  into->matrix->runs += r.matrix->runs;
  into->matrix->unexpected += r.matrix->unexpected;
  for (size_t i = 0; i < r.matrix->rows.size(); ++i) {
    into->matrix->rows[i].runs += r.matrix->rows[i].runs;
    merge_tallies(&into->matrix->rows[i].properties, r.matrix->rows[i].properties);
  }
}

// The cases one unsharded exploration would have shown.
std::vector<reports::ReportCase> choose_cases(const std::vector<NamedReport>& shards,
                                              uint32_t shrink, uint32_t demos) {
  std::vector<reports::ReportCase> all;
  for (const NamedReport& s : shards)
    all.insert(all.end(), s.report.cases.begin(), s.report.cases.end());
  std::sort(all.begin(), all.end(), [](const reports::ReportCase& a, const reports::ReportCase& b) {
    return std::pair(a.item, a.finding) < std::pair(b.item, b.finding);
  });
  std::vector<reports::ReportCase> failures, examples;
  std::set<std::string> shown;
  for (reports::ReportCase& c : all) {
    if (!c.demo) {
      if (failures.size() < shrink) failures.push_back(std::move(c));
    } else if (examples.size() < demos && shown.insert(c.verdict.property).second) {
      examples.push_back(std::move(c));
    }
  }
  failures.insert(failures.end(), examples.begin(), examples.end());
  return failures;
}

// Runs what case `c` shows and takes its verdict and timeline from that run.
void rebuild(reports::ReportCase* c) {
  if (!c->shrunk_yaml.empty()) {
    const scenarios::LoadResult l = scenarios::load_scenario_text(c->shrunk_yaml, c->shrunk_path);
    if (const auto* sc = std::get_if<scenarios::Scenario>(&l)) {
      show_run(c, sim::run_world(sc->options).history);
      return;
    }
  }
  std::variant<Target, std::string> t = sim::parse_cell_spec(c->target)
                                            ? cell_target(c->target, c->seed)
                                            : file_target(c->target, c->seed);
  if (const Target* target = std::get_if<Target>(&t)) {
    show_run(c, sim::run_world(target->options).history);
  }
}

}  // namespace

std::variant<reports::ExploreReport, std::string> merge_reports(
    const std::vector<NamedReport>& shards, const std::string& command) {
  if (std::string err = check_shards(shards); !err.empty()) return err;
  const reports::ExploreReport& first = shards.front().report;
  reports::ExploreReport m;
  m.command = command;
  m.mutant = first.mutant;
  m.files = first.files;
  m.cells = first.cells;
  m.seeds = first.seeds;
  m.shrink = first.shrink;
  m.demos = first.demos;
  for (const reports::FileRow& f : first.file_rows)
    m.file_rows.push_back({f.file, 0, {}});
  if (first.matrix) {
    m.matrix = *first.matrix;
    m.matrix->runs = m.matrix->unexpected = 0;
    for (sim::MatrixRow& row : m.matrix->rows) {
      row.runs = 0;
      row.properties.clear();
    }
  }
  for (const NamedReport& s : shards) {
    add_counts(&m, s.report);
    m.run_records.insert(m.run_records.end(), s.report.run_records.begin(),
                         s.report.run_records.end());
    m.failures.insert(m.failures.end(), s.report.failures.begin(), s.report.failures.end());
  }
  auto by_item = [](const auto& a, const auto& b) { return a.item < b.item; };
  std::sort(m.run_records.begin(), m.run_records.end(), by_item);
  std::sort(m.failures.begin(), m.failures.end(), by_item);
  m.cases = choose_cases(shards, m.shrink, m.demos);
  const Mutant before = active_mutant();
  if (!m.mutant.empty()) set_active_mutant(*mutant_named(m.mutant));
  for (reports::ReportCase& c : m.cases)
    rebuild(&c);
  set_active_mutant(before);
  CDC_ASSERT(m.run_records.size() == m.runs, "a run record per run");
  return m;
}

}  // namespace cdc::campaign
