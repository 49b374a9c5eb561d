#include "model/reduction.h"

#include "model/assert.h"

namespace cdc {

void reduce_fields(Row* fields, uint64_t* mask, std::span<const Value> doc_fields,
                   uint64_t doc_mask, bool first_wins) {
  CDC_ASSERT(fields != nullptr && mask != nullptr, "a row to reduce into");
  if (fields->size() < doc_fields.size()) fields->resize(doc_fields.size(), Value::null());
  for (size_t c = 0; c < doc_fields.size(); ++c) {
    if (!field_present(doc_mask, c)) continue;
    if (first_wins && field_present(*mask, c)) continue;
    (*fields)[c] = doc_fields[c];
  }
  *mask |= doc_mask;
  CDC_ASSERT(fields->size() >= doc_fields.size(), "the reduced row is as wide as the document");
}

void reduce_fields(SharedRow* fields, uint64_t* mask, const SharedRow& doc_fields,
                   uint64_t doc_mask, bool first_wins) {
  CDC_ASSERT(fields != nullptr && mask != nullptr, "a row to reduce into");
  // First wins keeps what is present already: a column past 64 always is,
  // so a document wider than 64 columns keeps some under first wins.
  const bool keeps_some = first_wins && (*mask != 0 || doc_fields.size() > 64);
  const uint64_t whole = all_columns(doc_fields.size());
  if (doc_fields.size() >= fields->size() && (doc_mask & whole) == whole && !keeps_some) {
    *fields = doc_fields;
    *mask |= doc_mask;
    return;
  }
  Row row = fields->to_row();
  reduce_fields(&row, mask, doc_fields.values(), doc_mask, first_wins);
  *fields = std::move(row);
}

}  // namespace cdc
