// transaction_order: see transaction_order.h (the three steps) and
// transaction_graph.h (nodes, edges, readers).

#include "properties/transaction_order.h"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/strong_components.hpp>
#include <limits>
#include <string>

#include "model/assert.h"
#include "properties/checkers.h"
#include "properties/helpers.h"

namespace cdc::properties {

namespace detail {

namespace {

constexpr char kName[] = "transaction_order";
constexpr size_t kCommitted = std::numeric_limits<size_t>::max();

struct EdgeLabel {
  size_t observed = kCommitted;  // index into TransactionGraph::observed, or kCommitted
};
using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, boost::no_property,
                                    EdgeLabel>;
using Edge = Graph::edge_descriptor;

Graph to_boost(const TransactionGraph& g) {
  Graph bg(g.nodes.size());
  for (size_t i = 0; i + 1 < g.nodes.size(); ++i)
    boost::add_edge(i, i + 1, EdgeLabel{kCommitted}, bg);
  for (size_t i = 0; i < g.observed.size(); ++i) {
    const Observation& o = g.observed[i];
    CDC_ASSERT(o.seen < g.nodes.size() && o.missed <= o.seen, "an observed edge points back");
    boost::add_edge(o.seen, o.missed, EdgeLabel{i}, bg);
  }
  return bg;
}

// A shortest path from `from` to `to` (breadth-first search), as its edges.
// REQUIRES: `to` is reachable from `from`.
std::vector<CycleEdge> shortest_path(const TransactionGraph& g, const Graph& bg, size_t from,
                                     size_t to) {
  std::vector<Edge> pred(boost::num_vertices(bg));
  std::vector<bool> reached(boost::num_vertices(bg), false);
  reached[from] = true;
  const auto on_tree_edge =
      boost::make_bfs_visitor(boost::record_edge_predecessors(pred.data(), boost::on_tree_edge()));
  boost::breadth_first_search(bg, from, boost::visitor(on_tree_edge));
  std::vector<CycleEdge> path;
  for (size_t v = to; v != from;) {
    const Edge e = pred[v];
    const size_t u = boost::source(e, bg);
    CDC_ASSERT(boost::target(e, bg) == v && path.size() < g.nodes.size(), "a path back exists");
    const size_t label = bg[e].observed;
    path.push_back(CycleEdge{u, v, label == kCommitted ? nullptr : &g.observed[label]});
    v = u;
  }
  std::reverse(path.begin(), path.end());
  return path;
}

}  // namespace

std::optional<Cycle> find_cycle(const TransactionGraph& g) {
  if (g.observed.empty()) return std::nullopt;
  const Graph bg = to_boost(g);
  std::vector<size_t> component(boost::num_vertices(bg));
  const size_t count = boost::strong_components(
      bg,
      boost::make_iterator_property_map(component.begin(), boost::get(boost::vertex_index, bg)));
  std::vector<size_t> sizes(count, 0);
  for (size_t c : component)
    ++sizes[c];
  for (const Observation& o : g.observed) {
    const size_t c = component[o.seen];
    if (component[o.missed] != c || (o.seen != o.missed && sizes[c] < 2)) continue;
    Cycle cycle;
    cycle.component_size = sizes[c];
    cycle.edges = shortest_path(g, bg, o.missed, o.seen);
    cycle.edges.push_back(CycleEdge{o.seen, o.missed, &o});
    return cycle;
  }
  return std::nullopt;
}

Explanation explain(const Cycle& c) {
  // Rotate so that the cycle starts right after an observed edge: its
  // committed-before run (if any) then comes first.
  const auto last_observed =
      std::find_if(c.edges.rbegin(), c.edges.rend(), [](const CycleEdge& e) { return e.observed; });
  CDC_ASSERT(last_observed != c.edges.rend(), "a cycle has an observed edge");
  std::vector<CycleEdge> edges(last_observed.base(), c.edges.end());
  edges.insert(edges.end(), c.edges.begin(), last_observed.base());
  Explanation out;
  out.cycle_edges = c.edges.size();
  out.component_size = c.component_size;
  for (const CycleEdge& e : edges) {
    const bool committed = e.observed == nullptr;
    if (committed && !out.steps.empty() &&
        out.steps.back().kind == ExplanationStep::Kind::kCommittedBefore) {
      out.steps.back().to = e.to;  // transitivity
      continue;
    }
    out.steps.push_back(ExplanationStep{committed ? ExplanationStep::Kind::kCommittedBefore
                                                  : ExplanationStep::Kind::kObservedBefore,
                                        e.from, e.to, e.observed});
  }
  for (const ExplanationStep& s : out.steps) {
    out.transactions.push_back(s.from);
    out.transactions.push_back(s.to);
  }
  std::sort(out.transactions.begin(), out.transactions.end());
  out.transactions.erase(std::unique(out.transactions.begin(), out.transactions.end()),
                         out.transactions.end());
  return out;
}

namespace {

// Renders node names T1, T2, ... (commit order) and the steps.
class Renderer {
 public:
  Renderer(const history::History& h, const TransactionGraph& g, const Explanation& e)
      : h_(h), g_(g), e_(e) {}

