#include <gtest/gtest.h>

#include "properties/checkers.h"
#include "tests/properties/history_builder.h"

namespace cdc::properties::testing {
namespace {

// Key "a" is committed in collection txn 1 (tick 10); retention is 20 ticks.
History expired_at(uint64_t tick, std::optional<uint64_t> retention = 20) {
  History h = HistoryBuilder()
                  .binding()
                  .instance(ResolvedMode::kNormal)
                  .commit(50, {ins("a", 1)})
                  .txn({doc_c("a", 1, 50)})
                  .build();
  h.retention_ticks = retention;
  h.expiries.push_back(history::Expiry{tick, kBinding, {"a"}, 1});
  return h;
}

TEST(RetentionPeriodTest, HoldsWhenEveryExpiredDocumentWasOldEnough) {
  EXPECT_TRUE(Holds(check_retention_period(expired_at(31))));
}

TEST(RetentionPeriodTest, ViolatedByADocumentExpiredBeforeThePeriod) {
  const Verdict v = check_retention_period(expired_at(30));
  EXPECT_TRUE(Violated(v));
  EXPECT_NE(v.explanation.find("oldest document was committed at tick 10"), std::string::npos)
      << v.explanation;
}

TEST(RetentionPeriodTest, ViolatedByAnExpiredKeyNeverCommitted) {
  History h = expired_at(31);
  h.expiries.back().keys = {"b"};
  EXPECT_TRUE(Violated(check_retention_period(h)));
}

TEST(RetentionPeriodTest, UnknownWithoutRetentionOrExpiry) {
  EXPECT_TRUE(Unknown(check_retention_period(expired_at(31, std::nullopt))));
  History h = expired_at(31);
  h.expiries.clear();
  EXPECT_TRUE(Unknown(check_retention_period(h)));
}

}  // namespace
}  // namespace cdc::properties::testing
