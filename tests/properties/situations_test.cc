// Situations come from typed history events and backfill operations, not
// from the words of an event: the expectations match on types.
#include <gtest/gtest.h>

#include <algorithm>

#include "properties/expectations.h"
#include "tests/properties/history_builder.h"

namespace cdc::properties {
namespace {

using history::Event;

history::History with_events(const std::vector<Event>& events) {
  history::History h;
  h.events = events;
  return h;
}

TEST(SituationsTest, TypedEventsGiveTheirSituations) {
  const history::History h = with_events({
      {1, Event::Kind::kOperation, "capture ignored TRUNCATE", Event::Type::kIgnoredTruncate},
      {2, Event::Kind::kCaptureError, "requested WAL segment has already been removed",
       Event::Type::kSlotLostError},
      {3, Event::Kind::kOperation, "major upgrade", Event::Type::kMajorUpgrade},
      {4, Event::Kind::kOperation, "set min_backfill_xid 9", Event::Type::kMinBackfillXidSet},
      {5, Event::Kind::kOperation, "capture ignored unchanged TOAST values",
       Event::Type::kIgnoredToastOnKeyChange},
      {6, Event::Kind::kOperation, "set max_backfill_xid 9", Event::Type::kMaxBackfillXidSet},
  });
  EXPECT_EQ(
      situations(h),
      (std::vector<Situation>{Situation::kTruncate, Situation::kMinBackfillXid,
                              Situation::kMaxBackfillXid, Situation::kUpgrade, Situation::kSlotLost,
                              Situation::kToastLostOnKeyChange, Situation::kSlotLostUnrecovered}));
}

bool has(const std::vector<Situation>& seen, Situation s) {
  return std::find(seen.begin(), seen.end(), s) != seen.end();
}

// A lost slot stays lost until every binding is backfilled after the loss;
// only then may liveness fail for it.
TEST(SituationsTest, SlotLossIsRecoveredOnlyByALaterBackfillOfEveryBinding) {
  history::History h = with_events({
      {4, Event::Kind::kFault, "slot invalidated", Event::Type::kSlotInvalidated},
      {5, Event::Kind::kCaptureError, "cannot read", Event::Type::kSlotLostError},
      {9, Event::Kind::kCaptureError, "cannot read", Event::Type::kSlotLostError},
  });
  EXPECT_TRUE(has(situations(h), Situation::kSlotLost));
  EXPECT_TRUE(has(situations(h), Situation::kSlotLostUnrecovered));
  EXPECT_EQ(expectation(BackfillMode::kNormal, "liveness", situations(h)).expect,
            Expect::kViolableDocumented);
  history::BackfillOp all;
  all.type = history::BackfillOp::Type::kCapture;
  all.all_capture_bindings = true;
  all.tick = 4;  // in the loss's tick: before it
  h.backfill_ops = {all};
  EXPECT_TRUE(has(situations(h), Situation::kSlotLostUnrecovered));
  // After the loss: recovered, even though a capture that did not recreate
  // its slot went on failing (tick 9).
  h.backfill_ops[0].tick = 6;
  EXPECT_TRUE(has(situations(h), Situation::kSlotLost));
  EXPECT_FALSE(has(situations(h), Situation::kSlotLostUnrecovered));
  EXPECT_EQ(expectation(BackfillMode::kNormal, "liveness", situations(h)).expect, Expect::kHolds);
  // One binding only does not recover the slot.
  h.backfill_ops[0].all_capture_bindings = false;
  EXPECT_TRUE(has(situations(h), Situation::kSlotLostUnrecovered));
  // A second invalidation after the backfill is a new loss.
  h.backfill_ops[0].all_capture_bindings = true;
  h.events.push_back({12, Event::Kind::kFault, "slot invalidated", Event::Type::kSlotInvalidated});
  EXPECT_TRUE(has(situations(h), Situation::kSlotLostUnrecovered));
}

TEST(SituationsTest, WordsAloneGiveNone) {
  const history::History h = with_events({
      {1, Event::Kind::kOperation, "capture ignored TRUNCATE"},
      {2, Event::Kind::kCaptureError, "can no longer get changes from replication slot \"s\""},
      {3, Event::Kind::kOperation, "major upgrade"},
      {4, Event::Kind::kOperation, "major upgrade (refused)"},
      {5, Event::Kind::kCaptureError, "scan key ordering failure", Event::Type::kCaptureError},
  });
  EXPECT_TRUE(situations(h).empty());
}

TEST(SituationsTest, BackfillOperationsGiveTheirs) {
  history::History h;
  history::BackfillOp one;
  one.type = history::BackfillOp::Type::kCapture;
  one.capture_bindings = {0};
  history::BackfillOp all;
  all.type = history::BackfillOp::Type::kDataFlow;
  all.capture_bindings = {0, 1};
  all.all_capture_bindings = true;
  history::BackfillOp mat;
  mat.type = history::BackfillOp::Type::kMaterialization;
  mat.materialization_bindings = {0};
  h.backfill_ops = {one};
  EXPECT_EQ(situations(h),
            (std::vector<Situation>{Situation::kRebackfill, Situation::kCaptureBackfill}));
  h.backfill_ops = {mat};
  EXPECT_EQ(situations(h), (std::vector<Situation>{Situation::kMaterializationBackfill}));
  h.backfill_ops = {all};
  EXPECT_EQ(situations(h), (std::vector<Situation>{Situation::kRebackfill, Situation::kBackfillAll,
                                                   Situation::kDataFlowBackfill}));
}

}  // namespace
}  // namespace cdc::properties

