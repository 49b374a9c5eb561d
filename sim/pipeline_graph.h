// The pipeline as a graph (DESIGN §9): capture bindings -> collections ->
// materialization bindings, as a Boost.Graph adjacency_list. What a data
// flow backfill resets is what is reachable from the capture bindings it
// names, found with a breadth-first search.
//
// Vertices, in this order: one per capture binding (by index), one per
// distinct collection name (sorted by name), one per materialization binding
// (by index). Edges: a capture binding -> the collection it writes; a
// collection -> every materialization binding that reads it. A collection
// that only materializations read is a vertex too (no capture binding
// reaches it).
//
// Invariants: the graph is a snapshot of the bindings given to the
// constructor; every result is sorted, never in an order that depends on how
// the graph stores its edges.
#pragma once

#include <boost/graph/adjacency_list.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace cdc::sim {

class PipelineGraph {
 public:
  // capture_collections[b]: the collection capture binding b writes;
  // materialization_collections[m]: the collection materialization binding m
  // reads.
  PipelineGraph(const std::vector<std::string>& capture_collections,
                const std::vector<std::string>& materialization_collections);

  // The materialization bindings reachable from capture binding `b` (those
  // reading the collection it writes), ascending.
  // REQUIRES: b < capture_bindings().
  std::vector<uint32_t> materializations_reached_from(uint32_t b) const;
  // The collections reachable from capture binding `b`, sorted by name.
  // REQUIRES: b < capture_bindings().
  std::vector<std::string> collections_reached_from(uint32_t b) const;

  size_t capture_bindings() const { return captures_; }
  size_t collections() const { return collection_names_.size(); }
  size_t materialization_bindings() const { return materializations_; }
  size_t edges() const { return boost::num_edges(graph_); }

 private:
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
  // Every vertex reachable from capture binding b (b included), ascending.
  std::vector<size_t> reached_from(uint32_t b) const;
  size_t first_collection() const { return captures_; }
  size_t first_materialization() const { return captures_ + collection_names_.size(); }

  size_t captures_ = 0;
  size_t materializations_ = 0;
  std::vector<std::string> collection_names_;  // sorted, distinct
  Graph graph_;
};

}  // namespace cdc::sim
