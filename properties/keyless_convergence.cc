// keyless_convergence: after the drain, a keyless binding's collection, and
// each merge destination that reads it, holds exactly the bag of rows its
// table holds (properties/keyless_bags.h): every row value as many times as
// the source has it, and nothing else.

#include <optional>

#include "properties/checkers.h"
#include "properties/keyless_bags.h"

namespace cdc::properties {

namespace {

constexpr char kName[] = "keyless_convergence";

// The first element whose copies differ between the source and `got` (named
// `where`), as a violation; nullopt when the bags are equal.
std::optional<Verdict> compare(const history::History& h, const history::Binding& b,
                               const detail::Bag& source, const detail::Bag& got,
                               const std::string& where) {
  for (const std::string& key : detail::union_keys(source, got)) {
    const uint64_t want = detail::copies(source, key);
    const uint64_t have = detail::copies(got, key);
    if (want == have) continue;
    const detail::BagEntry& e = want > 0 ? source.at(key) : got.at(key);
    detail::BagEntry located = e;
    if (have > 0) {
      located.doc = got.at(key).doc;
      located.dest_row = got.at(key).dest_row;
    }
    std::vector<std::string> witness = {
        "row " + detail::describe_element(e) + " of " + detail::describe_binding(b),
        "the source holds " + std::to_string(detail::total(source)) + " rows at the drain (lsn " +
            to_string(h.drain.source_flush_lsn) + "), " + where + " " +
            std::to_string(detail::total(got))};
    for (std::string& line : detail::locate_element(located))
      witness.push_back(std::move(line));
    std::optional<Verdict::Subject> subject;
    if (e.source_key) subject = Verdict::Subject{b.id, *e.source_key};
    return Verdict::violation(kName,
                              "Let r = " + detail::describe_element(e) + " be a row value of " +
                                  detail::describe_binding(b) + " after the run drained to lsn " +
                                  to_string(h.drain.source_flush_lsn) + ". Then " + where +
                                  " must hold r as many times as the source does (" +
                                  std::to_string(want) + "), but " + "it holds r " +
                                  std::to_string(have) + " times.",
                              std::move(witness), std::move(subject));
  }
  return std::nullopt;
}

}  // namespace

Verdict check_keyless_convergence(const history::History& h) {
  if (!h.drain.reached) return Verdict::unknown(kName, "the run did not drain, so no final state");
  const std::vector<const history::Binding*> bindings = detail::keyless_bindings(h);
  if (bindings.empty()) return Verdict::unknown(kName, "no keyless binding to judge");
  for (const history::Binding* b : bindings) {
    if (std::optional<Verdict> v = compare(h, *b, *detail::source_bag(h, *b),
                                           *detail::collection_bag(h, *b), "the collection")) {
      return *std::move(v);
    }
  }
  for (const detail::MaterializationRef& m : detail::keyless_merge_materializations(h)) {
    const std::string where = "the merge destination " + m.mat->destination;
    if (std::optional<Verdict> v = compare(h, *m.capture, *detail::source_bag(h, *m.capture),
                                           *detail::destination_bag(h, m.mat->id), where)) {
      return *std::move(v);
    }
  }
  return Verdict::hold(kName,
                       "every keyless binding's collection and merge destinations hold exactly "
                       "its table's rows");
}

}  // namespace cdc::properties
