#include "properties/replay.h"

#include <map>

#include "model/assert.h"

namespace cdc::properties::detail {

std::optional<VisibleChange> first_visible_change(
    const history::History& h, const history::Binding& b, const SourceTimeline& timeline,
    const std::function<bool(const VisibleChange&)>& pred) {
  std::map<history::DocKey, VisibleState> visible;
  for (const history::CollectionTxn& txn : h.collection_txns) {
    std::map<history::DocKey, const history::Document*> touched;
    for (const history::Document& d : txn.docs) {
      if (d.binding == b.id) touched[d.key] = &d;  // the last document of a key wins
    }
    for (const auto& [key, d] : touched) {
      CDC_ASSERT(d->binding == b.id, "only the binding's own documents are replayed");
      const VisibleState now{d->op != history::DocOp::kDelete, d->lsn,
                             timeline.state_index(key, d->lsn), DocRef{&txn, d}};
      const auto it = visible.find(key);
      if (it == visible.end()) {
        visible.emplace(key, now);
        continue;
      }
      VisibleChange change{key, it->second, now};
      if (pred(change)) return change;
      it->second = now;
    }
  }
  return std::nullopt;
}

std::optional<BindingChange> first_visible_change_in_keyed_bindings(
    const history::History& h, const std::function<bool(const VisibleChange&)>& pred) {
  for (const history::Binding* b : keyed_bindings(h)) {
    const std::shared_ptr<const SourceTimeline> shared = timeline_for(h, b->table_id);
    const SourceTimeline& timeline = *shared;
    if (std::optional<VisibleChange> c = first_visible_change(h, *b, timeline, pred)) {
      return BindingChange{b, std::move(*c)};
    }
  }
  return std::nullopt;
}

}  // namespace cdc::properties::detail
