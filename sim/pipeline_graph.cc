#include "sim/pipeline_graph.h"

#include <algorithm>
#include <boost/graph/breadth_first_search.hpp>

#include "model/assert.h"

namespace cdc::sim {

namespace {

// Records every vertex a breadth-first search discovers.
class DiscoverRecorder : public boost::default_bfs_visitor {
 public:
  explicit DiscoverRecorder(std::vector<size_t>* out) : out_(out) {}
  template <class Vertex, class Graph>
  void discover_vertex(Vertex v, const Graph&) const {
    out_->push_back(v);
  }

 private:
  std::vector<size_t>* out_;
};

// Every collection name, sorted and distinct.
std::vector<std::string> collection_names(const std::vector<std::string>& written,
                                          const std::vector<std::string>& read) {
  std::vector<std::string> out = written;
  out.insert(out.end(), read.begin(), read.end());
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace

PipelineGraph::PipelineGraph(const std::vector<std::string>& capture_collections,
                             const std::vector<std::string>& materialization_collections)
    : captures_(capture_collections.size()),
      materializations_(materialization_collections.size()),
      collection_names_(collection_names(capture_collections, materialization_collections)),
      graph_(captures_ + collection_names_.size() + materializations_) {
  auto collection = [&](const std::string& name) {
    const auto it = std::lower_bound(collection_names_.begin(), collection_names_.end(), name);
    CDC_ASSERT(it != collection_names_.end() && *it == name, "every collection is a vertex");
    return first_collection() + static_cast<size_t>(it - collection_names_.begin());
  };
  for (size_t b = 0; b < captures_; ++b)
    boost::add_edge(b, collection(capture_collections[b]), graph_);
  for (size_t m = 0; m < materializations_; ++m)
    boost::add_edge(collection(materialization_collections[m]), first_materialization() + m,
                    graph_);
  CDC_ASSERT(boost::num_edges(graph_) == captures_ + materializations_,
             "one edge per capture and per materialization binding");
}

std::vector<size_t> PipelineGraph::reached_from(uint32_t b) const {
  CDC_ASSERT(b < captures_, "a data flow backfill of an unknown capture binding");
  std::vector<size_t> reached;
  boost::breadth_first_search(graph_, b, boost::visitor(DiscoverRecorder(&reached)));
  CDC_ASSERT(!reached.empty() && reached.front() == b, "the search starts at the binding");
  std::sort(reached.begin(), reached.end());
  return reached;
}

std::vector<uint32_t> PipelineGraph::materializations_reached_from(uint32_t b) const {
  std::vector<uint32_t> out;
  for (size_t v : reached_from(b)) {
    if (v >= first_materialization())
      out.push_back(static_cast<uint32_t>(v - first_materialization()));
  }
  return out;
}

std::vector<std::string> PipelineGraph::collections_reached_from(uint32_t b) const {
  std::vector<std::string> out;
  for (size_t v : reached_from(b)) {
    if (v >= first_collection() && v < first_materialization()) {
      out.push_back(collection_names_[v - first_collection()]);
    }
  }
  return out;
}

}  // namespace cdc::sim
