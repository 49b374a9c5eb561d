#include "sim/fingerprint.h"

#include <cstdio>

namespace cdc::sim {

std::string Fingerprint::hex() const {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(value()));
  return buf;
}

}  // namespace cdc::sim
