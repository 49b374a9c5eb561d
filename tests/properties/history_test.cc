// History's own members: it holds its documents' and destination rows'
// fields shared; a copy shares them again, a move hands them over, and a
// history going away lets go of every one (its destructor releases them with
// their blocks fetched ahead before the members go).
#include "properties/history.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

namespace cdc::history {
namespace {

History history_holding(const SharedRow& fields, uint32_t docs, uint32_t rows) {
  History h;
  CollectionTxn& c = h.collection_txns.emplace_back();
  for (uint32_t i = 0; i < docs; ++i) {
    Document& doc = c.docs.emplace_back();
    doc.id = i + 1;
    doc.fields = fields;
  }
  DestinationTxn& d = h.destination_txns.emplace_back();
  for (uint32_t i = 0; i < rows; ++i)
    d.upserts.emplace_back().fields = fields;
  // A second, empty transaction of each kind.
  h.collection_txns.emplace_back();
  h.destination_txns.emplace_back();
  return h;
}

TEST(HistoryTest, HoldsItsRowsUntilItGoes) {
  const SharedRow fields(Row{Value::int64(5), Value::text(std::string(30, 'h'))});
  constexpr uint32_t kDocs = kReleaseAtLeast + kReleaseAhead + 1;
  constexpr uint32_t kRows = kReleaseAtLeast - 1;  // left to the vector to release
  {
    History h = history_holding(fields, kDocs, kRows);
    EXPECT_EQ(fields.use_count(), 1 + kDocs + kRows);
    {
      const History copy = h;  // NOLINT(performance-unnecessary-copy-initialization)
      EXPECT_EQ(fields.use_count(), 1 + 2 * (kDocs + kRows));
    }
    EXPECT_EQ(fields.use_count(), 1 + kDocs + kRows);
    History moved = std::move(h);
    EXPECT_EQ(fields.use_count(), 1 + kDocs + kRows);
    EXPECT_EQ(moved.collection_txns.front().docs.size(), kDocs);
    History assigned;
    assigned = std::move(moved);
    EXPECT_EQ(fields.use_count(), 1 + kDocs + kRows);
    EXPECT_EQ(assigned.destination_txns.front().upserts.size(), kRows);
  }
  EXPECT_EQ(fields.use_count(), 1u);
}

}  // namespace
}  // namespace cdc::history
