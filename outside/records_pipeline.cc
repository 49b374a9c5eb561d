// Records: test_decoding lines, collections, destinations and the end.
#include "outside/records.h"

#include "model/dest_value.h"
#include "outside/test_decoding.h"
#include "properties/destination.h"

namespace cdc::outside::detail {

namespace {

constexpr size_t kMaxArray = 10'000'000;

// The row a decoded tuple describes: its columns over `base` (or NULLs);
// an unchanged TOAST value keeps base's value.
Row row_of_tuple(const TableSchema& s, const std::vector<DecodedColumn>& tuple,
                 const SharedRow* base) {
  Row row = base ? base->to_row() : Row(s.columns.size());
  for (const DecodedColumn& c : tuple) {
    if (!c.unchanged_toast) row[c.column] = c.value;
  }
  return row;
}

bool has_key(const TableSchema& s, const std::vector<DecodedColumn>& tuple) {
  for (uint32_t k : s.primary_key) {
    bool found = false;
    for (const DecodedColumn& c : tuple)
      found = found || (c.column == k && !c.unchanged_toast && !c.value.is_null());
    if (!found) return false;
  }
  return true;
}

history::DocOp op_named(const std::string& op, const std::string& path) {
  if (op == "c") return history::DocOp::kCreate;
  if (op == "u") return history::DocOp::kUpdate;
  if (op == "d") return history::DocOp::kDelete;
  bad("op", path + ".op must be c, u or d, got " + op);
}

}  // namespace

void Records::decoded(const json& r) {
  only_keys(r, "", "test_decoding");
  const std::string data = text_of(r, "data", "");
  Result<DecodedLine> line = parse_test_decoding_line(data, out_->tables);
  if (!line.is_ok()) bad("data", "data: " + line.error().message + " (of the test_decoding line)");
  const DecodedLine& l = line.value();
  saw_commit_ = true;
  if (l.kind == DecodedLine::Kind::kBegin) {
    if (source_.open()) bad("data", "BEGIN inside an open transaction");
    source_.begin(Xid{static_cast<uint32_t>(l.xid)});
    return;
  }
  if (!source_.open()) bad("data", "a change or COMMIT outside BEGIN ... COMMIT");
  if (l.kind == DecodedLine::Kind::kCommit) {
    if (Xid{static_cast<uint32_t>(l.xid)} != *source_.open_xid()) {
      bad("data", "COMMIT " + std::to_string(l.xid) + " closes another transaction");
    }
    source_.commit(lsn_of(r, "lsn", ""), tick_);
    return;
  }
  decoded_change(l, "data");
}

void Records::decoded_change(const DecodedLine& l, const std::string& path) {
  if (l.kind == DecodedLine::Kind::kTruncate) {
    for (uint32_t t : l.tables)
      source_.truncate(t);
    return;
  }
  const uint32_t t = l.tables.front();
  const TableSchema& s = out_->tables[t];
  if (l.old_tuple && !has_key(s, *l.old_tuple)) bad("data", path + ": the old tuple lacks the key");
  const std::optional<Row> old_key =
      l.old_tuple ? std::optional<Row>(row_of_tuple(s, *l.old_tuple, nullptr)) : std::nullopt;
  if (l.kind == DecodedLine::Kind::kDelete) {
    if (!old_key) bad("data", path + ": a DELETE without its key (is the table keyless?)");
    return source_.remove(t, *old_key, path);
  }
  if (!has_key(s, l.new_tuple)) bad("data", path + ": the new tuple lacks the key");
  if (l.kind == DecodedLine::Kind::kInsert) {
    return source_.insert(t, row_of_tuple(s, l.new_tuple, nullptr), path);
  }
  const Row key_row = old_key ? *old_key : row_of_tuple(s, l.new_tuple, nullptr);
  const SharedRow* before = source_.current(t, source_.key_of(t, key_row));
  source_.update(t, old_key, row_of_tuple(s, l.new_tuple, before), path);
}

history::Document Records::document(const json& d, const std::string& path) {
  only_keys(d, path, "doc");
  history::Document doc;
  doc.binding = binding_of_collection(d, path);
  const history::Binding& b = h_.bindings[doc.binding];
  const TableSchema& s = out_->tables[b.table_id];
  doc.state_key = s.name + ".v1";
  doc.op = op_named(text_of(d, "op", path), path);
  doc.lsn = lsn_of(d, "lsn", path);
  doc.snapshot = bool_of(d, "snapshot", path, false);
  RowFields f = row_of(s, required(d, "fields", path), path + ".fields", nullptr);
  require_key(s, f, path + ".fields");
  doc.key = source_.key_of(b.table_id, f.row);
  doc.fields = std::move(f.row);
  doc.present_mask = f.present_mask;
  const std::optional<SourceLog::CommitRef> c = source_.commit_at(doc.lsn, b.table_id, doc.key);
  if (c && c->change_index) doc.change_index = *c->change_index;
  doc.txid = d.contains("txid") ? Xid{static_cast<uint32_t>(uint_of(d, "txid", path, UINT32_MAX))}
             : c                ? c->xid
                                : Xid{0};
  // A document's id takes 32 bits (properties/history.h).
  if (next_doc_id_ > UINT32_MAX) bad("type", "more than 2^32 - 1 documents");
  doc.id = static_cast<uint32_t>(next_doc_id_++);
  return doc;
}

void Records::collection_txn(const json& r, bool one_document) {
  history::CollectionTxn txn;
  txn.seq = h_.collection_txns.size() + 1;
  // A destination row holds the seq in 32 bits (model/dest_value.h).
  if (txn.seq > UINT32_MAX) bad("type", "more than 2^32 - 1 collection transactions");
  txn.tick = tick_;
  if (one_document) {
    only_keys(r, "", "document");
    json doc = r;
    doc.erase("type");
    doc.erase("checkpoint_lsn");
    txn.docs.push_back(document(doc, "document"));
  } else {
    only_keys(r, "", "collection_txn");
    const json& docs = array_of(r, "docs", "", kMaxArray);
    for (size_t i = 0; i < docs.size(); ++i)
      txn.docs.push_back(document(docs[i], "docs[" + std::to_string(i) + "]"));
  }
  for (const history::Document& d : txn.docs) {
    checkpoint_ = std::max(checkpoint_, d.lsn);
    doc_seq_[{d.binding, d.key, d.lsn}] = txn.seq;
  }
  checkpoint_ = std::max(checkpoint_, optional_lsn(r, "checkpoint_lsn", "").value_or(Lsn{0}));
  txn.checkpoint_cursor = checkpoint_;
  h_.collection_txns.push_back(std::move(txn));
}

history::DestinationRow Records::destination_row(uint32_t m, const json& r, const std::string& path,
                                                 bool dump) {
  only_keys(r, path, "row");
  const history::MaterializationBinding& mat = h_.materializations[m];
  const history::Binding& b = h_.bindings[mat.capture_binding];
  const TableSchema& s = out_->tables[b.table_id];
  history::DestinationRow row;
  RowFields f = row_of(s, required(r, "fields", path), path + ".fields", nullptr);
  require_key(s, f, path + ".fields");
  row.key = source_.key_of(b.table_id, f.row);
  row.fields = std::move(f.row);
  row.present_mask = f.present_mask;
  row.lsn = dump ? optional_lsn(r, "lsn", path).value_or(Lsn{0}) : lsn_of(r, "lsn", path);
  row.op = r.contains("op") ? op_named(text_of(r, "op", path), path) : history::DocOp::kCreate;
  if (mat.strategy == history::UpdateStrategy::kMerge) row.op = history::DocOp::kCreate;
  row.snapshot = bool_of(r, "snapshot", path, false);
  const auto seq = doc_seq_.find({b.id, row.key, row.lsn});
  row.collection_seq = seq == doc_seq_.end() ? 0 : seq_of(seq->second);
  return row;
}

void Records::destination_txn(const json& r) {
  only_keys(r, "", "destination_txn");
  history::DestinationTxn txn;
  txn.tick = tick_;
  txn.binding = materialization_named(r, "");
  const history::MaterializationBinding& mat = h_.materializations[txn.binding];
  const history::Binding& b = h_.bindings[mat.capture_binding];
  txn.state_key = out_->tables[b.table_id].name + ".v1";
  txn.read_through_seq = h_.collection_txns.size();
  txn.truncated_first = bool_of(r, "truncated_first", "", false);
  const json& upserts = array_of(r, "upserts", "", kMaxArray);
  for (size_t i = 0; i < upserts.size(); ++i)
    txn.upserts.push_back(
        destination_row(txn.binding, upserts[i], "upserts[" + std::to_string(i) + "]", false));
  if (r.contains("deletes")) {
    const json& deletes = array_of(r, "deletes", "", kMaxArray);
    const TableSchema& s = out_->tables[b.table_id];
    for (size_t i = 0; i < deletes.size(); ++i) {
      const std::string path = "deletes[" + std::to_string(i) + "]";
      RowFields k = row_of(s, deletes[i], path, nullptr);
      require_key(s, k, path);
      txn.deletes.push_back(source_.key_of(b.table_id, k.row));
    }
  }
  h_.destination_txns.push_back(std::move(txn));
}

void Records::destination_rows(const json& r) {
  only_keys(r, "", "destination_rows");
  const uint32_t m = materialization_named(r, "");
  const json& rows = array_of(r, "rows", "", kMaxArray);
  std::vector<history::DestinationRow>& dump = dumps_[m];
  for (size_t i = 0; i < rows.size(); ++i)
    dump.push_back(destination_row(m, rows[i], "rows[" + std::to_string(i) + "]", true));
  out_->has_destination_dump = true;
}

void Records::drained(const json& r) {
  only_keys(r, "", "drained");
  const Lsn lsn = lsn_of(r, "lsn", "");
  if (source_.last_lsn() && lsn < *source_.last_lsn()) {
    bad("lsn", "drained at " + to_string(lsn) + ", before the last commit " +
                   to_string(*source_.last_lsn()));
  }
  h_.drain.reached = true;
  h_.drain.tick = tick_;
  h_.drain.source_flush_lsn = lsn;
  h_.drain.capture_cursor = lsn;
}

void Records::finish(uint64_t line_no) {
  tick_ = line_no;
  close_initial_rows();
  if (source_.open()) bad("", "the file ends inside test_decoding transaction (no COMMIT)");
  if (h_.drain.reached && source_.last_lsn() && h_.drain.source_flush_lsn < *source_.last_lsn()) {
    bad("", "a commit follows the \"drained\" record's LSN");
  }
  if (out_->has_destination_dump) final_destinations();
}

// A real collection keeps every document (no retention recorded), and a
// destination without a dump is what its transactions left.
void Records::final_destinations() {
  history::FinalState& f = h_.final_state;
  f.recorded = true;
  for (const history::CollectionTxn& t : h_.collection_txns)
    for (const history::Document& d : t.docs)
      f.surviving_doc_ids.push_back(d.id);
  // Rows are kept as copies (history::FinalState::owned), as dumped or replayed.
  for (const history::MaterializationBinding& m : h_.materializations) {
    CDC_ASSERT(m.id == f.destinations.size(), "materialization bindings are numbered in order");
    f.destinations.emplace_back();
    if (const auto it = dumps_.find(m.id); it != dumps_.end()) {
      for (const history::DestinationRow& r : it->second)
        f.add_owned(m.id, r);
      continue;
    }
    const std::vector<properties::detail::TxnRef> txns =
        properties::detail::destination_txns_of(h_, m.id);
    if (m.strategy == history::UpdateStrategy::kMerge) {
      for (const auto& [key, ref] : properties::detail::replay_merge(txns).rows)
        f.add_owned(m.id, *ref.row);
    } else {
      for (const properties::detail::RowRef& ref : properties::detail::replay_delta(txns))
        f.add_owned(m.id, *ref.row);
    }
  }
}

}  // namespace cdc::outside::detail
