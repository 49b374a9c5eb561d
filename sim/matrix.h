// The guarantee matrix as data: its cells (backfill type x requested mode x
// update strategy x fault class x key kind), their names, and per cell and property the
// tally of verdicts over N seeds, each violation classified against the
// expectations (properties/expectations.h). The campaign library
// (campaign/) runs the cells and fills the tallies.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/capture_state.h"
#include "model/materialization.h"
#include "properties/expectations.h"
#include "properties/verdict.h"
#include "sim/world.h"

namespace cdc::sim {

struct MatrixCell {
  properties::BackfillType backfill = properties::BackfillType::kNone;
  BackfillMode mode = BackfillMode::kAutomatic;
  UpdateStrategy strategy = UpdateStrategy::kMerge;
  properties::FaultClass faults = properties::FaultClass::kNone;
  properties::KeyKind key = properties::KeyKind::kInt;  // the one table it captures
  CaptureAlgorithm algorithm = CaptureAlgorithm::kEstuary;
};

// Every cell, in a fixed order: the Estuary cells (backfill type, mode,
// strategy, fault class, key kind), then each other algorithm's in the same
// order. A peer algorithm has the cells of the modes and key kinds it offers
// (Debezium: Normal and Only Changes, keyed tables; see algorithm_applies).
std::vector<MatrixCell> all_cells();
// Whether `algorithm` has a counterpart of `mode` on `key`'s tables.
bool algorithm_applies(CaptureAlgorithm algorithm, BackfillMode mode, properties::KeyKind key);
// "data flow / Precise / delta / crashes / int key"
std::string cell_name(const MatrixCell& c);
// The command-line spelling "backfill/mode/strategy/faults/key[/algorithm]",
// e.g. "dataflow/Precise/delta/crashes/int" (Estuary: no sixth part) or
// "capture/Normal/merge/crashes/int/debezium", and its parser (nullopt when
// malformed or not applicable).
std::string cell_spec(const MatrixCell& c);
std::optional<MatrixCell> parse_cell_spec(const std::string& spec);
struct PropertyTally {
  uint64_t holds = 0;
  uint64_t unknown = 0;
  uint64_t violated_expected = 0;    // violated where the expectations allow it
  uint64_t violated_unexpected = 0;  // violated where it should hold (files: or unmet)
  std::optional<uint64_t> first_expected_seed;
  std::optional<uint64_t> first_unexpected_seed;
  std::string expected_reason;         // the expectation that allowed the first expected violation
  std::string unexpected_explanation;  // the checker's explanation of the first unexpected one
  uint64_t known_limitation = 0;       // of violated_expected, those allowed as a known limitation
};

struct MatrixRow {
  MatrixCell cell;
  uint64_t runs = 0;
  std::map<std::string, PropertyTally> properties;  // by property name
};

struct MatrixOptions {
  uint64_t first_seed = 1;
  uint64_t seeds = 2;
  uint64_t safety_ticks = 120;
  uint64_t liveness_ticks_max = 3000;
};

struct Matrix {
  MatrixOptions options;
  std::vector<std::string> property_names;
  std::vector<MatrixRow> rows;
  uint64_t runs = 0;
  uint64_t unexpected = 0;
};

}  // namespace cdc::sim
