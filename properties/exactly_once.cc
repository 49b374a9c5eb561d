// exactly_once: no change (non-snapshot) document is written twice: no two of
// the same binding share (key, lsn, change_index, op). A capture that replays
// changes after a crash without its checkpoint would break this.

#include <cstdint>
#include <unordered_map>

#include "properties/checkers.h"
#include "properties/helpers.h"
#include "properties/key_ids.h"

namespace cdc::properties {

namespace {

using detail::DocRef;
constexpr char kName[] = "exactly_once";

// A change document's identity, its (binding, key) as a key id.
struct ChangeId {
  uint32_t key_id = 0;
  uint32_t change_index = 0;
  uint64_t lsn = 0;
  char op = 0;
  bool operator==(const ChangeId&) const = default;
};
struct ChangeIdHash {
  size_t operator()(const ChangeId& c) const {
    uint64_t x = c.lsn * 0x9e3779b97f4a7c15ULL;
    x ^= (uint64_t{c.key_id} << 32 | c.change_index) + 0x632be59bd9b4e019ULL + (x << 6) + (x >> 2);
    return static_cast<size_t>(x ^ static_cast<uint64_t>(static_cast<unsigned char>(c.op)));
  }
};

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
  // Only looked up: the first duplicate in document order is reported.
  detail::KeyIds keys;  // tag: the binding
  std::unordered_map<ChangeId, DocRef, ChangeIdHash> seen;
  size_t judged = 0;
  for (const history::CollectionTxn& txn : h.collection_txns) {
    for (const history::Document& d : txn.docs) {
      if (d.snapshot) continue;
      ++judged;
      const ChangeId id{keys.add(d.binding, d.key), d.change_index, d.lsn.value(),
                        static_cast<char>(d.op)};
      const auto [it, fresh] = seen.try_emplace(id, DocRef{&txn, &d});
      if (!fresh) return duplicate(it->second, DocRef{&txn, &d});
    }
  }
  return Verdict::hold(kName, std::to_string(judged) + " change documents, no duplicate");
}

}  // namespace cdc::properties
