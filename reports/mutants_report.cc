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

nlohmann::json hunt_json(const HuntOutcome& h) {
  nlohmann::json j{{"killed", h.killed}, {"runs", h.runs}, {"seconds", h.seconds}};
  if (!h.killed) return j;
  j["property"] = h.property;
  j["why"] = h.why;
  j["target"] = h.target;
  j["seed"] = h.seed;
  j["runs_to_kill"] = h.runs_to_kill;
  j["seconds_to_kill"] = h.seconds_to_kill;
  j["reproduce"] = h.reproduce;
  j["confirmed_by_baseline"] = h.confirmed_by_baseline;
  return j;
}

nlohmann::json mutant_json(const MutantOutcome& m) {
  nlohmann::json j{{"name", m.name},
                   {"component", m.component},
                   {"description", m.description},
                   {"killed", m.killed()},
                   {"unaided", hunt_json(m.unaided)},
                   {"aided", m.aided ? hunt_json(*m.aided) : nlohmann::json(nullptr)}};
  if (m.shrunk_from && m.shrunk_steps_after) {
    j["shrunk"] = {{"of", hunt_name(*m.shrunk_from)},
                   {"steps_before", *m.shrunk_steps_before},
                   {"steps_after", *m.shrunk_steps_after},
                   {"complete", m.shrink_complete},
                   {"seconds", m.shrink_seconds}};
  }
  return j;
}

nlohmann::json baseline_json(const BaselineOutcome& b) {
  nlohmann::json j{{"runs", b.runs},
                   {"clean_prefix_runs", b.clean_prefix_runs},
                   {"seconds", b.seconds},
                   {"clean", b.clean},
                   {"covers_every_kill", b.covers_all}};
  if (!b.clean) j["failure"] = b.failure;
  return j;
}

nlohmann::json hunt_summary_json(const HuntSummary& s) {
  return {{"killed", s.killed},
          {"total", s.total},
          {"median_seconds_to_kill", optional_number(s.median_seconds_to_kill)},
          {"worst_seconds_to_kill", optional_number(s.worst_seconds_to_kill)},
          {"survivors", s.survivors}};
}

