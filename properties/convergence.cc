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

// A key's reduction: one document that decides it alone (it has every
// field, and nothing it leaves out survives from before it), or the fields
// merged from several. Most keys have one whole document, whose fields are
// then compared where they lie, with no merged copy.
struct Reduced {
  const history::Document* whole = nullptr;
  Row fields;         // when !whole
  uint64_t mask = 0;  // when !whole: accumulated present_mask

  std::span<const Value> row() const {
    if (whole != nullptr) return whole->fields;
    return fields;
  }
  uint64_t present() const { return whole != nullptr ? whole->present_mask : mask; }
  // Merges document `d` over this reduction (DESIGN §6).
  void add(const history::Document& d) {
    const std::span<const Value> now = row();
    const bool covers = now.size() <= d.fields.size() && (present() & ~d.present_mask) == 0;
    bool full = true;
    for (size_t c = 0; c < d.fields.size() && full; ++c)
      full = field_present(d.present_mask, c);
    if (full && covers) {  // d's fields and mask are the whole result
      whole = &d;
      if (!fields.empty()) Row().swap(fields);
      mask = 0;
      return;
    }
    if (whole != nullptr) {
      fields = whole->fields.to_row();
      mask = whole->present_mask;
      whole = nullptr;
    }
    reduce_fields(&fields, &mask, d.fields, d.present_mask);
  }
};

// By id in the binding's table's key space (history_keys.h).
struct Reduction {
  std::vector<Reduced> rows;     // meaningful while present
  std::vector<uint8_t> present;  // the last document is not a delete
  std::vector<DocRef> last_doc;  // the last document, deletes included (txn null: none)
};

Reduction reduce(const detail::HistoryKeys& keys, const detail::TableKeys& table,
                 const std::vector<DocRef>& docs) {
  Reduction out;
  out.rows.resize(table.size());
  out.present.assign(table.size(), 0);
  out.last_doc.resize(table.size());
  for (const DocRef& ref : docs) {
    const history::Document& d = *ref.doc;
    const uint32_t id = keys.doc(*ref.txn, d);
    CDC_ASSERT(id < table.size(), "a document of the binding has an id in its table");
    out.last_doc[id] = ref;
    if (d.op == history::DocOp::kDelete) {
      out.rows[id] = Reduced{};
      out.present[id] = 0;
      continue;
    }
    out.present[id] = 1;
    out.rows[id].add(d);
  }
  return out;
}

// Why `r` differs from the source row, or nullopt when it matches.
std::optional<std::string> mismatch(std::span<const Value> source, const Reduced& r) {
  const std::span<const Value> fields = r.row();
  if (fields.size() != source.size()) {
    return "the reduced row has " + std::to_string(fields.size()) + " fields and the source row " +
           std::to_string(source.size());
  }
  for (size_t c = 0; c < source.size(); ++c) {
    if (!field_present(r.present(), c)) {
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
                  const SharedRow* src_row, const Reduced* got, const DocRef* last,
                  const std::string& why) {
  std::vector<std::string> witness = {
      "key " + detail::render_key(key) + " of " + detail::describe_binding(b),
      "source row at drain (lsn " + to_string(h.drain.source_flush_lsn) +
          "): " + detail::describe_row(src_row),
      "reduced row: " + (got == nullptr ? std::string("absent") : to_string(got->row()))};
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
  const Reduced* reduced = red.present[id] != 0 ? &red.rows[id] : nullptr;
  if (src_row == nullptr && reduced == nullptr) return std::nullopt;  // deleted, not held
  if (src_row == nullptr) return "the reduction holds the key, which the source does not";
  if (reduced == nullptr) return "the reduction does not hold the key";
  return mismatch(*src_row, *reduced);
}

// Compares the source's final rows and the reduction key by key, in id order
// (the order the reduction and the timeline lay them out), and reports the
// differing key first in key order.
std::optional<Verdict> judge_binding(const history::History& h, const history::Binding& b) {
  const std::shared_ptr<const detail::HistoryKeys> keys = detail::history_keys(h);
  const detail::TableKeys& table = keys->of_binding(b.id);
  const Reduction red = reduce(*keys, table, detail::surviving_documents_of(h, b.id));
  const std::optional<uint32_t> first =
      table.first_in_key_order([&](uint32_t id) { return differs(table, red, id).has_value(); });
  if (!first) return std::nullopt;
  const uint32_t id = *first;
  const DocRef* last = red.last_doc[id].txn != nullptr ? &red.last_doc[id] : nullptr;
  const Reduced* reduced = red.present[id] != 0 ? &red.rows[id] : nullptr;
  return violation(h, b, std::string(table.key(id)), table.final_row(id), reduced, last,
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
