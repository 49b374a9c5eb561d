// How a key's documents reduce (DESIGN §6), in one place: the collections,
// the merge materialization and the checkers all reduce with it.
//
// A document's present fields replace the reduced values; its absent fields
// (an unchanged TOAST column the WAL omitted) keep them; the reduced mask
// is the union of the masks. A delete document removes the key: callers
// handle op 'd' themselves, since each keeps its rows in its own container.
// Columns past the 64 a mask can name count as present.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "model/shared_row.h"
#include "model/value.h"

namespace cdc {

inline bool field_present(uint64_t mask, size_t column) {
  return column >= 64 || ((mask >> column) & 1u) != 0;
}

// The mask naming the first `n` columns present.
inline uint64_t all_columns(size_t n) {
  return n >= 64 ? ~uint64_t{0} : (uint64_t{1} << n) - 1;
}

// Merges (doc_fields, doc_mask) over (*fields, *mask); `fields` grows to the
// document's width. `first_wins` keeps fields already present instead (only
// the seeded bug reduction-first-wins sets it).
void reduce_fields(Row* fields, uint64_t* mask, std::span<const Value> doc_fields,
                   uint64_t doc_mask, bool first_wins = false);
// The same for a shared row. When the document holds every column the row
// has, the result is the document's row, shared rather than copied.
void reduce_fields(SharedRow* fields, uint64_t* mask, const SharedRow& doc_fields,
                   uint64_t doc_mask, bool first_wins = false);

}  // namespace cdc
