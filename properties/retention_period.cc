// retention_period: a collection drops a document only after its retention
// period. For each Expiry at tick t of a collection whose retention period is
// R ticks, every key it names must have a document of that binding committed
// before tick t - R (the documents retention may drop). A key whose
// documents are all younger expired too early.
//
// kUnknown when the run has no retention period or nothing expired.

#include <map>

#include "properties/checkers.h"
#include "properties/helpers.h"

namespace cdc::properties {

namespace {

constexpr char kName[] = "retention_period";

// The tick of each (binding, key)'s oldest committed document.
std::map<std::pair<uint32_t, history::DocKey>, uint64_t> oldest_documents(
    const history::History& h) {
  std::map<std::pair<uint32_t, history::DocKey>, uint64_t> oldest;
  for (const history::CollectionTxn& t : h.collection_txns) {
    for (const history::Document& d : t.docs)
      oldest.emplace(std::pair{d.binding, d.key}, t.tick);  // txns are in commit order
  }
  return oldest;
}

}  // namespace

Verdict check_retention_period(const history::History& h) {
  if (!h.retention_ticks || h.expiries.empty()) {
    return Verdict::unknown(kName, "no retention period, or nothing expired");
  }
  const uint64_t period = *h.retention_ticks;
  const auto oldest = oldest_documents(h);
  for (const history::Expiry& e : h.expiries) {
    for (const history::DocKey& k : e.keys) {
      auto it = oldest.find({e.capture_binding, k});
      const bool old_enough = it != oldest.end() && it->second + period < e.tick;
      if (old_enough) continue;
      const std::string born = it == oldest.end() ? std::string("no committed document")
                                                  : "its oldest document was committed at tick " +
                                                        std::to_string(it->second);
      return Verdict::violation(
          kName,
          "Let k = " + detail::render_key(k) + " be a key of binding " +
              std::to_string(e.capture_binding) + ". Then retention of " + std::to_string(period) +
              " ticks may drop k's documents only once they are older than that, but k expired at "
              "tick " +
              std::to_string(e.tick) + " and " + born + ".",
          {"expiry at tick " + std::to_string(e.tick) + " of " + std::to_string(e.documents) +
           " documents"},
          Verdict::Subject{e.capture_binding, k});
    }
  }
  return Verdict::hold(kName, "every expired document was older than the retention period");
}

}  // namespace cdc::properties
