#include "conformance/compare_decoding.h"

namespace cdc::conformance {
namespace {

std::string render(const CanonTxn& t) {
  std::string out;
  for (const std::string& c : t.changes)
    out += "\n      " + c;
  return out;
}

}  // namespace

void probe_decoding(Sides& sides, RunTrace* t) {
  sides.both(&t->decoded, [](Side& s) { return s.peek_decoded(); });
}

std::string first_stream_difference(const std::vector<CanonTxn>& model,
                                    const std::vector<CanonTxn>& pg) {
  for (size_t i = 0; i < model.size() && i < pg.size(); ++i) {
    if (model[i].changes == pg[i].changes) continue;
    return "transaction #" + std::to_string(i + 1) + " (of " + std::to_string(model.size()) +
           " / " + std::to_string(pg.size()) + "):\n    model:" + render(model[i]) +
           "\n    PostgreSQL:" + render(pg[i]);
  }
  if (model.size() == pg.size()) return "";
  const bool model_longer = model.size() > pg.size();
  const CanonTxn& extra = model_longer ? model[pg.size()] : pg[model.size()];
  return std::to_string(model.size()) + " transactions in the model, " + std::to_string(pg.size()) +
         " in PostgreSQL; the first extra one (" + (model_longer ? "model" : "PostgreSQL") +
         "):" + render(extra);
}

Comparison compare_decoding(const Workload& w, const RunTrace& t) {
  (void)w;
  Comparison c;
  c.name = "decoding";
  const auto& m = t.decoded.model;
  const auto& p = t.decoded.pg;
  if (m.error || p.error) {
    if (m.error != p.error) {
      c.differences.push_back({c.name, t.prefix,
                               "reading the slot: model " + m.error.value_or("ok") +
                                   "; PostgreSQL " + p.error.value_or("ok")});
    }
    return c;
  }
  if (std::string d = first_stream_difference(m.value, p.value); !d.empty()) {
    c.differences.push_back({c.name, t.prefix, d});
  }
  c.notes.push_back("LSNs are not compared: the model's WAL record sizes are synthetic (" +
                    std::to_string(m.value.size()) + " transactions compared)");
  return c;
}

}  // namespace cdc::conformance
