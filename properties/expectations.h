// Expectations as data: for a requested backfill mode, the situations a run
// met, and a property, whether the property is expected to hold, may be
// violated as the documentation warns, or is a known limitation of the
// modelled algorithm. The CI gate fails only on a violation of a property
// expected to hold. Each entry carries its reason: a quote from the user
// documentation (seed/backfilling-data.txt) or a one-line explanation.
#pragma once

#include <string>
#include <vector>

#include "model/capture_state.h"
#include "properties/history.h"

namespace cdc::properties {

// The faults a run takes (a dimension of the guarantee matrix). Known
// limitations is a class of its own: a workload with the features whose
// failures the expectations excuse as known limitations (TRUNCATE of a
// captured table, key changes that leave a TOASTed value unchanged), and no
// other faults; the other classes' workloads have neither, so that their
// cells show where a guarantee holds.
enum class FaultClass : unsigned char {
  kNone,
  kCrashes,
  kSlotLossUpgrade,
  kRetention,
  kKnownLimitations,
};
const char* to_string(FaultClass f);

// The kind of table a run captures (a dimension of the guarantee matrix).
enum class KeyKind : unsigned char {
  kInt,         // an int key, with a TOASTable column
  kLocaleText,  // a composite text key under a locale collation, REPLICA IDENTITY FULL
  kCText,       // a text key under the "C" collation
  kKeyless,     // no primary key
};
const char* to_string(KeyKind k);

// The backfill a run performs (a dimension of the guarantee matrix).
enum class BackfillType : unsigned char { kNone, kCapture, kMaterialization, kDataFlow };
const char* to_string(BackfillType t);

enum class Expect : unsigned char { kHolds, kViolableDocumented, kKnownLimitation };
const char* to_string(Expect e);

// Things that happened in a run which some expectations depend on.
enum class Situation : unsigned char {
  kTruncate,                  // the capture ignored a TRUNCATE of a captured table
  kMinBackfillXid,            // a backfill ran with min_backfill_xid set
  kMaxBackfillXid,            // max_backfill_xid was set (later backfills read under it)
  kUpgrade,                   // a major upgrade dropped the replication slot
  kSlotLost,                  // the replication slot was invalidated
  kRebackfill,                // a binding was backfilled again into the same collection
  kBackfillAll,               // every binding was backfilled at once (the slot jumps ahead)
  kCaptureBackfill,           // a capture backfill (destinations kept)
  kMaterializationBackfill,   // a materialization backfill (destinations rebuilt)
  kDataFlowBackfill,          // a data flow backfill (collections reset)
  kRetentionExpired,          // a collection dropped documents because of retention
  kToastLostOnKeyChange,      // a key change left a TOASTed value unchanged (not decodable)
  kKeptDestinationBackfill,   // a materialization backfill kept the destination table
  kPreciseNonBytewiseKey,     // a Precise instance over a key that does not order bytewise
  kKeylessBinding,            // a binding without a primary key (synthetic document keys)
  kKeylessToastOmitted,       // a keyless binding's change document lacks an unchanged TOAST value
  kRewriteBehindKeylessScan,  // VACUUM FULL (or a TRUNCATE's rewrite) moved a row behind a ctid
                              // scan
  kSlotLostUnrecovered,       // the slot was lost and no backfill of every binding followed
  kDebeziumRedelivery,        // a Debezium capture restarted: it re-delivers from its offsets
  kSnapshotSkipped,           // a Debezium chunk query error ended a table's snapshot
  kToastDroppedByWindow,      // a Debezium window dropped a row for a change lacking a TOAST value
  kFlinkSnapshotSplits,       // a Flink capture read a table's snapshot in splits
  kFlinkBackfillSkipped,      // a Flink capture read a snapshot with backfill skipped
  kOpenAcrossHighWatermark,   // Flink dropped a change of a transaction open at its split's HW
  kSplitOrderMismatch,        // Flink judged a change by a split its key is not in (collation)
  kFlinkResnapshot,           // a Flink capture read a table again into the collection it feeds
  kWindowNeverOpened,         // a Debezium read-only window flushed without opening (xid epoch)
  kSplitToastPlaceholder,     // Flink's split backfill replaced a row without its TOAST value
};
const char* to_string(Situation s);

// The situations a history shows (from its events), sorted.
std::vector<Situation> situations(const history::History& h);

struct Expectation {
  Expect expect = Expect::kHolds;
  std::string reason;
};

// The expectation for one property in a run that showed `seen`; kHolds with
// an empty reason when no rule says otherwise.
Expectation expectation(BackfillMode mode, const std::string& property,
                        const std::vector<Situation>& seen = {});

// Every rule, for reports:
// "<mode|any> [/ when <situation>] / <property>: <expect>: <reason>".
std::vector<std::string> describe_expectations();

}  // namespace cdc::properties
