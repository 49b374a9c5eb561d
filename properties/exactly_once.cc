// exactly_once: no change (non-snapshot) document is written twice: no two of
// the same binding share (key, lsn, change_index, op). A capture that replays
// changes after a crash without its checkpoint would break this.

#include <map>
#include <tuple>

#include "properties/checkers.h"
#include "properties/helpers.h"

namespace cdc::properties {

namespace {

using detail::DocRef;
constexpr char kName[] = "exactly_once";

using ChangeId = std::tuple<uint32_t, history::DocKey, Lsn, uint32_t, char>;

Verdict duplicate(const DocRef& first, const DocRef& again) {
  const history::Document& d = *again.doc;
  return Verdict::violation(
      kName,
      "Let c be the change of key " + detail::render_key(d.key) + " of binding " +
          std::to_string(d.binding) + " at lsn " + to_string(d.lsn) + " change_index " +
          std::to_string(d.change_index) + ". Then the collection must hold one document for c, " +
          "but collection txns seq " + std::to_string(first.txn->seq) + " and seq " +
          std::to_string(again.txn->seq) + " both hold one.",
      {"first " + detail::describe_doc(*first.txn, *first.doc),
       "duplicate " + detail::describe_doc(*again.txn, d)},
      Verdict::Subject{d.binding, d.key});
}

}  // namespace

Verdict check_exactly_once(const history::History& h) {
  std::map<ChangeId, DocRef> seen;
  size_t judged = 0;
  for (const history::CollectionTxn& txn : h.collection_txns) {
    for (const history::Document& d : txn.docs) {
      if (d.snapshot) continue;
      ++judged;
      const ChangeId id{d.binding, d.key, d.lsn, d.change_index, static_cast<char>(d.op)};
      const auto [it, fresh] = seen.try_emplace(id, DocRef{&txn, &d});
      if (!fresh) return duplicate(it->second, DocRef{&txn, &d});
    }
  }
  return Verdict::hold(kName, std::to_string(judged) + " change documents, no duplicate");
}

}  // namespace cdc::properties
