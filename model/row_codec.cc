#include "model/row_codec.h"

#include <cstring>

#include "model/assert.h"

namespace cdc {

namespace {

size_t length_bytes(uint64_t len) {
  size_t n = 1;
  for (; len >= 0x80; len >>= 7)
    ++n;
  return n;
}

size_t encoded_size(const Value& v) {
  if (v.is_null()) return 1;
  if (v.is_int64()) return 1 + 8;
  const size_t len = v.as_text().size();
  return 1 + length_bytes(len) + len;
}

// Writes v's encoding at p (encoded_size(v) bytes) and returns its end.
char* write_value(const Value& v, char* p) {
  if (v.is_null()) {
    *p++ = '\0';
  } else if (v.is_int64()) {
    *p++ = '\1';
    const auto u = static_cast<uint64_t>(v.as_int64());
    for (int i = 0; i < 8; ++i)  // little-endian, whatever the host
      *p++ = static_cast<char>((u >> (8 * i)) & 0xff);
  } else {
    *p++ = '\2';
    const std::string_view text = v.as_text();
    uint64_t len = text.size();
    do {
      const auto low = static_cast<uint8_t>(len & 0x7f);
      len >>= 7;
      *p++ = static_cast<char>(len ? (low | 0x80) : low);
    } while (len);
    std::memcpy(p, text.data(), text.size());
    p += text.size();
  }
  return p;
}

}  // namespace

size_t encoded_size(std::span<const Value> row) {
  size_t n = 0;
  for (const Value& v : row)
    n += encoded_size(v);
  return n;
}

void encode_row(std::span<const Value> row, std::string* out) {
  CDC_ASSERT(out != nullptr, "encode_row needs an output string");
  const size_t need = encoded_size(row);
  const size_t before = out->size();
  out->resize(before + need);  // one growth, then the bytes written in place
  char* p = out->data() + before;
  for (const Value& v : row)
    p = write_value(v, p);
  CDC_ASSERT(p == out->data() + out->size() && need >= row.size(),
             "the values fill exactly the bytes sized for them, at least a tag each");
}

std::string encode_row(std::span<const Value> row) {
  std::string out;
  encode_row(row, &out);
  return out;
}

namespace {

// Reads the LEB128 length that starts at bytes[*i] and moves *i past it.
uint64_t read_length(std::string_view bytes, size_t* i) {
  uint64_t n = 0;
  for (int shift = 0;; shift += 7) {
    CDC_ASSERT(shift < 64, "bad length in row encoding");
    CDC_ASSERT(*i < bytes.size(), "truncated row encoding");
    const auto b = static_cast<uint8_t>(bytes[(*i)++]);
    n |= uint64_t{b & 0x7fu} << shift;
    if (!(b & 0x80)) return n;
  }
}

// The number of values encoded in `bytes`, read over their tags and lengths
// only (decode_row checks the rest).
size_t column_count(std::string_view bytes) {
  size_t n = 0;
  for (size_t i = 0; i < bytes.size(); ++n) {
    const auto tag = static_cast<uint8_t>(bytes[i++]);
    if (tag == 1) i += 8;
    if (tag != 2) continue;
    const uint64_t len = read_length(bytes, &i);
    CDC_ASSERT(len <= bytes.size() - i, "truncated text in row encoding");
    i += len;
  }
  return n;
}

}  // namespace

Row decode_row(std::string_view bytes) {
  Row row;
  row.reserve(column_count(bytes));  // one allocation, of the row's own size
  size_t i = 0;
  auto byte = [&]() -> uint8_t {
    CDC_ASSERT(i < bytes.size(), "truncated row encoding");
    return static_cast<uint8_t>(bytes[i++]);
  };
  while (i < bytes.size()) {
    const uint8_t tag = byte();
    if (tag == 0) {
      row.push_back(Value::null());
    } else if (tag == 1) {
      CDC_ASSERT(bytes.size() - i >= 8, "truncated row encoding");
      uint64_t u = 0;
      for (int b = 0; b < 8; ++b)  // little-endian, whatever the host: one load on x86
        u |= uint64_t{static_cast<uint8_t>(bytes[i + static_cast<size_t>(b)])} << (8 * b);
      i += 8;
      row.push_back(Value::int64(static_cast<int64_t>(u)));
    } else {
      CDC_ASSERT(tag == 2, "bad tag in row encoding");
      const uint64_t n = read_length(bytes, &i);
      CDC_ASSERT(n <= bytes.size() - i, "truncated text in row encoding");
      row.push_back(Value::text(bytes.substr(i, n)));
      i += n;
    }
  }
  CDC_ASSERT(i == bytes.size() && row.size() <= bytes.size(), "a row decodes from all its bytes");
  return row;
}

}  // namespace cdc
