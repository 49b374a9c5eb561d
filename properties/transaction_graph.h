// The transaction graph of a history: step 1 of the cross-key order checker
// (transaction_order.h), built from the history alone, as Elle builds its
// dependency graph before it looks for cycles.
//
// Nodes. Every source transaction that changed a key of a table some keyed
// capture binding captures, in commit LSN order (node i+1 committed after
// node i). A change whose before and after states are equal is no change;
// changes of tables no binding captures, and of keyless bindings (synthetic
// keys that name no source key), are ignored.
//
// Edges. "Committed before": node i -> node i+1 (the chain; transitivity does
// the rest). "Observed before": an Observation, from `seen` to `missed`, where
// missed <= seen in commit order (equal: one transaction seen in part). Each
// observed edge closes a cycle with the chain.
//
// Readers. A reader looks at the pipeline after each whole transaction of
// what it reads: the collection of one keyed capture binding, the collections
// of every keyed binding together (collection transactions are atomic across
// bindings), and each merge or delta destination of a keyed binding (its
// destination transactions). The reader's view of a key is the version of
// the last document or destination row of the key it read: the document's
// lsn (history.h, "Versions"). A data flow backfill empties a collection
// reader's view of the bindings it reset (from the first collection txn at or
// after the operation's tick: the operation runs before the capture in a
// tick); a destination transaction that truncates first empties its
// destination reader's view; a merge destination's delete takes the version
// of the collection's delete document it applied (the binding's last
// document of the key at or before the transaction's read position), and
// when there is none the key leaves the view. A key that is not in the view
// (no document yet, reset, truncated, unexplained delete) is not judged:
// absence cannot say which version it shows.
//
// Seeing. With version v of key k in view, the reader sees the effect of
// every transaction that changed k at commit LSN <= v, and does not see the
// effect of the transactions that changed k after v. After each step, let S
// be the latest-committed transaction whose effect the reader sees on some
// key (k2), and M the earliest-committed transaction whose effect it does
// not see on some key (k1). When M <= S in commit order the reader sees S but
// not M (or, when M == S, part of one transaction): that step gives the one
// observed edge S -> M. Pairs already recorded are not recorded again.
//
// Cost. Each document or row updates two ordered sets; the whole build is
// O((transactions + documents + rows) log n), never quadratic.
//
// Pointers refer into the History the graph was built from and live as long
// as it does.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "properties/destination.h"
#include "properties/helpers.h"
#include "properties/history.h"

namespace cdc::properties::detail {

// One reader of the pipeline.
struct Reader {
  enum class Kind : unsigned char {
    kCollection,   // the collection of capture binding `binding`
    kCollections,  // the collections of every keyed capture binding, together
    kDestination,  // the destination of materialization binding `binding`
  };
  Kind kind = Kind::kCollection;
  uint32_t binding = 0;
};

// What set a reader's view of one key, and the version it shows.
struct Sighting {
  uint32_t binding = 0;  // capture binding of the key
  const history::DocKey* key = nullptr;
  Lsn version;
  DocRef doc;   // the collection document (collection readers; a merge destination's delete)
  TxnRef dest;  // the destination txn (destination readers)
  const history::DestinationRow* row = nullptr;  // the destination row (upserts)
};

// One observed-before edge: after step `step` of reader `reader`, the reader
// sees transaction `seen` on `saw` but not transaction `missed` on `stale`.
struct Observation {
  size_t reader = 0;                                        // index into TransactionGraph::readers
  const history::CollectionTxn* collection_step = nullptr;  // collection readers
  TxnRef destination_step;                                  // destination readers
  size_t seen = 0;                                          // node index
  size_t missed = 0;                                        // node index, <= seen
  Sighting saw;
  Sighting stale;
};

struct TransactionGraph {
  std::vector<const history::SourceCommit*> nodes;  // commit LSN order
  std::vector<Reader> readers;
  std::vector<Observation> observed;  // reader order, then step order
  size_t sightings = 0;               // views set on a key some transaction changed
};

TransactionGraph build_transaction_graph(const history::History& h);

// "a reader of the collection of binding 1 (items)", "a reader of the
// collections of bindings 0, 1 together", "a reader of the destination of
// materialization 2 (merge into ...)".
std::string describe_reader(const history::History& h, const Reader& r);
// "collection txn seq 5 (tick 50)" or describe_txn.
std::string describe_step(const Observation& o);
// The document or row behind a sighting, for witnesses.
std::string describe_sighting(const Sighting& s);

}  // namespace cdc::properties::detail
