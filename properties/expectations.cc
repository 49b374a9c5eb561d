#include "properties/expectations.h"

#include <algorithm>
#include <optional>

namespace cdc::properties {

namespace {

struct Rule {
  std::optional<BackfillMode> mode;  // nullopt: any mode
  std::optional<Situation> when;     // nullopt: in every run
  const char* property;
  Expect expect;
  const char* reason;
};

constexpr char kUpgradeReason[] =
    "\"During an upgrade, some databases invalidate a replication slot ... upgrades will disrupt "
    "the Flow pipeline in these cases. ... you may need to trigger a backfill after the upgrade "
    "completes.\" The capture recreates the dropped slot at the current WAL position and silently "
    "resumes there: changes in between are skipped.";
constexpr char kSlotLostReason[] =
    "\"Recover from a replication slot failure in PostgreSQL: Use a Capture Backfill to "
    "re-establish consistency.\" Until all bindings are backfilled the invalidated slot cannot be "
    "read and its changes are gone.";
constexpr char kMinXidReason[] =
    "\"Estuary will only backfill rows greater than or less than the specified XID ... In rare "
    "cases, this method may not work as expected.\" A row written by a transaction that took "
    "its xid before the threshold but committed after it is filtered out of the backfill, and "
    "Precise dropped its change while the scan had not reached it.";
constexpr char kRetentionReason[] =
    "\"Data retention: If using Estuary's trial buckets, data expires after approximately 20 "
    "days.\" Expired documents are gone from the collection, and a materialization backfill "
    "rebuilds the table from what the collection still holds, so their rows are missing.";
constexpr char kToastKeyChangeReason[] =
    "An UPDATE that changes the key but leaves a TOASTed column alone is decoded (REPLICA "
    "IDENTITY DEFAULT) with that column omitted, as PostgreSQL logs unchanged TOAST values; the "
    "capture turns the key change into a delete of the old key and a create of the new one, and "
    "the new key has no earlier document to take the value from, so it stays absent downstream.";
constexpr char kTruncateReason[] =
    "The capture does not capture TRUNCATE, so the rows it removed get no delete document.";

// First matching rule wins. Keep the most specific rules first.
const std::vector<Rule>& rules() {
  static const std::vector<Rule> kRules = {
      {std::nullopt, Situation::kUpgrade, "convergence", Expect::kViolableDocumented,
       kUpgradeReason},
      {std::nullopt, Situation::kUpgrade, "no_loss", Expect::kViolableDocumented, kUpgradeReason},
      {std::nullopt, Situation::kUpgrade, "only_changes", Expect::kViolableDocumented,
       kUpgradeReason},
      {std::nullopt, Situation::kSlotLost, "convergence", Expect::kViolableDocumented,
       kSlotLostReason},
      {std::nullopt, Situation::kSlotLost, "no_loss", Expect::kViolableDocumented, kSlotLostReason},
      {std::nullopt, Situation::kSlotLost, "only_changes", Expect::kViolableDocumented,
       kSlotLostReason},
      {std::nullopt, Situation::kSlotLost, "liveness", Expect::kViolableDocumented,
       kSlotLostReason},
      {std::nullopt, Situation::kTruncate, "convergence", Expect::kKnownLimitation,
       "The capture does not capture TRUNCATE (it logs and skips the record), so the truncated "
       "rows stay in the collection; a later capture backfill re-reads rows but deletes nothing."},
      {std::nullopt, Situation::kTruncate, "no_loss", Expect::kKnownLimitation, kTruncateReason},
      {std::nullopt, Situation::kTruncate, "only_changes", Expect::kKnownLimitation,
       kTruncateReason},
      {std::nullopt, Situation::kToastLostOnKeyChange, "convergence", Expect::kKnownLimitation,
       kToastKeyChangeReason},
      {std::nullopt, Situation::kToastLostOnKeyChange, "destination_convergence",
       Expect::kKnownLimitation, kToastKeyChangeReason},
      {std::nullopt, Situation::kRetentionExpired, "convergence", Expect::kViolableDocumented,
       kRetentionReason},
      {std::nullopt, Situation::kRetentionExpired, "no_loss", Expect::kViolableDocumented,
       kRetentionReason},
      {std::nullopt, Situation::kRetentionExpired, "retention_loss", Expect::kViolableDocumented,
       kRetentionReason},
      {std::nullopt, Situation::kRetentionExpired, "destination_convergence",
       Expect::kViolableDocumented, kRetentionReason},
      {std::nullopt, Situation::kRetentionExpired, "delta_no_loss", Expect::kViolableDocumented,
       kRetentionReason},
      {std::nullopt, Situation::kCaptureBackfill, "delta_duplicates", Expect::kViolableDocumented,
       "\"Using capture backfills (not dropping the destination tables) when you have "
       "materializations that use delta updates may result in duplicate rows.\""},
      {std::nullopt, Situation::kBackfillAll, "convergence", Expect::kKnownLimitation,
       "Backfilling every binding drops the slot and recreates it where the WAL is now; changes "
       "between the last checkpoint and the new slot are never read. The new backfill re-reads "
       "rows that exist, so inserts and updates are repaired, but a row deleted in that window "
       "stays in the collection."},
      {std::nullopt, Situation::kMinBackfillXid, "convergence", Expect::kViolableDocumented,
       kMinXidReason},
      {std::nullopt, Situation::kMinBackfillXid, "no_loss", Expect::kViolableDocumented,
       kMinXidReason},
      {BackfillMode::kPrecise, Situation::kRebackfill, "convergence", Expect::kKnownLimitation,
       "A re-backfill into the same collection filters deletes of keys the new scan has not "
       "reached, and the scan emits only rows that exist: a key the previous backfill wrote and "
       "the source deleted meanwhile is never deleted from the collection."},
      {BackfillMode::kAutomatic, Situation::kRebackfill, "convergence", Expect::kKnownLimitation,
       "Automatic resolves to Precise for keys with a bytewise order; see the Precise rule: a "
       "re-backfill can leave keys the source deleted during it."},
      {std::nullopt, std::nullopt, "precise_history", Expect::kKnownLimitation,
       "The fence is read after the chunk query, so a change committed between the previous "
       "fence and the query is streamed after the chunk has moved past its key: a key deleted "
       "or updated just before the query shows a delete or update first in its new instance."},
      {BackfillMode::kOnlyChanges, std::nullopt, "convergence", Expect::kViolableDocumented,
       "\"Only Changes: skips backfilling the table entirely ... Only WAL changes are emitted.\" "
       "Rows that existed before the capture started never reach the collection."},
      {BackfillMode::kPrecise, std::nullopt, "liveness", Expect::kViolableDocumented,
       "\"Note that Precise backfill is not possible in some cases due to equality comparison "
       "challenges when using varying character encodings.\" A text key under a locale collation "
       "comes back out of bytewise order and the capture stops with a scan key ordering failure."},
  };
  return kRules;
}

}  // namespace

const char* to_string(FaultClass f) {
  switch (f) {
    case FaultClass::kNone:
      return "none";
    case FaultClass::kCrashes:
      return "crashes";
    case FaultClass::kSlotLossUpgrade:
      return "slot loss/upgrade";
    case FaultClass::kRetention:
      return "retention";
  }
  return "?";
}

const char* to_string(Expect e) {
  switch (e) {
    case Expect::kHolds:
      return "holds";
    case Expect::kViolableDocumented:
      return "violable as documented";
    case Expect::kKnownLimitation:
      return "known limitation";
  }
  return "?";
}

const char* to_string(Situation s) {
  switch (s) {
    case Situation::kTruncate:
      return "TRUNCATE";
    case Situation::kMinBackfillXid:
      return "min_backfill_xid";
    case Situation::kUpgrade:
      return "major upgrade";
    case Situation::kSlotLost:
      return "slot lost";
    case Situation::kRebackfill:
      return "re-backfill";
    case Situation::kBackfillAll:
      return "backfill of all bindings";
    case Situation::kCaptureBackfill:
      return "capture backfill";
    case Situation::kMaterializationBackfill:
      return "materialization backfill";
    case Situation::kDataFlowBackfill:
      return "data flow backfill";
    case Situation::kRetentionExpired:
      return "retention expired documents";
    case Situation::kToastLostOnKeyChange:
      return "TOAST value lost on a key change";
  }
  return "?";
}

std::vector<Situation> situations(const history::History& h) {
  std::vector<Situation> out;
  auto note = [&](Situation s) {
    if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
  };
  for (const history::Event& e : h.events) {
    if (e.what.rfind("capture ignored TRUNCATE", 0) == 0) note(Situation::kTruncate);
    if (e.what.rfind("capture ignored unchanged TOAST values of a key change", 0) == 0)
      note(Situation::kToastLostOnKeyChange);
    if (e.what.rfind("set min_backfill_xid", 0) == 0) note(Situation::kMinBackfillXid);
    if (e.what == "major upgrade") note(Situation::kUpgrade);
    if (e.kind == history::Event::Kind::kOperation && e.what.rfind("publish", 0) == 0 &&
        e.what.find(": backfill ") != std::string::npos) {
      note(Situation::kRebackfill);
      if (e.what.rfind("publish (all)", 0) == 0) note(Situation::kBackfillAll);
    }
    if (e.kind == history::Event::Kind::kCaptureError &&
        (e.what.find("can no longer get changes") != std::string::npos ||
         e.what.find("cannot read from logical replication slot") != std::string::npos)) {
      note(Situation::kSlotLost);
    }
  }
  for (const history::BackfillOp& op : h.backfill_ops) {
    switch (op.type) {
      case history::BackfillOp::Type::kCapture:
        note(Situation::kCaptureBackfill);
        break;
      case history::BackfillOp::Type::kMaterialization:
        note(Situation::kMaterializationBackfill);
        break;
      case history::BackfillOp::Type::kDataFlow:
        note(Situation::kDataFlowBackfill);
        break;
    }
  }
  if (!h.expiries.empty()) note(Situation::kRetentionExpired);
  std::sort(out.begin(), out.end());
  return out;
}

const char* to_string(BackfillType t) {
  switch (t) {
    case BackfillType::kNone:
      return "none";
    case BackfillType::kCapture:
      return "capture";
    case BackfillType::kMaterialization:
      return "materialization";
    case BackfillType::kDataFlow:
      return "data flow";
  }
  return "?";
}

namespace {

// A destination property inherits the expectations of the collection property
// it extends: a destination cannot be better than the collection it reads.
const char* collection_property_of(const std::string& property) {
  if (property == "destination_convergence") return "convergence";
  if (property == "delta_no_loss") return "no_loss";
  return nullptr;
}

std::optional<Expectation> first_rule(BackfillMode mode, const std::string& property,
                                      const std::vector<Situation>& seen) {
  for (const Rule& r : rules()) {
    if (r.mode && *r.mode != mode) continue;
    if (r.when && std::find(seen.begin(), seen.end(), *r.when) == seen.end()) continue;
    if (property != r.property) continue;
    return Expectation{r.expect, r.reason};
  }
  return std::nullopt;
}

}  // namespace

Expectation expectation(BackfillMode mode, const std::string& property,
                        const std::vector<Situation>& seen) {
  if (std::optional<Expectation> e = first_rule(mode, property, seen)) return *e;
  if (const char* base = collection_property_of(property)) {
    if (std::optional<Expectation> e = first_rule(mode, base, seen)) return *e;
  }
  return {};
}

std::vector<std::string> describe_expectations() {
  std::vector<std::string> out;
  for (const Rule& r : rules()) {
    out.push_back(std::string(r.mode ? to_string(*r.mode) : "any") +
                  (r.when ? std::string(" / when ") + to_string(*r.when) : std::string()) + " / " +
                  r.property + ": " + to_string(r.expect) + ": " + r.reason);
  }
  return out;
}

}  // namespace cdc::properties
