#include "properties/replay.h"

#include <algorithm>
#include <string_view>
#include <vector>

#include "model/assert.h"
#include "model/key_sort.h"
#include "properties/history_keys.h"

namespace cdc::properties::detail {

namespace {

// The binding's documents of one transaction in key order, the last document
// of each key only (it sets the key's state).
void last_documents_by_key(const history::CollectionTxn& txn, uint32_t binding,
                           std::vector<const history::Document*>* out) {
  out->clear();
  for (const history::Document& d : txn.docs) {
    if (d.binding == binding) out->push_back(&d);
  }
  const auto by_key = [](const auto* a, const auto* b) { return a->key < b->key; };
  // A chunk's documents come in key order already.
  if (!std::is_sorted(out->begin(), out->end(), by_key))
    stable_sort_by_key(out, [](const history::Document* d) { return d->key.view(); });
  size_t kept = 0;
  for (size_t i = 0; i < out->size(); ++i) {
    const bool last_of_key = i + 1 == out->size() || (*out)[i + 1]->key != (*out)[i]->key;
    if (last_of_key) (*out)[kept++] = (*out)[i];
  }
  out->resize(kept);
}

}  // namespace

std::optional<VisibleChange> first_visible_change(
    const history::History& h, const history::Binding& b,
    const std::function<bool(const VisibleChange&)>& pred) {
  // Each key's visible state, by its id in the table's key space.
  const std::shared_ptr<const HistoryKeys> keys = history_keys(h);
  const TableKeys& table = keys->of_binding(b.id);
  const SourceTimeline& timeline = table.timeline();
  std::vector<VisibleState> visible(table.size());
  std::vector<uint8_t> seen(table.size(), 0);
  std::vector<const history::Document*> touched;
  for (const history::CollectionTxn& txn : h.collection_txns) {
    last_documents_by_key(txn, b.id, &touched);
    for (const history::Document* d : touched) {
      CDC_ASSERT(d->binding == b.id, "only the binding's own documents are replayed");
      const uint32_t id = keys->doc(txn, *d);
      CDC_ASSERT(id < table.size(), "a document of the binding has an id in its table");
      const std::optional<TimelineKey> entry = table.entry(id);
      const size_t state = entry ? timeline.state_index(*entry, d->lsn) : 0;
      const VisibleState now{d->op != history::DocOp::kDelete, d->lsn, state, DocRef{&txn, d}};
      if (seen[id] == 0) {
        seen[id] = 1;
        visible[id] = now;
        continue;
      }
      VisibleChange change{&d->key, visible[id], now};
      if (pred(change)) return change;
      visible[id] = now;
    }
  }
  return std::nullopt;
}

std::shared_ptr<const std::vector<BindingChange>> visible_regressions(const history::History& h) {
  return shared_in_scope<std::vector<BindingChange>>(h, "visible_regressions", 0, [&] {
    std::vector<BindingChange> out;
    for (const history::Binding* b : keyed_bindings(h)) {
      // A predicate that collects and never accepts: the whole replay.
      first_visible_change(h, *b, [&](const VisibleChange& c) {
        if (c.after.state_index < c.before.state_index) out.push_back(BindingChange{b, c});
        return false;
      });
    }
    return out;
  });
}

}  // namespace cdc::properties::detail
