// convergence: after the drain, reducing a keyed binding's documents (DESIGN
// §6: merge field by field over present fields, delete on op d) gives the
// final source state of its table, key for key and field for field.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string_view>

#include "model/assert.h"
#include "model/reduction.h"
#include "properties/checkers.h"
#include "properties/helpers.h"
#include "properties/history_keys.h"
#include "properties/timeline.h"

namespace cdc::properties {

namespace {

using detail::DocRef;
constexpr char kName[] = "convergence";

// The reduction of a binding's documents, by key id in the binding's
// table's key space (history_keys.h). A key's reduction is one document that
// decides it alone (it has every field, and nothing it leaves out survives
// from before it), or fields merged from several. Most keys have one whole
// document, whose fields are then compared where they lie, with no merged
// copy. A key takes 12 bytes (positions in `docs` and `merged`): a table of
// millions of keys is reduced beside the history.
class Reduction {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;

  Reduction(std::span<const DocRef> docs, size_t keys)
      : docs_(docs), keys_(keys), last_doc_(keys, kNone) {
    CDC_ASSERT(docs.size() < kNone, "document positions fit 32 bits");
  }
  // Applies document `docs[i]` of key `id` (DESIGN §6). REQUIRES: documents
  // come in collection order.
  void apply(uint32_t id, uint32_t i) {
    const history::Document& d = *docs_[i].doc;
    last_doc_[id] = i;
    Key& k = keys_[id];
    if (d.op == history::DocOp::kDelete) {
      k = Key{};
      return;
    }
    const std::span<const Value> now = row(id);
    const bool covers = now.size() <= d.fields.size() && (mask(id) & ~d.present_mask) == 0;
    bool full = true;
    for (size_t c = 0; c < d.fields.size() && full; ++c)
      full = field_present(d.present_mask, c);
    if (full && covers) {  // d's fields and mask are the whole result
      k = Key{i, kNone};
      return;
    }
    if (k.merged == kNone) {  // start from the whole document, or from nothing
      CDC_ASSERT(merged_.size() < kNone, "merged rows fit 32 bits");
      Merged m;
      if (k.whole != kNone) {
        m.fields = docs_[k.whole].doc->fields.to_row();
        m.mask = docs_[k.whole].doc->present_mask;
      }
      merged_.push_back(std::move(m));
      k = Key{kNone, static_cast<uint32_t>(merged_.size() - 1)};
    }
    Merged& m = merged_[k.merged];
    reduce_fields(&m.fields, &m.mask, d.fields, d.present_mask);
  }

  // Whether the key is held: its last document is not a delete.
  bool present(uint32_t id) const { return keys_[id].whole != kNone || keys_[id].merged != kNone; }
  std::span<const Value> row(uint32_t id) const {
    const Key& k = keys_[id];
    if (k.whole != kNone) return docs_[k.whole].doc->fields;
    if (k.merged != kNone) return merged_[k.merged].fields;
    return {};
  }
  uint64_t mask(uint32_t id) const {
    const Key& k = keys_[id];
    if (k.whole != kNone) return docs_[k.whole].doc->present_mask;
    return k.merged != kNone ? merged_[k.merged].mask : 0;
  }
  // The last document, deletes included; nullptr: none.
  const DocRef* last_doc(uint32_t id) const {
    return last_doc_[id] == kNone ? nullptr : &docs_[last_doc_[id]];
  }

