#include "properties/timeline.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tests/properties/history_builder.h"

namespace cdc::properties::testing {
namespace {

TEST(TimelineTest, StatesFollowCommitsUpToAVersion) {
  const History h = HistoryBuilder()
                        .commit(100, {ins("k1", 1), change("x", std::nullopt, 9, 8)})
                        .commit(200, {upd("k1", 1, 2)})
                        .commit(300, {del("k1", 2)})
                        .build();
  const detail::SourceTimeline t(h, kTable);
  EXPECT_EQ(t.key_count(), 1u);  // "x" belongs to table 8
  EXPECT_EQ(t.state_index("k1", Lsn(99)), 0u);
  EXPECT_EQ(t.state_index("k1", Lsn(250)), 2u);
  EXPECT_EQ(t.state_at("k1", Lsn(99)), nullptr);
  ASSERT_NE(t.state_at("k1", Lsn(250)), nullptr);
  EXPECT_EQ(*t.state_at("k1", Lsn(250)), row("k1", 2));
  EXPECT_EQ(t.final_state("k1"), nullptr);
  EXPECT_TRUE(t.final_rows().empty());
  EXPECT_NE(t.changed_between("k1", Lsn(100), Lsn(200)), nullptr);
  EXPECT_EQ(t.changed_between("k1", Lsn(300), Lsn(400)), nullptr);
}

TEST(TimelineTest, SeveralChangesOfAKeyInOneCommitCountOnce) {
  const History h = HistoryBuilder().commit(100, {ins("k1", 1), upd("k1", 1, 2)}).build();
  const detail::SourceTimeline t(h, kTable);
  EXPECT_EQ(t.state_index("k1", Lsn(100)), 1u);
  ASSERT_NE(t.final_state("k1"), nullptr);
  EXPECT_EQ(*t.final_state("k1"), row("k1", 2));
}

// Keys come out in bytewise order whatever order the history changed them
// in, and every one of many keys is found by its hash, with its own versions.
TEST(TimelineTest, ManyKeysAreFoundAndListedInKeyOrder) {
  HistoryBuilder b;
  std::map<std::string, int> expected;  // key -> number of commits changing it
  for (int c = 0; c < 300; ++c) {
    const std::string key = "k" + std::to_string((c * 7919) % 1000);  // scattered, with repeats
    const bool again = expected.count(key) != 0;
    b.commit(100 + c, {again ? upd(key, c - 1, c) : ins(key, c)});
    ++expected[key];
  }
  const History h = b.build();
  const detail::SourceTimeline t(h, kTable);
  ASSERT_EQ(t.key_count(), expected.size());
  auto want = expected.begin();
  for (size_t i = 0; i < t.key_count(); ++i) {
    const detail::TimelineKey k = t.key_at(i);
    EXPECT_EQ(k.key, want->first);
    EXPECT_EQ(k.versions.size(), static_cast<size_t>(want->second));
    const std::optional<detail::TimelineKey> found = t.find(want->first);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->key, want->first);
    EXPECT_EQ(found->versions.data(), k.versions.data());  // the same versions, not a copy
    EXPECT_EQ(t.id_of(k.key), t.id_at(i));
    EXPECT_EQ(t.entry(t.id_at(i)).key, k.key);
    ++want;
  }
  EXPECT_EQ(t.find("k1000"), std::nullopt);
  EXPECT_EQ(t.find(""), std::nullopt);
  EXPECT_EQ(t.final_rows().size(), expected.size());
}

// ids_of guesses that a key follows the previous one in key order; whatever
// the order of the keys asked for (key order with gaps, keys the table never
// had, repeats, descending), each gets the id id_of gives it.
TEST(TimelineTest, IdsOfAgreesWithIdOfInAnyOrder) {
  HistoryBuilder b;
  std::vector<std::string> keys;
  for (int c = 0; c < 200; ++c) {
    keys.push_back("k" + std::to_string(1000 + (c * 7919) % 200));  // changed out of key order
    b.commit(100 + c, {ins(keys.back(), c)});
  }
  b.commit(400, {change("k1019x", std::nullopt, 9, 8)});  // a key of table 8 only
  const History h = b.build();
  const detail::SourceTimeline t(h, kTable);
  std::sort(keys.begin(), keys.end());
  std::vector<std::string> probes(keys.begin(), keys.end());
  probes.insert(probes.begin() + 20, "k1019x");              // only table 8 has it; inside the run
  probes.insert(probes.begin() + 40, {keys[38], keys[38]});  // a repeat
  probes.insert(probes.begin() + 60, keys[150]);             // a jump ahead
  probes.insert(probes.end(), keys.rbegin(), keys.rend());   // descending
  probes.push_back("");
  const std::vector<std::string_view> views(probes.begin(), probes.end());
  std::vector<uint32_t> ids(views.size(), 0);
  t.ids_of(views, ids);
  for (size_t i = 0; i < views.size(); ++i) {
    const std::optional<uint32_t> want = t.id_of(views[i]);
    ASSERT_EQ(ids[i], want.value_or(detail::KeyIds::kMissing)) << i << " " << views[i];
  }
  EXPECT_EQ(ids[0], t.id_of(keys[0]));
  EXPECT_NE(ids[0], detail::KeyIds::kMissing);
}

// Within a scope the checkers of one check_all share a table's timeline;
// another history, another table or no scope gets a timeline of its own.
TEST(TimelineTest, AScopeSharesOneTimelinePerTableOfItsHistory) {
  const History h = HistoryBuilder().commit(100, {ins("k1", 1)}).build();
  const History other = HistoryBuilder().commit(100, {ins("k2", 1)}).build();
  EXPECT_NE(detail::timeline_for(h, kTable), detail::timeline_for(h, kTable));
  {
    const detail::TimelineScope scope(h);
    const auto first = detail::timeline_for(h, kTable);
    EXPECT_EQ(detail::timeline_for(h, kTable), first);
    EXPECT_NE(detail::timeline_for(h, kTable + 1), first);
    const auto fresh = detail::timeline_for(other, kTable);
    EXPECT_NE(fresh, first);
    EXPECT_TRUE(fresh->find("k2").has_value());
    EXPECT_TRUE(first->find("k1").has_value());
  }
  EXPECT_NE(detail::timeline_for(h, kTable), detail::timeline_for(h, kTable));
}

// Other derived values (the keyless bags) are shared the same way: made once
// per kind and id inside a scope over their history, afresh outside it.
TEST(TimelineTest, ScopedValuesAreMadeOncePerKindAndIdInsideTheScope) {
  const History h = HistoryBuilder().commit(100, {ins("k1", 1)}).build();
  const History other = HistoryBuilder().commit(100, {ins("k2", 1)}).build();
  int made = 0;
  auto value = [&](const History& of, std::string_view kind, uint64_t id) {
    return detail::shared_in_scope<int>(of, kind, id, [&] { return ++made; });
  };
  EXPECT_EQ(*value(h, "bag", 0), 1);
  EXPECT_EQ(*value(h, "bag", 0), 2);
  {
    const detail::TimelineScope scope(h);
    const auto first = value(h, "bag", 0);
    EXPECT_EQ(value(h, "bag", 0), first);
    EXPECT_EQ(*first, 3);
    EXPECT_EQ(*value(h, "bag", 1), 4);
    EXPECT_EQ(*value(h, "other kind", 0), 5);
    EXPECT_EQ(*value(other, "bag", 0), 6);
    EXPECT_EQ(*value(other, "bag", 0), 7);  // another history: not shared
    EXPECT_EQ(value(h, "bag", 1), value(h, "bag", 1));
  }
  EXPECT_EQ(*value(h, "bag", 0), 8);
  EXPECT_EQ(made, 8);
}

}  // namespace
}  // namespace cdc::properties::testing
