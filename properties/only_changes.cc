// only_changes: a keyed binding whose latest instance is Only Changes gets
// - no backfill document under that instance's state key;
// - for every source change after the instance's stream start that changes
//   the row (before != after), a change document for the key at the commit's
//   lsn;
// - each change once: no two change documents of the binding share
//   (key, lsn, change_index).
// REQUIRES drain, since changes near the end may still be in flight before it.

#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "properties/checkers.h"
#include "properties/helpers.h"

namespace cdc::properties {

namespace {

using detail::DocRef;
constexpr char kName[] = "only_changes";

std::optional<Verdict> check_no_snapshot(const history::History& h,
                                         const history::BackfillInstance& inst) {
  for (const DocRef& ref : detail::documents_of(h, inst.binding)) {
    if (!ref.doc->snapshot || ref.doc->state_key != inst.state_key) continue;
    return Verdict::violation(
        kName,
        "Let I be the Only Changes instance " + inst.state_key + ". Then it must write no " +
            "backfill document, but collection txn seq " + std::to_string(ref.txn->seq) +
            " holds a snapshot document of key " + detail::render_key(ref.doc->key) + ".",
        {detail::describe_instance(inst), detail::describe_doc(*ref.txn, *ref.doc)},
        Verdict::Subject{inst.binding, ref.doc->key});
  }
  return std::nullopt;
}

std::optional<Verdict> check_every_change(const history::History& h, const history::Binding& b,
                                          const history::BackfillInstance& inst) {
  std::set<std::pair<history::DocKey, Lsn>> emitted;
  for (const DocRef& ref : detail::documents_of(h, b.id)) {
    if (!ref.doc->snapshot) emitted.emplace(ref.doc->key, ref.doc->lsn);
  }
  for (const history::SourceCommit& c : h.source_commits) {
    if (c.commit_lsn <= inst.stream_start_lsn) continue;
    for (const history::SourceKeyChange& ch : c.changes) {
      if (ch.table != b.table_id || ch.before == ch.after) continue;
      if (emitted.count({ch.key, c.commit_lsn}) != 0) continue;
      return Verdict::violation(
          kName,
          "Let C be the " + detail::describe_commit(c) + ", which changed key " +
              detail::render_key(ch.key) + " after the stream start " +
              to_string(inst.stream_start_lsn) + " of the Only Changes instance " + inst.state_key +
              ". Then " + detail::describe_binding(b) +
              " must hold a change document for the key at lsn " + to_string(c.commit_lsn) +
              ", but it holds none.",
          {detail::describe_instance(inst),
           detail::describe_commit(c) + " changing key " + detail::render_key(ch.key)},
          Verdict::Subject{b.id, ch.key});
    }
  }
  return std::nullopt;
}

std::optional<Verdict> check_once(const history::History& h,
                                  const history::BackfillInstance& inst) {
  std::map<std::tuple<history::DocKey, Lsn, uint32_t>, DocRef> seen;
  for (const DocRef& ref : detail::documents_of(h, inst.binding)) {
    if (ref.doc->snapshot) continue;
    const auto [it, fresh] =
        seen.try_emplace({ref.doc->key, ref.doc->lsn, ref.doc->change_index}, ref);
    if (fresh) continue;
    return Verdict::violation(
        kName,
        "Let c be the change of key " + detail::render_key(ref.doc->key) + " at lsn " +
            to_string(ref.doc->lsn) + " change_index " + std::to_string(ref.doc->change_index) +
            ". Then the Only Changes binding must hold it once, but collection txns seq " +
            std::to_string(it->second.txn->seq) + " and seq " + std::to_string(ref.txn->seq) +
            " both hold it.",
        {"first " + detail::describe_doc(*it->second.txn, *it->second.doc),
         "again " + detail::describe_doc(*ref.txn, *ref.doc)},
        Verdict::Subject{inst.binding, ref.doc->key});
  }
  return std::nullopt;
}

}  // namespace

Verdict check_only_changes(const history::History& h) {
  std::vector<std::pair<const history::Binding*, const history::BackfillInstance*>> judged;
  for (const history::Binding* b : detail::keyed_bindings(h)) {
    const history::BackfillInstance* inst = detail::latest_instance(h, b->id);
    if (inst != nullptr && inst->mode == history::ResolvedMode::kOnlyChanges) {
      judged.emplace_back(b, inst);
    }
  }
  if (judged.empty()) return Verdict::unknown(kName, "no keyed binding is in Only Changes mode");
  if (!h.drain.reached) return Verdict::unknown(kName, "the run did not drain within its budget");
  for (const auto& [b, inst] : judged) {
    if (std::optional<Verdict> v = check_no_snapshot(h, *inst)) return *std::move(v);
    if (std::optional<Verdict> v = check_every_change(h, *b, *inst)) return *std::move(v);
    if (std::optional<Verdict> v = check_once(h, *inst)) return *std::move(v);
  }
  return Verdict::hold(kName, "Only Changes bindings got every change once and no backfill");
}

}  // namespace cdc::properties
