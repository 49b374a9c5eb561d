#include "sim/schedule.h"

#include "model/assert.h"

namespace cdc::sim {

namespace {
constexpr std::pair<Statement::Kind, const char*> kStatementNames[] = {
    {Statement::Kind::kBegin, "begin"},
    {Statement::Kind::kCommit, "commit"},
    {Statement::Kind::kAbort, "abort"},
    {Statement::Kind::kSavepoint, "savepoint"},
    {Statement::Kind::kRollbackToSavepoint, "rollback_to_savepoint"},
    {Statement::Kind::kReleaseSavepoint, "release_savepoint"},
    {Statement::Kind::kInsert, "insert"},
    {Statement::Kind::kUpdate, "update"},
    {Statement::Kind::kDelete, "delete"},
    {Statement::Kind::kTruncate, "truncate"},
};
}  // namespace

const char* to_string(Statement::Kind k) {
  for (const auto& [kind, name] : kStatementNames) {
    if (kind == k) return name;
  }
  CDC_ASSERT(false, "statement kind without a name");
  return "";
}

std::optional<Statement::Kind> statement_kind(const std::string& name) {
  for (const auto& [kind, n] : kStatementNames) {
    if (name == n) return kind;
  }
  return std::nullopt;
}

bool fault_uses_table(FaultKind k) {
  return k == FaultKind::kVacuumFreeze || k == FaultKind::kVacuumFull;
}

bool fault_uses_binding(FaultKind k) {
  return k == FaultKind::kBackfillOne || k == FaultKind::kMinBackfillXid ||
         k == FaultKind::kMaterializationBackfillOne || k == FaultKind::kDataFlowBackfillOne;
}

bool fault_uses_amount(FaultKind k) {
  return k == FaultKind::kQueryFailure || k == FaultKind::kXidBurn ||
         k == FaultKind::kCaptureStall || k == FaultKind::kPauseWrites;
}

bool fault_amount_optional(FaultKind k) {
  return k == FaultKind::kCrash || k == FaultKind::kMaterializationCrash ||
         k == FaultKind::kMinBackfillXid || k == FaultKind::kMaxBackfillXid;
}

uint64_t fault_amount_max(FaultKind k, CaptureAlgorithm algorithm) {
  switch (k) {
    case FaultKind::kCrash:
      return algorithm == CaptureAlgorithm::kEstuary    ? kCrashPhaseMax
             : algorithm == CaptureAlgorithm::kDebezium ? kCrashPhaseMaxDebezium
                                                        : kCrashPhaseMaxFlink;
    case FaultKind::kMaterializationCrash:
      return 1;
    case FaultKind::kMinBackfillXid:
    case FaultKind::kMaxBackfillXid:
      return 4294967295u;
    default:
      return 2'000'000'000;
  }
}

}  // namespace cdc::sim
