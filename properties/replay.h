// What a reader of a keyed binding's collection sees, one whole collection
// transaction at a time (a reader never sees part of a transaction).
//
// After each transaction, a key's visible state is set by the last document
// of the binding for that key in the transaction: version = its lsn, present
// = its op is not d. Order inside a transaction therefore does not matter
// beyond "last document wins".
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "properties/helpers.h"
#include "properties/history.h"
#include "properties/timeline.h"

namespace cdc::properties::detail {

struct VisibleState {
  bool present = false;
  Lsn version;
  size_t state_index = 0;  // timeline.state_index(key, version)
  DocRef doc;              // the document that set this state
};

// A key's visible state before and after one collection transaction.
struct VisibleChange {
  const history::DocKey* key = nullptr;  // a document's key in the history
  VisibleState before;
  VisibleState after;
};

// Replays binding `b`'s documents transaction by transaction; for each key a
// transaction touches that was already visible (present or deleted) it
// offers the change to `pred`, in transaction order then key order, and
// returns the first change `pred` accepts (nullopt if none).
std::optional<VisibleChange> first_visible_change(
    const history::History& h, const history::Binding& b,
    const std::function<bool(const VisibleChange&)>& pred);

struct BindingChange {
  const history::Binding* binding = nullptr;
  VisibleChange change;
};

// Every change first_visible_change offers, over every keyed binding in
// binding order, whose visible source version goes backwards
// (after.state_index < before.state_index), in the order it offers them. Shared in a TimelineScope
// (timeline.h): the regression and resurrection checkers, whose predicates both demand it, replay
// the collections once between them.
std::shared_ptr<const std::vector<BindingChange>> visible_regressions(const history::History& h);

}  // namespace cdc::properties::detail
