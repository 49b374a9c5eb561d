#include "model/types.h"

#include <cstdio>

namespace cdc {

std::string to_string(Lsn lsn) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%X/%X", static_cast<unsigned>(lsn.value() >> 32),
                static_cast<unsigned>(lsn.value() & 0xffffffffu));
  return buf;
}

std::string to_string(Ctid ctid) {
  return "(" + std::to_string(ctid.block) + "," + std::to_string(ctid.offset) + ")";
}

}  // namespace cdc
