// Simulated time. The world advances in ticks; nothing reads a wall clock.
#pragma once

#include <cstdint>

#include "model/strong_int.h"

namespace cdc::sim {

struct TickTag {};
using Tick = StrongInt<TickTag, uint64_t>;

// A monotonically advancing tick counter owned by the world.
class SimClock {
 public:
  Tick now() const { return now_; }
  void advance(uint64_t ticks = 1) { now_ = Tick(now_.value() + ticks); }

 private:
  Tick now_{0};
};

}  // namespace cdc::sim
