#include "properties/checkers.h"
#include "tests/properties/keyless_builder.h"

namespace cdc::properties::testing {
namespace {

TEST(KeylessDuplicatesTest, ACorrectKeylessRunHolds) {
  const Verdict v = check_keyless_duplicates(clean_keyless_merge().build());
  EXPECT_TRUE(Holds(v));
  EXPECT_NE(v.explanation.find("0 duplicate rows"), std::string::npos) << v.explanation;
}

TEST(KeylessDuplicatesTest, UnknownWithoutADrainOrAKeylessBinding) {
  History h = clean_keyless().build();
  h.drain.reached = false;
  EXPECT_TRUE(Unknown(check_keyless_duplicates(h)));
  EXPECT_TRUE(Unknown(check_keyless_duplicates(clean_normal().build())));
}

// ("c",3) was inserted ahead of the scan: the stream wrote it and the scan
// read it again at its ctid. The copy is counted.
TEST(KeylessDuplicatesTest, ARowReadByTheStreamAndTheScanIsCounted) {
  HistoryBuilder b = clean_keyless();
  b.txn({ksnap("(0,3)", row("c", 3), 320)});
  const Verdict v = check_keyless_duplicates(b.build());
  EXPECT_TRUE(Violated(v));
  EXPECT_TRUE(AboutKey(v, "ctid:(0,3)"));
  EXPECT_NE(v.explanation.find("1 duplicate rows in all"), std::string::npos) << v.explanation;
}

// A stale value (the source deleted it) counts once as stale, and copies
// beyond that as duplicates; collection and destination are counted apart.
TEST(KeylessDuplicatesTest, StaleValuesCountOnceAndPlacesAddUp) {
  DestinationBuilder d = clean_keyless_merge();
  history::DestinationRow extra;
  extra.key = "wal:" + kState + ":330:0";
  extra.fields = row("c", 3);
  extra.present_mask = 0b11;
  extra.collection_seq = 3;
  d.dtxn(31, {extra});
  History h = d.build();
  h.source_commits.push_back(
      {350, Xid(200), Lsn(350), {kchange("(0,1)", row("a", 1), std::nullopt)}});
  h.collection_txns.push_back(
      {3,
       30,
       {kwal(DocOp::kCreate, 330, row("c", 3)), kwal(DocOp::kCreate, 340, row("a", 1))},
       Lsn(400),
       {}});
  const Verdict v = check_keyless_duplicates(h);
  EXPECT_TRUE(Violated(v));
  // Collection: ("c",3) twice (1 duplicate), ("a",1) twice but stale (1
  // duplicate); destination: ("c",3) twice (1 duplicate).
  EXPECT_NE(v.explanation.find("3 duplicate rows in all"), std::string::npos) << v.explanation;
  EXPECT_NE(v.explanation.find("2 in the collection"), std::string::npos) << v.explanation;
  EXPECT_NE(v.explanation.find("1 in the merge destination d7"), std::string::npos)
      << v.explanation;
}

}  // namespace
}  // namespace cdc::properties::testing
