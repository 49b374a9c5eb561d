#include "model/row_arena.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace cdc {
namespace {

// Rows read back as appended across segment boundaries, a row longer than a
// segment included; a full segment's bytes never move again.
TEST(RowArenaTest, RowsReadBackAndFullSegmentsStayPut) {
  RowArena arena;
  std::vector<std::pair<uint64_t, std::string>> rows;
  size_t total = 0;
  const auto add = [&](std::string row) {
    rows.emplace_back(arena.append(row), row);
    total += row.size();
  };
  for (int i = 0; total < RowArena::kSegmentBytes + 1000; ++i)
    add(std::string(1000 + i % 7, static_cast<char>('a' + i % 26)));
  const std::string_view first = arena.view(rows.front().first, 1000);
  EXPECT_EQ(rows.back().first >> 32, 1u);              // the second segment began
  add(std::string(RowArena::kSegmentBytes + 5, 'z'));  // a segment of its own
  for (int i = 0; i < 5000; ++i)
    add(std::to_string(i));
  EXPECT_EQ(arena.view(rows.front().first, 1000).data(), first.data());
  EXPECT_EQ(arena.size(), total);
  EXPECT_GE(arena.capacity(), total);
  for (const auto& [off, row] : rows)
    ASSERT_EQ(arena.view(off, static_cast<uint32_t>(row.size())), row);
}

}  // namespace
}  // namespace cdc
