// Every comparison stays quiet on agreeing traces and reports a difference,
// with its prefix, when one side is changed (synthetic traces: no server).
#include <gtest/gtest.h>

#include "conformance/compare_chunks.h"
#include "conformance/compare_ctid.h"
#include "conformance/compare_decoding.h"
#include "conformance/compare_outcomes.h"
#include "conformance/compare_slots.h"
#include "conformance/compare_xmin.h"
#include "conformance/driver.h"

namespace cdc::conformance {
namespace {

Workload small_workload() {
  WorkloadOptions o;
  o.steps = 4;
  return generate_workload(7, o);
}

ObservedRow row(int64_t id, uint16_t offset, uint32_t xmin) {
  ObservedRow r;
  r.row = {Value::int64(id), Value::int64(0), Value::text("n")};
  r.id = "(" + std::to_string(id) + ")";
  r.ctid = Ctid{0, offset};
  r.xmin = xmin;
  return r;
}

// Two observations of `accounts` (other tables empty), equal on both sides.
RunTrace agreeing_trace(const Workload& w) {
  RunTrace t;
  t.prefix = w.steps.size();
  t.first_xid = 100;
  t.model_steps.assign(w.steps.size(), StepResult{});
  t.pg_steps = t.model_steps;
  for (size_t k = 0; k < 2; ++k) {
    Observation o;
    o.after_steps = k + 1;
    std::vector<TableRows> tables(w.schemas.size());
    tables[0] = {row(1, 1, 100), row(2, k == 0 ? 2 : 3, k == 0 ? 100 : 101)};
    o.model = tables;
    o.pg = tables;
    t.observations.push_back(o);
  }
  t.decoded.model.value = {CanonTxn{100, {"INSERT accounts new(id=1 balance=0 note='n')"}}};
  t.decoded.pg.value = t.decoded.model.value;
  t.next_xid.model.value = t.next_xid.pg.value = 102;
  return t;
}

size_t differences(const Comparison& c) {
  return c.differences.size();
}

TEST(CompareTest, AgreeingTracesShowNoDifference) {
  const Workload w = small_workload();
  const RunTrace t = agreeing_trace(w);
  for (const Comparison& c : compare_all(w, t))
    EXPECT_EQ(differences(c), 0u) << c.name << ": " << c.differences.at(0).what;
}

TEST(CompareTest, OutcomesAndRows) {
  const Workload w = small_workload();
  RunTrace t = agreeing_trace(w);
  t.pg_steps[2].outcome = Outcome::kLockNotAvailable;
  Comparison c = compare_outcomes(w, t);
  ASSERT_EQ(differences(c), 1u);
  EXPECT_EQ(c.differences[0].prefix, 3u);
  t = agreeing_trace(w);
  t.observations[1].pg->at(0)[1].row[1] = Value::int64(5);
  c = compare_outcomes(w, t);
  ASSERT_EQ(differences(c), 1u);
  EXPECT_EQ(c.differences[0].comparison, "rows");
  EXPECT_EQ(c.differences[0].prefix, 2u);
}

TEST(CompareTest, Xmin) {
  const Workload w = small_workload();
  RunTrace t = agreeing_trace(w);
  t.observations[1].pg->at(0)[1].xmin = 102;
  Comparison c = compare_xmin(w, t);
  ASSERT_EQ(differences(c), 1u);
  EXPECT_EQ(c.differences[0].prefix, 2u);
  EXPECT_NE(c.differences[0].what.find("+1 (101)"), std::string::npos) << c.differences[0].what;
  t = agreeing_trace(w);
  t.decoded.pg.value[0].xid = 99;
  EXPECT_EQ(differences(compare_xmin(w, t)), 1u);
  t = agreeing_trace(w);
  FilterProbe f;
  f.query.filter = XminFilter{XminFilter::Kind::kRaw, Xid(100), Xid(102)};
  f.rows.model.value = {row(1, 1, 100)};
  t.filters.push_back(f);
  EXPECT_EQ(differences(compare_xmin(w, t)), 1u);
}

TEST(CompareTest, Ctid) {
  const Workload w = small_workload();
  RunTrace t = agreeing_trace(w);
  // PostgreSQL moves row 1 without an update between the observations.
  t.observations[1].pg->at(0)[0].ctid = Ctid{0, 4};
  Comparison c = compare_ctid(w, t);
  ASSERT_EQ(differences(c), 1u);
  EXPECT_NE(c.differences[0].what.find("model (2); PostgreSQL (1) (2)"), std::string::npos)
      << c.differences[0].what;
  // After a rewrite from different layouts, the moved rows are not compared.
  t.observations[0].pg->at(0)[0].ctid = Ctid{0, 7};
  t.observations[1].rewrite = true;
  c = compare_ctid(w, t);
  EXPECT_EQ(differences(c), 0u);
  EXPECT_EQ(c.notes.size(), 2u);
}

TEST(CompareTest, Decoding) {
  const Workload w = small_workload();
  RunTrace t = agreeing_trace(w);
  t.decoded.pg.value[0].changes[0] = "INSERT accounts new(id=1 balance=0 note=<unchanged-toast>)";
  EXPECT_EQ(differences(compare_decoding(w, t)), 1u);
  t = agreeing_trace(w);
  t.decoded.pg.value.push_back(t.decoded.pg.value[0]);
  EXPECT_EQ(differences(compare_decoding(w, t)), 1u);
}

TEST(CompareTest, ChunksAndCtidRanges) {
  const Workload w = small_workload();
  RunTrace t = agreeing_trace(w);
  ChunkWalk wk;
  wk.first.kind = Query::Kind::kKeyset;
  wk.chunks.model.value = {{row(1, 1, 100), row(2, 2, 100)}};
  wk.chunks.pg.value = {{row(2, 2, 100), row(1, 1, 100)}};
  t.walks.push_back(wk);
  EXPECT_EQ(differences(compare_chunks(w, t)), 1u);
  t = agreeing_trace(w);
  CtidProbe cp;
  cp.model.layout = cp.pg.layout = {row(1, 1, 100), row(2, 2, 100)};
  cp.model.partition_rows = cp.pg.partition_rows = {{row(1, 1, 100), row(2, 2, 100)}};
  cp.model.rank_ranges = cp.pg.rank_ranges = {{0, 1}};
  cp.model.rank_rows = {{row(1, 1, 100)}};
  cp.pg.rank_rows = {{}};  // PostgreSQL's (0,0]..(0,1] returned nothing
  t.ctids.push_back(cp);
  const Comparison c = compare_chunks(w, t);
  ASSERT_EQ(differences(c), 1u);
  EXPECT_EQ(c.differences[0].comparison, "ctid_ranges");
}

TEST(CompareTest, Slots) {
  const Workload w = small_workload();
  RunTrace t = agreeing_trace(w);
  SlotProbe s;
  s.ran = true;
  s.status.model.value = s.status.pg.value = {"reserved", "unreserved", "lost"};
  s.read_error_code.model.value = "slot_lost";
  s.read_error_code.pg.value = "55000";
  s.read_error_message.model.value =
      "cannot read from logical replication slot \"s\": this slot has been invalidated because "
      "it exceeded the maximum reserved size";
  s.read_error_message.pg.value =
      "cannot read from logical replication slot \"s\" DETAIL: This slot has been "
      "invalidated because it exceeded the maximum reserved size.";
  s.decoded = 1;
  s.streamed.model.value = s.streamed.pg.value = t.decoded.pg.value;
  t.slot = s;
  EXPECT_EQ(differences(compare_slots(w, t)), 0u);
  // Streaming that skipped a transaction: unlike the model, and not from
  // confirmed_flush_lsn.
  t.slot.streamed.pg.value.clear();
  EXPECT_EQ(differences(compare_slots(w, t)), 2u);
  t = agreeing_trace(w);
  t.slot = s;
  t.slot.status.pg.value[2] = "unreserved";
  EXPECT_EQ(differences(compare_slots(w, t)), 1u);
  t.slot = s;
  t.slot.read_error_message.pg.value = "replication slot \"s\" does not exist";
  EXPECT_EQ(differences(compare_slots(w, t)), 1u);
}

TEST(ShrinkTest, BinarySearchFindsTheShortestDifferingPrefix) {
  size_t probes = 0;
  auto from = [](size_t first) { return [first](size_t p) { return p >= first; }; };
  EXPECT_EQ(shrink_prefix(0, 60, from(23), 20, &probes), 23u);
  EXPECT_LE(probes, 6u);
  EXPECT_EQ(shrink_prefix(0, 60, from(60), 20, &probes), 60u);
  EXPECT_EQ(shrink_prefix(0, 60, from(1), 20, &probes), 1u);
  EXPECT_EQ(shrink_prefix(0, 1, from(1), 20, &probes), 1u);
  EXPECT_EQ(probes, 0u);
  // The probe budget bounds the search; the answer still differs.
  EXPECT_EQ(shrink_prefix(0, 1024, from(3), 2, &probes), 256u);
}

}  // namespace
}  // namespace cdc::conformance