  std::string name(size_t node) const {
    const auto it = std::lower_bound(e_.transactions.begin(), e_.transactions.end(), node);
    CDC_ASSERT(it != e_.transactions.end() && *it == node, "the explanation names the node");
    return "T" + std::to_string(it - e_.transactions.begin() + 1);
  }
  std::string let() const {
    std::string s = "Let ";
    for (size_t i = 0; i < e_.transactions.size(); ++i) {
      const history::SourceCommit& c = *g_.nodes[e_.transactions[i]];
      if (i > 0) s += i + 1 == e_.transactions.size() ? " and " : ", ";
      s += name(e_.transactions[i]) + " be the source transaction xid " +
           std::to_string(c.xid.value()) + " committed at lsn " + to_string(c.commit_lsn) +
           " (tick " + std::to_string(c.tick) + ")";
    }
    return s + ".";
  }
  std::string key(const Sighting& s) const {
    const history::Binding* b = find_binding(h_, s.binding);
    return "key " + render_key(*s.key) + " of " +
           (b != nullptr ? describe_binding(*b) : "binding " + std::to_string(s.binding));
  }
  std::string committed(const ExplanationStep& s) const {
    return name(s.from) + " committed before " + name(s.to) + " at the source";
  }
  std::string observed(const ExplanationStep& s) const {
    const Observation& o = *s.observed;
    return "after " + describe_step(o) + ", " + describe_reader(h_, g_.readers[o.reader]) +
           " sees " + name(o.seen) + "'s effect on " + key(o.saw) + " (version lsn " +
           to_string(o.saw.version) + ") while it still holds " + key(o.stale) +
           " at version lsn " + to_string(o.stale.version) + ", from before " + name(o.missed) +
           " changed it";
  }
  std::vector<std::string> witness() const;

 private:
  const history::History& h_;
  const TransactionGraph& g_;
  const Explanation& e_;
};

std::vector<std::string> Renderer::witness() const {
  std::vector<std::string> w;
  for (size_t node : e_.transactions)
    w.push_back(name(node) + ": " + describe_commit(*g_.nodes[node]));
  std::string cycle = "cycle: " + name(e_.steps.front().from);
  for (const ExplanationStep& s : e_.steps) {
    const Observation* o = s.observed;
    if (o == nullptr) {
      cycle += " -> " + name(s.to) + " (committed before)";
      continue;
    }
    cycle += " -> " + name(s.to) + " (observed before)";
    w.push_back("seen by " + describe_reader(h_, g_.readers[o->reader]) + ", after " +
                describe_step(*o));
    w.push_back("sees " + name(o->seen) + " on " + key(o->saw) + ": " + describe_sighting(o->saw));
    w.push_back("misses " + name(o->missed) + " on " + key(o->stale) + ": " +
                describe_sighting(o->stale));
  }
  w.push_back(cycle + "; " + std::to_string(e_.cycle_edges) + " edges in a strong component of " +
              std::to_string(e_.component_size) + " transaction(s)");
  return w;
}

}  // namespace

Verdict render(const history::History& h, const TransactionGraph& g, const Explanation& e) {
  CDC_ASSERT(!e.steps.empty() && !e.transactions.empty(), "an explanation has steps");
  const Renderer r(h, g, e);
  std::string then;
  std::string but;
  const Observation* first = nullptr;
  for (const ExplanationStep& s : e.steps) {
    if (s.observed == nullptr) {
      then += (then.empty() ? "" : ", and ") + r.committed(s);
      continue;
    }
    if (first == nullptr) first = s.observed;
    but += (but.empty() ? "" : "; and ") + r.observed(s);
  }
  CDC_ASSERT(first != nullptr, "an explanation has an observed step");
  const std::string rule =
      then.empty() ? "a reader sees all of " + r.name(first->seen) + "'s changes or none of them"
                   : then + ", so a reader that sees " + r.name(first->seen) +
                         "'s effect must also see " + r.name(first->missed) + "'s";
  return Verdict::violation(kName, r.let() + " Then " + rule + "; but " + but + ".", r.witness(),
                            Verdict::Subject{first->stale.binding, *first->stale.key});
}

}  // namespace detail

Verdict check_transaction_order(const history::History& h) {
  if (detail::keyed_bindings(h).empty()) {
    return Verdict::unknown(detail::kName, "no keyed binding to judge");
  }
  const detail::TransactionGraph g = detail::build_transaction_graph(h);
  if (g.nodes.empty()) {
    return Verdict::unknown(detail::kName,
                            "no source transaction changed a table that a keyed binding captures");
  }
  if (g.sightings == 0) {
    return Verdict::unknown(detail::kName,
                            "no reader held a version of a key that a source transaction changed");
  }
  if (const std::optional<detail::Cycle> c = detail::find_cycle(g)) {
    return detail::render(h, g, detail::explain(*c));
  }
  return Verdict::hold(detail::kName,
                       "no reader saw a source transaction's effect before an earlier one's, or "
                       "part of a transaction without the rest (" +
                           std::to_string(g.nodes.size()) + " transactions, " +
                           std::to_string(g.readers.size()) + " readers)");
}

}  // namespace cdc::properties
