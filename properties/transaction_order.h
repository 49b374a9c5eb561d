// transaction_order, the cross-key order checker (DESIGN §9, second wave),
// in three separate steps as Elle does it:
//   1. build the transaction graph (transaction_graph.h): source
//      transactions as nodes, "committed before" and "observed before" edges;
//   2. find a cycle: Boost.Graph's strong_components over an adjacency_list
//      of that graph; a strong component with two or more transactions, or a
//      transaction with an edge to itself, holds a cycle, and a breadth-first
//      search inside it closes the cycle through the first observed edge;
//   3. explain the cycle: as data first (its runs of committed-before edges
//      collapsed by transitivity), then rendered as "Let ... Then ... but ...".
//
// The property: every reader of the pipeline (each collection, the
// collections together, each destination) sees the source's transactions
// whole and in commit order. Whenever it sees a transaction's effect on one
// key it also sees, on every other key, the effect of that transaction and of
// every transaction committed before it — as far as the versions it holds
// can tell (transaction_graph.h, "Seeing"). Examples of a violation: a reader
// sees T2's effect on k2 while it still holds k1 at a version from before T1,
// although T1 committed first (the observed edge T2 -> T1 closes a cycle with
// T1 -> T2); a multi-table transaction applied in part (the observed edge
// T -> T).
//
// Verdicts. kViolated: the first cycle, through the first observed edge (in
// reader order, then step order); the subject is the key on which the reader
// still misses the earlier transaction. kUnknown when nothing can be judged:
// no keyed binding, no source transaction changed a table a keyed binding
// captures, or no reader ever held a version of a key such a transaction
// changed. The checker needs no drain: what a reader saw after a step is a
// fact whatever happens later.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "properties/history.h"
#include "properties/transaction_graph.h"
#include "properties/verdict.h"

namespace cdc::properties::detail {

// One edge of a cycle between nodes of a TransactionGraph.
struct CycleEdge {
  size_t from = 0;
  size_t to = 0;
  const Observation* observed = nullptr;  // nullptr: committed before (to == from + 1)
};

// A cycle: edges[i].to == edges[i + 1].from, and the last edge returns to
// edges.front().from.
struct Cycle {
  std::vector<CycleEdge> edges;
  size_t component_size = 0;  // transactions in its strong component
};

// Step 2: the cycle through the first observed edge that lies on one, or
// nullopt when the graph is acyclic.
std::optional<Cycle> find_cycle(const TransactionGraph& g);

// Step 3, as data: the cycle's steps, each run of committed-before edges
// collapsed into one step from its first transaction to its last.
struct ExplanationStep {
  enum class Kind : unsigned char { kCommittedBefore, kObservedBefore };
  Kind kind = Kind::kCommittedBefore;
  size_t from = 0;                        // node
  size_t to = 0;                          // node
  const Observation* observed = nullptr;  // kObservedBefore only
};
struct Explanation {
  std::vector<ExplanationStep> steps;  // starts with a committed-before step when it has one
  std::vector<size_t> transactions;    // the nodes named, in commit order: T1, T2, ...
  size_t cycle_edges = 0;
  size_t component_size = 0;
};
// REQUIRES: c has at least one observed edge.
Explanation explain(const Cycle& c);

// Renders an explanation as a violation of transaction_order.
Verdict render(const history::History& h, const TransactionGraph& g, const Explanation& e);

}  // namespace cdc::properties::detail