 private:
  // Absent: both kNone. At most one is set.
  struct Key {
    uint32_t whole = kNone;   // a position in docs_
    uint32_t merged = kNone;  // a position in merged_
  };
  struct Merged {
    Row fields;
    uint64_t mask = 0;  // accumulated present_mask
  };
  std::span<const DocRef> docs_;
  std::vector<Key> keys_;
  std::vector<uint32_t> last_doc_;
  std::vector<Merged> merged_;  // a key's earlier merged rows stay, unused
};

Reduction reduce(const detail::HistoryKeys& keys, const detail::TableKeys& table,
                 std::span<const DocRef> docs) {
  Reduction out(docs, table.size());
  for (uint32_t i = 0; i < docs.size(); ++i) {
    const uint32_t id = keys.doc(*docs[i].txn, *docs[i].doc);
    CDC_ASSERT(id < table.size(), "a document of the binding has an id in its table");
    out.apply(id, i);
  }
  return out;
}

// Why `r` differs from the source row, or nullopt when it matches.
std::optional<std::string> mismatch(std::span<const Value> source, const Reduction& red,
                                    uint32_t id) {
  const std::span<const Value> fields = red.row(id);
  if (fields.size() != source.size()) {
    return "the reduced row has " + std::to_string(fields.size()) + " fields and the source row " +
           std::to_string(source.size());
  }
  for (size_t c = 0; c < source.size(); ++c) {
    if (!field_present(red.mask(id), c)) {
      return "field " + std::to_string(c) + " is absent from every reduced document";
    }
    if (fields[c] != source[c]) {
      return "field " + std::to_string(c) + " reduces to " + to_string(fields[c]) +
             " while the source has " + to_string(source[c]);
    }
  }
  return std::nullopt;
}

Verdict violation(const history::History& h, const history::Binding& b, const std::string& key,
                  const SharedRow* src_row, const Reduction& red, uint32_t id,
                  const std::string& why) {
  const DocRef* last = red.last_doc(id);
  std::vector<std::string> witness = {
      "key " + detail::render_key(key) + " of " + detail::describe_binding(b),
      "source row at drain (lsn " + to_string(h.drain.source_flush_lsn) +
          "): " + detail::describe_row(src_row),
      "reduced row: " + (red.present(id) ? to_string(red.row(id)) : std::string("absent"))};
  if (last != nullptr) witness.push_back("last " + detail::describe_doc(*last->txn, *last->doc));
  return Verdict::violation(kName,
                            "Let k = " + detail::render_key(key) + " be a key of " +
                                detail::describe_binding(b) + " after the run drained to lsn " +
                                to_string(h.drain.source_flush_lsn) +
                                ". Then reducing the collection must give k's final source row (" +
                                detail::describe_row(src_row) + "), but " + why + ".",
                            std::move(witness), Verdict::Subject{b.id, key});
}

// Why key `id`'s reduction differs from its final source row, or nullopt
// when it matches (or neither holds the key).
std::optional<std::string> differs(const detail::TableKeys& table, const Reduction& red,
                                   uint32_t id) {
  const SharedRow* src_row = table.final_row(id);
  const bool held = red.present(id);
  if (src_row == nullptr && !held) return std::nullopt;  // deleted, not held
  if (src_row == nullptr) return "the reduction holds the key, which the source does not";
  if (!held) return "the reduction does not hold the key";
  return mismatch(*src_row, red, id);
}

// Compares the source's final rows and the reduction key by key, in id order
// (the order the reduction and the timeline lay them out), and reports the
// differing key first in key order.
std::optional<Verdict> judge_binding(const history::History& h, const history::Binding& b) {
  const std::shared_ptr<const detail::HistoryKeys> keys = detail::history_keys(h);
  const detail::TableKeys& table = keys->of_binding(b.id);
  const detail::DocRefs docs = detail::surviving_documents_of(h, b.id);
  const Reduction red = reduce(*keys, table, docs.span());
  const std::optional<uint32_t> first =
      table.first_in_key_order([&](uint32_t id) { return differs(table, red, id).has_value(); },
                               [](uint32_t, detail::FetchStage) {});  // fetching did not pay here
  if (!first) return std::nullopt;
  const uint32_t id = *first;
  return violation(h, b, std::string(table.key(id)), table.final_row(id), red, id,
                   *differs(table, red, id));
}

}  // namespace

Verdict check_convergence(const history::History& h) {
  if (!h.drain.reached) return Verdict::unknown(kName, "the run did not drain, so no final state");
  const std::vector<const history::Binding*> bindings = detail::keyed_bindings(h);
  if (bindings.empty()) return Verdict::unknown(kName, "no keyed binding to judge");
  for (const history::Binding* b : bindings) {
    if (std::optional<Verdict> v = judge_binding(h, *b)) return *std::move(v);
  }
  return Verdict::hold(kName, "every keyed binding reduces to its table's final source state");
}

}  // namespace cdc::properties
