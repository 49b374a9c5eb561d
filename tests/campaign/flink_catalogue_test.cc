// The Flink CDC catalogue scenarios show what their comments say, in the
// history itself (the files' `expect` covers the verdicts).
#include <gtest/gtest.h>

#include <string>
#include <variant>

#include "campaign/target.h"
#include "model/key_encoding.h"
#include "sim/world.h"

namespace cdc::campaign {
namespace {

history::History run_file(const std::string& name) {
  const auto t =
      file_target(std::string(CDCSIM_SOURCE_DIR) + "/scenarios/catalogue/" + name, std::nullopt);
  EXPECT_TRUE(std::holds_alternative<Target>(t));
  return sim::run_world(std::get<Target>(t).options).history;
}

history::DocKey key(int64_t id) {
  const std::vector<Value> k{Value::int64(id)};
  const std::vector<ColumnType> types{ColumnType::kInt64};
  return encode_capture_key(k, types);
}

// Documents of `k` in collection order, as "r" (a READ), or the op.
std::string docs_of(const history::History& h, const history::DocKey& k) {
  std::string out;
  for (const history::CollectionTxn& t : h.collection_txns)
    for (const history::Document& d : t.docs)
      if (d.key == k) out += d.snapshot ? 'r' : static_cast<char>(d.op);
  return out;
}

TEST(FlinkCatalogueTest, ADeleteBetweenTheWatermarksLeavesTheSplit) {
  const history::History h = run_file("flink-delete-between-watermarks.yaml");
  EXPECT_EQ(h.algorithm, CaptureAlgorithm::kFlink);
  ASSERT_FALSE(h.chunks.empty());
  EXPECT_EQ(h.chunks[0].rows.size(), 3u);  // the scan read keys 1-3, key 2 included
  EXPECT_EQ(docs_of(h, key(2)), "");       // the log backfill removed it
  EXPECT_EQ(docs_of(h, key(3)), "r");      // once, the update merged
  EXPECT_EQ(docs_of(h, key(6)), "r");
}

TEST(FlinkCatalogueTest, ACrashBeforeTheSplitCommitsReadsItAgain) {
  const history::History h = run_file("flink-crash-between-high-watermark-and-commit.yaml");
  EXPECT_EQ(h.crashes, 1u);
  ASSERT_GE(h.chunks.size(), 3u);
  EXPECT_FALSE(h.chunks[0].committed_in.has_value());
  EXPECT_FALSE(h.chunks[1].after.has_value());  // the same split, from the start again
  for (int64_t k = 1; k <= 6; ++k)
    EXPECT_EQ(docs_of(h, key(k)), "r") << "key " << k;
}

TEST(FlinkCatalogueTest, AnInsertAboveTheMaximumKeyIsReadByTheUnboundedLastSplit) {
  const history::History h = run_file("flink-insert-above-max-key.yaml");
  bool read = false;
  for (const history::Chunk& c : h.chunks)
    for (const history::ChunkRow& r : c.rows)
      read = read || r.key == key(100);
  EXPECT_TRUE(read);
  EXPECT_EQ(docs_of(h, key(100)), "r");
}

TEST(FlinkCatalogueTest, ASplitRestoredMidBackfillIsReadAfresh) {
  const history::History h = run_file("flink-split-restored-mid-backfill.yaml");
  EXPECT_EQ(h.crashes, 1u);
  EXPECT_EQ(docs_of(h, key(2)), "r");
  bool updated = false;
  for (const history::CollectionTxn& t : h.collection_txns)
    for (const history::Document& d : t.docs)
      updated = updated || (d.key == key(2) && d.fields[1].as_int64() == 21);
  EXPECT_TRUE(updated);
}

}  // namespace
}  // namespace cdc::campaign
