#include "model/types.h"

#include <array>
#include <charconv>
#include <cstdio>

namespace cdc {

std::string to_string(Lsn lsn) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%X/%X", static_cast<unsigned>(lsn.value() >> 32),
                static_cast<unsigned>(lsn.value() & 0xffffffffu));
  return buf;
}

void append_ctid(Ctid ctid, std::string* out) {
  std::array<char, 10> digits{};  // a uint32_t has at most 10
  *out += '(';
  out->append(digits.data(), std::to_chars(digits.begin(), digits.end(), ctid.block).ptr);
  *out += ',';
  out->append(digits.data(), std::to_chars(digits.begin(), digits.end(), ctid.offset).ptr);
  *out += ')';
}

std::string to_string(Ctid ctid) {
  std::string out;
  out.reserve(kCtidTextMax);
  append_ctid(ctid, &out);
  return out;
}

}  // namespace cdc
