// The row bytes of one heap table, appended and read back by offset.
//
// The bytes lie in segments. The first grows as a string does; once a
// segment holds kSegmentBytes, the next starts with that capacity reserved.
// A table of millions of rows thus never copies what it already holds (nor
// faults its pages in again after a copy), and a small table is one string.
//
// Offsets: the segment's index in the high 32 bits, the position in the
// segment in the low 32. A row never spans segments (a row longer than
// kSegmentBytes has a segment of its own).
//
// Invariants: every offset append() returned stays valid and its bytes
// unchanged; size() is the sum of the segments' sizes.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/assert.h"

namespace cdc {

class RowArena {
 public:
  static constexpr size_t kSegmentBytes = size_t{1} << 25;  // 32 MiB

  // Appends `bytes`; returns their offset.
  uint64_t append(std::string_view bytes) {
    CDC_ASSERT(bytes.size() <= UINT32_MAX, "a row's bytes fit a 32-bit length");
    if (segments_.empty()) segments_.emplace_back();
    if (segments_.back().size() + bytes.size() > kSegmentBytes && !segments_.back().empty()) {
      segments_.emplace_back().reserve(std::max(kSegmentBytes, bytes.size()));
    }
    std::string& last = segments_.back();
    const uint64_t off = (static_cast<uint64_t>(segments_.size() - 1) << 32) | last.size();
    last.append(bytes);
    size_ += bytes.size();
    CDC_ASSERT(last.size() == (off & 0xffffffffu) + bytes.size(), "the bytes end the last segment");
    return off;
  }

  // The `len` bytes at `off`. REQUIRES: append() returned `off` for `len` bytes.
  std::string_view view(uint64_t off, uint32_t len) const {
    const size_t segment = off >> 32;
    const size_t at = off & 0xffffffffu;
    CDC_ASSERT(segment < segments_.size() && at + len <= segments_[segment].size(),
               "an offset and length of this arena");
    return std::string_view(segments_[segment]).substr(at, len);
  }

  // Fetches the cache lines of the `len` bytes at `off` (up to four).
  // REQUIRES: as view().
  void prefetch(uint64_t off, uint32_t len) const {
    const std::string_view bytes = view(off, len);
    constexpr size_t kLine = 64;
    for (size_t i = 0; i < bytes.size() && i < 4 * kLine; i += kLine)
      __builtin_prefetch(bytes.data() + i);
  }

  size_t size() const { return size_; }
  size_t capacity() const {
    size_t bytes = 0;
    for (const std::string& s : segments_)
      bytes += s.capacity();
    return bytes;
  }

 private:
  std::vector<std::string> segments_;
  size_t size_ = 0;
};

}  // namespace cdc
