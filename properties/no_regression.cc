// no_regression: for each key of a keyed binding, the source version a reader
// sees (judged between whole collection transactions) never goes back in the
// key's source timeline: state_index(k, v_new) >= state_index(k, v_old).

#include <optional>

#include "properties/checkers.h"
#include "properties/helpers.h"
#include "properties/replay.h"
#include "properties/timeline.h"

namespace cdc::properties {

namespace {

constexpr char kName[] = "no_regression";

std::string seen(const detail::VisibleState& s) {
  return std::string(s.present ? "present" : "deleted") + " at source version lsn " +
         to_string(s.version) + " (state " + std::to_string(s.state_index) + " of its timeline)";
}

Verdict regression(const history::Binding& b, const detail::VisibleChange& c) {
  const std::string key = detail::render_key(*c.key);
  return Verdict::violation(
      kName,
      "Let k = " + key + " be a key of " + detail::describe_binding(b) +
          ". Then after collection txn seq " + std::to_string(c.before.doc.txn->seq) +
          " a reader sees k " + seen(c.before) + ", but after txn seq " +
          std::to_string(c.after.doc.txn->seq) + " it sees k " + seen(c.after) +
          ", an older state.",
      {"key " + key + " of " + detail::describe_binding(b),
       "seen before: " + detail::describe_doc(*c.before.doc.txn, *c.before.doc.doc),
       "seen after: " + detail::describe_doc(*c.after.doc.txn, *c.after.doc.doc)},
      Verdict::Subject{b.id, *c.key});
}

}  // namespace

Verdict check_no_regression(const history::History& h) {
  if (detail::keyed_bindings(h).empty()) {
    return Verdict::unknown(kName, "no keyed binding to judge");
  }
  // The first change whose visible source version went backwards.
  const std::shared_ptr<const std::vector<detail::BindingChange>> regressions =
      detail::visible_regressions(h);
  if (!regressions->empty()) {
    return regression(*regressions->front().binding, regressions->front().change);
  }
  return Verdict::hold(kName, "no key's visible source version ever went backwards");
}

}  // namespace cdc::properties
