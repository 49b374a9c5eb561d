// What one run of the harness is: a target (a scenario file or a cell of the
// guarantee matrix) at a seed, under the active mutant. This file is the one
// mapping from a target to the options of its run — every tick budget
// included — that every command uses, so that the same (target, seed) gives
// the same history and fingerprint whichever command runs it.
//
// Invariants:
// - cell_options(c, s) is a pure function of (c, s): the swarm, the fault
//   class, the tables, the safety and liveness budgets all follow from them.
// - A file target at seed s equals the file loaded with its seed overridden
//   by s; at its own seed it is the file exactly as written.
// - Target::replay_command() names the target, the seed and the active
//   mutant: running it reproduces the run bit for bit.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "scenarios/loader.h"
#include "sim/matrix.h"
#include "sim/world.h"

namespace cdc::campaign {

// The budgets of a matrix cell's run.
inline constexpr uint64_t kCellSafetyTicks = 120;
inline constexpr uint64_t kCellLivenessTicksMax = 3000;

// The options of one run of `cell` at `seed`.
sim::WorldOptions cell_options(const sim::MatrixCell& cell, uint64_t seed);

// Where runs come from, without a seed: a scenario file or a matrix cell.
struct Source {
  std::string file;                     // a scenario file, or ""
  std::optional<sim::MatrixCell> cell;  // or a matrix cell

  std::string name() const;  // the file, or the cell's spec
};

struct Target {
  Source source;
  uint64_t seed = 0;
  sim::WorldOptions options;
  scenarios::Expect expect;  // a file's expectations ("violated" only on its own seed)

  std::string name() const { return source.name(); }
  // "cdcsim replay <file|--cell spec> --seed S [--mutant NAME]" (the active mutant)
  std::string replay_command() const;
};

// A scenario file at `seed` (its own seed when absent); "violated"
// expectations are dropped on other seeds (they demonstrate one seed).
// Errors are "file:line:column: message".
std::variant<Target, std::string> file_target(const std::string& path,
                                              std::optional<uint64_t> seed);
// A matrix cell ("backfill/mode/strategy/faults") at `seed`.
std::variant<Target, std::string> cell_target(const std::string& spec, uint64_t seed);
// The target of a source already validated (a file that loaded once).
Target target_of(const Source& s, uint64_t seed);

// What a command line names: a scenario FILE or --cell SPEC (exactly one;
// a cell needs a seed). Errors are messages for the user (exit code 2).
std::variant<Target, std::string> command_target(const std::string& file, const std::string& cell,
                                                 std::optional<uint64_t> seed);

// The message for a malformed cell spec, listing the names of each axis.
std::string bad_cell_message(const std::string& spec);

}  // namespace cdc::campaign
