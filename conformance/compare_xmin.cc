#include "conformance/compare_xmin.h"

#include <map>
#include <set>
#include <utility>

#include "model/xid.h"

namespace cdc::conformance {
namespace {

constexpr size_t kReportedMax = 3;

std::string offset(uint32_t xid, uint32_t first) {
  const uint32_t d = xid - first;
  return (static_cast<int32_t>(d) < 0 ? "-" + std::to_string(0u - d) : "+" + std::to_string(d)) +
         " (" + std::to_string(xid) + ")";
}

std::set<std::string> ids(const TableRows& rows) {
  std::set<std::string> out;
  for (const ObservedRow& r : rows)
    out.insert(r.id);
  return out;
}

std::string join(const std::set<std::string>& s) {
  std::string out;
  for (const std::string& x : s)
    out += (out.empty() ? "" : " ") + x;
  return out.empty() ? "none" : out;
}

void compare_observed_xmins(const Workload& w, const RunTrace& t, Comparison* c) {
  for (const Observation& o : t.observations) {
    if (!o.model || !o.pg) continue;
    std::string what;
    for (size_t table = 0; table < w.schemas.size(); ++table) {
      std::map<std::string, uint32_t> pg;
      for (const ObservedRow& r : o.pg->at(table))
        pg.emplace(r.id, r.xmin);
      for (const ObservedRow& r : o.model->at(table)) {
        auto it = pg.find(r.id);
        if (it == pg.end() || it->second == r.xmin) continue;
        what += "\n    " + w.schemas[table].name + " row " + r.id + ": xmin model " +
                offset(r.xmin, t.first_xid) + ", PostgreSQL " + offset(it->second, t.first_xid);
      }
    }
    if (what.empty()) continue;
    c->differences.push_back({c->name, o.after_steps,
                              "xmin after " + std::to_string(o.after_steps) +
                                  " steps (offsets from the first xid " +
                                  std::to_string(t.first_xid) + "):" + what});
    return;
  }
}

void compare_decoded_xids(const RunTrace& t, Comparison* c) {
  const auto& m = t.decoded.model.value;
  const auto& p = t.decoded.pg.value;
  for (size_t i = 0; i < m.size() && i < p.size(); ++i) {
    if (m[i].xid == p[i].xid) continue;
    c->differences.push_back({c->name, t.prefix,
                              "decoded transaction #" + std::to_string(i + 1) + ": xid model " +
                                  offset(m[i].xid, t.first_xid) + ", PostgreSQL " +
                                  offset(p[i].xid, t.first_xid)});
    return;
  }
}

// The capture's filters (XminFilter::Kind::kBackfill) for the workload's xids
// [first, next): a minimum alone, a maximum alone, a range inside, and, when
// the run crossed the wrap, a range whose min is before it and max after it
// (raw max < raw min). Each carries the snapshot xmax term.
std::vector<XminFilter> backfill_filters(uint32_t first, uint32_t next, sim::Prng& prng) {
  const uint32_t span = next - first + 1;
  auto inside = [&] { return Xid(first + static_cast<uint32_t>(prng.below(span))); };
  std::vector<XminFilter> out = {backfill_filter(inside(), std::nullopt),
                                 backfill_filter(std::nullopt, inside())};
  Xid lo = inside();
  Xid hi = inside();
  if (xid_precedes(hi, lo)) std::swap(lo, hi);
  out.push_back(backfill_filter(lo, hi));
  if (next < first && next > kFirstNormalXid.value()) {  // wrapped: [first + a, next - b]
    const uint32_t before = 0u - first;                  // xids from first up to the wrap
    out.push_back(backfill_filter(Xid(first + static_cast<uint32_t>(prng.below(before))),
                                  Xid(next - 1 - static_cast<uint32_t>(prng.below(next - 3)))));
  }
  return out;
}

std::string describe_filter(const XminFilter& f, uint32_t first) {
  if (f.kind != XminFilter::Kind::kBackfill) {
    return "threshold offset " + offset(f.threshold.value(), first);
  }
  std::string d = "backfill bounds:";
  if (f.min) d += " min offset " + offset(f.min->value(), first);
  if (f.max) d += " max offset " + offset(f.max->value(), first);
  return d;
}

}  // namespace

void probe_xmin_filters(Sides& sides, const Workload& w, sim::Prng prng, RunTrace* t) {
  sides.both(&t->next_xid, [](Side& s) { return s.next_xid(); });
  const uint32_t first = t->first_xid;
  const uint32_t next = t->next_xid.model.value;
  // Thresholds: the ends of the workload's xids, random ones around them
  // (raw arithmetic: across the wrap they fall on both sides of it), and the
  // antipodes, where the wrap-aware comparison flips.
  std::vector<uint32_t> thresholds = {first, next, first + 0x80000000u, next + 0x80000000u};
  const uint32_t span = next - first + 8;
  for (int i = 0; i < 4; ++i)
    thresholds.push_back(first - 4 + static_cast<uint32_t>(prng.below(span)));
  using Kind = XminFilter::Kind;
  for (uint32_t threshold : thresholds) {
    for (Kind kind : {Kind::kRaw, Kind::kWrapAware, Kind::kWrapAwareBounded}) {
      for (uint32_t table = 0; table < w.schemas.size(); ++table) {
        FilterProbe f;
        f.table = table;
        f.query.kind = Query::Kind::kScan;
        f.query.filter = XminFilter{kind, Xid(threshold), Xid(next)};
        sides.both(&f.rows, [&](Side& s) { return s.query(table, f.query); });
        t->filters.push_back(std::move(f));
      }
    }
  }
  for (const XminFilter& filter : backfill_filters(first, next, prng)) {
    for (uint32_t table = 0; table < w.schemas.size(); ++table) {
      FilterProbe f;
      f.table = table;
      f.query.kind = Query::Kind::kScan;
      f.query.filter = filter;
      sides.both(&f.rows, [&](Side& s) { return s.query(table, f.query); });
      t->filters.push_back(std::move(f));
    }
  }
}

Comparison compare_xmin(const Workload& w, const RunTrace& t) {
  Comparison c;
  c.name = "xmin";
  compare_observed_xmins(w, t, &c);
  compare_decoded_xids(t, &c);
  if (t.next_xid.model.value != t.next_xid.pg.value || t.next_xid.model.error ||
      t.next_xid.pg.error) {
    c.differences.push_back({c.name, t.prefix,
                             "next xid at the end: model " +
                                 offset(t.next_xid.model.value, t.first_xid) + ", PostgreSQL " +
                                 offset(t.next_xid.pg.value, t.first_xid) +
                                 t.next_xid.pg.error.value_or("")});
  }
  size_t reported = 0;
  for (const FilterProbe& f : t.filters) {
    const auto& m = f.rows.model;
    const auto& p = f.rows.pg;
    const std::set<std::string> mi = ids(m.value);
    const std::set<std::string> pi = ids(p.value);
    if (m.error == p.error && mi == pi) continue;
    if (++reported > kReportedMax) break;
    c.differences.push_back({c.name, t.prefix,
                             to_string(f.query, w.schemas[f.table]) + " (" +
                                 describe_filter(*f.query.filter, t.first_xid) + "): model " +
                                 (m.error ? "error " + *m.error : join(mi)) + "; PostgreSQL " +
                                 (p.error ? "error " + *p.error : join(pi))});
  }
  const bool wrapped = t.next_xid.model.value < t.first_xid;
  c.notes.push_back("xids compared value for value (the model starts at PostgreSQL's next xid " +
                    std::to_string(t.first_xid) + ")" +
                    (wrapped ? "; this run crossed the xid wrap" : ""));
  c.notes.push_back(
      "PostgreSQL's tables have vacuum_truncate off: its VACUUM would otherwise truncate empty "
      "trailing pages (of the table or its TOAST table) under an ACCESS EXCLUSIVE lock, whose "
      "request takes an xid; the model has no page truncation");
  return c;
}

}  // namespace cdc::conformance
