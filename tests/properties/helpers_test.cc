#include "properties/helpers.h"

#include <gtest/gtest.h>

#include "properties/timeline.h"
#include "tests/properties/history_builder.h"

namespace cdc::properties::testing {
namespace {

TEST(HelpersTest, RenderKeyQuotesPrintableAndHexesTheRest) {
  EXPECT_EQ(detail::render_key("k1"), "\"k1\"");
  EXPECT_EQ(detail::render_key(std::string("\x00\xff", 2)), "0x00ff");
  EXPECT_EQ(detail::render_key("a\"b"), "0x612262");
}

TEST(HelpersTest, LatestInstanceIsTheLastOfItsBinding) {
  const History h = HistoryBuilder()
                        .binding()
                        .instance(ResolvedMode::kPrecise, 0, "items.v1")
                        .instance(ResolvedMode::kNormal, 0, "other.v1", 2)
                        .instance(ResolvedMode::kNormal, 0, "items.v2")
                        .build();
  ASSERT_NE(detail::latest_instance(h, kBinding), nullptr);
  EXPECT_EQ(detail::latest_instance(h, kBinding)->state_key, "items.v2");
  EXPECT_EQ(detail::latest_instance(h, 3), nullptr);
}

// Inside a scope the checkers share one list of a binding's documents; the
// surviving documents are that same list when the collection kept every
// one, and a list of their own when it dropped some.
TEST(HelpersTest, DocumentListsAreSharedAndSurvivorsAreFiltered) {
  HistoryBuilder b;
  b.binding().txn({doc_c("k1", 1, 100), doc_c("k2", 2, 110)}).txn({doc_u("k1", 3, 120)});
  History h = b.build();
  uint32_t id = 1;
  for (history::CollectionTxn& t : h.collection_txns) {
    for (history::Document& d : t.docs)
      d.id = id++;
  }
  h.final_state.recorded = true;
  h.final_state.surviving_doc_ids = {1, 2, 3};
  {
    const detail::TimelineScope scope(h);
    const detail::DocRefs all = detail::documents_of(h, kBinding);
    ASSERT_EQ(all.size(), 3u);
    EXPECT_TRUE(detail::documents_of(h, kBinding).same_list(all));
    EXPECT_TRUE(detail::surviving_documents_of(h, kBinding).same_list(all));
  }
  h.final_state.surviving_doc_ids = {2, 3};  // retention dropped k1's first document
  const detail::TimelineScope scope(h);
  const detail::DocRefs all = detail::documents_of(h, kBinding);
  const detail::DocRefs alive = detail::surviving_documents_of(h, kBinding);
  EXPECT_FALSE(alive.same_list(all));
  ASSERT_EQ(alive.size(), 2u);
  EXPECT_EQ(alive[0].doc, &h.collection_txns[0].docs[1]);
  EXPECT_EQ(alive[1].doc, &h.collection_txns[1].docs[0]);
  EXPECT_TRUE(detail::surviving_documents_of(h, kBinding).same_list(alive));
}

}  // namespace
}  // namespace cdc::properties::testing
