// CompactKey: an owned string of key bytes in 16 bytes, for the keys a
// history holds by the million (history::DocKey, history::DbOrderKey).
//
// A std::string is 32 bytes; a history's source changes, chunk rows,
// documents and destination rows each hold a key, most of them an encoded
// integer of nine bytes. A CompactKey keeps up to KeyBytes::kInline bytes in
// itself and a longer key on the heap (model/key_bytes.h), and owns them as a
// std::string would: a copy copies the bytes, a move takes them.
//
// Contract: it reads like a const std::string of bytes (size, data, begin,
// end, view) and converts to std::string_view; comparisons order bytewise
// (unsigned bytes, a prefix first), as std::string's do, so maps and sorts of
// CompactKeys order exactly as they did over std::strings. It converts from
// std::string and std::string_view implicitly; to std::string only by str().
//
// Invariants: b_ owns its heap bytes when on_heap(); a moved-from key is
// empty.
#pragma once

#include <compare>
#include <cstddef>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>

#include "model/key_bytes.h"

namespace cdc {

class CompactKey {
 public:
  CompactKey() = default;
  CompactKey(std::string_view bytes) : b_(KeyBytes::make(bytes)) {}              // NOLINT: implicit
  CompactKey(const std::string& bytes) : CompactKey(std::string_view(bytes)) {}  // NOLINT
  CompactKey(const char* bytes) : CompactKey(std::string_view(bytes)) {}         // NOLINT
  CompactKey(const CompactKey& o) : b_(o.b_.on_heap() ? KeyBytes::make(o.view()) : o.b_) {}
  CompactKey(CompactKey&& o) noexcept : b_(std::exchange(o.b_, KeyBytes())) {}
  CompactKey& operator=(const CompactKey& o) {
    if (this != &o) {
      CompactKey copy(o);
      swap(copy);
    }
    return *this;
  }
  CompactKey& operator=(CompactKey&& o) noexcept {
    CompactKey taken(std::move(o));
    swap(taken);
    return *this;
  }
  ~CompactKey() { b_.release(); }

  std::string_view view() const { return b_.view(); }
  operator std::string_view() const { return view(); }  // NOLINT: implicit
  std::string str() const { return std::string(view()); }
  size_t size() const { return view().size(); }
  bool empty() const { return view().empty(); }
  const char* data() const { return view().data(); }
  const char* begin() const { return data(); }
  const char* end() const { return data() + size(); }
  void swap(CompactKey& o) noexcept { std::swap(b_, o.b_); }

  friend bool operator==(const CompactKey& a, const CompactKey& b) { return a.view() == b.view(); }
  friend bool operator==(const CompactKey& a, std::string_view b) { return a.view() == b; }
  friend bool operator==(const CompactKey& a, const std::string& b) { return a.view() == b; }
  friend bool operator==(const CompactKey& a, const char* b) { return a.view() == b; }
  friend std::strong_ordering operator<=>(const CompactKey& a, const CompactKey& b) {
    return a.view() <=> b.view();
  }
  friend std::strong_ordering operator<=>(const CompactKey& a, std::string_view b) {
    return a.view() <=> b;
  }
  friend std::strong_ordering operator<=>(const CompactKey& a, const std::string& b) {
    return a.view() <=> std::string_view(b);
  }

 private:
  KeyBytes b_;
};

static_assert(sizeof(CompactKey) == 16, "a key in 16 bytes");

inline std::ostream& operator<<(std::ostream& os, const CompactKey& k) {
  return os << k.view();
}

}  // namespace cdc

template <>
struct std::hash<cdc::CompactKey> {
  size_t operator()(const cdc::CompactKey& k) const noexcept {
    return std::hash<std::string_view>()(k.view());
  }
};
