#include "outside/support.h"

#include <map>

#include "properties/checkers.h"

namespace cdc::outside {

namespace {

bool has_strategy(const history::History& h, history::UpdateStrategy s) {
  for (const history::MaterializationBinding& m : h.materializations)
    if (m.strategy == s) return true;
  return false;
}

}  // namespace

std::vector<Gap> outside_gaps(const history::History& h) {
  std::map<std::string, std::string> missing;  // property -> why it cannot be judged
  if (h.chunks.empty()) missing["coverage"] = "the history records no backfill chunk queries";
  missing["liveness"] = "the history does not say when each backfill completed";
  if (h.resumes.empty()) missing["resume_state"] = "the history records no capture restarts";
  if (!h.retention_ticks) {
    missing["retention_period"] = "the history records no collection retention period";
    missing["retention_loss"] = "the history records no collection retention period";
  }
  for (const char* p : {"keyless_convergence", "keyless_no_loss", "keyless_duplicates"})
    missing[p] = "the format declares no table without a primary key yet";
  if (h.backfill_ops.empty()) {
    missing["delta_no_prebackfill_rows"] = "the history records no backfill requests";
  }
  if (!has_strategy(h, history::UpdateStrategy::kMerge)) {
    for (const char* p :
         {"destination_convergence", "destination_no_regression", "destination_no_resurrection"})
      missing[p] = "the history declares no merge materialization";
  }
  if (!has_strategy(h, history::UpdateStrategy::kDelta)) {
    missing["delta_no_loss"] = "the history declares no delta materialization";
    missing["delta_duplicates"] = "the history declares no delta materialization";
  }
  std::vector<Gap> out;
  for (const std::string& p : properties::property_names()) {
    if (const auto it = missing.find(p); it != missing.end()) out.push_back({p, it->second});
  }
  return out;
}

std::vector<properties::Verdict> judge_outside(const history::History& h) {
  std::vector<properties::Verdict> verdicts = properties::check_all(h);
  for (const Gap& g : outside_gaps(h)) {
    for (properties::Verdict& v : verdicts) {
      if (v.property != g.property) continue;
      v = properties::Verdict::unknown(g.property, g.why);
    }
  }
  return verdicts;
}

}  // namespace cdc::outside
