// Hand-written histories of a keyless binding for the keyless checkers'
// tests. A row is (text, int64); a source key is a ctid key "ctid:(b,o)" as
// the recorder writes them for a table without a primary key, and documents
// carry synthetic keys as the capture writes them ("ctid:<state>:(b,o)" for a
// snapshot, "wal:<state>:<lsn>:<index>" for a change).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tests/properties/destination_builder.h"
#include "tests/properties/history_builder.h"

namespace cdc::properties::testing {

inline SourceKeyChange kchange(const std::string& ctid, std::optional<Row> before,
                               std::optional<Row> after) {
  SourceKeyChange c;
  c.table = kTable;
  c.key = "ctid:" + ctid;
  c.before = std::move(before);
  c.after = std::move(after);
  return c;
}

// A document of kBinding under kState with every field present.
inline Document kdoc(DocOp op, const std::string& key, const Row& fields, uint64_t lsn,
                     bool snapshot = false) {
  Document d;
  d.binding = kBinding;
  d.state_key = kState;
  d.key = key;
  d.op = op;
  d.fields = fields;
  d.present_mask = 0b11;
  d.lsn = Lsn(lsn);
  d.snapshot = snapshot;
  return d;
}
inline Document ksnap(const std::string& ctid, const Row& fields, uint64_t lsn) {
  return kdoc(DocOp::kCreate, "ctid:" + kState + ":" + ctid, fields, lsn, true);
}
inline Document kwal(DocOp op, uint64_t lsn, const Row& fields) {
  return kdoc(op, "wal:" + kState + ":" + std::to_string(lsn) + ":0", fields, lsn);
}

// A VACUUM FULL of kTable at tick 10 that moved a row from `from` to `to`
// while kBinding's ctid scan (instance kState) would resume at `running`,
// and a restart at `committed` if given (history::RowMove::ScanCursor).
inline history::RowMove vacuum_full(Ctid from, Ctid to, Ctid running,
                                    std::optional<Ctid> committed = std::nullopt) {
  history::RowMove m;
  m.tick = 10;
  m.table = kTable;
  m.cause = history::RowMove::Cause::kVacuumFull;
  m.from = from;
  m.to = to;
  m.cursors.push_back({kBinding, running, false, kState});
  if (committed) m.cursors.push_back({kBinding, *committed, true, kState});
  return m;
}

// A correct Without Primary Key run: ("a",1) and ("b",2) exist at lsn 100,
// the scan reads both at 200, ("c",3) is inserted at 300 behind the scan
// (streamed once), and the run drains at 400.
inline HistoryBuilder clean_keyless() {
  HistoryBuilder b;
  b.binding(kBinding, kTable, /*keyless=*/true)
      .instance(ResolvedMode::kWithoutPrimaryKey, 150)
      .commit(100, {kchange("(0,1)", std::nullopt, row("a", 1)),
                    kchange("(0,2)", std::nullopt, row("b", 2))})
      .txn({ksnap("(0,1)", row("a", 1), 200), ksnap("(0,2)", row("b", 2), 200)}, {kState})
      .commit(300, {kchange("(0,3)", std::nullopt, row("c", 3))})
      .txn({kwal(DocOp::kCreate, 300, row("c", 3))})
      .drained(400);
  return b;
}

// clean_keyless() materialized faithfully by merge into d7.
inline DestinationBuilder clean_keyless_merge() {
  DestinationBuilder d(clean_keyless().build());
  auto dest = [](const Document& doc, uint64_t seq) {
    DestinationRow r;
    r.key = doc.key;
    r.fields = doc.fields;
    r.present_mask = doc.present_mask;
    r.lsn = doc.lsn;
    r.snapshot = doc.snapshot;
    r.collection_seq = static_cast<uint32_t>(seq);
    return r;
  };
  const History& h = d.build();
  d.materialization(UpdateStrategy::kMerge)
      .dtxn(11, {dest(h.collection_txns[0].docs[0], 1), dest(h.collection_txns[0].docs[1], 1)})
      .dtxn(21, {dest(h.collection_txns[1].docs[0], 2)});
  return d;
}

}  // namespace cdc::properties::testing
