// Always-on assertions for programmer errors.
//
// CDC_ASSERT stays enabled in release builds (unlike assert()): a broken
// invariant in a simulation must stop the run loudly, never corrupt a history
// silently. Expected failures caused by user input or by the simulated world
// (a write past the xid stop limit, a lost slot) are NOT asserted; they are
// returned as cdc::Error values (see status.h).
#pragma once

#include <cstdio>
#include <cstdlib>

namespace cdc::detail {
[[noreturn]] inline void assertion_failed(const char* expr, const char* msg, const char* file,
                                          int line) {
  std::fprintf(stderr, "%s:%d: invariant violated: %s (%s)\n", file, line, expr, msg);
  std::fflush(stderr);
  std::abort();
}
}  // namespace cdc::detail

#define CDC_ASSERT(cond, msg)                                                     \
  do {                                                                            \
    if (!(cond)) ::cdc::detail::assertion_failed(#cond, msg, __FILE__, __LINE__); \
  } while (0)
