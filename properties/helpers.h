// Small shared pieces of the checkers: rendering history items for witnesses
// and looking up bindings, instances and documents. Everything here is a pure
// function of its arguments; returned pointers point into the History given
// and live as long as it does.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "properties/history.h"
#include "properties/verdict.h"

namespace cdc::properties::detail {

// A DocKey or DbOrderKey as text: "k1" in quotes when every byte is printable
// ASCII (other than '"' and '\\'), otherwise 0x followed by hex bytes.
std::string render_key(std::string_view bytes);
// A DocKey of binding `binding` of `h` as typed values, as SQL would write the
// tuple: (53) or ('Zoë', 7). Keyless bindings' synthetic keys, and bytes that
// do not decode under the binding's key types, fall back to render_key(bytes).
std::string render_key(const history::History& h, uint32_t binding, std::string_view key);
// "c", "u" or "d".
const char* doc_op_name(history::DocOp op);
// "binding 1 (items)".
std::string describe_binding(const history::Binding& b);
// One line per item, for witnesses.
std::string describe_doc(const history::CollectionTxn& txn, const history::Document& d);
std::string describe_commit(const history::SourceCommit& c);
std::string describe_chunk(const history::Chunk& c);
std::string describe_instance(const history::BackfillInstance& i);
// The after-image of a change, or "absent".
std::string describe_row(const SharedRow* row);

// A document together with the collection transaction that holds it.
struct DocRef {
  const history::CollectionTxn* txn = nullptr;
  const history::Document* doc = nullptr;
};

// A list of documents, shared rather than copied (16 bytes a document of a
// large history): inside a TimelineScope (timeline.h) every checker reads
// the one list the scope built.
class DocRefs {
 public:
  explicit DocRefs(std::shared_ptr<const std::vector<DocRef>> refs) : refs_(std::move(refs)) {}
  std::vector<DocRef>::const_iterator begin() const { return refs_->begin(); }
  std::vector<DocRef>::const_iterator end() const { return refs_->end(); }
  size_t size() const { return refs_->size(); }
  bool empty() const { return refs_->empty(); }
  const DocRef& operator[](size_t i) const { return (*refs_)[i]; }
  std::span<const DocRef> span() const { return *refs_; }
  // Whether both hold one list. For tests of the sharing.
  bool same_list(const DocRefs& o) const { return refs_ == o.refs_; }

 private:
  std::shared_ptr<const std::vector<DocRef>> refs_;  // never null
};

// The documents of binding `binding`, in collection order.
DocRefs documents_of(const history::History& h, uint32_t binding);
// documents_of, less the documents the collection no longer held when the run
// ended (h.final_state), when that was recorded. When it held all of them,
// the list is documents_of's.
DocRefs surviving_documents_of(const history::History& h, uint32_t binding);

// Bindings with a key, in h.bindings order.
std::vector<const history::Binding*> keyed_bindings(const history::History& h);

// The last instance of `binding` in h.backfills, or nullptr.
const history::BackfillInstance* latest_instance(const history::History& h, uint32_t binding);

// The binding with this id, or nullptr.
const history::Binding* find_binding(const history::History& h, uint32_t id);

// The first collection txn listing `state_key` in completed_backfills, or
// nullptr when the instance never completed.
const history::CollectionTxn* completion_txn(const history::History& h,
                                             const std::string& state_key);

// Parts of the coverage checker (properties/coverage_filters.cc); nullopt
// when the instance passes. REQUIRES: inst is an instance of h.
std::optional<Verdict> check_xid_filter(const history::History& h,
                                        const history::BackfillInstance& inst);
std::optional<Verdict> check_ctid_tiling(const history::History& h,
                                         const history::BackfillInstance& inst);

}  // namespace cdc::properties::detail
