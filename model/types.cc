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

std::string to_string(Ctid ctid) {
  std::array<char, 10> digits{};  // a uint32_t has at most 10
  std::string out;
  out.reserve(18);  // "(block,offset)": at most 10 + 5 digits and three characters
  out += '(';
  out.append(digits.data(), std::to_chars(digits.begin(), digits.end(), ctid.block).ptr);
  out += ',';
  out.append(digits.data(), std::to_chars(digits.begin(), digits.end(), ctid.offset).ptr);
  out += ')';
  return out;
}

}  // namespace cdc