// The one column of the kill table: the unaided or the aided hunts.
HuntSummary summarize_hunts(const std::vector<MutantOutcome>& mutants, bool aided) {
  HuntSummary s;
  std::vector<double> seconds;
  for (const MutantOutcome& m : mutants) {
    const HuntOutcome* h = aided ? (m.aided ? &*m.aided : nullptr) : &m.unaided;
    if (h == nullptr) continue;
    ++s.total;
    if (!h->killed) {
      s.survivors.push_back(m.name);
      continue;
    }
    ++s.killed;
    seconds.push_back(h->seconds_to_kill);
  }
  s.median_seconds_to_kill = median(seconds);
  if (!seconds.empty()) s.worst_seconds_to_kill = *std::max_element(seconds.begin(), seconds.end());
  return s;
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

// How the mutants were explored: the two plans and the budgets.
std::string method_paragraph(const MutantsReport& r) {
  std::string out = fmt::format(
      "Each mutant is a small, realistic CDC mistake compiled into the model and switched on by "
      "name (`--mutant NAME`, see `model/mutants.h`). Each one is hunted seed by seed (seed 1 of "
      "every source, then seed 2, ...; at most {} seeds, {} s per hunt) until the first "
      "unexpected finding: a property expected to hold is violated, or a scenario's "
      "expectation is unmet. The **unaided** hunt explores the {} cells of the guarantee matrix "
      "alone, without any scenario file: what the harness's generic generation finds by "
      "itself. ",
      r.seeds_max, r.budget_s_per_mutant, r.cells);
  if (r.aided) {
    out += fmt::format(
        "The **aided** hunt explores {} scenario files (the catalogue unless the command names "
        "files) and the same cells. ",
        r.files.size());
  } else {
    out += "The aided hunt (scenario files and cells) did not run (`--unaided-only`). ";
  }
  out += fmt::format(
      "The unaided kill, or when there is none the aided one, is then shrunk (budget {} s).\n\n",
      r.shrink_budget_s);
  return out;
}

std::string hunt_summary_text(const char* name, const HuntSummary& s) {
  return fmt::format("**{}: {}/{} killed**; seconds to kill: median {}, worst {}.", name, s.killed,
                     s.total, seconds_text(s.median_seconds_to_kill),
                     seconds_text(s.worst_seconds_to_kill));
}

// The kill counts and the medians, in bold up front, one line per column.
std::string summary_paragraph(const MutantsSummary& s) {
  std::string out = hunt_summary_text("Unaided", s.unaided) + "\n\n";
  if (s.aided) out += hunt_summary_text("Aided", *s.aided) + "\n\n";
  out += fmt::format("Killed by either hunt: {}/{}; shrunk schedule: median {} steps.\n\n",
                     s.killed, s.total,
                     s.median_shrunk_steps ? fmt::format("{:.1f}", *s.median_shrunk_steps) : "-");
  return out;
}

// Whether the runs of one plan without any mutant were clean, and whether
// they confirm every kill of that plan.
std::string baseline_paragraph(const char* name, const BaselineOutcome& b) {
  if (b.clean && b.covers_all) {
    return fmt::format(
        "{} baseline: without any mutant the same exploration ran {} runs in {:.1f} s and found "
        "nothing, covering every run that killed a mutant.\n\n",
        name, b.runs, b.seconds);
  }
  if (b.clean) {
    return fmt::format(
        "{} baseline: without any mutant the same exploration ran {} runs in {:.1f} s and found "
        "nothing, but did not reach every run that killed a mutant (unconfirmed kills are "
        "marked).\n\n",
        name, b.runs, b.seconds);
  }
  return fmt::format(
      "**{} baseline FAILED**: without any mutant the exploration already finds {} — kills at "
      "or after that run are meaningless.\n\n",
      name, b.failure);
}

// The five cells of one hunt in a kill table row: killed, caught by, where
// (seed), runs, seconds.
std::string hunt_cells(const HuntOutcome& h) {
  if (!h.killed) return fmt::format(" **survived** | - | - | {} | {:.2f} |", h.runs, h.seconds);
  return fmt::format(" yes{} | `{}` | {} ({}) | {} | {:.2f} |",
                     h.confirmed_by_baseline ? "" : " (unconfirmed)", h.property, cell(h.target),
                     h.seed, h.runs_to_kill, h.seconds_to_kill);
}

// One row of the kill table: what caught the mutant in each hunt, and its
// shrunk schedule.
std::string kill_row(const MutantOutcome& m) {
  std::string out = fmt::format("| `{}` | {} |", m.name, m.component);
  out += hunt_cells(m.unaided);
  if (m.aided) out += hunt_cells(*m.aided);
  if (m.shrunk_from && m.shrunk_steps_after) {
    out += fmt::format(" {} → {}{} ({}) |\n", *m.shrunk_steps_before, *m.shrunk_steps_after,
                       m.shrink_complete ? "" : "+", hunt_name(*m.shrunk_from));
  } else {
    out += " - |\n";
  }
  return out;
}

// The kill table, one row per mutant in report order; the aided columns only
// when that hunt ran.
std::string kill_table(const MutantsReport& r) {
  const std::string hunt_heads[] = {"unaided", "aided"};
  std::string head = "| mutant | component |", rule = "|---|---|";
  for (int i = 0; i < (r.aided ? 2 : 1); ++i) {
    const std::string& h = hunt_heads[i];
    head += fmt::format(
        " {0}: killed | {0}: first caught by | {0}: where (seed) | {0}: runs | "
        "{0}: seconds |",
        h);
    rule += "---|---|---|---|---|";
  }
  std::string out = head + " shrunk steps |\n" + rule + "---|\n";
  for (const MutantOutcome& m : r.mutants)
    out += kill_row(m);
  return out;
}

// The legend of the table's columns, then each mutant described, with how to
// reproduce each kill.
std::string mutant_list(const std::vector<MutantOutcome>& mutants) {
  std::string out =
      "\n\"runs\": runs made in seed-major order up to and including the one that failed (for a "
      "survivor: all the runs of its hunt); \"seconds\": wall-clock time until that failure was "
      "found (for a survivor: the whole hunt); \"shrunk steps\": statements, faults and "
      "operations of the failing run before and after shrinking, and which hunt's kill it was "
      "(\"+\": the shrink budget ran out before a fixpoint).\n\n## The mutants\n\n";
  for (const MutantOutcome& m : mutants) {
    out += fmt::format("- `{}` ({}): {}\n", m.name, m.component, m.description);
    for (const auto& [name, h] :
         {std::pair{"unaided", &m.unaided}, std::pair{"aided", m.aided ? &*m.aided : nullptr}}) {
      if (h == nullptr || !h->killed) continue;
      out += fmt::format("  Caught {} by `{}` ({}). Reproduce: `{}`\n", name, h->property,
                         expectation_only(h->why), h->reproduce);
    }
  }
  return out;
}

// The mutants neither hunt caught; empty when every one was killed.
std::string survivors_section(const MutantsSummary& s) {
  if (s.survivors.empty()) return "";
  std::string out = "\n## Survivors\n\n";
  for (const std::string& name : s.survivors)
    out += fmt::format("- `{}`\n", name);
  return out;
}

}  // namespace

