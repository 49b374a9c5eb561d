#include "properties/checkers.h"
#include "tests/properties/keyless_builder.h"

namespace cdc::properties::testing {
namespace {

TEST(KeylessNoLossTest, ACorrectKeylessRunHolds) {
  EXPECT_TRUE(Holds(check_keyless_no_loss(clean_keyless().build())));
  EXPECT_TRUE(Holds(check_keyless_no_loss(clean_keyless_merge().build())));
}

TEST(KeylessNoLossTest, UnknownWithoutADrainOrAKeylessBinding) {
  History h = clean_keyless().build();
  h.drain.reached = false;
  EXPECT_TRUE(Unknown(check_keyless_no_loss(h)));
  EXPECT_TRUE(Unknown(check_keyless_no_loss(clean_normal().build())));
}

// The scan never read ("b",2) (say VACUUM FULL moved it behind the cursor)
// and no change wrote it: the collection lacks a row the source holds.
TEST(KeylessNoLossTest, ARowTheScanMissedIsLost) {
  History h = clean_keyless().build();
  h.collection_txns[0].docs.pop_back();
  const Verdict v = check_keyless_no_loss(h);
  EXPECT_TRUE(Violated(v));
  EXPECT_TRUE(AboutKey(v, "ctid:(0,2)"));
  EXPECT_NE(v.explanation.find("1 source rows missing"), std::string::npos) << v.explanation;
}

// Two equal rows at the source and one copy in the collection: a loss by
// multiplicity, which no key-based check could see.
TEST(KeylessNoLossTest, OneCopyOfARowHeldTwiceIsALoss) {
  HistoryBuilder b = clean_keyless();
  b.commit(350, {kchange("(0,4)", std::nullopt, row("c", 3))}).drained(400);
  const Verdict v = check_keyless_no_loss(b.build());
  EXPECT_TRUE(Violated(v));
  EXPECT_NE(v.explanation.find("holds 2 times"), std::string::npos) << v.explanation;
}

// Extra and stale copies are not losses.
TEST(KeylessNoLossTest, ExtraCopiesAreNotALoss) {
  HistoryBuilder b = clean_keyless();
  b.txn({kwal(DocOp::kCreate, 200, row("a", 1)), kwal(DocOp::kCreate, 250, row("z", 9))});
  EXPECT_TRUE(Holds(check_keyless_no_loss(b.build())));
}

TEST(KeylessNoLossTest, AMergeDestinationMissingARowIsALoss) {
  DestinationBuilder d = clean_keyless_merge();
  d.dtxn(31, {}, {"wal:" + kState + ":300:0"});
  const Verdict v = check_keyless_no_loss(d.build());
  EXPECT_TRUE(Violated(v));
  EXPECT_TRUE(AboutKey(v, "ctid:(0,3)"));
  EXPECT_NE(v.explanation.find("merge destination d7"), std::string::npos) << v.explanation;
}

}  // namespace
}  // namespace cdc::properties::testing
