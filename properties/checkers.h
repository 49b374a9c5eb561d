// The property checkers (DESIGN §9): pure functions of a recorded history.
//
// Contract shared by every checker:
// - It reads only `h`; it has no side effects and never calls into the
//   simulation. The same history always yields the same verdict, byte for
//   byte (all iteration that reaches output is over sorted containers).
// - It never aborts on a strange history: a history it cannot judge gives
//   kUnknown with the reason; a broken property gives kViolated with a small
//   witness (documents, commits and chunks named by seq, tick, key and LSN)
//   and an explanation of the form "Let ... Then ... but ...".
// - A violation whose witness is one key of one binding names it in
//   Verdict::subject: the capture binding (for a destination checker, the one
//   the materialization reads) and the key. Violations about a chunk chain, a
//   whole instance or the run (liveness) have no subject.
// - Verdict::property is the checker's name as listed in property_names().
//
// Common notions (see also properties/timeline.h):
// - Documents of binding b: every Document in h.collection_txns with
//   doc.binding == b, in transaction order and then document order.
// - Keyed binding: !Binding::keyless. The key-based checkers (convergence,
//   no_loss, no_resurrection, no_regression, precise_history, coverage,
//   only_changes, transaction_order) judge keyed bindings only, and the
//   keyless ones (keyless_convergence, keyless_no_loss, keyless_duplicates)
//   keyless bindings only;
//   per_key_commit_order and exactly_once look at the documents of every
//   binding, and resume_state at the resumes (history::Resume) of every
//   binding.
// - Latest instance of binding b: the last BackfillInstance in h.backfills
//   with binding == b; earlier instances of b are superseded.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "properties/history.h"
#include "properties/verdict.h"

namespace cdc::properties {

// After the drain, reducing each keyed binding's documents gives exactly the
// final source state of its table. REQUIRES drain (else kUnknown).
Verdict check_convergence(const history::History& h);

// Every source change after the latest instance's stream start is covered by
// a document at or past its commit LSN. REQUIRES drain (else kUnknown).
Verdict check_no_loss(const history::History& h);

// A reader never sees a key come back, at an older source version, after it
// saw the key deleted.
Verdict check_no_resurrection(const history::History& h);

// The source version of what a reader sees of a key never goes backwards,
// judged between consecutive collection transactions.
Verdict check_no_regression(const history::History& h);

// Change documents of one binding and key appear in commit order.
Verdict check_per_key_commit_order(const history::History& h);

// In a Precise instance, each key's document sequence starts with a create.
Verdict check_precise_history(const history::History& h);

// The committed chunks of a keyed backfill partition the key space in the
// database's order, with no overlap and (once complete) no gap.
Verdict check_coverage(const history::History& h);

// An Only Changes binding gets no backfill documents and every change after
// its start exactly once. REQUIRES drain (else kUnknown).
Verdict check_only_changes(const history::History& h);

// No change document is written twice (e.g. replayed after a crash).
Verdict check_exactly_once(const history::History& h);

// The run drained, and every latest backfill instance that scans completed.
Verdict check_liveness(const history::History& h);

// ---- materializations and destinations (properties/destination.h) ----

// After the drain, each merge destination of a keyed binding holds exactly
// its table's final source rows. REQUIRES drain (else kUnknown).
Verdict check_destination_convergence(const history::History& h);

// Every source change after the latest instance's stream start reaches each
// delta destination as a row at or past its commit LSN; the holds verdict
// counts duplicate rows. REQUIRES drain and a delta binding (else kUnknown).
Verdict check_delta_no_loss(const history::History& h);

// No delta destination holds two equal snapshot creates of one key (a key
// backfilled twice). Violable as documented after a capture backfill.
Verdict check_delta_duplicates(const history::History& h);
// The number of duplicate rows that verdict counts (0 without a delta
// materialization of a keyed binding).
uint64_t count_delta_duplicates(const history::History& h);

// A delta destination rebuilt by a data flow backfill holds no row from
// before the backfill.
Verdict check_delta_no_prebackfill_rows(const history::History& h);

// Per key, the source version stored in a merge destination never goes
// backwards (between truncations).
Verdict check_destination_no_regression(const history::History& h);

// A key deleted from a merge destination never comes back as a row no newer
// than the one deleted (between truncations).
Verdict check_destination_no_resurrection(const history::History& h);

// A destination rebuilt after the collection expired documents, missing a
// source key whose documents expired: a loss attributed to retention.
Verdict check_retention_loss(const history::History& h);

// ---- across keys, tables and readers (properties/transaction_order.h) ----

// Every reader of the pipeline (each collection, the collections together,
// each destination) sees the source's transactions whole and in commit
// order: a cycle of committed-before and observed-before edges between
// source transactions, found with strong components, is a violation.
Verdict check_transaction_order(const history::History& h);

// ---- the capture's restarts (properties/resume_state.cc) ----

// Every restart resumes each binding whose state the committed checkpoint
// holds with that state: the mode its instance started with, the cursor its
// last committed chunk left, and done exactly when a committed txn completed
// it (or it is Only Changes). kUnknown when no restart resumed a state.
Verdict check_resume_state(const history::History& h);

// retention_period (properties/retention_period.cc): retention drops a
// document only once the retention period has passed since it was committed:
// every key an expiry names has a document committed more than the period
// before it. kUnknown without a retention period or an expiry.
Verdict check_retention_period(const history::History& h);

// ---- keyless bindings, judged by bags of row values (properties/keyless_bags.h) ----

// After the drain, each keyless binding's collection (reduced by its
// documents' synthetic keys) and each merge destination reading it hold
// exactly the bag of its table's rows. REQUIRES drain (else kUnknown).
Verdict check_keyless_convergence(const history::History& h);

// After the drain, every row of a keyless binding's table is in its
// collection and merge destinations at least as many times as the source
// holds it. REQUIRES drain (else kUnknown).
Verdict check_keyless_no_loss(const history::History& h);

// After the drain, no keyless collection or merge destination holds a row
// value more often than the source (or, for a value the source no longer
// holds, more than once); the verdict counts the extra copies. REQUIRES
// drain (else kUnknown).
Verdict check_keyless_duplicates(const history::History& h);

// The checker names, in the fixed order check_all() uses.
const std::vector<std::string>& property_names();

// Runs every checker; result[i].property == property_names()[i].
std::vector<Verdict> check_all(const history::History& h);

// check_all(h), calling `before_each` with each checker's name before it runs
// and with "" once they all have (for benchmarks that cost each checker; the
// verdicts do not depend on it).
std::vector<Verdict> check_all(const history::History& h,
                               const std::function<void(std::string_view)>& before_each);

}  // namespace cdc::properties