const char* hunt_name(ShrunkHunt h) {
  return h == ShrunkHunt::kUnaided ? "unaided" : "aided";
}

MutantsSummary summarize(const MutantsReport& r) {
  MutantsSummary s;
  s.unaided = summarize_hunts(r.mutants, false);
  if (r.aided) s.aided = summarize_hunts(r.mutants, true);
  s.total = r.mutants.size();
  std::vector<double> steps;
  for (const MutantOutcome& m : r.mutants) {
    if (!m.killed()) {
      s.survivors.push_back(m.name);
      continue;
    }
    ++s.killed;
    if (m.shrunk_steps_after) steps.push_back(static_cast<double>(*m.shrunk_steps_after));
  }
  s.median_shrunk_steps = median(steps);
  return s;
}

std::string mutants_json(const MutantsReport& r) {
  const MutantsSummary s = summarize(r);
  nlohmann::json j;
  j["schema_version"] = 2;
  j["command"] = r.command;
  j["options"] = {{"budget_s_per_mutant", r.budget_s_per_mutant},
                  {"shrink_budget_s", r.shrink_budget_s},
                  {"jobs", r.jobs},
                  {"seeds_max", r.seeds_max},
                  {"unaided_only", !r.aided}};
  j["explored"] = {{"unaided", {{"files", nlohmann::json::array()}, {"cells", r.cells}}},
                   {"aided", r.aided ? nlohmann::json{{"files", r.files}, {"cells", r.cells}}
                                     : nlohmann::json(nullptr)}};
  j["baseline"] = {
      {"unaided", baseline_json(r.unaided_baseline)},
      {"aided", r.aided_baseline ? baseline_json(*r.aided_baseline) : nlohmann::json(nullptr)}};
  j["summary"] = {{"unaided", hunt_summary_json(s.unaided)},
                  {"aided", s.aided ? hunt_summary_json(*s.aided) : nlohmann::json(nullptr)},
                  {"killed", s.killed},
                  {"total", s.total},
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
  out += baseline_paragraph("Unaided", r.unaided_baseline);
  if (r.aided_baseline) out += baseline_paragraph("Aided", *r.aided_baseline);
  out += kill_table(r);
  out += mutant_list(r.mutants);
  out += survivors_section(s);
  return out;
}

}  // namespace cdc::reports
