// Physical storage of one table: heap tuples in slots, each holding its row,
// and (for tables with a primary key) an ordered key index.
//
// This layer knows nothing about transactions: it stores tuple headers
// (xmin, xmax, hint flags, frozen) and leaves visibility to the Database.
//
// Layout: a tuple's slot number s maps to ctid (s / tuples_per_page,
// s % tuples_per_page + 1). New versions are always appended, so an UPDATE
// gives the row a new ctid; plain VACUUM only marks slots removed; rewrite()
// (VACUUM FULL, TRUNCATE) packs the kept tuples into fresh slots.
//
// The key index maps the key's encoding under the columns' own collations
// (key_encoding.h) to the slot of the key's newest version. Older versions of
// the same key are reachable through HeapTuple::prev while they may still be
// visible to someone. A key with a non-"C" collation also has a bytewise
// index, so chunks in either order walk an index from their cursor; it is
// built from the key index when a chunk first asks for it (most runs never
// page such a table bytewise) and kept in step from then on. Both are
// KeyIndex B+ trees (key_index.h), which take PostgreSQL's fast path for the
// rightmost leaf: a key above every indexed key (a serial key's next value)
// is found absent and inserted at the end without a descent.
//
// Rows: a tuple holds its row as a SharedRow (shared_row.h), the block that
// every later holder of the version shares: the write that made it, its WAL
// record, the commit handed to an observer, the history's image of the
// change. A row is stored once, not once encoded here and once more decoded
// for each reader, and reading it decodes nothing. A WAL record is still
// sized by the row's encoding (row_codec.h), as PostgreSQL's would be.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/key_index.h"
#include "model/schema.h"
#include "model/segmented_vector.h"
#include "model/shared_row.h"
#include "model/types.h"

namespace cdc {

inline constexpr uint32_t kNoSlot = 0xffffffffu;

enum TupleFlag : uint8_t {
  kXminCommitted = 1 << 0,
  kXminAborted = 1 << 1,
  kXmaxCommitted = 1 << 2,
  kFrozen = 1 << 3,
  kRemoved = 1 << 4,  // line pointer unused (vacuumed away)
};

struct HeapTuple {
  SharedRow row;  // never changes once appended
  Xid xmin;
  Xid xmax;                 // kInvalidXid while nobody deleted or updated it
  uint32_t prev = kNoSlot;  // previous version of the same key (keyed tables)
  uint8_t flags = 0;

  bool has(TupleFlag f) const { return (flags & f) != 0; }
};

class HeapTable {
 public:
  explicit HeapTable(TableSchema schema);

  const TableSchema& schema() const { return schema_; }
  uint32_t slot_count() const { return static_cast<uint32_t>(tuples_.size()); }
  uint32_t page_count() const;

  // Appends a new tuple version holding `row`. Returns its slot.
  // REQUIRES: row has a value per column (the Database checks it).
  uint32_t append(SharedRow row, Xid xmin, uint32_t prev);
  HeapTuple& tuple(uint32_t slot);
  const HeapTuple& tuple(uint32_t slot) const;
  // The tuple's row: shared_row() hands out the stored block, row() a copy
  // of its values to change.
  const SharedRow& shared_row(uint32_t slot) const { return tuple(slot).row; }
  Row row(uint32_t slot) const { return shared_row(slot).to_row(); }
  // Fetch into the cache what tuple(slot), and row(slot), read: a scan that
  // visits slots out of their order (a keyset chunk walks the key index)
  // calls them some slots ahead, so its misses overlap. prefetch_row reads
  // the tuple's header. REQUIRES: slot < slot_count().
  void prefetch_tuple(uint32_t slot) const;
  void prefetch_row(uint32_t slot) const;

  Ctid ctid_of(uint32_t slot) const;
  // The slot at ctid, if the ctid lies inside the table's slots.
  std::optional<uint32_t> slot_of(Ctid ctid) const;
  // First slot strictly after `ctid` (may equal slot_count()).
  uint32_t first_slot_after(Ctid ctid) const;

  // The key columns' types and collations, in key order (schema().key_types()
  // and key_collations(), kept).
  const std::vector<ColumnType>& key_types() const { return key_types_; }
  const std::vector<Collation>& key_collations() const { return key_collations_; }
  // Every key column under "C": the key's bytewise order.
  const std::vector<Collation>& bytewise_collations() const { return bytewise_collations_; }

  // Key index (REQUIRES: schema().has_primary_key()).
  std::string index_key(const Key& key) const;
  // index_key(schema().key_of(row)), without building the key.
  std::string index_key_of_row(std::span<const Value> row) const;
  // The same under every key column's "C" collation: the key's bytewise
  // encoding, which the bytewise index and the history's document keys use.
  std::string bytewise_key_of_row(std::span<const Value> row) const;
  std::optional<uint32_t> index_find(std::string_view ikey) const;
  // Fetches what index_find() of each key reads (KeyIndex::prefetch).
  void index_prefetch(std::span<const std::string_view> ikeys) const { index_.prefetch(ikeys); }
  void index_set(const std::string& ikey, uint32_t slot);
  void index_erase(const std::string& ikey);
  const KeyIndex& index() const { return index_; }
  // The same entries keyed by the key's bytewise ("C") encoding, for ORDER BY
  // ... COLLATE "C" over a key with other collations; only for such keys
  // (has_bytewise_index()). Built from index() on the first call (one pass
  // and a sort), then kept in step with index() on every change.
  // REQUIRES: has_bytewise_index().
  bool has_bytewise_index() const { return bytewise_differs_; }
  const KeyIndex& bytewise_index() const;

  // Replaces the contents with copies of the tuples at `keep` (in that order),
  // packed from slot 0, prev links cleared; frozen if `freeze`. Rebuilds the
  // key index from the kept rows. Used by VACUUM FULL and TRUNCATE.
  void rewrite(const std::vector<uint32_t>& keep, bool freeze);

  // Approximate bytes used by tuples, their rows and the indexes (for
  // benchmarks; a row block shared with others counts in full).
  size_t memory_bytes() const;

 private:
  TableSchema schema_;
  std::vector<ColumnType> key_types_;
  std::vector<Collation> key_collations_;
  std::vector<Collation> bytewise_collations_;  // every key column under "C"
  // Segments of 1M tuple headers (24 MiB): a table of millions of rows
  // never copies its headers as it grows, and a table under 1M slots is one
  // buffer, as a vector is. The size is the allocator's business too: at
  // 10M rows, segments of 512 KiB raised the checkers' peak by 29 bytes per
  // row (2 MiB ones did at 1M rows) because their freed pages were kept
  // aside, while a block of tens of MiB goes back to the system when freed.
  SegmentedVector<HeapTuple, 20> tuples_;
  KeyIndex index_;
  // Invariant: when bytewise_built_, bytewise_index_ holds one entry per
  // entry of index_, with the same slot, under the key's C encoding; else it
  // is empty. Only bytewise_index() builds it (hence mutable: a const query
  // may be the first to read it; each world owns its database).
  bool bytewise_differs_ = false;
  mutable bool bytewise_built_ = false;
  mutable KeyIndex bytewise_index_;
  std::string bytewise_key_of_slot(uint32_t slot) const;
  // The read side of the invariant above, checked after every change to
  // either index and before a chunk reads the bytewise one (sizes only).
  void check_bytewise_in_step() const;
};

}  // namespace cdc
