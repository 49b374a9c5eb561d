// The fixed list of checkers and the one place that runs them all.

#include "properties/checkers.h"

#include <iterator>
#include <optional>

#include "model/assert.h"
#include "properties/helpers.h"
#include "properties/key_text.h"
#include "properties/timeline.h"

namespace cdc::properties {

namespace {

using Checker = Verdict (*)(const history::History&);

struct Entry {
  const char* name;
  Checker check;
};

// The order here is the order of property_names() and check_all().
constexpr Entry kCheckers[] = {
    {"convergence", &check_convergence},
    {"no_loss", &check_no_loss},
    {"no_resurrection", &check_no_resurrection},
    {"no_regression", &check_no_regression},
    {"per_key_commit_order", &check_per_key_commit_order},
    {"precise_history", &check_precise_history},
    {"coverage", &check_coverage},
    {"only_changes", &check_only_changes},
    {"exactly_once", &check_exactly_once},
    {"liveness", &check_liveness},
    {"retention_period", &check_retention_period},
    {"keyless_convergence", &check_keyless_convergence},
    {"keyless_no_loss", &check_keyless_no_loss},
    {"keyless_duplicates", &check_keyless_duplicates},
    {"destination_convergence", &check_destination_convergence},
    {"delta_no_loss", &check_delta_no_loss},
    {"delta_duplicates", &check_delta_duplicates},
    {"delta_no_prebackfill_rows", &check_delta_no_prebackfill_rows},
    {"destination_no_regression", &check_destination_no_regression},
    {"destination_no_resurrection", &check_destination_no_resurrection},
    {"retention_loss", &check_retention_loss},
    {"transaction_order", &check_transaction_order},
    {"resume_state", &check_resume_state},
};

}  // namespace

const std::vector<std::string>& property_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const Entry& e : kCheckers)
      out.emplace_back(e.name);
    return out;
  }();
  return names;
}

std::vector<Verdict> check_all(const history::History& h) {
  return check_all(h, [](std::string_view) {});
}

std::vector<Verdict> check_all(const history::History& h,
                               const std::function<void(std::string_view)>& before_each) {
  std::vector<Verdict> out;
  out.reserve(std::size(kCheckers));
  const detail::TimelineScope shared_timelines(h);  // one source timeline per table
  for (const Entry& e : kCheckers) {
    before_each(e.name);
    Verdict v = e.check(h);
    CDC_ASSERT(v.property == e.name, "a checker reported under another name");
    if (v.subject) v.subject->key_text = detail::render_key(h, v.subject->binding, v.subject->key);
    out.push_back(std::move(v));
  }
  // Keys in explanations as typed values; only violations are read closely.
  std::vector<std::string_view> texts;
  for (const Verdict& v : out) {
    if (!v.violated()) continue;
    texts.push_back(v.explanation);
    texts.insert(texts.end(), v.witness.begin(), v.witness.end());
  }
  if (!texts.empty()) {
    const detail::KeyTexts keys(h, texts);  // only the keys these texts render
    for (Verdict& v : out) {
      if (v.violated()) keys.rewrite(&v);
    }
  }
  before_each("");
  return out;
}

}  // namespace cdc::properties
