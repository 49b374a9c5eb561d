// no_resurrection: a reader that saw a key deleted never later sees it
// present at an older source version (a regression from absent to present).
// Re-insertion at the source is fine: it moves the version forward.

#include <algorithm>
#include <optional>

#include "properties/checkers.h"
#include "properties/helpers.h"
#include "properties/replay.h"
#include "properties/timeline.h"

namespace cdc::properties {

namespace {

constexpr char kName[] = "no_resurrection";

Verdict resurrection(const history::Binding& b, const detail::VisibleChange& c) {
  const std::string key = detail::render_key(*c.key);
  return Verdict::violation(
      kName,
      "Let k = " + key + " be a key of " + detail::describe_binding(b) +
          ". Then after collection txn seq " + std::to_string(c.before.doc.txn->seq) +
          " a reader sees k deleted as of source version lsn " + to_string(c.before.version) +
          " (state " + std::to_string(c.before.state_index) +
          " of its timeline), but after txn seq " + std::to_string(c.after.doc.txn->seq) +
          " k is present again at the older version lsn " + to_string(c.after.version) +
          " (state " + std::to_string(c.after.state_index) + ").",
      {"key " + key + " of " + detail::describe_binding(b),
       "deleted by " + detail::describe_doc(*c.before.doc.txn, *c.before.doc.doc),
       "resurrected by " + detail::describe_doc(*c.after.doc.txn, *c.after.doc.doc)},
      Verdict::Subject{b.id, *c.key});
}

}  // namespace

Verdict check_no_resurrection(const history::History& h) {
  if (detail::keyed_bindings(h).empty()) {
    return Verdict::unknown(kName, "no keyed binding to judge");
  }
  // The first change that went back to an older version (visible_regressions)
  // and brought a deleted key back.
  const std::shared_ptr<const std::vector<detail::BindingChange>> regressions =
      detail::visible_regressions(h);
  const auto c = std::find_if(regressions->begin(), regressions->end(), [](const auto& r) {
    return !r.change.before.present && r.change.after.present;
  });
  if (c != regressions->end()) return resurrection(*c->binding, c->change);
  return Verdict::hold(kName, "no deleted key came back at an older source version");
}

}  // namespace cdc::properties
