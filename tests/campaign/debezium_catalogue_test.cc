// The Debezium catalogue scenarios show what their comments say, in the
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

TEST(DebeziumCatalogueTest, AnInsertAboveTheMaximumKeyArrivesByStreamingOnly) {
  const history::History h = run_file("debezium-insert-above-max-key.yaml");
  EXPECT_EQ(h.algorithm, CaptureAlgorithm::kDebezium);
  for (const history::Chunk& c : h.chunks)
    for (const history::ChunkRow& r : c.rows)
      EXPECT_NE(r.key, key(100)) << "a chunk read key 100";
  EXPECT_EQ(docs_of(h, key(100)), "c");
  EXPECT_EQ(docs_of(h, key(6)), "r");
}

TEST(DebeziumCatalogueTest, ChangesInsideTheWindowDiscardTheirReads) {
  const history::History h = run_file("debezium-delete-inside-window.yaml");
  EXPECT_EQ(docs_of(h, key(2)), "d");
  EXPECT_EQ(docs_of(h, key(3)), "u");
  EXPECT_EQ(docs_of(h, key(1)), "r");
  ASSERT_FALSE(h.chunks.empty());
  EXPECT_EQ(h.chunks[0].rows.size(), 4u);  // the chunk read 1-4, keys 2 and 3 included
}

TEST(DebeziumCatalogueTest, ACrashBeforeTheFlushReadsTheChunkAgain) {
  const history::History h = run_file("debezium-crash-between-close-and-flush.yaml");
  EXPECT_EQ(h.crashes, 1u);
  ASSERT_GE(h.chunks.size(), 2u);
  EXPECT_FALSE(h.chunks[0].after.has_value());
  EXPECT_FALSE(h.chunks[1].after.has_value());  // from the start again
  EXPECT_FALSE(h.chunks[0].committed_in.has_value());
  EXPECT_EQ(docs_of(h, key(2)), "d");  // its READ was lost with the buffer and not re-read
}

}  // namespace
}  // namespace cdc::campaign
