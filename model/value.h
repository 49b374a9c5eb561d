// Column values, rows and keys.
//
// A Value is NULL, a 64-bit integer or a text string (UTF-8 bytes, no NUL).
// A Row holds one Value per table column, in column order. A Key holds the
// values of the primary-key columns, in key order.
//
// Representation. A Value is 16 bytes: a tag and either the integer or a
// pointer to an immutable, reference-counted text block. Copying a text value
// shares the block, so a row copied into the WAL, the history, collections
// and destinations holds its text once. The count is atomic because runs on
// several threads may copy the same options. Nothing observable depends on
// the sharing: equality and every rendering compare and print the bytes.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace cdc {

enum class ColumnType : uint8_t { kInt64, kText };

class Value {
 public:
  Value() noexcept : int_(0) {}  // NULL
  static Value null() { return Value(); }
  static Value int64(int64_t v) {
    Value out;
    out.tag_ = Tag::kInt64;
    out.int_ = v;
    return out;
  }
  static Value text(std::string v);

  Value(const Value& o) noexcept : int_(o.int_), tag_(o.tag_) { retain(); }
  Value(Value&& o) noexcept : int_(o.int_), tag_(o.tag_) { o.tag_ = Tag::kNull; }
  Value& operator=(const Value& o) noexcept;
  Value& operator=(Value&& o) noexcept;
  ~Value() { release(); }

  bool is_null() const { return tag_ == Tag::kNull; }
  bool is_int64() const { return tag_ == Tag::kInt64; }
  bool is_text() const { return tag_ == Tag::kText; }
  int64_t as_int64() const;
  const std::string& as_text() const;
  bool matches(ColumnType type) const;  // NULL matches every type

  bool operator==(const Value& o) const;

 private:
  enum class Tag : uint8_t { kNull, kInt64, kText };
  struct TextBlock {
    std::atomic<uint32_t> refs;
    std::string bytes;
  };
  void retain() const noexcept {
    if (tag_ == Tag::kText) text_->refs.fetch_add(1, std::memory_order_relaxed);
  }
  void release() noexcept;

  union {
    int64_t int_;
    TextBlock* text_;
  };
  Tag tag_ = Tag::kNull;
};
static_assert(sizeof(Value) == 16, "a Value is a tag and one word");

using Row = std::vector<Value>;
using Key = std::vector<Value>;

// SQL-literal-like rendering: NULL, 42, 'text' (long text is abbreviated).
std::string to_string(const Value& v);
std::string to_string(const Row& row);

}  // namespace cdc
