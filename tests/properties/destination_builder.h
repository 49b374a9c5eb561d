// Compact construction of materializations and destinations on top of a
// history from HistoryBuilder (tests/properties/history_builder.h).
//
// Defaults: materialization kMat reads capture binding kBinding (collection
// "c7") into destination "d7". A destination row is (key text, int64 value),
// like HistoryBuilder's rows; it names the lsn of its document and the seq of
// the collection txn the document was committed in.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "properties/history.h"
#include "tests/properties/history_builder.h"

namespace cdc::properties::testing {

using history::BackfillOp;
using history::DestinationRow;
using history::UpdateStrategy;

inline constexpr uint32_t kMat = 2;

// A merge row (op c) or a delta create row of `key` = v.
inline DestinationRow drow(const std::string& key, int64_t v, uint64_t lsn, uint64_t seq,
                           DocOp op = DocOp::kCreate) {
  DestinationRow r;
  r.key = key;
  r.op = op;
  r.fields = row(key, v);
  r.present_mask = 0b11;
  r.lsn = Lsn(lsn);
  r.collection_seq = static_cast<uint32_t>(seq);
  return r;
}
// A backfilled (snapshot) create row.
inline DestinationRow drow_snap(const std::string& key, int64_t v, uint64_t lsn, uint64_t seq) {
  DestinationRow r = drow(key, v, lsn, seq);
  r.snapshot = true;
  return r;
}
// Delta rows of an update and of a delete document.
inline DestinationRow drow_u(const std::string& key, int64_t v, uint64_t lsn, uint64_t seq) {
  return drow(key, v, lsn, seq, DocOp::kUpdate);
}
inline DestinationRow drow_d(const std::string& key, uint64_t lsn, uint64_t seq) {
  DestinationRow r = drow(key, 0, lsn, seq, DocOp::kDelete);
  r.fields = {Value::text(key), Value::null()};
  r.present_mask = 0b01;
  return r;
}

class DestinationBuilder {
 public:
  explicit DestinationBuilder(History h) : h_(std::move(h)) {}

  DestinationBuilder& materialization(UpdateStrategy s, uint32_t id = kMat,
                                      uint32_t capture_binding = kBinding) {
    history::MaterializationBinding m;
    m.id = id;
    m.capture_binding = capture_binding;
    m.collection = "c" + std::to_string(kTable);
    m.destination = "d" + std::to_string(kTable);
    m.strategy = s;
    h_.materializations.push_back(std::move(m));
    return *this;
  }
  // A destination txn of `m` at `tick`, reading through the highest seq of its rows.
  DestinationBuilder& dtxn(uint64_t tick, std::vector<DestinationRow> upserts,
                           std::vector<history::DocKey> deletes = {}, uint32_t m = kMat,
                           bool truncated_first = false) {
    history::DestinationTxn t;
    t.tick = tick;
    t.binding = m;
    t.state_key = "d7.v" + std::to_string(1 + rebuilds_);
    t.truncated_first = truncated_first;
    for (const DestinationRow& r : upserts)
      t.read_through_seq = std::max(t.read_through_seq, uint64_t{r.collection_seq});
    t.upserts = std::move(upserts);
    t.deletes = std::move(deletes);
    h_.destination_txns.push_back(std::move(t));
    return *this;
  }
  // A destination txn that empties the table first (a backfill's rebuild).
  DestinationBuilder& rebuild(uint64_t tick, std::vector<DestinationRow> upserts,
                              std::vector<history::DocKey> deletes = {}, uint32_t m = kMat) {
    ++rebuilds_;
    return dtxn(tick, std::move(upserts), std::move(deletes), m, true);
  }
  DestinationBuilder& expiry(uint64_t tick, std::vector<history::DocKey> keys,
                             uint32_t capture_binding = kBinding) {
    history::Expiry e;
    e.tick = tick;
    e.capture_binding = capture_binding;
    e.documents = keys.size();
    e.keys = std::move(keys);
    h_.expiries.push_back(std::move(e));
    return *this;
  }
  DestinationBuilder& op(BackfillOp::Type type, uint64_t tick,
                         std::vector<uint32_t> materialization_bindings = {kMat},
                         std::vector<uint32_t> capture_bindings = {kBinding}) {
    BackfillOp o;
    o.tick = tick;
    o.type = type;
    o.capture_bindings = std::move(capture_bindings);
    o.materialization_bindings = std::move(materialization_bindings);
    h_.backfill_ops.push_back(std::move(o));
    return *this;
  }
  History build() const { return h_; }

 private:
  History h_;
  uint32_t rebuilds_ = 0;
};

// clean_normal() (k1 = 1 and k2 = 2 backfilled at lsn 200 in collection seq
// 1, k1 updated to 3 at 300 in seq 2, k2 deleted at 400 in seq 3) faithfully
// materialized by merge into d7: one destination txn per collection txn.
inline DestinationBuilder clean_merge() {
  DestinationBuilder d(clean_normal().build());
  d.materialization(UpdateStrategy::kMerge)
      .dtxn(11, {drow_snap("k1", 1, 200, 1), drow_snap("k2", 2, 200, 1)})
      .dtxn(21, {drow("k1", 3, 300, 2)})
      .dtxn(31, {}, {"k2"});
  return d;
}

// clean_normal() faithfully materialized by delta updates into d7.
inline DestinationBuilder clean_delta() {
  DestinationBuilder d(clean_normal().build());
  d.materialization(UpdateStrategy::kDelta)
      .dtxn(11, {drow_snap("k1", 1, 200, 1), drow_snap("k2", 2, 200, 1)})
      .dtxn(21, {drow_u("k1", 3, 300, 2)})
      .dtxn(31, {drow_d("k2", 400, 3)});
  return d;
}

}  // namespace cdc::properties::testing
