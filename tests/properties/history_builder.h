// Compact construction of hand-written histories for the checker tests.
//
// Defaults: binding kBinding reads table kTable and writes under state key
// kState. A row is (key text, int64 value), so a source change or document
// names a key and one integer. Keys and order keys are plain strings; a
// chunk's order keys are its rows' keys (Chunk::order_keys left empty).
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "properties/history.h"
#include "properties/verdict.h"

namespace cdc::properties::testing {

using history::DocOp;
using history::Document;
using history::History;
using history::ResolvedMode;
using history::SourceKeyChange;

inline constexpr uint32_t kBinding = 1;
inline constexpr uint32_t kTable = 7;
inline const std::string kState = "items.v1";

inline Row row(const std::string& key, int64_t v) {
  return {Value::text(key), Value::int64(v)};
}

// A source change of `key` from value `before` to `after` (nullopt: absent).
inline SourceKeyChange change(const std::string& key, std::optional<int64_t> before,
                              std::optional<int64_t> after, uint32_t table = kTable) {
  SourceKeyChange c;
  c.table = table;
  c.key = key;
  if (before) c.before = row(key, *before);
  if (after) c.after = row(key, *after);
  return c;
}
inline SourceKeyChange ins(const std::string& key, int64_t v) {
  return change(key, std::nullopt, v);
}
inline SourceKeyChange upd(const std::string& key, int64_t from, int64_t to) {
  return change(key, from, to);
}
inline SourceKeyChange del(const std::string& key, int64_t from) {
  return change(key, from, std::nullopt);
}

// A document of kBinding under kState, every field present.
inline Document doc(DocOp op, const std::string& key, int64_t v, uint64_t lsn,
                    uint32_t change_index = 0) {
  Document d;
  d.binding = kBinding;
  d.state_key = kState;
  d.key = key;
  d.op = op;
  d.fields = row(key, v);
  d.present_mask = 0b11;
  d.lsn = Lsn(lsn);
  d.change_index = change_index;
  return d;
}
inline Document doc_c(const std::string& key, int64_t v, uint64_t lsn, uint32_t ci = 0) {
  return doc(DocOp::kCreate, key, v, lsn, ci);
}
inline Document doc_u(const std::string& key, int64_t v, uint64_t lsn, uint32_t ci = 0) {
  return doc(DocOp::kUpdate, key, v, lsn, ci);
}
inline Document doc_d(const std::string& key, uint64_t lsn, uint32_t ci = 0) {
  Document d = doc(DocOp::kDelete, key, 0, lsn, ci);
  d.fields = {Value::text(key), Value::null()};
  d.present_mask = 0b01;
  return d;
}
// A backfill (snapshot) create read at snapshot point `lsn`.
inline Document doc_snap(const std::string& key, int64_t v, uint64_t lsn) {
  Document d = doc(DocOp::kCreate, key, v, lsn);
  d.snapshot = true;
  return d;
}
inline Document in_state(Document d, const std::string& state_key) {
  d.state_key = state_key;
  return d;
}
inline Document of_binding(Document d, uint32_t binding) {
  d.binding = binding;
  return d;
}

class HistoryBuilder {
 public:
  HistoryBuilder& binding(uint32_t id = kBinding, uint32_t table_id = kTable,
                          bool keyless = false) {
    history::Binding b;
    b.id = id;
    b.table = "t" + std::to_string(table_id);
    b.table_id = table_id;
    b.collection = "c" + std::to_string(table_id);
    b.keyless = keyless;
    h_.bindings.push_back(std::move(b));
    return *this;
  }
  HistoryBuilder& instance(ResolvedMode mode, uint64_t stream_start_lsn = 0,
                           const std::string& state_key = kState, uint32_t binding_id = kBinding) {
    history::BackfillInstance i;
    i.binding = binding_id;
    i.state_key = state_key;
    i.mode = mode;
    i.requested_tick = h_.backfills.size();
    i.stream_start_lsn = Lsn(stream_start_lsn);
    h_.backfills.push_back(std::move(i));
    return *this;
  }
  // A source commit at `lsn` (its tick is the lsn, too).
  HistoryBuilder& commit(uint64_t lsn, std::vector<SourceKeyChange> changes) {
    h_.source_commits.push_back(
        history::SourceCommit{lsn, Xid(static_cast<uint32_t>(100 + h_.source_commits.size())),
                              Lsn(lsn), std::move(changes)});
    return *this;
  }
  // The next collection transaction: seq 1, 2, ...; tick 10 * seq.
  HistoryBuilder& txn(std::vector<Document> docs, std::vector<std::string> completed = {}) {
    history::CollectionTxn t;
    t.seq = h_.collection_txns.size() + 1;
    t.tick = 10 * t.seq;
    t.docs = std::move(docs);
    t.completed_backfills = std::move(completed);
    h_.collection_txns.push_back(std::move(t));
    return *this;
  }
  // A chunk of kState (or `state_key`) that read `keys` starting after `after`.
  HistoryBuilder& chunk(std::optional<std::string> after, const std::vector<std::string>& keys,
                        uint64_t snapshot_lsn, std::optional<uint64_t> committed_in,
                        bool final_chunk, const std::string& state_key = kState) {
    history::Chunk c;
    c.tick = snapshot_lsn;
    c.binding = kBinding;
    c.state_key = state_key;
    c.after = std::move(after);
    c.limit = 10;
    for (const std::string& k : keys)
      c.rows.push_back(history::ChunkRow{k, Xid(3), true});
    c.snapshot_lsn = Lsn(snapshot_lsn);
    c.committed_in = committed_in;
    c.final_chunk = final_chunk;
    h_.chunks.push_back(std::move(c));
    return *this;
  }
  HistoryBuilder& drained(uint64_t lsn) {
    h_.drain = history::Drain{true, 1000, Lsn(lsn), Lsn(lsn)};
    return *this;
  }
  HistoryBuilder& event(history::Event::Kind kind, uint64_t tick, const std::string& what) {
    h_.events.push_back(history::Event{tick, kind, what});
    return *this;
  }
  History build() const { return h_; }

