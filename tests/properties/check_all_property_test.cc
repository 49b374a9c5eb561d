// Generated histories against a reference: a capture that copies every source
// commit faithfully into the collection (Only Changes from the beginning)
// satisfies every property that applies; losing the last document of a key
// is caught.

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <iterator>
#include <map>

#include "properties/checkers.h"
#include "tests/properties/history_builder.h"

namespace cdc::properties::testing {
namespace {

// One source commit per pick, each changing one of three keys; the documents
// are grouped into collection transactions where `cut` says so.
History faithful(const std::vector<uint8_t>& picks, const std::vector<bool>& cut) {
  HistoryBuilder b;
  b.binding().instance(ResolvedMode::kOnlyChanges, 0);
  std::map<std::string, int64_t> table;
  std::vector<Document> pending;
  uint64_t lsn = 0;
  for (size_t i = 0; i < picks.size(); ++i) {
    const std::string key = "k" + std::to_string(picks[i] % 3);
    const auto v = static_cast<int64_t>(i);
    lsn = 100 * (i + 1);
    const auto it = table.find(key);
    if (it == table.end()) {
      b.commit(lsn, {ins(key, v)});
      pending.push_back(doc_c(key, v, lsn));
      table[key] = v;
    } else if (picks[i] / 3 == 0) {
      b.commit(lsn, {del(key, it->second)});
      pending.push_back(doc_d(key, lsn));
      table.erase(it);
    } else {
      b.commit(lsn, {upd(key, it->second, v)});
      pending.push_back(doc_u(key, v, lsn));
      it->second = v;
    }
    if (cut[i] || i + 1 == picks.size()) {
      b.txn(std::move(pending));
      pending.clear();
    }
  }
  return b.drained(lsn).build();
}

RC_GTEST_PROP(CheckAllProperty, AFaithfulCaptureSatisfiesEveryApplicableProperty, ()) {
  const auto picks =
      *rc::gen::nonEmpty(rc::gen::container<std::vector<uint8_t>>(rc::gen::inRange<uint8_t>(0, 6)));
  const auto cut = *rc::gen::container<std::vector<bool>>(picks.size(), rc::gen::arbitrary<bool>());
  for (const Verdict& v : check_all(faithful(picks, cut))) {
    // The history has no materializations: the destination checkers cannot judge it.
    const bool destination = v.property.rfind("destination_", 0) == 0 ||
                             v.property.rfind("delta_", 0) == 0 || v.property == "retention_loss";
    // Nor is there a restart for resume_state to judge, nor a keyless binding.
    const bool applies = v.property != "precise_history" && v.property != "coverage" &&
                         v.property != "resume_state" && v.property != "retention_period" &&
                         v.property.rfind("keyless_", 0) != 0 && !destination;
    RC_ASSERT(v.outcome == (applies ? Verdict::Outcome::kHolds : Verdict::Outcome::kUnknown));
  }
}

RC_GTEST_PROP(CheckAllProperty, LosingTheLastDocumentOfAKeyIsCaught, ()) {
  const auto picks =
      *rc::gen::nonEmpty(rc::gen::container<std::vector<uint8_t>>(rc::gen::inRange<uint8_t>(0, 6)));
  const auto cut = *rc::gen::container<std::vector<bool>>(picks.size(), rc::gen::arbitrary<bool>());
  History h = faithful(picks, cut);
  const std::string victim = "k" + std::to_string(*rc::gen::elementOf(picks) % 3);
  for (auto txn = h.collection_txns.rbegin(); txn != h.collection_txns.rend(); ++txn) {
    auto& docs = txn->docs;
    const auto it = std::find_if(docs.rbegin(), docs.rend(),
                                 [&](const Document& d) { return d.key == victim; });
    if (it == docs.rend()) continue;
    docs.erase(std::next(it).base());
    break;
  }
  const Verdict lost = check_no_loss(h);
  RC_ASSERT(lost.violated());
  RC_ASSERT(lost.explanation.rfind("Let", 0) == 0);
  RC_ASSERT(check_only_changes(h).violated());
}

// Keys a and b are inserted together; then updates of a and b in any order,
// an update of a, and at least one update of b, each its own commit. The
// collection shows every update in commit order, cut into transactions at
// random, except the last update of a: it comes alone, after all the rest.
// Whenever a reader first sees b's next update, it still holds a from before
// that update of a, which committed first.
RC_GTEST_PROP(CheckAllProperty, HoldingBackOneChangeBehindALaterCommitIsCaught, ()) {
  const auto before = *rc::gen::container<std::vector<bool>>(rc::gen::arbitrary<bool>());
  const auto b_after = *rc::gen::inRange<size_t>(1, 6);
  const auto cut =
      *rc::gen::container<std::vector<bool>>(before.size() + b_after, rc::gen::arbitrary<bool>());
  HistoryBuilder hb;
  hb.binding().instance(ResolvedMode::kOnlyChanges, 0);
  hb.commit(100, {ins("a", 0), ins("b", 0)}).txn({doc_c("a", 0, 100), doc_c("b", 0, 100, 1)});
  std::map<std::string, int64_t> value = {{"a", 0}, {"b", 0}};
  std::vector<Document> pending;
  uint64_t lsn = 100;
  auto update = [&](const std::string& key) {
    lsn += 100;
    const int64_t from = value[key];
    value[key] = static_cast<int64_t>(lsn);
    hb.commit(lsn, {upd(key, from, value[key])});
    return doc_u(key, value[key], lsn);
  };
  std::vector<std::string> keys;
  for (bool is_a : before)
    keys.push_back(is_a ? "a" : "b");
  keys.push_back("held");
  keys.insert(keys.end(), b_after, "b");
  Document held;
  size_t step = 0;
  for (const std::string& key : keys) {
    if (key == "held") {
      held = update("a");
      continue;
    }
    pending.push_back(update(key));
    if (cut[step++] || step == cut.size()) {
      hb.txn(std::move(pending));
      pending.clear();
    }
  }
  hb.txn({held});
  const Verdict v = check_transaction_order(hb.drained(lsn).build());
  RC_ASSERT(v.violated());
  RC_ASSERT(v.explanation.rfind("Let", 0) == 0);
  RC_ASSERT(v.subject && v.subject->key == "a");
}

}  // namespace
}  // namespace cdc::properties::testing
