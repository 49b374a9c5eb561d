// `cdcsim replay`: runs a target (scenario file or matrix cell) at a seed and
// prints its verdicts and fingerprint; with --fingerprint it checks that the
// run reproduces bit for bit; with --trace it prints the whole history.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "properties/history.h"

namespace cdc::cli {

struct ReplayArgs {
  std::string file;
  std::string cell;
  std::optional<uint64_t> seed;
  std::string fingerprint;  // expected; empty: not checked
  bool trace = false;
};

// Exit 0 when the run reproduces (its fingerprint is the expected one, or
// none was given), 1 when it does not, 2 on bad input.
int run_replay(const ReplayArgs& a);

// Every recorded fact of a history, one line each, in tick order.
void print_trace(const history::History& h);

}  // namespace cdc::cli
