// Keyless bindings judged by multisets ("bags") of row values, for the
// keyless checkers (keyless_convergence, keyless_no_loss, keyless_duplicates).
//
// A keyless binding (history::Binding::keyless: a table without a primary
// key, or one captured Without Primary Key) gives its documents synthetic
// keys: a snapshot document is keyed by its instance and ctid, a change
// document by its WAL position. So keys say nothing about which row a
// document is; only the values can be compared. Three bags of one binding:
//
// - source: the rows of the table after every source commit with
//   commit_lsn <= the drain's source_flush_lsn, each row once per copy. The
//   rows are replayed key by key from the commits, and the keys of a table
//   without a primary key (its ctids) follow the rewrites in h.row_moves.
// - collection: the binding's surviving documents reduced key by key as a
//   merge materialization reduces them (model/reduction.h; op d removes its
//   key), one element per reduced key. An update or delete document has a key
//   of its own, so the row it changed keeps its earlier document.
// - destination: the rows of a merge destination of the binding as the run
//   left it (properties/destination.h), one per stored key.
//
// A bag element is a row's fields with the mask of those present: a field a
// document never carried (an unchanged TOAST value the WAL omitted) is
// absent and equals no source value. Elements are ordered by their encoding,
// so iterating a bag is deterministic. Everything here is a pure function of
// the history; pointers point into it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "properties/destination.h"
#include "properties/helpers.h"
#include "properties/history.h"

namespace cdc::properties::detail {

struct BagEntry {
  Row fields;
  uint64_t present_mask = 0;
  uint64_t count = 0;
  // Where one copy is: a source key holding it at the drain, a document
  // that reduced to it, a destination row that stores it (as applies).
  std::optional<history::DocKey> source_key;
  std::optional<DocRef> doc;
  std::optional<RowRef> dest_row;
};

// Keyed by the element's encoding (fields and mask).
using Bag = std::map<std::string, BagEntry>;

// The three bags of binding `b`, as described above. Inside a TimelineScope
// (timeline.h) each is built once and shared by the checkers that ask.
std::shared_ptr<const Bag> source_bag(const history::History& h, const history::Binding& b);
std::shared_ptr<const Bag> collection_bag(const history::History& h, const history::Binding& b);
std::shared_ptr<const Bag> destination_bag(const history::History& h, uint32_t materialization);

// The keyless bindings, in h.bindings order, and the merge materializations
// that read them.
std::vector<const history::Binding*> keyless_bindings(const history::History& h);
std::vector<MaterializationRef> keyless_merge_materializations(const history::History& h);

// The number of copies of `key` in `bag` (0 when absent).
uint64_t copies(const Bag& bag, const std::string& key);
// Every element of either bag, in order.
std::vector<std::string> union_keys(const Bag& a, const Bag& b);
uint64_t total(const Bag& bag);

// "('v3',17)", with "absent" for a field the element lacks.
std::string describe_element(const BagEntry& e);
// Where a copy of the element is, for witnesses (empty when nowhere known).
std::vector<std::string> locate_element(const BagEntry& e);

}  // namespace cdc::properties::detail
