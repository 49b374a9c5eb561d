// convergence: after the drain, reducing a keyed binding's documents (DESIGN
// §6: merge field by field over present fields, delete on op d) gives the
// final source state of its table, key for key and field for field.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string_view>

#include "model/reduction.h"
#include "properties/checkers.h"
#include "properties/helpers.h"
#include "properties/key_ids.h"
#include "properties/timeline.h"

namespace cdc::properties {

namespace {

using detail::DocRef;
constexpr char kName[] = "convergence";

struct Reduced {
  Row fields;
  uint64_t mask = 0;  // accumulated present_mask
};

// Keys are views of the documents' keys in the history, which outlives it;
// ids in the order of each key's first document (key_ids.h).
struct Reduction {
  detail::KeyIds ids;
  std::vector<Reduced> rows;       // by id; meaningful while present
  std::vector<uint8_t> present;    // by id: the last document is not a delete
  std::vector<DocRef> last_doc;    // by id: the last document, deletes included
  std::vector<uint32_t> in_order;  // ids of the present keys, in key order
};

Reduction reduce(const std::vector<DocRef>& docs) {
  Reduction out;
  for (const DocRef& ref : docs) {
    const history::Document& d = *ref.doc;
    const uint32_t id = out.ids.add(0, d.key);
    if (id == out.rows.size()) {
      out.rows.emplace_back();
      out.present.push_back(0);
      out.last_doc.push_back(ref);
    }
    out.last_doc[id] = ref;
    if (d.op == history::DocOp::kDelete) {
      out.rows[id] = Reduced{};
      out.present[id] = 0;
      continue;
    }
    out.present[id] = 1;
    reduce_fields(&out.rows[id].fields, &out.rows[id].mask, d.fields, d.present_mask);
  }
  for (uint32_t id = 0; id < out.rows.size(); ++id) {
    if (out.present[id] != 0) out.in_order.push_back(id);
  }
  detail::sort_by_key(out.ids, &out.in_order);
  return out;
}

// Why `r` differs from the source row, or nullopt when it matches.
std::optional<std::string> mismatch(const Row& source, const Reduced& r) {
  if (r.fields.size() != source.size()) {
    return "the reduced row has " + std::to_string(r.fields.size()) +
           " fields and the source row " + std::to_string(source.size());
  }
  for (size_t c = 0; c < source.size(); ++c) {
    if (!field_present(r.mask, c)) {
      return "field " + std::to_string(c) + " is absent from every reduced document";
    }
    if (r.fields[c] != source[c]) {
      return "field " + std::to_string(c) + " reduces to " + to_string(r.fields[c]) +
             " while the source has " + to_string(source[c]);
    }
  }
  return std::nullopt;
}

Verdict violation(const history::History& h, const history::Binding& b, const std::string& key,
                  const Row* src_row, const Reduced* got, const DocRef* last,
                  const std::string& why) {
  std::vector<std::string> witness = {
      "key " + detail::render_key(key) + " of " + detail::describe_binding(b),
      "source row at drain (lsn " + to_string(h.drain.source_flush_lsn) +
          "): " + detail::describe_row(src_row),
      "reduced row: " + (got == nullptr ? std::string("absent") : to_string(got->fields))};
  if (last != nullptr) witness.push_back("last " + detail::describe_doc(*last->txn, *last->doc));
  return Verdict::violation(kName,
                            "Let k = " + detail::render_key(key) + " be a key of " +
                                detail::describe_binding(b) + " after the run drained to lsn " +
                                to_string(h.drain.source_flush_lsn) +
                                ". Then reducing the collection must give k's final source row (" +
                                detail::describe_row(src_row) + "), but " + why + ".",
                            std::move(witness), Verdict::Subject{b.id, key});
}

// Walks the source's final rows and the reduction together, in key order.
std::optional<Verdict> judge_binding(const history::History& h, const history::Binding& b) {
  const std::shared_ptr<const detail::SourceTimeline> shared = detail::timeline_for(h, b.table_id);
  const auto& source = shared->keys();
  const Reduction red = reduce(detail::surviving_documents_of(h, b.id));
  auto src = source.begin();
  auto got = red.in_order.begin();
  while (src != source.end() || got != red.in_order.end()) {
    const std::string_view got_key = got == red.in_order.end() ? "" : red.ids.key(*got);
    const bool take_src = got == red.in_order.end() || (src != source.end() && src->key <= got_key);
    const bool take_got = src == source.end() || (got != red.in_order.end() && got_key <= src->key);
    const std::string_view key_view = take_src ? src->key : got_key;
    const Row* src_row = take_src ? detail::SourceTimeline::final_row(src->versions) : nullptr;
    const Reduced* reduced = take_got ? &red.rows[*got] : nullptr;
    if (take_src) ++src;
    if (take_got) ++got;
    if (src_row == nullptr && reduced == nullptr) continue;  // deleted in the source, not held
    std::optional<std::string> why;
    if (src_row == nullptr)
      why = "the reduction holds the key, which the source does not";
    else if (reduced == nullptr)
      why = "the reduction does not hold the key";
    else
      why = mismatch(*src_row, *reduced);
    if (!why) continue;
    const std::string key(key_view);
    const std::optional<uint32_t> id = red.ids.find(0, key_view);
    return violation(h, b, key, src_row, reduced, id ? &red.last_doc[*id] : nullptr, *why);
  }
  return std::nullopt;
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
