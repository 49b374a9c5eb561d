#include "properties/keyless_bags.h"

#include "model/assert.h"
#include "model/reduction.h"
#include "model/row_codec.h"
#include "properties/timeline.h"

namespace cdc::properties::detail {

namespace {

constexpr uint64_t kAllFields = ~uint64_t{0};

// Columns past 64 count as present (model/reduction.h), so only the mask's
// bits for the row's columns matter.
uint64_t normal_mask(size_t width, uint64_t mask) {
  return width >= 64 ? mask : mask & ((uint64_t{1} << width) - 1);
}

std::string element_key(std::span<const Value> fields, uint64_t mask) {
  std::string key = encode_row(fields);
  const uint64_t m = normal_mask(fields.size(), mask);
  for (int i = 0; i < 8; ++i)
    key += static_cast<char>((m >> (8 * i)) & 0xff);
  return key;
}

BagEntry& add(Bag& bag, std::span<const Value> fields, uint64_t mask) {
  BagEntry& e = bag[element_key(fields, mask)];
  if (e.count == 0) {
    e.fields.assign(fields.begin(), fields.end());
    e.present_mask = normal_mask(fields.size(), mask);
  }
  ++e.count;
  return e;
}

// Applies the rewrites (VACUUM FULL, a TRUNCATE's new file) of table t that
// took effect after `commits` source commits, in recorded order: each moves
// a row from a ctid to a lower or equal one, in physical order, so moving
// one at a time never lands on a row still to move.
void apply_rewrites(const history::History& h, uint32_t t, size_t commits, size_t* next,
                    std::map<history::DocKey, SharedRow>* rows) {
  for (; *next < h.row_moves.size(); ++*next) {
    const history::RowMove& m = h.row_moves[*next];
    if (m.after_commits > commits) return;
    if (m.table != t || m.cause == history::RowMove::Cause::kUpdate) continue;
    auto it = rows->find(m.from_key);
    if (it == rows->end()) continue;
    SharedRow row = std::move(it->second);
    rows->erase(it);
    (*rows)[m.to_key] = std::move(row);
  }
}

}  // namespace

Bag build_source_bag(const history::History& h, const history::Binding& b) {
  std::map<history::DocKey, SharedRow> rows;
  size_t next_move = 0;
  for (size_t i = 0; i < h.source_commits.size(); ++i) {
    apply_rewrites(h, b.table_id, i, &next_move, &rows);
    const history::SourceCommit& c = h.source_commits[i];
    if (c.commit_lsn > h.drain.source_flush_lsn) continue;
    for (const history::SourceKeyChange& ch : c.changes) {
      if (ch.table != b.table_id) continue;
      if (ch.after) {
        rows[ch.key] = *ch.after;
      } else {
        rows.erase(ch.key);
      }
    }
  }
  apply_rewrites(h, b.table_id, h.source_commits.size(), &next_move, &rows);
  Bag bag;
  for (const auto& [key, row] : rows) {
    BagEntry& e = add(bag, row, kAllFields);
    if (!e.source_key) e.source_key = key;
  }
  return bag;
}

Bag build_collection_bag(const history::History& h, const history::Binding& b) {
  struct Reduced {
    Row fields;
    uint64_t mask = 0;
    DocRef last;
  };
  std::map<history::DocKey, Reduced> reduced;
  for (const DocRef& ref : surviving_documents_of(h, b.id)) {
    const history::Document& d = *ref.doc;
    if (d.op == history::DocOp::kDelete) {
      reduced.erase(d.key);
      continue;
    }
    Reduced& r = reduced[d.key];
    reduce_fields(&r.fields, &r.mask, d.fields, d.present_mask);
    r.last = ref;
  }
  Bag bag;
  for (const auto& [key, r] : reduced) {
    BagEntry& e = add(bag, r.fields, r.mask);
    if (!e.doc) e.doc = r.last;
  }
  return bag;
}

Bag build_destination_bag(const history::History& h, uint32_t materialization) {
  Bag bag;
  const MergeState state = final_merge_state(h, materialization);
  for (const auto& [key, ref] : state.rows) {
    BagEntry& e = add(bag, ref.row->fields, ref.row->present_mask);
    if (!e.dest_row) e.dest_row = ref;
  }
  return bag;
}

std::shared_ptr<const Bag> source_bag(const history::History& h, const history::Binding& b) {
  return shared_in_scope<Bag>(h, "source_bag", b.id, [&] { return build_source_bag(h, b); });
}

std::shared_ptr<const Bag> collection_bag(const history::History& h, const history::Binding& b) {
  return shared_in_scope<Bag>(h, "collection_bag", b.id,
                              [&] { return build_collection_bag(h, b); });
}

std::shared_ptr<const Bag> destination_bag(const history::History& h, uint32_t materialization) {
  return shared_in_scope<Bag>(h, "destination_bag", materialization,
                              [&] { return build_destination_bag(h, materialization); });
}

std::vector<const history::Binding*> keyless_bindings(const history::History& h) {
  std::vector<const history::Binding*> out;
  for (const history::Binding& b : h.bindings) {
    if (b.keyless) out.push_back(&b);
  }
  return out;
}

std::vector<MaterializationRef> keyless_merge_materializations(const history::History& h) {
  std::vector<MaterializationRef> out;
  for (const MaterializationRef& m :
       materializations_of(h, history::UpdateStrategy::kMerge, /*keyed_only=*/false)) {
    if (m.capture->keyless) out.push_back(m);
  }
  return out;
}

uint64_t copies(const Bag& bag, const std::string& key) {
  const auto it = bag.find(key);
  return it == bag.end() ? 0 : it->second.count;
}

std::vector<std::string> union_keys(const Bag& a, const Bag& b) {
  std::vector<std::string> out;
  auto ia = a.begin();
  auto ib = b.begin();
  while (ia != a.end() || ib != b.end()) {
    if (ib == b.end() || (ia != a.end() && ia->first < ib->first)) {
      out.push_back((ia++)->first);
    } else if (ia == a.end() || ib->first < ia->first) {
      out.push_back((ib++)->first);
    } else {
      out.push_back(ia->first);
      ++ia;
      ++ib;
    }
  }
  CDC_ASSERT(out.size() >= a.size() && out.size() >= b.size(), "the union holds both bags");
  return out;
}

uint64_t total(const Bag& bag) {
  uint64_t n = 0;
  for (const auto& [key, e] : bag)
    n += e.count;
  return n;
}

std::string describe_element(const BagEntry& e) {
  std::string out = "(";
  for (size_t c = 0; c < e.fields.size(); ++c) {
    if (c > 0) out += ",";
    out += field_present(e.present_mask, c) ? to_string(e.fields[c]) : std::string("absent");
  }
  return out + ")";
}

std::vector<std::string> locate_element(const BagEntry& e) {
  std::vector<std::string> out;
  if (e.source_key) out.push_back("the source holds it at key " + render_key(*e.source_key));
  if (e.doc) out.push_back("it reduces from " + describe_doc(*e.doc->txn, *e.doc->doc));
  if (e.dest_row) out.push_back("stored as " + describe_row_ref(*e.dest_row));
  return out;
}

}  // namespace cdc::properties::detail
