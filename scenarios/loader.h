// Scenario files: a YAML description of a whole world (tables, xid start,
// capture bindings and modes, materialization strategy, retention, workload,
// random faults, timed operations) and of what the run must show.
//
// Loading is strict: an unknown key (with a "did you mean" suggestion), a
// value of the wrong type, a number out of range or a reference to a missing
// table or binding is an error naming the file, line and column. Any integer
// may be given as a range [lo, hi]; it is then drawn from the scenario's seed
// (the same seed always draws the same value).
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "sim/world.h"

namespace cdc::scenarios {

// What a run must show. `holds` must hold whatever the seed (explore checks
// it on many seeds); `violated` demonstrates a warned outcome on the file's
// own seed (other seeds need not hit the window that shows it).
struct Expect {
  std::vector<std::string> holds;     // properties that must hold
  std::vector<std::string> violated;  // properties that must be violated
};

struct Scenario {
  std::string name;
  std::string description;
  sim::WorldOptions options;
  Expect expect;
};

struct LoadError {
  std::string file;
  int line = 0;    // 1-based; 0 when unknown
  int column = 0;  // 1-based; 0 when unknown
  std::string message;
  std::string to_string() const;  // "file:line:column: message"
};

using LoadResult = std::variant<Scenario, LoadError>;

// The keys each object of the format accepts ("scenario", "table", "column",
// "binding", "materialization", "ticks", "workload", "faults", "operation",
// "expect"); scenarios/scenario.schema.json must agree (a test checks).
const std::vector<std::string>& scenario_keys(const std::string& object);
std::vector<std::string> scenario_objects();

// Loads a scenario; `seed` overrides the file's seed (and so every range).
LoadResult load_scenario_file(const std::string& path, std::optional<uint64_t> seed = {});
LoadResult load_scenario_text(const std::string& text, const std::string& name,
                              std::optional<uint64_t> seed = {});

}  // namespace cdc::scenarios
