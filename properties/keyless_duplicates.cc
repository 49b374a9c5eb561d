// keyless_duplicates: after the drain, no keyless binding's collection, nor
// a merge destination that reads it, holds a row value more often than the
// source does (properties/keyless_bags.h). A value the source no longer
// holds counts once as a stale row (keyless_convergence judges those) and
// each copy beyond that as a duplicate. The verdict counts the duplicates
// over every collection and destination judged.

#include <optional>

#include "properties/checkers.h"
#include "properties/keyless_bags.h"

namespace cdc::properties {

namespace {

constexpr char kName[] = "keyless_duplicates";

struct Count {
  uint64_t duplicates = 0;
  uint64_t stale = 0;               // values held that the source does not hold
  std::vector<std::string> places;  // "5 in the collection of binding 2 (events)"
  // The first duplicated value and where.
  std::optional<detail::BagEntry> first;
  uint64_t first_have = 0, first_want = 0;
  const history::Binding* first_binding = nullptr;
  std::string first_where;
};

void count(const history::Binding& b, const detail::Bag& source, const detail::Bag& got,
           const std::string& where, Count* out) {
  uint64_t here = 0;
  for (const auto& [key, e] : got) {
    const uint64_t want = detail::copies(source, key);
    if (want == 0) ++out->stale;
    const uint64_t allowed = want == 0 ? 1 : want;
    if (e.count <= allowed) continue;
    here += e.count - allowed;
    if (out->first) continue;
    out->first = e;
    if (want > 0) out->first->source_key = source.at(key).source_key;
    out->first_have = e.count;
    out->first_want = want;
    out->first_binding = &b;
    out->first_where = where;
  }
  out->duplicates += here;
  if (here > 0) out->places.push_back(std::to_string(here) + " in " + where);
}

}  // namespace

Verdict check_keyless_duplicates(const history::History& h) {
  if (!h.drain.reached) return Verdict::unknown(kName, "the run did not drain, so no final state");
  const std::vector<const history::Binding*> bindings = detail::keyless_bindings(h);
  if (bindings.empty()) return Verdict::unknown(kName, "no keyless binding to judge");
  Count n;
  for (const history::Binding* b : bindings) {
    count(*b, *detail::source_bag(h, *b), *detail::collection_bag(h, *b),
          "the collection of " + detail::describe_binding(*b), &n);
  }
  for (const detail::MaterializationRef& m : detail::keyless_merge_materializations(h)) {
    count(*m.capture, *detail::source_bag(h, *m.capture), *detail::destination_bag(h, m.mat->id),
          "the merge destination " + m.mat->destination, &n);
  }
  const std::string stale = std::to_string(n.stale) + " stale row value(s) the source no longer " +
                            "holds were left aside";
  if (n.duplicates == 0) return Verdict::hold(kName, "0 duplicate rows; " + stale);
  std::string places;
  for (const std::string& p : n.places)
    places += (places.empty() ? "" : ", ") + p;
  const detail::BagEntry& e = *n.first;
  std::vector<std::string> witness = {
      "row " + detail::describe_element(e) + " of " + detail::describe_binding(*n.first_binding),
      std::to_string(n.duplicates) + " duplicate rows: " + places, stale};
  for (std::string& line : detail::locate_element(e))
    witness.push_back(std::move(line));
  std::optional<Verdict::Subject> subject;
  if (e.source_key) subject = Verdict::Subject{n.first_binding->id, *e.source_key};
  return Verdict::violation(
      kName,
      "Let r = " + detail::describe_element(e) + " be a row value of " +
          detail::describe_binding(*n.first_binding) + ", which the source holds " +
          std::to_string(n.first_want) + " times at the drain (lsn " +
          to_string(h.drain.source_flush_lsn) + "). Then " + n.first_where +
          " must hold r no more often than that (once, if the source no longer holds it), but it "
          "holds r " +
          std::to_string(n.first_have) + " times: " + std::to_string(n.duplicates) +
          " duplicate rows in all (" + places + ").",
      std::move(witness), std::move(subject));
}

}  // namespace cdc::properties
