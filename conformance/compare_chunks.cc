#include "conformance/compare_chunks.h"

#include <map>

namespace cdc::conformance {
namespace {

constexpr size_t kChunksMax = 500;
constexpr uint32_t kCursorProbesPerTable = 4;
constexpr uint32_t kRankRangesPerTable = 3;

std::optional<XminFilter> random_filter(sim::Prng& prng, uint32_t first, uint32_t next) {
  if (!prng.chance({1, 3})) return std::nullopt;
  using Kind = XminFilter::Kind;
  const Kind kinds[] = {Kind::kRaw, Kind::kWrapAware, Kind::kWrapAwareBounded};
  const uint32_t threshold = first - 2 + static_cast<uint32_t>(prng.below(next - first + 5));
  return XminFilter{kinds[prng.below(3)], Xid(threshold), Xid(next)};
}

// Follows one side's cursor from q until a short chunk.
Result<std::vector<TableRows>> walk(Side& side, uint32_t table, const TableSchema& s, Query q) {
  std::vector<TableRows> chunks;
  for (size_t i = 0; i < kChunksMax; ++i) {
    Result<TableRows> rows = side.query(table, q);
    if (!rows.is_ok()) return rows.error();
    chunks.push_back(std::move(rows).value());
    if (chunks.back().size() < q.limit) break;
    q.after = s.key_of(chunks.back().back().row);
  }
  return chunks;
}

std::string ids(const TableRows& rows) {
  std::string out;
  for (const ObservedRow& r : rows)
    out += (out.empty() ? "" : " ") + r.id + "@" + std::to_string(r.xmin);
  return "[" + out + "]";
}

bool same_rows(const TableRows& a, const TableRows& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].id != b[i].id || a[i].xmin != b[i].xmin || a[i].row != b[i].row) return false;
  }
  return true;
}

std::string compare_walk(const ChunkWalk& wk, const TableSchema& s) {
  const auto& m = wk.chunks.model;
  const auto& p = wk.chunks.pg;
  const std::string label = to_string(wk.first, s);
  if (m.error || p.error) {
    if (m.error == p.error) return "";
    return label + ": model " + m.error.value_or("ok") + "; PostgreSQL " + p.error.value_or("ok");
  }
  for (size_t i = 0; i < m.value.size() || i < p.value.size(); ++i) {
    const TableRows none;
    const TableRows& mc = i < m.value.size() ? m.value[i] : none;
    const TableRows& pc = i < p.value.size() ? p.value[i] : none;
    if (same_rows(mc, pc)) continue;
    return label + ", chunk " + std::to_string(i + 1) + ": model " + ids(mc) + "; PostgreSQL " +
           ids(pc);
  }
  return "";
}

// Checks one side's ctid probes against its own layout; "" if they agree.
std::string check_ctid_side(const CtidSideProbe& c, const char* side) {
  if (c.error) return std::string(side) + ": " + *c.error;
  std::map<std::string, int> seen;
  for (const TableRows& rows : c.partition_rows) {
    for (const ObservedRow& r : rows)
      ++seen[r.id];
  }
  for (const ObservedRow& r : c.layout) {
    if (seen[r.id] != 1) {
      return std::string(side) + ": page ranges returned row " + r.id + " " +
             std::to_string(seen[r.id]) + " times (pages: " + std::to_string(c.pages) + ")";
    }
  }
  if (seen.size() != c.layout.size()) {
    return std::string(side) + ": page ranges returned rows that a full scan does not";
  }
  for (size_t k = 0; k < c.rank_ranges.size(); ++k) {
    const auto [i, j] = c.rank_ranges[k];
    TableRows expected(c.layout.begin() + static_cast<std::ptrdiff_t>(i),
                       c.layout.begin() + static_cast<std::ptrdiff_t>(j));
    if (!same_rows(expected, c.rank_rows[k])) {
      const Ctid after = i == 0 ? Ctid{0, 0} : c.layout[i - 1].ctid;
      const Ctid upto = j == 0 ? Ctid{0, 0} : c.layout[j - 1].ctid;
      return std::string(side) + ": ctid > " + to_string(after) +
             " AND ctid <= " + to_string(upto) + " (rows ranked " + std::to_string(i) + ".." +
             std::to_string(j - 1) + " in ctid order) returned " + ids(c.rank_rows[k]) +
             ", expected " + ids(expected);
    }
  }
  return "";
}

}  // namespace

void probe_chunks(Sides& sides, const Workload& w, sim::Prng prng, RunTrace* t) {
  const uint32_t first = t->first_xid;
  const uint32_t next = t->next_xid.model.value;
  for (uint32_t table = 0; table < w.schemas.size(); ++table) {
    const TableSchema& s = w.schemas[table];
    if (!s.has_primary_key()) continue;
    for (KeyOrder order : {KeyOrder::kDatabase, KeyOrder::kBytewise}) {
      for (int k = 0; k < 2; ++k) {
        ChunkWalk wk;
        wk.table = table;
        wk.first.kind = Query::Kind::kKeyset;
        wk.first.order = order;
        wk.first.limit = 1 + static_cast<uint32_t>(prng.below(4));
        wk.first.filter = random_filter(prng, first, next);
        sides.both(&wk.chunks, [&](Side& side) { return walk(side, table, s, wk.first); });
        t->walks.push_back(std::move(wk));
      }
    }
    for (uint32_t k = 0; k < kCursorProbesPerTable; ++k) {
      FilterProbe f;
      f.table = table;
      f.query.kind = Query::Kind::kKeyset;
      f.query.order = prng.chance({1, 2}) ? KeyOrder::kDatabase : KeyOrder::kBytewise;
      f.query.limit = 1 + static_cast<uint32_t>(prng.below(5));
      Key after;
      for (uint32_t c : s.primary_key)
        after.push_back(random_key_value(s.columns[c], w.options, prng));
      f.query.after = std::move(after);
      sides.both(&f.rows, [&](Side& side) { return side.query(table, f.query); });
      t->cursors.push_back(std::move(f));
    }
  }
  probe_ctid_ranges(sides, w, prng.fork(7), t);
}

