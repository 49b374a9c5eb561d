// Seeded bugs ("mutants"): small, realistic CDC mistakes compiled into the
// model, each switched on only by name, to measure whether the checkers and
// generators can catch them (`cdcsim mutants`, `--mutant NAME`).
//
// Each mutant is one edit guarded by `if (mutant_active(Mutant::kX))` at the
// one place it changes; mutants() describes every one (name, component, the
// real-world mistake it stands for).
//
// INVARIANTS
//   - With no mutant active (the default) a guard is a compare of a plain
//     value and the code behaves exactly as without it: same histories, same
//     fingerprints.
//   - At most one mutant is active at a time.
//   - The active mutant changes only while no run is in progress: every run
//     (sim::run_world, across all of explore's threads) holds a
//     MutantRunScope, and set_active_mutant() asserts that none is held. Runs
//     read the setting and never write it, so threads started after the
//     setting see it without further synchronisation.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace cdc {

enum class Mutant : uint8_t {
  kNone = 0,
  // source model
  kXidRawCompareVisibility,
  kVacuumFullOverwritesXmin,
  kToastChangedValueOmitted,
  kReplicaIdentityFullNoOldRow,
  kDecodingIgnoresSubxactAbort,
  // capture
  kPreciseFilterOffByOne,
  kFenceBeforeQuery,
  kCursorPersistedBeforeChunk,
  kKeyEncodingSignMagnitude,
  kChunkPredicateInclusive,
  kKeylessBoundStaleRelpages,
  kMinBackfillXidRawCompare,
  kSlotAckedBeforeCommit,
  kRestartFromMemoryCursor,
  kJumpAheadKeepsSlot,
  kToastPlaceholderAsNull,
  // collections
  kCheckpointLagsDocuments,
  kRetentionUnitMixup,
  kReductionFirstWins,
  // materializations
  kMergeLoadSkipped,
  kMergeDeleteIgnored,
  kBackfillReadsFromTail,
  kBackfillNoTruncate,
  kReadPositionCommittedLater,
  // capture: restart and resume (appended after the materializations)
  kResumeRescansFromStart,
  kResumeForgetsDone,
  // found with situation coverage: parts no earlier mutant touched
  kKeyChangeOldKeyFromNewRow,
  kKeylessRangeMissesLastBlock,
  kStreamBatchEndsIteration,
  kPreciseEmitsBeforeFirstChunk,
  kDestinationBatchSplitsTxn,
  kFailedCommitAdvancesPosition,
  kDataFlowResetKeepsDestination,
  // Debezium's incremental snapshot (appended with the algorithm)
  kDebeziumWindowIgnoresDeletes,
  kDebeziumKeyChangeKeepsOldKey,
  kDebeziumMaxKeyExclusive,
  kDebeziumLastKeyCommittedAtQuery,
  // Flink CDC's incremental snapshot (appended with the algorithm)
  kFlinkBackfillStopsBeforeHw,
  kFlinkBackfillReadsPastHw,
  kFlinkSplitCrossesCheckpoint,
  kFlinkStreamStartsAtMaxHw,
  kFlinkUpdateAppends,
};

struct MutantInfo {
  Mutant mutant = Mutant::kNone;
  const char* name = "";         // kebab-case, unique: what --mutant takes
  const char* component = "";    // "source model", "capture", "collections", "materializations"
  const char* description = "";  // the real-world mistake, one line
};

// Every mutant (kNone excluded), in the fixed order of the enumeration.
const std::vector<MutantInfo>& mutants();
// The mutant called `name`, if any.
std::optional<Mutant> mutant_named(std::string_view name);
// REQUIRES: m != Mutant::kNone.
const MutantInfo& mutant_info(Mutant m);

// Switches `m` on (kNone: every mutant off).
// REQUIRES: no run in progress (no MutantRunScope alive) — asserted.
void set_active_mutant(Mutant m);
Mutant active_mutant();

namespace detail {
extern Mutant g_active_mutant;  // written only by set_active_mutant()
}  // namespace detail

// The guard at a mutant's edit: one compare of a plain value.
inline bool mutant_active(Mutant m) {
  return detail::g_active_mutant == m;
}

// Held by every run for its whole length, so that switching the mutant while
// a run reads it is caught. Cheap: one atomic increment and decrement.
class MutantRunScope {
 public:
  MutantRunScope();
  ~MutantRunScope();
  MutantRunScope(const MutantRunScope&) = delete;
  MutantRunScope& operator=(const MutantRunScope&) = delete;
};

}  // namespace cdc
