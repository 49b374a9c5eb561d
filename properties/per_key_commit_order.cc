// per_key_commit_order: for each binding (keyed or not) and key, the change
// (non-snapshot) documents, in collection order, follow source commit order:
// lsn never decreases, and within one lsn change_index strictly increases.

#include <vector>

#include "properties/checkers.h"
#include "properties/helpers.h"
#include "properties/key_ids.h"

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
  detail::KeyIds keys;       // tag: the binding
  std::vector<DocRef> last;  // by key id: the key's last change document
  size_t judged = 0;
  for (const history::CollectionTxn& txn : h.collection_txns) {
    for (const history::Document& d : txn.docs) {
      if (d.snapshot) continue;
      ++judged;
      const DocRef ref{&txn, &d};
      const uint32_t id = keys.add(d.binding, d.key);
      if (id == last.size()) {
        last.push_back(ref);
        continue;
      }
      if (!in_order(*last[id].doc, d)) return out_of_order(last[id], ref);
      last[id] = ref;
    }
  }
  return Verdict::hold(kName,
                       std::to_string(judged) + " change documents, each key in commit order");
}

}  // namespace cdc::properties
