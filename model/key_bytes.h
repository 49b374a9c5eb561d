// KeyBytes: an encoded key's bytes in 16 bytes, for the key index's nodes.
//
// A key of up to kInline bytes lies in the object itself; a longer key on the
// heap. Unlike std::string (32 bytes, whose short form points into itself),
// a KeyBytes is trivially copyable: a node opens or closes a position by
// moving plain 16-byte records, and its keys take half the room.
//
// Ownership is explicit: make() allocates a long key's bytes and release()
// frees them. A copy is a second view of the same bytes, not a second owner:
// the node that holds a key releases it exactly once, and a position that a
// shift has copied elsewhere is dead (never released) until written again.
//
// Layout: raw_[15] holds the inline size (0..kInline) or kOnHeap; a heap key
// keeps its pointer in raw_[0..8) and its size in raw_[8..12).
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>
#include <type_traits>

#include "model/assert.h"

namespace cdc {

class KeyBytes {
 public:
  static constexpr size_t kInline = 15;

  // An owned copy of `bytes`. REQUIRES: bytes.size() < 2^32.
  static KeyBytes make(std::string_view bytes) {
    KeyBytes k;
    if (bytes.size() <= kInline) {
      if (!bytes.empty()) std::memcpy(k.raw_, bytes.data(), bytes.size());
      k.raw_[kTag] = static_cast<unsigned char>(bytes.size());
      return k;
    }
    CDC_ASSERT(bytes.size() <= UINT32_MAX, "a key shorter than 4 GiB");
    char* heap = new char[bytes.size()];
    std::memcpy(heap, bytes.data(), bytes.size());
    const auto size = static_cast<uint32_t>(bytes.size());
    std::memcpy(k.raw_, &heap, sizeof heap);
    std::memcpy(k.raw_ + sizeof heap, &size, sizeof size);
    k.raw_[kTag] = kOnHeap;
    return k;
  }

  // Frees a long key's bytes; the key is then empty.
  void release() {
    if (on_heap()) delete[] heap_data();
    *this = KeyBytes();
  }

  std::string_view view() const {
    if (!on_heap()) return {reinterpret_cast<const char*>(raw_), raw_[kTag]};
    uint32_t size = 0;
    std::memcpy(&size, raw_ + sizeof(char*), sizeof size);
    return {heap_data(), size};
  }
  bool on_heap() const { return raw_[kTag] == kOnHeap; }

 private:
  static constexpr size_t kTag = 15;
  static constexpr unsigned char kOnHeap = 0xff;

  char* heap_data() const {
    char* p = nullptr;
    std::memcpy(&p, raw_, sizeof p);
    return p;
  }

  alignas(8) unsigned char raw_[16] = {};
};

static_assert(sizeof(KeyBytes) == 16 && std::is_trivially_copyable_v<KeyBytes>,
              "KeyBytes is a plain 16-byte record");

}  // namespace cdc
