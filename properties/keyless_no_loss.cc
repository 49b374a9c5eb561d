// keyless_no_loss: after the drain, every row value a keyless binding's
// table holds is in its collection, and in each merge destination that reads
// it, at least as many times as the source holds it (properties/
// keyless_bags.h). Extra copies and rows the source no longer holds are
// keyless_convergence's and keyless_duplicates' business.

#include <optional>

#include "properties/checkers.h"
#include "properties/keyless_bags.h"

namespace cdc::properties {

namespace {

constexpr char kName[] = "keyless_no_loss";

std::optional<Verdict> missing(const history::History& h, const history::Binding& b,
                               const detail::Bag& source, const detail::Bag& got,
                               const std::string& where) {
  uint64_t lost = 0;
  const detail::BagEntry* first = nullptr;
  uint64_t first_have = 0;
  for (const auto& [key, e] : source) {
    const uint64_t have = detail::copies(got, key);
    if (have >= e.count) continue;
    lost += e.count - have;
    if (first == nullptr) {
      first = &e;
      first_have = have;
    }
  }
  if (first == nullptr) return std::nullopt;
  std::vector<std::string> witness = {
      "row " + detail::describe_element(*first) + " of " + detail::describe_binding(b),
      std::to_string(lost) + " of the source's " + std::to_string(detail::total(source)) +
          " rows at the drain (lsn " + to_string(h.drain.source_flush_lsn) + ") are missing from " +
          where};
  for (std::string& line : detail::locate_element(*first))
    witness.push_back(std::move(line));
  std::optional<Verdict::Subject> subject;
  if (first->source_key) subject = Verdict::Subject{b.id, *first->source_key};
  return Verdict::violation(
      kName,
      "Let r = " + detail::describe_element(*first) + " be a row of " +
          detail::describe_binding(b) + " that the source holds " + std::to_string(first->count) +
          " times after the run drained to lsn " + to_string(h.drain.source_flush_lsn) + ". Then " +
          where + " must hold r at least as often, but it holds r " + std::to_string(first_have) +
          " times (" + std::to_string(lost) + " source rows missing in all).",
      std::move(witness), std::move(subject));
}

}  // namespace

Verdict check_keyless_no_loss(const history::History& h) {
  if (!h.drain.reached) return Verdict::unknown(kName, "the run did not drain, so no final state");
  const std::vector<const history::Binding*> bindings = detail::keyless_bindings(h);
  if (bindings.empty()) return Verdict::unknown(kName, "no keyless binding to judge");
  for (const history::Binding* b : bindings) {
    if (std::optional<Verdict> v = missing(h, *b, *detail::source_bag(h, *b),
                                           *detail::collection_bag(h, *b), "the collection")) {
      return *std::move(v);
    }
  }
  for (const detail::MaterializationRef& m : detail::keyless_merge_materializations(h)) {
    const std::string where = "the merge destination " + m.mat->destination;
    if (std::optional<Verdict> v = missing(h, *m.capture, *detail::source_bag(h, *m.capture),
                                           *detail::destination_bag(h, m.mat->id), where)) {
      return *std::move(v);
    }
  }
  return Verdict::hold(kName,
                       "every row of every keyless binding's table is in its collection and "
                       "merge destinations");
}

}  // namespace cdc::properties
