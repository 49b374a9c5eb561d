#include "reports/mutants_report.h"

#include <fmt/core.h>

#include <algorithm>
#include <nlohmann/json.hpp>

namespace cdc::reports {

namespace {

std::optional<double> median(std::vector<double> v) {
  if (v.empty()) return std::nullopt;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

nlohmann::json optional_number(const std::optional<double>& x) {
  return x ? nlohmann::json(*x) : nlohmann::json(nullptr);
}

nlohmann::json mutant_json(const MutantOutcome& m) {
  nlohmann::json j{{"name", m.name},     {"component", m.component}, {"description", m.description},
                   {"killed", m.killed}, {"runs", m.runs},           {"seconds", m.seconds}};
  if (!m.killed) return j;
  j["property"] = m.property;
  j["why"] = m.why;
  j["target"] = m.target;
  j["seed"] = m.seed;
  j["runs_to_kill"] = m.runs_to_kill;
  j["seconds_to_kill"] = m.seconds_to_kill;
  j["reproduce"] = m.reproduce;
  j["confirmed_by_baseline"] = m.confirmed_by_baseline;
  if (m.shrunk_steps_after) {
    j["shrunk"] = {{"steps_before", *m.shrunk_steps_before},
                   {"steps_after", *m.shrunk_steps_after},
                   {"complete", m.shrink_complete},
                   {"seconds", m.shrink_seconds}};
  }
  return j;
}

std::string seconds_text(const std::optional<double>& s) {
  return s ? fmt::format("{:.2f}", *s) : std::string("-");
}

// Markdown table cells must not contain a bar or a line break.
std::string cell(std::string s) {
  for (char& c : s) {
    if (c == '|' || c == '\n') c = ' ';
  }
  return s;
}

// What was expected, without the checker's explanation that follows it
// ("convergence should hold, but is violated: Let k = ...").
std::string expectation_only(const std::string& why) {
  const size_t let = why.find(": Let ");
  return cell(let == std::string::npos ? why : why.substr(0, let));
}

// How the mutants were explored: the catalogue, the matrix and the budgets.
std::string method_paragraph(const MutantsReport& r) {
  return fmt::format(
      "Each mutant is a small, realistic CDC mistake compiled into the model and switched on by "
      "name (`--mutant NAME`, see `model/mutants.h`). For each one the catalogue's {} scenario "
      "files and the {} cells of the guarantee matrix are explored seed by seed (seed 1 of "
      "every file and cell, then seed 2, ...; at most {} seeds, {} s) until the first "
      "unexpected finding: a property expected to hold is violated, or a scenario's "
      "expectation is unmet. That run is then shrunk (budget {} s).\n\n",
      r.files.size(), r.cells, r.seeds_max, r.budget_s_per_mutant, r.shrink_budget_s);
}

// The kill count and the medians, in bold up front.
std::string summary_paragraph(const MutantsSummary& s) {
  return fmt::format(
      "**{}/{} killed**; seconds to kill: median {}, worst {}; shrunk schedule: median {} "
      "steps.\n\n",
      s.killed, s.total, seconds_text(s.median_seconds_to_kill),
      seconds_text(s.worst_seconds_to_kill),
      s.median_shrunk_steps ? fmt::format("{:.1f}", *s.median_shrunk_steps) : "-");
}

// Whether the run without any mutant was clean, and whether it confirms every kill.
std::string baseline_paragraph(const BaselineOutcome& b) {
  if (b.clean && b.covers_all) {
    return fmt::format(
        "Baseline: without any mutant the same exploration ran {} runs in {:.1f} s and found "
        "nothing, covering every run that killed a mutant.\n\n",
        b.runs, b.seconds);
  }
  if (b.clean) {
    return fmt::format(
        "Baseline: without any mutant the same exploration ran {} runs in {:.1f} s and found "
        "nothing, but did not reach every run that killed a mutant (unconfirmed kills are "
        "marked).\n\n",
        b.runs, b.seconds);
  }
  return fmt::format(
      "**Baseline FAILED**: without any mutant the exploration already finds {} — kills at or "
      "after that run are meaningless.\n\n",
      b.failure);
}

// One row of the kill table: what caught the mutant, where, and how fast.
std::string kill_row(const MutantOutcome& m) {
  if (!m.killed) {
    return fmt::format("| `{}` | {} | **survived** ({} runs) | - | - | - | {:.2f} | - |\n", m.name,
                       m.component, m.runs, m.seconds);
  }
  const std::string shrunk = m.shrunk_steps_after
                                 ? fmt::format("{} → {}{}", *m.shrunk_steps_before,
                                               *m.shrunk_steps_after, m.shrink_complete ? "" : "+")
                                 : "-";
  return fmt::format("| `{}` | {} | yes{} | `{}` | {} ({}) | {} | {:.2f} | {} |\n", m.name,
                     m.component, m.confirmed_by_baseline ? "" : " (unconfirmed)", m.property,
                     cell(m.target), m.seed, m.runs_to_kill, m.seconds_to_kill, shrunk);
}

// The kill table, one row per mutant in report order.
std::string kill_table(const std::vector<MutantOutcome>& mutants) {
  std::string out =
      "| mutant | component | killed | first caught by | where (seed) | runs | seconds | shrunk "
      "steps |\n|---|---|---|---|---|---|---|---|\n";
  for (const MutantOutcome& m : mutants)
    out += kill_row(m);
  return out;
}

// The legend of the table's columns, then each mutant described, with how to
// reproduce its kill.
std::string mutant_list(const std::vector<MutantOutcome>& mutants) {
  std::string out =
      "\n\"runs\": runs made in seed-major order up to and including the one that failed; "
      "\"seconds\": wall-clock time until that failure was found; \"shrunk steps\": statements, "
      "faults and operations of the failing run before and after shrinking (\"+\": the shrink "
      "budget ran out before a fixpoint).\n\n## The mutants\n\n";
  for (const MutantOutcome& m : mutants) {
    out += fmt::format("- `{}` ({}): {}\n", m.name, m.component, m.description);
    if (m.killed) {
      out += fmt::format("  Caught by `{}` ({}). Reproduce: `{}`\n", m.property,
                         expectation_only(m.why), m.reproduce);
    }
  }
  return out;
}

// The mutants nothing caught; empty when every one was killed.
std::string survivors_section(const MutantsSummary& s) {
  if (s.survivors.empty()) return "";
  std::string out = "\n## Survivors\n\n";
  for (const std::string& name : s.survivors)
    out += fmt::format("- `{}`\n", name);
  return out;
}

}  // namespace

MutantsSummary summarize(const MutantsReport& r) {
  MutantsSummary s;
  s.total = r.mutants.size();
  std::vector<double> seconds, steps;
  for (const MutantOutcome& m : r.mutants) {
    if (!m.killed) {
      s.survivors.push_back(m.name);
      continue;
    }
    ++s.killed;
    seconds.push_back(m.seconds_to_kill);
    if (m.shrunk_steps_after) steps.push_back(static_cast<double>(*m.shrunk_steps_after));
  }
  s.median_seconds_to_kill = median(seconds);
  if (!seconds.empty()) s.worst_seconds_to_kill = *std::max_element(seconds.begin(), seconds.end());
  s.median_shrunk_steps = median(steps);
  return s;
}

std::string mutants_json(const MutantsReport& r) {
  const MutantsSummary s = summarize(r);
  nlohmann::json j;
  j["schema_version"] = 1;
  j["command"] = r.command;
  j["options"] = {{"budget_s_per_mutant", r.budget_s_per_mutant},
                  {"shrink_budget_s", r.shrink_budget_s},
                  {"jobs", r.jobs},
                  {"seeds_max", r.seeds_max}};
  j["explored"] = {{"files", r.files}, {"cells", r.cells}};
  j["baseline"] = {{"runs", r.baseline.runs},
                   {"clean_prefix_runs", r.baseline.clean_prefix_runs},
                   {"seconds", r.baseline.seconds},
                   {"clean", r.baseline.clean},
                   {"covers_every_kill", r.baseline.covers_all}};
  if (!r.baseline.clean) j["baseline"]["failure"] = r.baseline.failure;
  j["summary"] = {{"killed", s.killed},
                  {"total", s.total},
                  {"median_seconds_to_kill", optional_number(s.median_seconds_to_kill)},
                  {"worst_seconds_to_kill", optional_number(s.worst_seconds_to_kill)},
                  {"median_shrunk_steps", optional_number(s.median_shrunk_steps)},
                  {"survivors", s.survivors}};
  nlohmann::json all = nlohmann::json::array();
  for (const MutantOutcome& m : r.mutants)
    all.push_back(mutant_json(m));
  j["mutants"] = std::move(all);
  return j.dump(2) + "\n";
}

std::string mutants_markdown(const MutantsReport& r) {
  const MutantsSummary s = summarize(r);
  std::string out = "# Mutants: seeded bugs and what catches them\n\n";
  out += fmt::format("Produced by `{}`.\n\n", r.command);
  out += method_paragraph(r);
  out += summary_paragraph(s);
  out += baseline_paragraph(r.baseline);
  out += kill_table(r.mutants);
  out += mutant_list(r.mutants);
  out += survivors_section(s);
  return out;
}

}  // namespace cdc::reports
