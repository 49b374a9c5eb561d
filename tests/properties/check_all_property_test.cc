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
    const bool applies =
        v.property != "precise_history" && v.property != "coverage" && !destination;
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

}  // namespace
}  // namespace cdc::properties::testing
