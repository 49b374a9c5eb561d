// Situations come from typed history events and backfill operations, not
// from the words of an event: the expectations match on types.
#include <gtest/gtest.h>

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
  EXPECT_EQ(situations(h),
            (std::vector<Situation>{Situation::kTruncate, Situation::kMinBackfillXid,
                                    Situation::kMaxBackfillXid, Situation::kUpgrade,
                                    Situation::kSlotLost, Situation::kToastLostOnKeyChange}));
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
