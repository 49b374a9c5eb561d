#include "conformance/compare_outcomes.h"

#include <map>

namespace cdc::conformance {
namespace {

constexpr size_t kReportedMax = 3;

// Rows by id, for one table on one side.
std::map<std::string, const ObservedRow*> by_id(const TableRows& rows) {
  std::map<std::string, const ObservedRow*> out;
  for (const ObservedRow& r : rows)
    out.emplace(r.id, &r);
  return out;
}

// Differences between the two sides' rows of one table, one line each.
std::vector<std::string> row_differences(const TableRows& model, const TableRows& pg) {
  std::vector<std::string> out;
  const auto m = by_id(model);
  const auto p = by_id(pg);
  for (const auto& [id, row] : m) {
    auto it = p.find(id);
    if (it == p.end()) {
      out.push_back("row " + id + " only in the model");
    } else if (it->second->row != row->row) {
      out.push_back("row " + id + ": model " + to_string(row->row) + ", PostgreSQL " +
                    to_string(it->second->row));
    }
  }
  for (const auto& [id, row] : p) {
    if (!m.count(id)) out.push_back("row " + id + " only in PostgreSQL");
  }
  if (model.size() != m.size() || pg.size() != p.size()) {
    out.push_back("duplicate row ids (model " + std::to_string(model.size()) + " rows, " +
                  std::to_string(m.size()) + " ids; PostgreSQL " + std::to_string(pg.size()) +
                  " rows, " + std::to_string(p.size()) + " ids)");
  }
  return out;
}

}  // namespace

Comparison compare_outcomes(const Workload& w, const RunTrace& t) {
  Comparison c;
  c.name = "outcomes";
  CDC_ASSERT(t.model_steps.size() == t.pg_steps.size(), "both sides ran the same steps");
  for (size_t i = 0; i < t.model_steps.size() && c.differences.size() < kReportedMax; ++i) {
    const StepResult& m = t.model_steps[i];
    const StepResult& p = t.pg_steps[i];
    if (m.outcome == p.outcome && m.outcome != Outcome::kOther) continue;
    c.differences.push_back(
        {c.name, i + 1,
         "step " + std::to_string(i + 1) + " `" + to_string(w.steps[i], w.schemas) + "`: model " +
             to_string(m.outcome) + (m.detail.empty() ? "" : " (" + m.detail + ")") +
             ", PostgreSQL " + to_string(p.outcome) +
             (p.detail.empty() ? "" : " (" + p.detail + ")")});
  }
  size_t skipped = 0;
  for (const Observation& o : t.observations) {
    if (o.error) {
      c.differences.push_back({"rows", o.after_steps,
                               "reading the tables after " + std::to_string(o.after_steps) +
                                   " steps failed: " + *o.error});
      break;
    }
    if (!o.model || !o.pg) {
      ++skipped;
      continue;
    }
    std::string what;
    for (size_t table = 0; table < w.schemas.size(); ++table) {
      for (const std::string& d : row_differences(o.model->at(table), o.pg->at(table)))
        what += "\n    " + w.schemas[table].name + ": " + d;
    }
    if (what.empty()) continue;
    c.differences.push_back({"rows", o.after_steps,
                             "table contents after " + std::to_string(o.after_steps) + " steps" +
                                 (o.at_finish ? " and the final commits" : "") + ":" + what});
    break;  // later observations inherit the difference
  }
  c.notes.push_back(
      "lock waits: PostgreSQL runs with lock_timeout = '1ms' (SQLSTATE 55P03) where the model "
      "refuses at once (lock_not_available; object_in_use for VACUUM FULL); both count as "
      "lock_not_available");
  if (skipped > 0) {
    c.notes.push_back(std::to_string(skipped) +
                      " observation(s) not compared: a TRUNCATE of an open transaction held its "
                      "lock, so PostgreSQL could not read (the model's reads never wait)");
  }
  return c;
}

}  // namespace cdc::conformance
