#include "model/reduction.h"

#include "model/assert.h"

namespace cdc {

void reduce_fields(Row* fields, uint64_t* mask, const Row& doc_fields, uint64_t doc_mask,
                   bool first_wins) {
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

}  // namespace cdc