 private:
  History h_;
};

// Assertions that print the verdict when they fail.
inline std::string show(const Verdict& v) {
  std::string s = v.property + " " + to_string(v.outcome) + ": " + v.explanation;
  for (const std::string& w : v.witness)
    s += "\n  - " + w;
  return s;
}
// Holds and Unknown also require that the verdict names no subject.
inline ::testing::AssertionResult Holds(const Verdict& v) {
  if (v.outcome == Verdict::Outcome::kHolds && !v.subject) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << show(v);
}
inline ::testing::AssertionResult Unknown(const Verdict& v) {
  if (v.outcome == Verdict::Outcome::kUnknown && !v.explanation.empty() && !v.subject) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << show(v);
}
// Violated, with a witness and an explanation that starts with "Let".
inline ::testing::AssertionResult Violated(const Verdict& v) {
  if (v.outcome == Verdict::Outcome::kViolated && !v.witness.empty() &&
      v.explanation.rfind("Let", 0) == 0) {
    return ::testing::AssertionSuccess() << show(v);
  }
  return ::testing::AssertionFailure() << show(v);
}

// The verdict's subject is `key` of capture binding `binding`.
inline ::testing::AssertionResult AboutKey(const Verdict& v, const std::string& key,
                                           uint32_t binding = kBinding) {
  if (!v.subject) return ::testing::AssertionFailure() << "no subject: " << show(v);
  if (v.subject->key != key || v.subject->binding != binding) {
    return ::testing::AssertionFailure()
           << "subject is key \"" << v.subject->key << "\" of binding " << v.subject->binding
           << ": " << show(v);
  }
  return ::testing::AssertionSuccess();
}
// The verdict names no subject (a violation about no single key).
inline ::testing::AssertionResult NoSubject(const Verdict& v) {
  if (!v.subject) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "subject key \"" << v.subject->key << "\": " << show(v);
}

// True iff some witness line contains `part`.
inline bool mentions(const Verdict& v, const std::string& part) {
  for (const std::string& w : v.witness) {
    if (w.find(part) != std::string::npos) return true;
  }
  return false;
}

// A clean Normal backfill: k1 and k2 are inserted before it, one final chunk
// at lsn 200 reads both, then k1 is updated at 300 and k2 deleted at 400, and
// the run drains at 400. Every checker that applies accepts it.
inline HistoryBuilder clean_normal() {
  HistoryBuilder b;
  b.binding()
      .instance(ResolvedMode::kNormal, 0)
      .commit(100, {ins("k1", 1)})
      .commit(200, {ins("k2", 2)})
      .chunk(std::nullopt, {"k1", "k2"}, 200, 1, true)
      .txn({doc_snap("k1", 1, 200), doc_snap("k2", 2, 200)}, {kState})
      .commit(300, {upd("k1", 1, 3)})
      .commit(400, {del("k2", 2)})
      .txn({doc_u("k1", 3, 300)})
      .txn({doc_d("k2", 400)})
      .drained(400);
  return b;
}

}  // namespace cdc::properties::testing
