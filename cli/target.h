// What `replay`, `shrink` and `explore` run: a scenario file or a matrix cell
// at one seed, and how a run of it is judged.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "properties/verdict.h"
#include "scenarios/loader.h"
#include "sim/matrix.h"
#include "sim/world.h"

namespace cdc::cli {

struct Target {
  std::string file;                     // a scenario file, or ""
  std::optional<sim::MatrixCell> cell;  // or a matrix cell
  uint64_t seed = 0;
  sim::WorldOptions options;
  scenarios::Expect expect;  // a file's expectations ("violated" only on its own seed)

  std::string name() const;  // the file, or the cell's spec
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

// What a command line names: a scenario FILE or --cell SPEC (exactly one;
// a cell needs a seed). Errors are messages for the user (exit code 2).
std::variant<Target, std::string> command_target(const std::string& file, const std::string& cell,
                                                 std::optional<uint64_t> seed);

// A violated property, or an unmet expectation, of one run.
struct Finding {
  properties::Verdict verdict;
  bool unexpected = false;  // fails the gate: a property expected to hold is violated, or a
                            // scenario's expectation is unmet
  std::string why;          // unexpected: what was expected; else what allows it
};

// Every violated property and every unmet expectation, in check_all order.
std::vector<Finding> judge(const Target& t, const history::History& h);

}  // namespace cdc::cli
