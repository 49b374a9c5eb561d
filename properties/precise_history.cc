// precise_history: in a Precise backfill instance, each key's documents (those
// carrying the instance's state key, in collection order) start with a create;
// an update or delete before it means the capture emitted a change for a key
// the backfill had not yet read.

#include <optional>
#include <set>

#include "properties/checkers.h"
#include "properties/helpers.h"

namespace cdc::properties {

namespace {

using detail::DocRef;
constexpr char kName[] = "precise_history";

// The first document of `inst` that opens its key with an update or delete.
std::optional<DocRef> first_bad_opening(const history::History& h,
                                        const history::BackfillInstance& inst) {
  std::set<history::DocKey> opened;
  for (const DocRef& ref : detail::documents_of(h, inst.binding)) {
    if (ref.doc->state_key != inst.state_key) continue;
    if (!opened.insert(ref.doc->key).second) continue;
    if (ref.doc->op != history::DocOp::kCreate) return ref;
  }
  return std::nullopt;
}

}  // namespace

Verdict check_precise_history(const history::History& h) {
  bool judged = false;
  for (const history::BackfillInstance& inst : h.backfills) {
    if (inst.mode != history::ResolvedMode::kPrecise) continue;
    const history::Binding* b = detail::find_binding(h, inst.binding);
    if (b != nullptr && b->keyless) continue;
    judged = true;
    const std::optional<DocRef> bad = first_bad_opening(h, inst);
    if (!bad) continue;
    const history::Document& d = *bad->doc;
    return Verdict::violation(
        kName,
        "Let k = " + detail::render_key(d.key) + " be a key written by the Precise instance " +
            inst.state_key + ". Then k's first document must be a create, but it is an " +
            (d.op == history::DocOp::kDelete ? "delete" : "update") + " at lsn " +
            to_string(d.lsn) + " in collection txn seq " + std::to_string(bad->txn->seq) + ".",
        {detail::describe_instance(inst), "first " + detail::describe_doc(*bad->txn, d)},
        Verdict::Subject{inst.binding, d.key});
  }
  if (!judged) return Verdict::unknown(kName, "no Precise backfill instance of a keyed binding");
  return Verdict::hold(kName, "every key of every Precise instance opens with a create");
}

}  // namespace cdc::properties
