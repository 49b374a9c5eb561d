#include "model/key_sort.h"

namespace cdc::key_sort_detail {

std::array<unsigned, 8> differing_bytes(uint64_t differ, size_t* count) {
  std::array<unsigned, 8> shifts{};
  *count = 0;
  for (unsigned shift = 56;; shift -= 8) {
    if (((differ >> shift) & 0xff) != 0) shifts[(*count)++] = shift;
    if (shift == 0) return shifts;
  }
}

uint64_t packed_word(uint64_t prefix, const std::array<unsigned, 8>& shifts, size_t count,
                     uint32_t id) {
  CDC_ASSERT(count <= kWordBytes, "the packed bytes fit above the id");
  uint64_t packed = 0;
  for (size_t c = 0; c < count; ++c)
    packed = (packed << 8) | ((prefix >> shifts[c]) & 0xff);
  return (packed << 32) | id;
}

}  // namespace cdc::key_sort_detail