namespace {
// Fills one side's ctid probe. The partition width and the rank ranges are
// drawn by the caller so both sides get the same.
Status ctid_side(Side& side, uint32_t table, uint32_t width,
                 const std::vector<std::pair<size_t, size_t>>& ranks, CtidSideProbe* out) {
  Result<TableRows> layout = side.query(table, Query{});
  if (!layout.is_ok()) return layout.error();
  out->layout = std::move(layout).value();
  Result<uint32_t> pages = side.page_count(table);
  if (!pages.is_ok()) return pages.error();
  out->pages = pages.value();
  for (uint32_t p = 0; p <= out->pages + 1; p += width) {
    Query q;
    q.kind = Query::Kind::kCtidRange;
    q.ctid_after = Ctid{p, 0};
    q.ctid_upto = Ctid{p + width, 0};
    Result<TableRows> rows = side.query(table, q);
    if (!rows.is_ok()) return rows.error();
    out->partition.push_back(q);
    out->partition_rows.push_back(std::move(rows).value());
  }
  for (auto [i, j] : ranks) {
    if (j > out->layout.size()) continue;
    Query q;
    q.kind = Query::Kind::kCtidRange;
    q.ctid_after = i == 0 ? Ctid{0, 0} : out->layout[i - 1].ctid;
    q.ctid_upto = j == 0 ? Ctid{0, 0} : out->layout[j - 1].ctid;
    Result<TableRows> rows = side.query(table, q);
    if (!rows.is_ok()) return rows.error();
    out->rank_ranges.emplace_back(i, j);
    out->rank_rows.push_back(std::move(rows).value());
  }
  return Status::ok();
}
}  // namespace

void probe_ctid_ranges(Sides& sides, const Workload& w, sim::Prng prng, RunTrace* t) {
  for (uint32_t table = 0; table < w.schemas.size(); ++table) {
    CtidProbe c;
    c.table = table;
    const uint32_t width = 1 + static_cast<uint32_t>(prng.below(2));
    // Rank ranges over the model's row count (the sides hold the same rows
    // unless compare_outcomes reports otherwise).
    Result<TableRows> rows = sides.on_model([&](Side& s) { return s.query(table, Query{}); });
    const size_t n = rows.is_ok() ? rows.value().size() : 0;
    std::vector<std::pair<size_t, size_t>> ranks;
    for (uint32_t k = 0; k < kRankRangesPerTable; ++k) {
      size_t i = static_cast<size_t>(prng.below(n + 1));
      size_t j = static_cast<size_t>(prng.below(n + 1));
      if (i > j) std::swap(i, j);
      ranks.emplace_back(i, j);
    }
    Status m = sides.on_model([&](Side& s) { return ctid_side(s, table, width, ranks, &c.model); });
    if (!m.is_ok()) c.model.error = m.message();
    Status p = sides.on_pg([&](Side& s) { return ctid_side(s, table, width, ranks, &c.pg); });
    if (!p.is_ok()) c.pg.error = p.message();
    t->ctids.push_back(std::move(c));
  }
}

Comparison compare_chunks(const Workload& w, const RunTrace& t) {
  Comparison c;
  c.name = "chunks";
  for (const ChunkWalk& wk : t.walks) {
    if (std::string d = compare_walk(wk, w.schemas[wk.table]); !d.empty()) {
      c.differences.push_back({c.name, t.prefix, d});
      break;
    }
  }
  for (const FilterProbe& f : t.cursors) {
    const auto& m = f.rows.model;
    const auto& p = f.rows.pg;
    if (m.error == p.error && same_rows(m.value, p.value)) continue;
    c.differences.push_back({c.name, t.prefix,
                             to_string(f.query, w.schemas[f.table]) + ": model " +
                                 (m.error ? *m.error : ids(m.value)) + "; PostgreSQL " +
                                 (p.error ? *p.error : ids(p.value))});
    break;
  }
  size_t same_order = 0;
  for (const CtidProbe& cp : t.ctids) {
    for (const auto& [probe, side] :
         {std::pair{&cp.model, "model"}, std::pair{&cp.pg, "PostgreSQL"}}) {
      if (std::string d = check_ctid_side(*probe, side); !d.empty()) {
        c.differences.push_back({"ctid_ranges", t.prefix, w.schemas[cp.table].name + ", " + d});
      }
    }
    bool same = cp.model.layout.size() == cp.pg.layout.size();
    for (size_t i = 0; same && i < cp.model.layout.size(); ++i)
      same = cp.model.layout[i].id == cp.pg.layout[i].id;
    same_order += same ? 1 : 0;
  }
  c.notes.push_back(
      "ctid ranges checked on each side's own layout (ctids and page counts are "
      "the side's own); live rows in the same physical order on both sides in " +
      std::to_string(same_order) + " of " + std::to_string(t.ctids.size()) + " tables");
  return c;
}

}  // namespace cdc::conformance
