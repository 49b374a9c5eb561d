// Two parts of the coverage checker (properties/coverage.cc): rows that the
// xid bounds (min_backfill_xid, max_backfill_xid and the snapshot xmax term
// that comes with them) filtered out of keyed chunks, and the ctid ranges of
// Without Primary Key scans.
#include <map>
#include <optional>
#include <string>

#include "model/xid.h"
#include "properties/helpers.h"

namespace cdc::properties::detail {

namespace {

constexpr char kName[] = "coverage";
constexpr uint16_t kLastOffset = 0xffff;

// The xid that wrote each key's version of `table` as of `lsn` (its xmin:
// the writing subtransaction's xid where one wrote it, else the commit's
// xid): the last source commit at or before it that left the key present.
std::map<history::DocKey, Xid> writers_at(const history::History& h, uint32_t table, Lsn lsn) {
  std::map<history::DocKey, Xid> writer;
  for (const history::SourceCommit& c : h.source_commits) {
    if (c.commit_lsn > lsn) break;  // source commits are in commit order
    for (const history::SourceKeyChange& k : c.changes) {
      if (k.table != table) continue;
      if (k.after) {
        writer[k.key] = k.after_xmin.value_or(c.xid);
      } else {
        writer.erase(k.key);
      }
    }
  }
  return writer;
}

// Why the chunk's bounds keep out a version written by xid `w`, modulo 2^32
// (the bounds inclusive; the snapshot xmax term keeps out what follows the
// xmax, i.e. an xmin more than 2^31 xids older), or nullopt if they keep it.
std::optional<std::string> excluded_by(const history::Chunk& c, Xid w) {
  if (!xid_is_normal(w)) return "is not a normal xid";
  if (c.min_backfill_xid && xid_precedes(w, *c.min_backfill_xid)) {
    return "precedes min_backfill_xid " + std::to_string(c.min_backfill_xid->value());
  }
  if (c.max_backfill_xid && xid_follows(w, *c.max_backfill_xid)) {
    return "follows max_backfill_xid " + std::to_string(c.max_backfill_xid->value());
  }
  if (c.snapshot_xmax && xid_follows(w, *c.snapshot_xmax)) {
    return "follows the snapshot xmax " + std::to_string(c.snapshot_xmax->value());
  }
  return std::nullopt;
}

std::string describe_bounds(const history::Chunk& c) {
  std::string d;
  auto add = [&](const char* what, const std::optional<Xid>& x) {
    if (!x) return;
    d += (d.empty() ? "" : ", ") + std::string(what) + " " + std::to_string(x->value());
  };
  add("min_backfill_xid", c.min_backfill_xid);
  add("max_backfill_xid", c.max_backfill_xid);
  add("snapshot xmax", c.snapshot_xmax);
  return d;
}

Verdict violation(const history::BackfillInstance& inst, const std::string& then_but,
                  std::vector<std::string> witness, const history::DocKey* key) {
  witness.insert(witness.begin(), describe_instance(inst));
  std::optional<Verdict::Subject> subject;
  if (key != nullptr) subject = Verdict::Subject{inst.binding, *key};
  return Verdict::violation(kName, "Let I be the " + describe_instance(inst) + ". Then " + then_but,
                            std::move(witness), std::move(subject));
}

}  // namespace

std::optional<Verdict> check_xid_filter(const history::History& h,
                                        const history::BackfillInstance& inst) {
  const history::Binding* b = find_binding(h, inst.binding);
  if (b == nullptr) return std::nullopt;
  for (const history::Chunk& c : h.chunks) {
    if (c.binding != inst.binding || c.state_key != inst.state_key || !c.committed_in) continue;
    if (!c.min_backfill_xid && !c.max_backfill_xid) continue;
    std::map<history::DocKey, Xid> writers;
    bool loaded = false;
    for (const history::ChunkRow& r : c.rows) {
      if (r.emitted) continue;
      if (!loaded) writers = writers_at(h, b->table_id, c.snapshot_lsn);
      loaded = true;
      auto w = writers.find(r.key);
      if (w == writers.end() || excluded_by(c, w->second)) continue;
      return violation(
          inst,
          "the xid bounds (" + describe_bounds(c) +
              ") may filter out only rows written by an xid outside [min, max] or following the "
              "snapshot xmax, modulo 2^32, but a chunk filtered out key " +
              render_key(r.key) + ", written by xid " + std::to_string(w->second.value()) +
              ", which lies inside them (the chunk read xmin " + std::to_string(r.xmin.value()) +
              ").",
          {describe_chunk(c)}, &r.key);
    }
  }
  return std::nullopt;
}

std::optional<Verdict> check_ctid_tiling(const history::History& h,
                                         const history::BackfillInstance& inst) {
  uint32_t next_block = 0;  // where the next range must start
  for (const history::Chunk& c : h.chunks) {
    if (c.binding != inst.binding || c.state_key != inst.state_key || !c.committed_in) continue;
    if (!c.blocks) continue;
    if (c.blocks->first != next_block) {
      return violation(inst,
                       "each ctid range must start at the block after the last one's end (block " +
                           std::to_string(next_block) + "), but a chunk starts at block " +
                           std::to_string(c.blocks->first) + ".",
                       {describe_chunk(c)}, nullptr);
    }
    const Ctid whole_end{c.blocks->second, kLastOffset};
    if (c.range_end && *c.range_end < whole_end) {
      return violation(inst,
                       "each ctid range must cover whole blocks, but a chunk's range ends at " +
                           to_string(*c.range_end) + ": the rows of block " +
                           std::to_string(c.blocks->second) +
                           " after that offset are read by no chunk.",
                       {describe_chunk(c)}, nullptr);
    }
    next_block = c.blocks->second + 1;
  }
  return std::nullopt;
}

}  // namespace cdc::properties::detail
