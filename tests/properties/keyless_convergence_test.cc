#include "properties/checkers.h"
#include "tests/properties/keyless_builder.h"

namespace cdc::properties::testing {
namespace {

TEST(KeylessConvergenceTest, ACorrectKeylessRunHolds) {
  EXPECT_TRUE(Holds(check_keyless_convergence(clean_keyless().build())));
  EXPECT_TRUE(Holds(check_keyless_convergence(clean_keyless_merge().build())));
}

TEST(KeylessConvergenceTest, UnknownWithoutADrainOrAKeylessBinding) {
  History h = clean_keyless().build();
  h.drain.reached = false;
  EXPECT_TRUE(Unknown(check_keyless_convergence(h)));
  EXPECT_TRUE(Unknown(check_keyless_convergence(clean_normal().build())));
}

// An UPDATE moves ("a",1) to a new ctid as ("a",5): its change document has
// a key of its own, so the snapshot of ("a",1) stays in the collection.
TEST(KeylessConvergenceTest, AnUpdateLeavesTheOldValueBehind) {
  HistoryBuilder b = clean_keyless();
  b.commit(350, {kchange("(0,1)", row("a", 1), std::nullopt),
                 kchange("(0,4)", std::nullopt, row("a", 5))})
      .txn({kwal(DocOp::kUpdate, 350, row("a", 5))});
  const Verdict v = check_keyless_convergence(b.build());
  EXPECT_TRUE(Violated(v));
  EXPECT_NE(v.explanation.find("('a',1)"), std::string::npos) << v.explanation;
  EXPECT_NE(v.explanation.find("(0), but it holds r 1 times"), std::string::npos) << v.explanation;
}

TEST(KeylessConvergenceTest, AMergeDestinationMissingARowIsViolated) {
  DestinationBuilder d = clean_keyless_merge();
  d.dtxn(31, {}, {"ctid:" + kState + ":(0,2)"});
  const Verdict v = check_keyless_convergence(d.build());
  EXPECT_TRUE(Violated(v));
  EXPECT_TRUE(AboutKey(v, "ctid:(0,2)"));
  EXPECT_NE(v.explanation.find("merge destination d7"), std::string::npos) << v.explanation;
}

// ("a",1) is deleted and VACUUM FULL packs ("b",2) from (0,2) to (0,1) and
// ("d",4) from (0,3) to (0,2); an update then moves ("b",2) from (0,1) to
// (0,3) as ("b",7). The source bag follows the rewrite: it ends with ("d",4)
// and ("b",7), where a replay by key alone would keep ("b",2) at (0,2).
TEST(KeylessConvergenceTest, TheSourceFollowsRowsThatARewriteMoved) {
  HistoryBuilder b;
  b.binding(kBinding, kTable, /*keyless=*/true)
      .instance(ResolvedMode::kWithoutPrimaryKey, 50)
      .commit(100, {kchange("(0,1)", std::nullopt, row("a", 1)),
                    kchange("(0,2)", std::nullopt, row("b", 2)),
                    kchange("(0,3)", std::nullopt, row("d", 4))})
      .commit(150, {kchange("(0,1)", row("a", 1), std::nullopt)})
      .commit(300, {kchange("(0,1)", row("b", 2), std::nullopt),
                    kchange("(0,3)", std::nullopt, row("b", 7))})
      .txn({kwal(DocOp::kCreate, 100, row("d", 4)), kwal(DocOp::kUpdate, 300, row("b", 7))})
      .drained(400);
  History h = b.build();
  for (const auto& [from, to] : {std::pair<uint16_t, uint16_t>{2, 1}, {3, 2}}) {
    history::RowMove m;
    m.table = kTable;
    m.cause = history::RowMove::Cause::kVacuumFull;
    m.from = Ctid{0, from};
    m.to = Ctid{0, to};
    m.from_key = "ctid:" + to_string(m.from);
    m.to_key = "ctid:" + to_string(m.to);
    m.after_commits = 2;
    h.row_moves.push_back(m);
  }
  EXPECT_TRUE(Holds(check_keyless_convergence(h)));
  h.row_moves.clear();
  const Verdict v = check_keyless_convergence(h);
  EXPECT_TRUE(Violated(v));
  EXPECT_NE(v.explanation.find("('b',2)"), std::string::npos) << v.explanation;
}

}  // namespace
}  // namespace cdc::properties::testing
