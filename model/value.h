// Column values, rows and keys.
//
// A Value is NULL, a 64-bit integer or a text string (UTF-8 bytes, no NUL).
// A Row holds one Value per table column, in column order. A Key holds the
// values of the primary-key columns, in key order.
//
// Representation. A Value is 16 bytes: a tag and the integer, a short text
// (up to 14 bytes) in place, or a pointer to an immutable, reference-counted
// block holding a longer text (one allocation: a count, a length, the bytes). Copying a long text
// value shares the block, so a row copied into the WAL, the history, collections and destinations
// holds its text once. The count is atomic because runs on several threads may copy the same
// options. Nothing observable depends on the sharing: equality and every rendering compare and
// print the bytes.
#pragma once

#include <atomic>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/assert.h"

namespace cdc {

enum class ColumnType : uint8_t { kInt64, kText };

class Value {
 public:
  Value() noexcept { tag_ = Tag::kNull; }  // NULL
  static Value null() { return Value(); }
  static Value int64(int64_t v) {
    Value out;
    out.tag_ = Tag::kInt64;
    std::memcpy(out.bytes_, &v, sizeof v);
    return out;
  }
  static Value text(std::string_view v);

  Value(const Value& o) noexcept : tag_(o.tag_) {
    std::memcpy(bytes_, o.bytes_, sizeof bytes_);
    retain();
  }
  Value(Value&& o) noexcept : tag_(o.tag_) {
    std::memcpy(bytes_, o.bytes_, sizeof bytes_);
    o.tag_ = Tag::kNull;
  }
  Value& operator=(const Value& o) noexcept {
    if (this == &o) return *this;
    o.retain();
    release();
    std::memcpy(bytes_, o.bytes_, sizeof bytes_);
    tag_ = o.tag_;
    return *this;
  }
  Value& operator=(Value&& o) noexcept {
    if (this == &o) return *this;
    release();
    std::memcpy(bytes_, o.bytes_, sizeof bytes_);
    tag_ = o.tag_;
    o.tag_ = Tag::kNull;
    return *this;
  }
  ~Value() { release(); }

  bool is_null() const { return tag_ == Tag::kNull; }
  bool is_int64() const { return tag_ == Tag::kInt64; }
  bool is_text() const { return tag_ == Tag::kInlineText || tag_ == Tag::kSharedText; }
  // REQUIRES: is_int64().
  int64_t as_int64() const {
    CDC_ASSERT(is_int64(), "value is not an int64");
    int64_t v = 0;
    std::memcpy(&v, bytes_, sizeof v);
    return v;
  }
  // The bytes of a text value; valid while this Value (or a copy) lives.
  // REQUIRES: is_text().
  std::string_view as_text() const {
    CDC_ASSERT(is_text(), "value is not text");
    if (tag_ == Tag::kInlineText) {
      return std::string_view(bytes_, static_cast<size_t>(bytes_[kInlineBytes]));
    }
    const TextBlock* b = block();
    return std::string_view(b->data(), b->size);
  }
  // Asks the processor to fetch a long text's block ahead of a read (a
  // text held in place, an integer and NULL need nothing).
  void prefetch() const {
    if (tag_ == Tag::kSharedText) __builtin_prefetch(block());
  }
  bool matches(ColumnType type) const {  // NULL matches every type
    if (is_null()) return true;
    return type == ColumnType::kInt64 ? is_int64() : is_text();
  }

  bool operator==(const Value& o) const;

 private:
  // Text of at most kInlineBytes bytes is held in place (its length in the
  // last byte); longer text in a shared block. The choice depends only on
  // the length, so equal texts always have the same representation.
  enum class Tag : uint8_t { kNull, kInt64, kInlineText, kSharedText };
  static constexpr size_t kInlineBytes = 14;
  // A block is one allocation: this header, then the text's bytes.
  struct TextBlock {
    std::atomic<uint32_t> refs;
    uint32_t size;
    const char* data() const { return reinterpret_cast<const char*>(this + 1); }
    char* data() { return reinterpret_cast<char*>(this + 1); }
  };
  TextBlock* block() const {
    TextBlock* b = nullptr;
    std::memcpy(&b, bytes_, sizeof b);
    return b;
  }
  void retain() const noexcept {
    if (tag_ == Tag::kSharedText) block()->refs.fetch_add(1, std::memory_order_relaxed);
  }
  // Drops this value's hold on its text block. The accessors above and
  // these two run for every value the pipeline copies or frees, so they are
  // defined here, where the compiler can inline them; only the last release
  // of a block leaves the header.
  void release() noexcept {
    if (tag_ != Tag::kSharedText) return;
    release_block();
  }
  void release_block() noexcept;

  alignas(8) char bytes_[15] = {};
  Tag tag_;
};
static_assert(sizeof(Value) == 16, "a Value is a tag and one word");

using Row = std::vector<Value>;
using Key = std::vector<Value>;

// SQL-literal-like rendering: NULL, 42, 'text' (long text is abbreviated).
std::string to_string(const Value& v);
std::string to_string(std::span<const Value> row);

}  // namespace cdc
