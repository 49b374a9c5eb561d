#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "model/reduction.h"
#include "properties/checkers.h"
#include "tests/properties/history_builder.h"

namespace cdc::properties::testing {
namespace {

TEST(ConvergenceTest, HoldsWhenTheReductionMatchesTheSource) {
  const Verdict v = check_convergence(clean_normal().build());
  EXPECT_EQ(v.property, "convergence");
  EXPECT_TRUE(Holds(v));
}

TEST(ConvergenceTest, AnOmittedFieldKeepsItsEarlierValue) {
  // An update that leaves field 1 out (an unchanged TOAST value) merges over
  // the snapshot row, which still supplies field 1.
  Document toast = doc_u("k1", 0, 300);
  toast.fields = Row{toast.fields[0], Value::null()};
  toast.present_mask = 0b01;
  const History h = HistoryBuilder()
                        .binding()
                        .instance(ResolvedMode::kNormal)
                        .commit(100, {ins("k1", 1)})
                        .txn({doc_snap("k1", 1, 100)})
                        .commit(300, {upd("k1", 1, 1)})
                        .txn({toast})
                        .drained(300)
                        .build();
  EXPECT_TRUE(Holds(check_convergence(h)));
}

TEST(ConvergenceTest, ViolatedByAMissingDelete) {
  HistoryBuilder b = clean_normal();
  History h = b.build();
  h.collection_txns.pop_back();  // lose the delete of k2
  const Verdict v = check_convergence(h);
  EXPECT_TRUE(Violated(v));
  EXPECT_TRUE(AboutKey(v, "k2"));
  EXPECT_TRUE(mentions(v, "\"k2\""));
}

TEST(ConvergenceTest, ViolatedByAFieldNoDocumentEverSupplied) {
  Document partial = doc_c("k1", 0, 100);
  partial.fields = Row{partial.fields[0], Value::null()};
  partial.present_mask = 0b01;
  const History h =
      HistoryBuilder().binding().commit(100, {ins("k1", 1)}).txn({partial}).drained(100).build();
  const Verdict v = check_convergence(h);
  EXPECT_TRUE(Violated(v));
  EXPECT_TRUE(AboutKey(v, "k1"));
  EXPECT_NE(v.explanation.find("field 1 is absent"), std::string::npos) << v.explanation;
}

TEST(ConvergenceTest, ViolatedByAWrongValue) {
  const History h = HistoryBuilder()
                        .binding()
                        .commit(100, {ins("k1", 1)})
                        .commit(200, {upd("k1", 1, 2)})
                        .txn({doc_c("k1", 1, 100)})
                        .drained(200)
                        .build();
  const Verdict v = check_convergence(h);
  EXPECT_TRUE(Violated(v));
  EXPECT_TRUE(AboutKey(v, "k1"));
}

TEST(ConvergenceTest, UnknownWithoutDrain) {
  History h = clean_normal().build();
  h.drain.reached = false;
  EXPECT_TRUE(Unknown(check_convergence(h)));
}

TEST(ConvergenceTest, UnknownWithOnlyKeylessBindings) {
  const History h = HistoryBuilder()
                        .binding(kBinding, kTable, /*keyless=*/true)
                        .commit(100, {ins("r1", 1)})
                        .drained(100)
                        .build();
  EXPECT_TRUE(Unknown(check_convergence(h)));
}

// Against reduce_fields applied document by document: over any mix of
// creates, updates with fields left out, deletes and rows of several widths
// for one key, the checker holds exactly when the source's final row is the
// reduction with every field present, and a changed source value is caught.
RC_GTEST_PROP(ConvergenceProps, AgreesWithReducingEveryDocument, ()) {
  std::vector<Document> docs;
  Row want;
  uint64_t want_mask = 0;
  bool present = false;
  for (int i = *rc::gen::inRange(1, 7); i > 0; --i) {
    Document d = doc_u("k1", 0, 200);
    d.op = *rc::gen::element(DocOp::kCreate, DocOp::kUpdate, DocOp::kDelete);
    Row fields;
    for (size_t c = *rc::gen::inRange<size_t>(1, 4); c > 0; --c)
      fields.push_back(Value::int64(*rc::gen::inRange(0, 3)));
    d.fields = std::move(fields);
    d.present_mask = *rc::gen::inRange<uint64_t>(0, uint64_t{1} << d.fields.size());
    if (d.op == DocOp::kDelete) {
      want.clear();
      want_mask = 0;
      present = false;
    } else {
      reduce_fields(&want, &want_mask, d.fields, d.present_mask);
      present = true;
    }
    docs.push_back(d);
  }
  bool complete = true;
  for (size_t c = 0; c < want.size(); ++c)
    complete = complete && field_present(want_mask, c);
  SourceKeyChange ins_row = ins("k1", 0);
  ins_row.after = want;
  HistoryBuilder b;
  b.binding().instance(ResolvedMode::kNormal).commit(100, {ins_row});
  if (!present) b.commit(150, {del("k1", 0)});
  const History h = b.txn(docs).drained(200).build();
  const Verdict v = check_convergence(h);
  RC_ASSERT(Holds(v) == (!present || complete));
  if (present) {  // the witness shows the reduction, fields never supplied as NULL
    const std::string shown = "reduced row: " + to_string(want);
    RC_ASSERT(complete || std::find(v.witness.begin(), v.witness.end(), shown) != v.witness.end());
  }
  if (present && complete) {
    History changed = h;
    Row after = changed.source_commits[0].changes[0].after->to_row();
    after.back() = Value::int64(after.back().as_int64() + 10);
    changed.source_commits[0].changes[0].after = std::move(after);
    RC_ASSERT(Violated(check_convergence(changed)));
  }
}

}  // namespace
}  // namespace cdc::properties::testing
