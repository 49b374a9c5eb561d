// The fingerprint of a history: a hash of everything recorded in it, in
// order. Same seed, same history, same fingerprint; any difference anywhere
// in the history changes it (with the odds of a 64-bit hash). Left out is
// what the rest of the history already determines: a ctid-range chunk's
// blocks and page count, and the states restarts resumed (History::resumes),
// so recording them changed no pinned fingerprint.
#pragma once

#include <string>

#include "properties/history.h"

namespace cdc::sim {

std::string fingerprint(const history::History& h);

}  // namespace cdc::sim
