#include "model/row_codec.h"

#include "model/assert.h"

namespace cdc {

void encode_row(const Row& row, std::string* out) {
  for (const Value& v : row) {
    if (v.is_null()) {
      out->push_back('\0');
    } else if (v.is_int64()) {
      out->push_back('\1');
      uint64_t u = static_cast<uint64_t>(v.as_int64());
      for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>((u >> (8 * i)) & 0xff));
    } else {
      out->push_back('\2');
      const std::string& s = v.as_text();
      uint64_t n = s.size();
      do {
        const auto low = static_cast<uint8_t>(n & 0x7f);
        n >>= 7;
        out->push_back(static_cast<char>(n ? (low | 0x80) : low));
      } while (n);
      out->append(s);
    }
  }
}

std::string encode_row(const Row& row) {
  std::string out;
  encode_row(row, &out);
  return out;
}

Row decode_row(std::string_view bytes) {
  Row row;
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
      uint64_t u = 0;
      for (int b = 0; b < 8; ++b) u |= uint64_t{byte()} << (8 * b);
      row.push_back(Value::int64(static_cast<int64_t>(u)));
    } else {
      CDC_ASSERT(tag == 2, "bad tag in row encoding");
      uint64_t n = 0;
      for (int shift = 0;; shift += 7) {
        CDC_ASSERT(shift < 64, "bad length in row encoding");
        const uint8_t b = byte();
        n |= uint64_t{b & 0x7fu} << shift;
        if (!(b & 0x80)) break;
      }
      CDC_ASSERT(n <= bytes.size() - i, "truncated text in row encoding");
      row.push_back(Value::text(std::string(bytes.substr(i, n))));
      i += n;
    }
  }
  return row;
}

}  // namespace cdc
