// coverage: the committed chunks of a keyed (Precise or Normal) backfill
// instance, in order, partition the key space in the database's order:
// - the first starts from the beginning (no `after`);
// - each next one starts after the cursor the previous left: its last row's
//   order_key (or, for a chunk without rows, the cursor it started from);
// - order_keys strictly increase across the whole sequence (no overlap);
// - once the instance is marked complete, its last committed chunk is final,
//   and every key present at the first chunk's snapshot and not changed up to
//   the last chunk's snapshot was read by some committed chunk (no gap).
// - the xid bounds filter a row out only when the xid that wrote its version
//   precedes min_backfill_xid, follows max_backfill_xid or follows the
//   chunk's snapshot xmax, modulo 2^32 (coverage_filters.cc);
// - a Without Primary Key instance's committed ctid ranges tile whole blocks
//   from block 0, each starting at the block after the last one's end.
// Failed or uncommitted chunks are ignored: their rows never reached the
// collection.

#include <optional>
#include <set>
#include <string_view>
#include <vector>

#include "model/assert.h"
#include "properties/checkers.h"
#include "properties/helpers.h"
#include "properties/history_keys.h"
#include "properties/timeline.h"

namespace cdc::properties {

namespace {

constexpr char kName[] = "coverage";
using Chunks = std::vector<const history::Chunk*>;

Chunks committed_chunks(const history::History& h, const history::BackfillInstance& inst) {
  Chunks out;
  for (const history::Chunk& c : h.chunks) {
    if (c.binding == inst.binding && c.state_key == inst.state_key && c.committed_in) {
      out.push_back(&c);
    }
  }
  return out;
}

std::string render_cursor(const std::optional<history::DbOrderKey>& k) {
  return k ? detail::render_key(*k) : std::string("<start>");
}

// `key`: the one key the violation is about, when there is one.
Verdict broken(const history::BackfillInstance& inst, const std::string& then_but,
               std::vector<std::string> witness, const history::DocKey* key = nullptr) {
  witness.insert(witness.begin(), detail::describe_instance(inst));
  std::optional<Verdict::Subject> subject;
  if (key != nullptr) subject = Verdict::Subject{inst.binding, *key};
  return Verdict::violation(
      kName, "Let I be the " + detail::describe_instance(inst) + ". Then " + then_but,
      std::move(witness), std::move(subject));
}

// Cursor chaining and strictly increasing order keys.
std::optional<Verdict> check_chain(const history::BackfillInstance& inst, const Chunks& chunks) {
  std::optional<history::DbOrderKey> cursor;  // where the next chunk must start
  const history::Chunk* prev = nullptr;
  for (const history::Chunk* c : chunks) {
    if (c->after != cursor) {
      std::vector<std::string> w = {detail::describe_chunk(*c)};
      if (prev != nullptr) w.insert(w.begin(), detail::describe_chunk(*prev));
      return broken(
          inst,
          "the committed chunk at tick " + std::to_string(c->tick) + " must start after " +
              render_cursor(cursor) +
              ", where the previous committed chunk left the cursor, but it starts after " +
              render_cursor(c->after) + ".",
          std::move(w));
    }
    for (size_t i = 0; i < c->rows.size(); ++i) {
      const history::ChunkRow& row = c->rows[i];
      const history::DbOrderKey& order_key = c->order_key(i);
      if (cursor && !(*cursor < order_key)) {
        std::vector<std::string> w = {detail::describe_chunk(*c)};
        if (prev != nullptr && c->after == cursor && i == 0) {
          w.insert(w.begin(), detail::describe_chunk(*prev));
        }
        return broken(inst,
                      "order keys must strictly increase across its committed chunks, but " +
                          detail::render_key(order_key) + " (key " + detail::render_key(row.key) +
                          ", chunk at tick " + std::to_string(c->tick) + ") follows " +
                          detail::render_key(*cursor) + ".",
                      std::move(w), &row.key);
      }
      cursor = order_key;
    }
    prev = c;
  }
  return std::nullopt;
}

// REQUIRES: the instance is complete and `chunks` is not empty.
std::optional<Verdict> check_gap(const history::History& h, const history::BackfillInstance& inst,
                                 const Chunks& chunks) {
  CDC_ASSERT(!chunks.empty(), "the gap check needs the committed chunks");
  const history::Binding* b = detail::find_binding(h, inst.binding);
  if (b == nullptr) return std::nullopt;
  const Lsn from = chunks.front()->snapshot_lsn;
  const Lsn to = chunks.back()->snapshot_lsn;
  const std::shared_ptr<const detail::HistoryKeys> keys = detail::history_keys(h);
  const detail::TableKeys& table = keys->of_binding(b->id);
  const detail::SourceTimeline& timeline = table.timeline();
  // The keys a committed chunk read, by id (a key the source never changed
  // is not one the check walks).
  std::vector<uint8_t> read(table.size(), 0);
  for (const history::Chunk* c : chunks) {
    for (const history::ChunkRow& row : c->rows) {
      // A chunk of another binding (an outside history's) has its ids
      // elsewhere: its keys are looked up here.
      const std::optional<uint32_t> id =
          c->binding == b->id ? keys->chunk_row(*c, row) : table.find(row.key);
      if (id) read[*id] = 1;
    }
  }
  for (size_t i = 0; i < timeline.key_count(); ++i) {
    const detail::TimelineKey k = timeline.key_at(i);
    if (read[timeline.id_at(i)] != 0 || timeline.state_at(k, from) == nullptr) continue;
    if (detail::SourceTimeline::changed_between(k, from, to) != nullptr) continue;
    const history::DocKey key(k.key);
    return broken(inst,
                  "every key present at lsn " + to_string(from) + " (first chunk's snapshot) and " +
                      "unchanged up to lsn " + to_string(to) + " (last chunk's snapshot) must be " +
                      "read by a committed chunk, but key " + detail::render_key(key) +
                      " is in none although I is complete.",
                  {"key " + detail::render_key(key) + " at lsn " + to_string(from) + ": " +
                       detail::describe_row(timeline.state_at(key, from)),
                   "first " + detail::describe_chunk(*chunks.front()),
                   "last " + detail::describe_chunk(*chunks.back())},
                  &key);
  }
  return std::nullopt;
}

std::optional<Verdict> judge_instance(const history::History& h,
                                      const history::BackfillInstance& inst) {
  const Chunks chunks = committed_chunks(h, inst);
  if (std::optional<Verdict> v = check_chain(inst, chunks)) return v;
  const history::CollectionTxn* done = detail::completion_txn(h, inst.state_key);
  if (done == nullptr) return std::nullopt;
  if (chunks.empty()) {
    return broken(inst,
                  "a complete backfill must have committed a final chunk, but I has no " +
                      std::string("committed chunk at all."),
                  {"marked complete in collection txn seq " + std::to_string(done->seq) +
                   " (tick " + std::to_string(done->tick) + ")"});
  }
  if (!chunks.back()->final_chunk) {
    return broken(inst,
                  "since I is marked complete its last committed chunk must be final, but " +
                      std::string("the chunk at tick ") + std::to_string(chunks.back()->tick) +
                      " is not.",
                  {"last " + detail::describe_chunk(*chunks.back())});
  }
  return check_gap(h, inst, chunks);
}

}  // namespace

Verdict check_coverage(const history::History& h) {
  bool judged = false;
  for (const history::BackfillInstance& inst : h.backfills) {
    if (inst.mode != history::ResolvedMode::kPrecise &&
        inst.mode != history::ResolvedMode::kNormal) {
      continue;
    }
    const history::Binding* b = detail::find_binding(h, inst.binding);
    if (b != nullptr && b->keyless) continue;
    judged = true;
    if (std::optional<Verdict> v = judge_instance(h, inst)) return *std::move(v);
    if (std::optional<Verdict> v = detail::check_xid_filter(h, inst)) return *std::move(v);
  }
  for (const history::BackfillInstance& inst : h.backfills) {
    if (inst.mode != history::ResolvedMode::kWithoutPrimaryKey) continue;
    judged = true;
    if (std::optional<Verdict> v = detail::check_ctid_tiling(h, inst)) return *std::move(v);
  }
  if (!judged) return Verdict::unknown(kName, "no chunked backfill");
  return Verdict::hold(kName,
                       "every keyed backfill's chunks chain without overlap or gap and filter by "
                       "their xid bounds exactly; every ctid scan's ranges tile whole blocks");
}

}  // namespace cdc::properties
