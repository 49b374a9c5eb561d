#include "sim/matrix.h"

#include "sim/configurations.h"

namespace cdc::sim {

std::vector<MatrixCell> all_cells() {
  using properties::BackfillType;
  using properties::FaultClass;
  using properties::KeyKind;
  std::vector<MatrixCell> out;
  for (BackfillType t : {BackfillType::kNone, BackfillType::kCapture,
                         BackfillType::kMaterialization, BackfillType::kDataFlow}) {
    for (BackfillMode m : {BackfillMode::kAutomatic, BackfillMode::kNormal, BackfillMode::kPrecise,
                           BackfillMode::kOnlyChanges, BackfillMode::kWithoutPrimaryKey}) {
      for (UpdateStrategy s : {UpdateStrategy::kMerge, UpdateStrategy::kDelta}) {
        for (FaultClass f : {FaultClass::kNone, FaultClass::kCrashes, FaultClass::kSlotLossUpgrade,
                             FaultClass::kRetention, FaultClass::kKnownLimitations}) {
          for (KeyKind k :
               {KeyKind::kInt, KeyKind::kLocaleText, KeyKind::kCText, KeyKind::kKeyless}) {
            out.push_back({t, m, s, f, k});
          }
        }
      }
    }
  }
  const size_t estuary = out.size();
  for (CaptureAlgorithm a : {CaptureAlgorithm::kDebezium, CaptureAlgorithm::kFlink}) {
    for (size_t i = 0; i < estuary; ++i) {
      MatrixCell c = out[i];
      c.algorithm = a;
      if (algorithm_applies(c.algorithm, c.mode, c.key)) out.push_back(c);
    }
  }
  return out;
}

bool algorithm_applies(CaptureAlgorithm algorithm, BackfillMode mode, properties::KeyKind key) {
  switch (algorithm) {
    case CaptureAlgorithm::kEstuary:
      return true;
    case CaptureAlgorithm::kDebezium:
      // One incremental snapshot (Normal) or none (Only Changes); keyless
      // tables are not snapshotted.
      return (mode == BackfillMode::kNormal || mode == BackfillMode::kOnlyChanges) &&
             key != properties::KeyKind::kKeyless;
    case CaptureAlgorithm::kFlink:
      // With backfill (Precise), backfill skipped (Normal), or latest-offset
      // (Only Changes); keyless tables are not snapshotted.
      return (mode == BackfillMode::kPrecise || mode == BackfillMode::kNormal ||
              mode == BackfillMode::kOnlyChanges) &&
             key != properties::KeyKind::kKeyless;
  }
  return false;
}

std::string cell_name(const MatrixCell& c) {
  const std::string algorithm =
      c.algorithm == CaptureAlgorithm::kEstuary ? "" : std::string(" / ") + to_string(c.algorithm);
  return std::string(properties::to_string(c.backfill)) + " / " + to_string(c.mode) + " / " +
         to_string(c.strategy) + " / " + properties::to_string(c.faults) + " / " +
         properties::to_string(c.key) + algorithm;
}

std::string cell_spec(const MatrixCell& c) {
  return name_of(backfill_type_names(), c.backfill) + "/" + name_of(mode_names(), c.mode) + "/" +
         name_of(strategy_names(), c.strategy) + "/" + name_of(fault_class_names(), c.faults) +
         "/" + name_of(key_kind_names(), c.key) +
         (c.algorithm == CaptureAlgorithm::kEstuary
              ? ""
              : "/" + name_of(algorithm_names(), c.algorithm));
}

std::optional<MatrixCell> parse_cell_spec(const std::string& spec) {
  std::vector<std::string> parts(1);
  for (char ch : spec) {
    if (ch == '/') {
      parts.emplace_back();
    } else {
      parts.back() += ch;
    }
  }
  if (parts.size() != 5 && parts.size() != 6) return std::nullopt;
  const auto backfill = value_named(backfill_type_names(), parts[0]);
  const auto mode = value_named(mode_names(), parts[1]);
  const auto strategy = value_named(strategy_names(), parts[2]);
  const auto faults = value_named(fault_class_names(), parts[3]);
  const auto key = value_named(key_kind_names(), parts[4]);
  const auto algorithm = parts.size() == 6 ? value_named(algorithm_names(), parts[5])
                                           : std::optional(CaptureAlgorithm::kEstuary);
  if (!backfill || !mode || !strategy || !faults || !key || !algorithm) return std::nullopt;
  if (!algorithm_applies(*algorithm, *mode, *key)) return std::nullopt;
  return MatrixCell{*backfill, *mode, *strategy, *faults, *key, *algorithm};
}

}  // namespace cdc::sim