namespace cdc::properties {
namespace {

TEST(SituationsTest, DebeziumRedeliversOnlyAfterACrashOrAnError) {
  history::History h = with_events({
      {1, Event::Kind::kCaptureStart, "capture started", Event::Type::kOther},
      {2, Event::Kind::kCaptureStart, "capture started", Event::Type::kOther},  // graceful
  });
  h.algorithm = CaptureAlgorithm::kDebezium;
  EXPECT_FALSE(has(situations(h), Situation::kDebeziumRedelivery));
  h.events.push_back({3, Event::Kind::kFault, "capture crashed", Event::Type::kCaptureCrash});
  EXPECT_TRUE(has(situations(h), Situation::kDebeziumRedelivery));
  // The same crash in an Estuary run redelivers nothing: its checkpoint commits with the documents.
  h.algorithm = CaptureAlgorithm::kEstuary;
  EXPECT_FALSE(has(situations(h), Situation::kDebeziumRedelivery));
  EXPECT_EQ(expectation(BackfillMode::kNormal, "exactly_once", situations(h)).expect,
            Expect::kHolds);
  h.algorithm = CaptureAlgorithm::kDebezium;
  EXPECT_EQ(expectation(BackfillMode::kNormal, "exactly_once", situations(h)).expect,
            Expect::kViolableDocumented);
  // Redelivery never excuses a loss.
  EXPECT_EQ(expectation(BackfillMode::kNormal, "convergence", situations(h)).expect,
            Expect::kHolds);
  EXPECT_EQ(expectation(BackfillMode::kNormal, "no_loss", situations(h)).expect, Expect::kHolds);
}

TEST(SituationsTest, DebeziumFindingsAreKnownLimitationsNamedAsFindings) {
  history::History h = with_events({
      {1, Event::Kind::kOperation, "capture ignored the snapshot of t",
       Event::Type::kSnapshotSkipped},
      {2, Event::Kind::kOperation, "capture ignored the chunk row of (1)",
       Event::Type::kToastDroppedByWindow},
  });
  h.algorithm = CaptureAlgorithm::kDebezium;
  const std::vector<Situation> seen = situations(h);
  EXPECT_TRUE(has(seen, Situation::kSnapshotSkipped));
  EXPECT_TRUE(has(seen, Situation::kToastDroppedByWindow));
  const Expectation e = expectation(BackfillMode::kNormal, "convergence", seen);
  EXPECT_EQ(e.expect, Expect::kKnownLimitation);
  EXPECT_EQ(e.reason.rfind("Finding: ", 0), 0u) << e.reason;
  EXPECT_EQ(expectation(BackfillMode::kNormal, "no_regression", seen).expect, Expect::kHolds);
}

TEST(SituationsTest, ABackfillOfEveryBindingMovesDebeziumsSlotOnlyWhenItWasLost) {
  history::History h;
  h.algorithm = CaptureAlgorithm::kDebezium;
  history::BackfillOp op;
  op.all_capture_bindings = true;
  op.capture_bindings = {0};
  h.backfill_ops.push_back(op);
  EXPECT_FALSE(has(situations(h), Situation::kBackfillAll));
  h.events.push_back({1, Event::Kind::kFault, "slot invalidated", Event::Type::kSlotInvalidated});
  EXPECT_TRUE(has(situations(h), Situation::kBackfillAll));
  h.events.clear();
  h.algorithm = CaptureAlgorithm::kEstuary;
  EXPECT_TRUE(has(situations(h), Situation::kBackfillAll));
}

}  // namespace
}  // namespace cdc::properties
