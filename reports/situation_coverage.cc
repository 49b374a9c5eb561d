#include "reports/situation_coverage.h"

#include <fmt/core.h>

#include "model/assert.h"
#include "reports/html.h"

namespace cdc::reports {

void add_situations(SituationRuns* runs, const SituationSet& reached) {
  if (runs->empty()) runs->assign(kSituations, 0);
  CDC_ASSERT(runs->size() == kSituations, "one count per situation");
  for (size_t i = 0; i < kSituations; ++i)
    (*runs)[i] += reached.test(i) ? 1 : 0;
}

void add_situation_runs(SituationRuns* into, const SituationRuns& from) {
  if (from.empty()) return;
  if (into->empty()) into->assign(kSituations, 0);
  CDC_ASSERT(into->size() == kSituations && from.size() == kSituations, "one count per situation");
  for (size_t i = 0; i < kSituations; ++i)
    (*into)[i] += from[i];
}

size_t situations_reached(const SituationRuns& runs) {
  size_t n = 0;
  for (uint64_t r : runs)
    n += r > 0 ? 1 : 0;
  return n;
}

nlohmann::json situations_json(const SituationRuns& runs) {
  nlohmann::json out = nlohmann::json::array();
  for (size_t i = 0; i < runs.size(); ++i) {
    const SituationInfo& s = situations()[i];
    out.push_back({{"name", s.name}, {"group", s.group}, {"runs", runs[i]}});
  }
  return out;
}

std::string situations_from_json(const nlohmann::json& j, SituationRuns* runs) {
  runs->clear();
  if (!j.is_array() || j.empty()) return "";
  runs->assign(kSituations, 0);
  for (const nlohmann::json& e : j) {
    const std::string name = e.at("name").get<std::string>();
    const std::optional<Situation> s = situation_named(name);
    if (!s) return "unknown situation \"" + name + "\"";
    (*runs)[static_cast<size_t>(*s)] = e.at("runs").get<uint64_t>();
  }
  return "";
}

namespace {
std::string summary(const SituationRuns& runs) {
  return fmt::format("{} of {} situations reached", situations_reached(runs), runs.size());
}
}  // namespace

std::string situations_markdown(const SituationRuns& runs) {
  if (runs.empty()) return "";
  std::string out = "## Situation coverage\n\n" + summary(runs) +
                    " (runs that reached each; **0** marks one no run reached).\n\n"
                    "| group | situation | runs | what |\n|---|---|---|---|\n";
  for (size_t i = 0; i < runs.size(); ++i) {
    const SituationInfo& s = situations()[i];
    const std::string n = runs[i] ? std::to_string(runs[i]) : "**0**";
    out += fmt::format("| {} | `{}` | {} | {} |\n", s.group, s.name, n, s.description);
  }
  return out + "\n";
}

std::string situations_html(const SituationRuns& runs) {
  if (runs.empty()) return "";
  std::string out = "<h2>Situation coverage</h2><p>" + summary(runs) +
                    "</p><table class=\"plain\"><tr><th>group</th><th>situation</th>"
                    "<th>runs</th><th>what</th></tr>";
  for (size_t i = 0; i < runs.size(); ++i) {
    const SituationInfo& s = situations()[i];
    out += fmt::format("<tr{}><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
                       runs[i] ? "" : " class=\"bad\"", html_escape(s.group), html_escape(s.name),
                       runs[i], html_escape(s.description));
  }
  return out + "</table>";
}

std::string situations_text(const SituationRuns& runs) {
  if (runs.empty()) return "";
  std::string out = "situation coverage: " + summary(runs) + "\n";
  std::string group;
  for (size_t i = 0; i < runs.size(); ++i) {
    const SituationInfo& s = situations()[i];
    if (s.group != group) {
      group = s.group;
      out += "  " + group + ":\n";
    }
    out += fmt::format("    {:<42} {:>8}{}\n", s.name, runs[i], runs[i] ? "" : "  NEVER REACHED");
  }
  return out;
}

}  // namespace cdc::reports
