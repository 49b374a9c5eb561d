// per_key_commit_order: for each binding (keyed or not) and key, the change
// (non-snapshot) documents, in collection order, follow source commit order:
// lsn never decreases, and within one lsn change_index strictly increases.

#include <map>
#include <utility>

#include "properties/checkers.h"
#include "properties/helpers.h"

namespace cdc::properties {

namespace {

using detail::DocRef;
constexpr char kName[] = "per_key_commit_order";

bool in_order(const history::Document& prev, const history::Document& next) {
  if (next.lsn != prev.lsn) return prev.lsn < next.lsn;
  return prev.change_index < next.change_index;
}

Verdict out_of_order(const DocRef& prev, const DocRef& next) {
  const history::Document& p = *prev.doc;
  const history::Document& n = *next.doc;
  return Verdict::violation(
      kName,
      "Let k = " + detail::render_key(n.key) + " be a key of binding " + std::to_string(n.binding) +
          ". Then its change documents must appear in source commit order, but the one at lsn " +
          to_string(n.lsn) + " change_index " + std::to_string(n.change_index) +
          " (collection txn seq " + std::to_string(next.txn->seq) + ") follows the one at lsn " +
          to_string(p.lsn) + " change_index " + std::to_string(p.change_index) +
          " (collection txn seq " + std::to_string(prev.txn->seq) + ").",
      {"earlier " + detail::describe_doc(*prev.txn, p),
       "later " + detail::describe_doc(*next.txn, n)},
      Verdict::Subject{n.binding, n.key});
}

}  // namespace

Verdict check_per_key_commit_order(const history::History& h) {
  std::map<std::pair<uint32_t, history::DocKey>, DocRef> last;
  size_t judged = 0;
  for (const history::CollectionTxn& txn : h.collection_txns) {
    for (const history::Document& d : txn.docs) {
      if (d.snapshot) continue;
      ++judged;
      const DocRef ref{&txn, &d};
      const auto [it, fresh] = last.try_emplace({d.binding, d.key}, ref);
      if (fresh) continue;
      if (!in_order(*it->second.doc, d)) return out_of_order(it->second, ref);
      it->second = ref;
    }
  }
  return Verdict::hold(kName,
                       std::to_string(judged) + " change documents, each key in commit order");
}

}  // namespace cdc::properties
