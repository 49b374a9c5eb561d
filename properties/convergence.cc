// convergence: after the drain, reducing a keyed binding's documents (DESIGN
// §6: merge field by field over present fields, delete on op d) gives the
// final source state of its table, key for key and field for field.

#include <map>
#include <optional>
#include <set>

#include "model/reduction.h"
#include "properties/checkers.h"
#include "properties/helpers.h"
#include "properties/timeline.h"

namespace cdc::properties {

namespace {

using detail::DocRef;
constexpr char kName[] = "convergence";

struct Reduced {
  Row fields;
  uint64_t mask = 0;  // accumulated present_mask
};

struct Reduction {
  std::map<history::DocKey, Reduced> rows;
  std::map<history::DocKey, DocRef> last_doc;  // last document of each key, deletes included
};

Reduction reduce(const std::vector<DocRef>& docs) {
  Reduction out;
  for (const DocRef& ref : docs) {
    const history::Document& d = *ref.doc;
    out.last_doc[d.key] = ref;
    if (d.op == history::DocOp::kDelete) {
      out.rows.erase(d.key);
      continue;
    }
    Reduced& r = out.rows[d.key];
    reduce_fields(&r.fields, &r.mask, d.fields, d.present_mask);
  }
  return out;
}

// Why `r` differs from the source row, or nullopt when it matches.
std::optional<std::string> mismatch(const Row& source, const Reduced& r) {
  if (r.fields.size() != source.size()) {
    return "the reduced row has " + std::to_string(r.fields.size()) +
           " fields and the source row " + std::to_string(source.size());
  }
  for (size_t c = 0; c < source.size(); ++c) {
    const std::string col = "field " + std::to_string(c);
    if (!field_present(r.mask, c)) return col + " is absent from every reduced document";
    if (r.fields[c] != source[c]) {
      return col + " reduces to " + to_string(r.fields[c]) + " while the source has " +
             to_string(source[c]);
    }
  }
  return std::nullopt;
}

std::optional<Verdict> judge_binding(const history::History& h, const history::Binding& b) {
  const std::shared_ptr<const detail::SourceTimeline> shared = detail::timeline_for(h, b.table_id);
  const detail::SourceTimeline& timeline = *shared;
  const std::map<history::DocKey, const Row*> source = timeline.final_rows();
  const Reduction red = reduce(detail::surviving_documents_of(h, b.id));
  std::set<history::DocKey> keys;
  for (const auto& [key, row] : source)
    keys.insert(key);
  for (const auto& [key, row] : red.rows)
    keys.insert(key);
  for (const history::DocKey& key : keys) {
    const auto src = source.find(key);
    const auto got = red.rows.find(key);
    const Row* src_row = src == source.end() ? nullptr : src->second;
    std::optional<std::string> why;
    if (src_row == nullptr)
      why = "the reduction holds the key, which the source does not";
    else if (got == red.rows.end())
      why = "the reduction does not hold the key";
    else
      why = mismatch(*src_row, got->second);
    if (!why) continue;
    std::vector<std::string> witness = {
        "key " + detail::render_key(key) + " of " + detail::describe_binding(b),
        "source row at drain (lsn " + to_string(h.drain.source_flush_lsn) +
            "): " + detail::describe_row(src_row),
        "reduced row: " +
            (got == red.rows.end() ? std::string("absent") : to_string(got->second.fields))};
    const auto last = red.last_doc.find(key);
    if (last != red.last_doc.end()) {
      witness.push_back("last " + detail::describe_doc(*last->second.txn, *last->second.doc));
    }
    return Verdict::violation(
        kName,
        "Let k = " + detail::render_key(key) + " be a key of " + detail::describe_binding(b) +
            " after the run drained to lsn " + to_string(h.drain.source_flush_lsn) +
            ". Then reducing the collection must give k's final source row (" +
            detail::describe_row(src_row) + "), but " + *why + ".",
        std::move(witness), Verdict::Subject{b.id, key});
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
