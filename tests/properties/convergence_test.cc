#include <gtest/gtest.h>

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
  toast.fields[1] = Value::null();
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
  partial.fields[1] = Value::null();
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

}  // namespace
}  // namespace cdc::properties::testing
