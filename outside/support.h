// Which checkers an outside history can support, and judging it with them.
//
// A history read from JSON lines (outside/history_reader.h) lacks what only
// the harness sees: backfill chunks, capture restarts, backfill completions
// and requests, collection retention, keyless tables. A checker that needs
// one of these would judge an absence ("no chunk overlaps": there are no
// chunks) and so says unknown, naming what is missing; every other checker
// runs as it does on a simulated history.
#pragma once

#include <string>
#include <vector>

#include "properties/history.h"
#include "properties/verdict.h"

namespace cdc::outside {

struct Gap {
  std::string property;  // a name from properties::property_names()
  std::string why;       // why it cannot be judged, e.g. "the history records no ..."
};

// The checkers `h` gives no input, in property_names() order.
std::vector<Gap> outside_gaps(const history::History& h);

// check_all(h), with each gap's verdict replaced by unknown.
std::vector<properties::Verdict> judge_outside(const history::History& h);

}  // namespace cdc::outside
