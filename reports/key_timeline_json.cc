#include "reports/key_timeline_json.h"

#include <iterator>

#include "model/assert.h"
#include "properties/helpers.h"
#include "reports/timeline_entries.h"

namespace cdc::reports {

std::string hex_bytes(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char ch : bytes) {
    const auto u = static_cast<unsigned char>(ch);
    out += kHex[u >> 4];
    out += kHex[u & 0xf];
  }
  CDC_ASSERT(out.size() == bytes.size() * 2, "two hex digits per byte");
  return out;
}

namespace {

using nlohmann::json;
namespace detail = properties::detail;

json row_json(const std::optional<SharedRow>& r) {
  return r ? json(to_string(*r)) : json(nullptr);
}

json dest_row_json(const history::DestinationRow& r) {
  return {{"op", detail::doc_op_name(r.op)}, {"fields", to_string(r.fields)},
          {"present_mask", r.present_mask},  {"lsn", to_string(r.lsn)},
          {"snapshot", r.snapshot},          {"collection_seq", r.collection_seq}};
}

json document_json(const TimelineDocument& d) {
  return {{"seq", d.seq},
          {"tick", d.tick},
          {"id", d.id},
          {"state_key", d.state_key},
          {"op", detail::doc_op_name(d.op)},
          {"lsn", to_string(d.lsn)},
          {"txid", d.txid.value()},
          {"snapshot", d.snapshot},
          {"change_index", d.change_index},
          {"fields", to_string(d.fields)},
          {"present_mask", d.present_mask},
          {"survived", d.survived}};
}

json source_json(const KeyTimeline& t) {
  json commits = json::array();
  for (const TimelineCommit& c : t.commits) {
    commits.push_back({{"tick", c.tick},
                       {"commit_lsn", to_string(c.commit_lsn)},
                       {"xid", c.xid.value()},
                       {"before", row_json(c.before)},
                       {"after", row_json(c.after)}});
  }
  return commits;
}

json backfill_json(const KeyTimeline& t) {
  json out = json::array();
  for (const TimelineBackfill& b : t.backfills) {
    json j{{"requested_tick", b.requested_tick},
           {"state_key", b.state_key},
           {"mode", history::to_string(b.mode)},
           {"stream_start_lsn", to_string(b.stream_start_lsn)},
           {"min_backfill_xid", b.min_backfill_xid ? json(b.min_backfill_xid->value()) : json()},
           {"completed_seq", b.completed_seq ? json(*b.completed_seq) : json()},
           {"completed_tick", b.completed_tick ? json(*b.completed_tick) : json()}};
    out.push_back(std::move(j));
  }
  return out;
}

json chunks_json(const KeyTimeline& t) {
  json out = json::array();
  for (const TimelineChunk& c : t.chunks) {
    out.push_back({{"tick", c.tick},
                   {"state_key", c.state_key},
                   {"snapshot_lsn", to_string(c.snapshot_lsn)},
                   {"read", c.read},
                   {"emitted", c.emitted},
                   {"xmin", c.xmin ? json(c.xmin->value()) : json()},
                   {"failed", c.failed},
                   {"committed_in", c.committed_in ? json(*c.committed_in) : json()},
                   {"final_chunk", c.final_chunk}});
  }
  return out;
}

json destination_json(const KeyTimeline& t) {
  json out = json::array();
  for (const TimelineDestinationWrite& w : t.destination) {
    out.push_back({{"tick", w.tick},
                   {"materialization", w.materialization},
                   {"destination", w.destination},
                   {"txn_index", w.txn_index},
                   {"action", to_string(w.action)},
                   {"truncated_first", w.truncated_first},
                   {"row", w.row ? dest_row_json(*w.row) : json()}});
  }
  return out;
}

json end_json(const KeyTimeline& t) {
  json docs = json::array();
  for (const TimelineDocument& d : t.end.documents)
    docs.push_back(document_json(d));
  json rows = json::array();
  for (const TimelineFinalRow& r : t.end.destination_rows) {
    rows.push_back({{"materialization", r.materialization},
                    {"destination", r.destination},
                    {"strategy", history::to_string(r.strategy)},
                    {"row", dest_row_json(r.row)}});
  }
  return {{"recorded", t.end.recorded}, {"documents", docs}, {"destination_rows", rows}};
}

json context_json(const KeyTimeline& t) {
  json mats = json::array();
  for (const history::MaterializationBinding& m : t.materializations) {
    mats.push_back({{"id", m.id},
                    {"collection", m.collection},
                    {"destination", m.destination},
                    {"strategy", history::to_string(m.strategy)}});
  }
  json ops = json::array();
  static constexpr const char* kKinds[] = {"operation", "fault", "capture_start", "capture_error"};
  for (const history::Event& e : t.operations) {
    const auto kind = static_cast<size_t>(e.kind);
    CDC_ASSERT(kind < std::size(kKinds), "every event kind has a name");
    ops.push_back({{"tick", e.tick}, {"kind", kKinds[kind]}, {"what", e.what}});
  }
  return {{"materializations", mats}, {"operations", ops}};
}

}  // namespace

nlohmann::json key_timeline_json(const KeyTimeline& t) {
  json j{{"binding", t.capture_binding},
         {"binding_text", t.binding_text},
         {"key_text", t.key_text},
         {"key_hex", hex_bytes(t.key)},
         {"order_key_hex", t.order_key ? json(hex_bytes(*t.order_key)) : json()}};
  const json context = context_json(t);
  j["materializations"] = context["materializations"];
  j["commits"] = source_json(t);
  j["backfills"] = backfill_json(t);
  j["chunks"] = chunks_json(t);
  json docs = json::array();
  for (const TimelineDocument& d : t.documents)
    docs.push_back(document_json(d));
  j["documents"] = std::move(docs);
  json expiries = json::array();
  for (const TimelineExpiry& e : t.expiries)
    expiries.push_back({{"tick", e.tick}, {"documents", e.documents}});
  j["expiries"] = std::move(expiries);
  j["destination"] = destination_json(t);
  j["operations"] = context["operations"];
  j["drain"] = {{"reached", t.drain.reached},
                {"tick", t.drain.tick},
                {"source_flush_lsn", to_string(t.drain.source_flush_lsn)},
                {"capture_cursor", to_string(t.drain.capture_cursor)}};
  j["end"] = end_json(t);
  json entries = json::array();
  for (const TimelineEntry& e : timeline_entries(t)) {
    entries.push_back({{"tick", e.tick},
                       {"lane", lane_title(e.lane)},
                       {"kind", to_string(e.kind)},
                       {"label", e.label},
                       {"detail", e.detail},
                       {"gone", e.gone}});
  }
  j["entries"] = std::move(entries);
  CDC_ASSERT(j["entries"].size() >= j["commits"].size(), "every commit is an entry");
  return j;
}

}  // namespace cdc::reports
