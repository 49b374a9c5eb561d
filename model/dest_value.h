// A destination row's contents (DESIGN §7), apart from the tables that hold
// them (model/materialization.h, model/merge_rows.h).
#pragma once

#include <cstdint>

#include "model/compact_key.h"
#include "model/shared_row.h"
#include "model/types.h"

namespace cdc {

// What a destination row holds besides its key. A merge table keys these
// (so the key is held once, by the table); a row on its own, appended to a
// delta table or staged for a commit, is a DestRow and carries its key.
// Members are ordered so that the small ones share a word: 32 bytes.
struct DestValue {
  SharedRow fields;
  uint64_t present_mask = 0;
  Lsn lsn;
  uint32_t collection_seq = 0;  // the store's seq (narrowed: seq_of())
  char op = 'c';
  bool snapshot = false;
};
static_assert(sizeof(DestValue) == 32, "a destination row's value in four words");

// A collection transaction's seq as a destination row holds it.
// REQUIRES: seq < 2^32 (a run commits far fewer collection transactions).
uint32_t seq_of(uint64_t collection_seq);

struct DestRow : DestValue {
  CompactKey key;
};

}  // namespace cdc
