#include "model/value.h"

#include "model/assert.h"

namespace cdc {

Value Value::text(std::string v) {
  Value out;
  out.text_ = new TextBlock{{1}, std::move(v)};
  out.tag_ = Tag::kText;
  return out;
}

void Value::release() noexcept {
  if (tag_ != Tag::kText) return;
  if (text_->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) delete text_;
  tag_ = Tag::kNull;
}

Value& Value::operator=(const Value& o) noexcept {
  if (this == &o) return *this;
  o.retain();
  release();
  int_ = o.int_;
  tag_ = o.tag_;
  return *this;
}

Value& Value::operator=(Value&& o) noexcept {
  if (this == &o) return *this;
  release();
  int_ = o.int_;
  tag_ = o.tag_;
  o.tag_ = Tag::kNull;
  return *this;
}

bool Value::operator==(const Value& o) const {
  if (tag_ != o.tag_) return false;
  switch (tag_) {
    case Tag::kNull:
      return true;
    case Tag::kInt64:
      return int_ == o.int_;
    case Tag::kText:
      return text_ == o.text_ || text_->bytes == o.text_->bytes;
  }
  return false;
}

int64_t Value::as_int64() const {
  CDC_ASSERT(is_int64(), "value is not an int64");
  return int_;
}

const std::string& Value::as_text() const {
  CDC_ASSERT(is_text(), "value is not text");
  return text_->bytes;
}

bool Value::matches(ColumnType type) const {
  if (is_null()) return true;
  return type == ColumnType::kInt64 ? is_int64() : is_text();
}

std::string to_string(const Value& v) {
  if (v.is_null()) return "NULL";
  if (v.is_int64()) return std::to_string(v.as_int64());
  const std::string& s = v.as_text();
  constexpr size_t kShown = 40;
  if (s.size() <= kShown) return "'" + s + "'";
  return "'" + s.substr(0, kShown) + "…'(" + std::to_string(s.size()) + " bytes)";
}

std::string to_string(const Row& row) {
  std::string out = "(";
  for (size_t i = 0; i < row.size(); ++i) {
    if (i) out += ",";
    out += to_string(row[i]);
  }
  return out + ")";
}

}  // namespace cdc
