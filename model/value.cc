#include "model/value.h"

#include <new>

#include "model/assert.h"

namespace cdc {

Value Value::text(std::string_view v) {
  Value out;
  if (v.size() <= kInlineBytes) {
    out.tag_ = Tag::kInlineText;
    std::memcpy(out.bytes_, v.data(), v.size());
    out.bytes_[kInlineBytes] = static_cast<char>(v.size());
    return out;
  }
  CDC_ASSERT(v.size() <= UINT32_MAX, "a text value is shorter than 4 GiB");
  void* mem = ::operator new(sizeof(TextBlock) + v.size());
  TextBlock* b = new (mem) TextBlock{{1}, static_cast<uint32_t>(v.size())};
  std::memcpy(b->data(), v.data(), v.size());
  std::memcpy(out.bytes_, &b, sizeof b);
  out.tag_ = Tag::kSharedText;
  return out;
}

void Value::release_block() noexcept {
  CDC_ASSERT(tag_ == Tag::kSharedText, "only a shared text holds a block");
  TextBlock* b = block();
  if (b->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    const size_t bytes = sizeof(TextBlock) + b->size;
    b->~TextBlock();
    ::operator delete(static_cast<void*>(b), bytes);
  }
  tag_ = Tag::kNull;
}

bool Value::operator==(const Value& o) const {
  if (tag_ != o.tag_) return false;  // one representation per value
  switch (tag_) {
    case Tag::kNull:
      return true;
    case Tag::kInt64:
      return as_int64() == o.as_int64();
    case Tag::kInlineText:
      return as_text() == o.as_text();
    case Tag::kSharedText:  // one block shared by both: equal without reading it
      return block() == o.block() || as_text() == o.as_text();
  }
  return false;
}

std::string to_string(const Value& v) {
  if (v.is_null()) return "NULL";
  if (v.is_int64()) return std::to_string(v.as_int64());
  const std::string_view s = v.as_text();
  constexpr size_t kShown = 40;
  if (s.size() <= kShown) return "'" + std::string(s) + "'";
  return "'" + std::string(s.substr(0, kShown)) + "…'(" + std::to_string(s.size()) + " bytes)";
}

std::string to_string(std::span<const Value> row) {
  std::string out = "(";
  for (size_t i = 0; i < row.size(); ++i) {
    if (i) out += ",";
    out += to_string(row[i]);
  }
  return out + ")";
}

}  // namespace cdc
