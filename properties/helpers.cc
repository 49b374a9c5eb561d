#include "properties/helpers.h"

#include <algorithm>
#include <iterator>
#include <memory>

#include "model/key_encoding.h"
#include "properties/timeline.h"

namespace cdc::properties::detail {

namespace {}  // namespace

std::string render_key(std::string_view bytes) {
  const bool printable = std::all_of(bytes.begin(), bytes.end(), [](char ch) {
    const auto u = static_cast<unsigned char>(ch);
    return u >= 0x20 && u < 0x7f && ch != '"' && ch != '\\';
  });
  if (printable) return "\"" + std::string(bytes) + "\"";
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "0x";
  for (char ch : bytes) {
    const auto u = static_cast<unsigned char>(ch);
    out += kHex[u >> 4];
    out += kHex[u & 0xf];
  }
  return out;
}

std::string render_key(const history::History& h, uint32_t binding, std::string_view key) {
  if (binding >= h.bindings.size() || h.bindings[binding].key_types.empty()) {
    return render_key(key);
  }
  const std::optional<std::vector<Value>> values =
      decode_capture_key(key, h.bindings[binding].key_types);
  if (!values) return render_key(key);
  std::string out = "(";
  for (size_t i = 0; i < values->size(); ++i) {
    const Value& v = (*values)[i];
    if (i > 0) out += ", ";
    if (v.is_null()) {
      out += "NULL";
    } else if (v.is_int64()) {
      out += std::to_string(v.as_int64());
    } else {
      out += "'";
      for (char ch : v.as_text())
        out += ch == '\'' ? std::string("''") : std::string(1, ch);
      out += "'";
    }
  }
  return out + ")";
}

std::string describe_binding(const history::Binding& b) {
  return "binding " + std::to_string(b.id) + " (" + b.table + ")";
}

std::string describe_doc(const history::CollectionTxn& txn, const history::Document& d) {
  std::string s = "document in collection txn seq " + std::to_string(txn.seq) + " (tick " +
                  std::to_string(txn.tick) + "): binding " + std::to_string(d.binding) + " key " +
                  render_key(d.key) + " op " + doc_op_name(d.op) + " lsn " + to_string(d.lsn) +
                  " change_index " + std::to_string(d.change_index) + " state " + d.state_key;
  if (d.snapshot) s += " snapshot";
  return s;
}

std::string describe_commit(const history::SourceCommit& c) {
  return "source commit at lsn " + to_string(c.commit_lsn) + " (tick " + std::to_string(c.tick) +
         ", xid " + std::to_string(c.xid.value()) + ")";
}

std::string describe_chunk(const history::Chunk& c) {
  std::string s = "chunk of " + c.state_key + " at tick " + std::to_string(c.tick) + " after " +
                  (c.after ? render_key(*c.after) : std::string("<start>")) + ", " +
                  std::to_string(c.rows.size()) + " rows";
  if (!c.rows.empty()) {
    s += " " + render_key(c.order_key(0)) + ".." + render_key(c.order_key(c.rows.size() - 1));
  }
  s += ", snapshot lsn " + to_string(c.snapshot_lsn);
  if (c.committed_in) s += ", committed in txn seq " + std::to_string(*c.committed_in);
  if (c.final_chunk) s += ", final";
  return s;
}

std::string describe_instance(const history::BackfillInstance& i) {
  return "backfill instance " + i.state_key + " of binding " + std::to_string(i.binding) + " (" +
         history::to_string(i.mode) + ", requested at tick " + std::to_string(i.requested_tick) +
         ", streaming from lsn " + to_string(i.stream_start_lsn) + ")";
}

std::string describe_row(const SharedRow* row) {
  return row == nullptr ? "absent" : to_string(*row);
}

namespace {

std::vector<DocRef> collect_documents_of(const history::History& h, uint32_t binding) {
  std::vector<DocRef> out;
  for (const history::CollectionTxn& txn : h.collection_txns) {
    for (const history::Document& d : txn.docs) {
      if (d.binding == binding) out.push_back(DocRef{&txn, &d});
    }
  }
  return out;
}

// The surviving documents of `all`, or null when every one survived.
std::shared_ptr<const std::vector<DocRef>> collect_surviving(const history::History& h,
                                                             const std::vector<DocRef>& all) {
  const std::vector<uint32_t>& alive = h.final_state.surviving_doc_ids;
  const auto survives = [&](const DocRef& r) {
    return std::binary_search(alive.begin(), alive.end(), r.doc->id);
  };
  if (std::all_of(all.begin(), all.end(), survives)) return nullptr;
  auto out = std::make_shared<std::vector<DocRef>>();
  std::copy_if(all.begin(), all.end(), std::back_inserter(*out), survives);
  return out;
}

std::shared_ptr<const std::vector<DocRef>> shared_documents(const history::History& h,
                                                            uint32_t binding) {
  return shared_in_scope<std::vector<DocRef>>(h, "documents_of", binding,
                                              [&] { return collect_documents_of(h, binding); });
}

}  // namespace

// Both walk every document of the history; inside a TimelineScope the walk
// is made once per binding and every caller shares its list.
DocRefs documents_of(const history::History& h, uint32_t binding) {
  return DocRefs(shared_documents(h, binding));
}

DocRefs surviving_documents_of(const history::History& h, uint32_t binding) {
  std::shared_ptr<const std::vector<DocRef>> all = shared_documents(h, binding);
  if (!h.final_state.recorded) return DocRefs(std::move(all));
  return DocRefs(std::static_pointer_cast<const std::vector<DocRef>>(
      scoped_value(h, "surviving_documents_of", binding, [&]() -> std::shared_ptr<const void> {
        if (std::shared_ptr<const std::vector<DocRef>> some = collect_surviving(h, *all))
          return some;
        return all;  // every document survived: the same list
      })));
}

std::vector<const history::Binding*> keyed_bindings(const history::History& h) {
  std::vector<const history::Binding*> out;
  for (const history::Binding& b : h.bindings) {
    if (!b.keyless) out.push_back(&b);
  }
  return out;
}

const history::BackfillInstance* latest_instance(const history::History& h, uint32_t binding) {
  const history::BackfillInstance* latest = nullptr;
  for (const history::BackfillInstance& i : h.backfills) {
    if (i.binding == binding) latest = &i;
  }
  return latest;
}

const history::Binding* find_binding(const history::History& h, uint32_t id) {
  for (const history::Binding& b : h.bindings) {
    if (b.id == id) return &b;
  }
  return nullptr;
}

const history::CollectionTxn* completion_txn(const history::History& h,
                                             const std::string& state_key) {
  for (const history::CollectionTxn& txn : h.collection_txns) {
    for (const std::string& done : txn.completed_backfills) {
      if (done == state_key) return &txn;
    }
  }
  return nullptr;
}

const char* doc_op_name(history::DocOp op) {
  switch (op) {
    case history::DocOp::kCreate:
      return "c";
    case history::DocOp::kUpdate:
      return "u";
    case history::DocOp::kDelete:
      return "d";
  }
  return "?";
}

}  // namespace cdc::properties::detail
