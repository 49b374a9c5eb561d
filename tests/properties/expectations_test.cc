// Expectations as data: the situations a history shows, and the
// transaction_order rules that depend on them.
#include "properties/expectations.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "tests/properties/history_builder.h"

namespace cdc::properties::testing {
namespace {

bool shows(const History& h, Situation s) {
  const std::vector<Situation> seen = situations(h);
  return std::find(seen.begin(), seen.end(), s) != seen.end();
}

// Two bindings; a first collection txn (a checkpoint) at tick 10.
HistoryBuilder two_bindings() {
  HistoryBuilder b;
  b.binding(1, 7).binding(2, 8).txn({});
  return b;
}

void bump(History* h, uint64_t tick, std::vector<uint32_t> bindings) {
  history::BackfillOp op;
  op.tick = tick;
  op.type = history::BackfillOp::Type::kCapture;
  op.capture_bindings = std::move(bindings);
  h->backfill_ops.push_back(std::move(op));
}

void start(History* h, uint64_t tick) {
  history::Event e;
  e.tick = tick;
  e.kind = history::Event::Kind::kCaptureStart;
  e.what = "capture started at cursor 0/0";
  h->events.push_back(std::move(e));
}

TEST(ExpectationsTest, BindingsBumpedOneByOneBeforeTheCaptureStartsJumpAhead) {
  // Bumped at ticks 12 and 15; the capture, stalled, starts again at 30.
  History h = two_bindings().build();
  bump(&h, 12, {1});
  bump(&h, 15, {2});
  start(&h, 30);
  EXPECT_TRUE(shows(h, Situation::kBackfillAll));
}

TEST(ExpectationsTest, ACheckpointBetweenTheBumpsMeansNoJump) {
  HistoryBuilder b = two_bindings();
  b.txn({});  // seq 2 at tick 20: the first bump's state is checkpointed
  History h = b.build();
  bump(&h, 12, {1});
  start(&h, 12);
  bump(&h, 25, {2});
  start(&h, 25);
  EXPECT_FALSE(shows(h, Situation::kBackfillAll));
}

TEST(ExpectationsTest, BeforeTheFirstCheckpointNothingJumps) {
  History h = HistoryBuilder().binding(1, 7).build();
  bump(&h, 2, {1});
  start(&h, 3);
  EXPECT_FALSE(shows(h, Situation::kBackfillAll));
}

TEST(ExpectationsTest, TransactionOrderHoldsUnlessChangesAreSkippedOrFiltered) {
  const std::string p = "transaction_order";
  EXPECT_EQ(expectation(BackfillMode::kNormal, p, {}).expect, Expect::kHolds);
  // Normal emits every change immediately: a re-backfill keeps the order.
  EXPECT_EQ(expectation(BackfillMode::kNormal, p, {Situation::kRebackfill}).expect, Expect::kHolds);
  for (BackfillMode m : {BackfillMode::kPrecise, BackfillMode::kAutomatic}) {
    EXPECT_EQ(expectation(m, p, {Situation::kRebackfill}).expect, Expect::kViolableDocumented);
  }
  for (Situation s : {Situation::kBackfillAll, Situation::kUpgrade, Situation::kMinBackfillXid,
                      Situation::kMaxBackfillXid}) {
    const Expectation e = expectation(BackfillMode::kNormal, p, {s});
    EXPECT_EQ(e.expect, Expect::kViolableDocumented) << to_string(s);
    EXPECT_EQ(e.reason.rfind("\"", 0), 0u) << "quotes the documentation: " << e.reason;
  }
  EXPECT_EQ(expectation(BackfillMode::kNormal, p, {Situation::kTruncate}).expect,
            Expect::kKnownLimitation);
}

// A maximum below the current xid loses rows changed after it: the loss and
// what follows from it are documented intent; nothing else is excused.
TEST(ExpectationsTest, MaxBackfillXidExcusesLossAndNothingElse) {
  const std::vector<Situation> seen = {Situation::kMaxBackfillXid};
  for (const char* p : {"no_loss", "convergence", "destination_convergence", "delta_no_loss"}) {
    const Expectation e = expectation(BackfillMode::kPrecise, p, seen);
    EXPECT_EQ(e.expect, Expect::kViolableDocumented) << p;
    EXPECT_NE(e.reason.find("Estuary will only backfill rows"), std::string::npos) << e.reason;
  }
  for (const char* p : {"coverage", "exactly_once", "per_key_commit_order", "no_regression",
                        "no_resurrection", "liveness", "precise_history"}) {
    EXPECT_EQ(expectation(BackfillMode::kNormal, p, seen).expect,
              expectation(BackfillMode::kNormal, p, {}).expect)
        << p;
  }
}

}  // namespace
}  // namespace cdc::properties::testing

namespace cdc::properties {
namespace {

// A delete filtered by a Precise re-backfill is lost to a kept delta
// destination as it is to the collection: a known limitation, only there.
TEST(ExpectationsTest, PreciseRebackfillLosesDeletesToDeltaDestinationsOnly) {
  for (BackfillMode m : {BackfillMode::kPrecise, BackfillMode::kAutomatic}) {
    EXPECT_EQ(expectation(m, "delta_no_loss", {Situation::kRebackfill}).expect,
              Expect::kKnownLimitation);
    EXPECT_EQ(expectation(m, "delta_no_loss", {}).expect, Expect::kHolds);
  }
  EXPECT_EQ(expectation(BackfillMode::kNormal, "delta_no_loss", {Situation::kRebackfill}).expect,
            Expect::kHolds);
}

}  // namespace
}  // namespace cdc::properties
