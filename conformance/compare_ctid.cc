#include "conformance/compare_ctid.h"

#include <map>
#include <set>

namespace cdc::conformance {
namespace {

std::map<std::string, Ctid> positions(const TableRows& rows) {
  std::map<std::string, Ctid> out;
  for (const ObservedRow& r : rows)
    out.emplace(r.id, r.ctid);
  return out;
}

bool same_layout(const TableRows& a, const TableRows& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].id != b[i].id || a[i].ctid != b[i].ctid) return false;
  }
  return true;
}

// Ids present before and after (on both sides) whose ctid changed on `side`.
std::set<std::string> moved(const std::map<std::string, Ctid>& before,
                            const std::map<std::string, Ctid>& after,
                            const std::set<std::string>& common) {
  std::set<std::string> out;
  for (const std::string& id : common) {
    if (before.at(id) != after.at(id)) out.insert(id);
  }
  return out;
}

std::string join(const std::set<std::string>& s) {
  std::string out;
  for (const std::string& x : s)
    out += (out.empty() ? "" : " ") + x;
  return out.empty() ? "none" : out;
}

struct Counters {
  size_t windows = 0;
  size_t rewrite_windows_compared = 0;
  size_t rewrite_windows_not_comparable = 0;
  size_t observations = 0;
  size_t identical_layouts = 0;
  std::optional<size_t> first_layout_divergence;
};

// Compares one table across one window; returns a difference text or "".
std::string compare_window(const TableRows& mb, const TableRows& ma, const TableRows& pb,
                           const TableRows& pa, bool rewrite, Counters* n) {
  const auto mbp = positions(mb), map_ = positions(ma), pbp = positions(pb), pap = positions(pa);
  std::set<std::string> common;
  for (const auto& [id, ctid] : mbp) {
    if (map_.count(id) && pbp.count(id) && pap.count(id)) common.insert(id);
  }
  if (rewrite) {
    if (!same_layout(mb, pb)) {
      ++n->rewrite_windows_not_comparable;
      return "";
    }
    ++n->rewrite_windows_compared;
  }
  const std::set<std::string> m = moved(mbp, map_, common);
  const std::set<std::string> p = moved(pbp, pap, common);
  if (m == p) return "";
  return std::string(rewrite ? "after a rewrite, " : "") + "rows moved: model " + join(m) +
         "; PostgreSQL " + join(p);
}

}  // namespace

Comparison compare_ctid(const Workload& w, const RunTrace& t) {
  Comparison c;
  c.name = "ctid";
  Counters n;
  const Observation* prev = nullptr;
  bool rewrite = false;
  for (const Observation& o : t.observations) {
    rewrite = rewrite || o.rewrite;
    if (!o.model || !o.pg) continue;
    ++n.observations;
    bool identical = true;
    for (size_t table = 0; table < w.schemas.size(); ++table)
      identical = identical && same_layout(o.model->at(table), o.pg->at(table));
    if (identical) {
      ++n.identical_layouts;
    } else if (!n.first_layout_divergence) {
      n.first_layout_divergence = o.after_steps;
    }
    if (prev) {
      ++n.windows;
      std::string what;
      for (size_t table = 0; table < w.schemas.size(); ++table) {
        const std::string d = compare_window(prev->model->at(table), o.model->at(table),
                                             prev->pg->at(table), o.pg->at(table), rewrite, &n);
        if (!d.empty()) what += "\n    " + w.schemas[table].name + ": " + d;
      }
      if (!what.empty() && c.differences.empty()) {
        c.differences.push_back({c.name, o.after_steps,
                                 "between " + std::to_string(prev->after_steps) + " and " +
                                     std::to_string(o.after_steps) + " steps:" + what});
      }
    }
    prev = &o;
    rewrite = false;
  }
  c.notes.push_back(
      "exact ctids are not compared (the model: fixed tuples per page, always appends; "
      "PostgreSQL: 8 kB pages filled by bytes, line pointers reused after VACUUM and pruning); "
      "layouts identical at " +
      std::to_string(n.identical_layouts) + " of " + std::to_string(n.observations) +
      " observations" +
      (n.first_layout_divergence
           ? ", first different after " + std::to_string(*n.first_layout_divergence) + " steps"
           : ""));
  if (n.rewrite_windows_compared + n.rewrite_windows_not_comparable > 0) {
    c.notes.push_back("rewrites (VACUUM FULL, committed TRUNCATE): moved rows compared for " +
                      std::to_string(n.rewrite_windows_compared) +
                      " table(s) with identical "
                      "layouts before, not compared for " +
                      std::to_string(n.rewrite_windows_not_comparable) +
                      " whose layouts differed (positions after a rewrite follow the layout)");
  }
  return c;
}

}  // namespace cdc::conformance
