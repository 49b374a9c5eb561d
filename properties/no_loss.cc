// no_loss: every source change after the stream start of a keyed binding's
// latest instance is covered by the collection. A change of key k at commit C
// is covered iff some document of the binding for k has lsn >= C.commit_lsn,
// or the instance wrote nothing for k and k is absent at the end (a key that
// came and went while unobserved leaves nothing to lose).

#include <optional>
#include <string_view>
#include <vector>

#include "properties/checkers.h"
#include "properties/helpers.h"
#include "properties/history_keys.h"
#include "properties/timeline.h"

namespace cdc::properties {

namespace {

using detail::DocRef;
constexpr char kName[] = "no_loss";

struct KeyDocs {
  std::optional<DocRef> newest;  // the document of highest lsn (first one on ties)
  bool in_instance = false;      // some document carries the instance's state key
};

// Each key's documents, summed up, by its id in the binding's table's key
// space (history_keys.h); a key without documents has neither.
std::vector<KeyDocs> index_docs(const history::History& h, const detail::HistoryKeys& keys,
                                const history::Binding& b, const history::BackfillInstance& inst) {
  std::vector<KeyDocs> out(keys.of_binding(b.id).size());
  for (const DocRef& ref : detail::surviving_documents_of(h, b.id)) {
    KeyDocs& k = out[keys.doc(*ref.txn, *ref.doc)];
    if (!k.newest || k.newest->doc->lsn < ref.doc->lsn) k.newest = ref;
    if (ref.doc->state_key == inst.state_key) k.in_instance = true;
  }
  return out;
}

Verdict lost(const history::History& h, const history::Binding& b,
             const history::BackfillInstance& inst, const history::SourceCommit& c,
             const history::SourceKeyChange& ch, const KeyDocs* docs, const SharedRow* final_row) {
  const std::string key = detail::render_key(ch.key);
  std::vector<std::string> witness = {
      detail::describe_instance(inst),
      detail::describe_commit(c) + " changing key " + key + " from " +
          detail::describe_row(ch.before ? &*ch.before : nullptr) + " to " +
          detail::describe_row(ch.after ? &*ch.after : nullptr)};
  std::string but = "the newest document of " + detail::describe_binding(b) + " for k ";
  if (docs != nullptr && docs->newest) {
    witness.push_back("newest " + detail::describe_doc(*docs->newest->txn, *docs->newest->doc));
    but += "is at lsn " + to_string(docs->newest->doc->lsn);
  } else {
    but = "there is no document of " + detail::describe_binding(b) + " for k";
  }
  if (final_row != nullptr)
    but += ", and k is present at the source at the end";
  else
    but += ", and the instance wrote documents for k";
  return Verdict::violation(
      kName,
      "Let C be the " + detail::describe_commit(c) + ", which changed k = " + key +
          " after the stream start " + to_string(inst.stream_start_lsn) + " of " + inst.state_key +
          ". Then the collection must hold a document for k at lsn >= " + to_string(c.commit_lsn) +
          " (the run drained to " + to_string(h.drain.source_flush_lsn) + "), but " + but + ".",
      std::move(witness), Verdict::Subject{b.id, ch.key});
}

std::optional<Verdict> judge_binding(const history::History& h, const history::Binding& b,
                                     const history::BackfillInstance& inst) {
  const std::shared_ptr<const detail::HistoryKeys> keys = detail::history_keys(h);
  const detail::TableKeys& table = keys->of_binding(b.id);
  const std::vector<KeyDocs> docs = index_docs(h, *keys, b, inst);
  for (const history::SourceCommit& c : h.source_commits) {
    if (c.commit_lsn <= inst.stream_start_lsn) continue;
    for (const history::SourceKeyChange& ch : c.changes) {
      if (ch.table != b.table_id) continue;
      const uint32_t id = keys->change(c, ch);
      const KeyDocs& kd = docs.at(id);
      if (kd.newest && kd.newest->doc->lsn >= c.commit_lsn) continue;
      const SharedRow* final_row = detail::SourceTimeline::final_row(table.entry(id)->versions);
      if (!kd.in_instance && final_row == nullptr) continue;
      return lost(h, b, inst, c, ch, &kd, final_row);
    }
  }
  return std::nullopt;
}

}  // namespace

Verdict check_no_loss(const history::History& h) {
  if (!h.drain.reached) return Verdict::unknown(kName, "the run did not drain within its budget");
  bool judged = false;
  for (const history::Binding* b : detail::keyed_bindings(h)) {
    const history::BackfillInstance* inst = detail::latest_instance(h, b->id);
    if (inst == nullptr) continue;
    judged = true;
    if (std::optional<Verdict> v = judge_binding(h, *b, *inst)) return *std::move(v);
  }
  if (!judged) return Verdict::unknown(kName, "no keyed binding has a backfill instance");
  return Verdict::hold(kName, "every change after each stream start is covered");
}

}  // namespace cdc::properties
