// Materializations and destinations (DESIGN §7).
//
// A Destination holds destination tables and the materialization's
// checkpoint (per binding state: how far into its collection it has read);
// commit() applies a destination transaction and its checkpoint together, so
// every document is applied exactly once.
//
// A Materialization reads each binding's collection from its own position
// and, one step at a time, builds and then commits a destination
// transaction covering whole collection transactions:
//   merge (standard)  per key: load the stored row (skipped for keys above the
//                     highest key this binding ever stored — the max-key load
//                     optimisation), reduce the documents over it, store it
//                     (insert, update) or delete it;
//   delta             append every document as a row.
// A backfill (bumping the binding's counter) truncates the table (dropped and
// recreated when the schema changed), resets the read position to the start
// of the collection and resets the max key. With keep_existing_on_backfill
// the table is not truncated and the load optimisation is off.
// A crash between building and committing loses the built transaction only.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/collection.h"
#include "model/dest_value.h"
#include "model/merge_rows.h"
#include "model/status.h"

namespace cdc {

enum class UpdateStrategy : uint8_t { kMerge, kDelta };
const char* to_string(UpdateStrategy s);

struct MaterializationBindingSpec {
  std::string collection;
  std::string destination;  // destination table name
  UpdateStrategy strategy = UpdateStrategy::kMerge;
  uint32_t backfill_counter = 0;
  bool keep_existing_on_backfill = false;
  uint32_t schema_version = 1;  // a new version makes a backfill drop and recreate the table
  // Set for a data flow backfill: the next backfill truncates even with
  // keep_existing_on_backfill (the table is dropped); cleared once done.
  bool force_truncate_on_backfill = false;
};

struct MaterializationPosition {
  uint64_t read_through_seq = 0;      // every collection txn up to here is applied
  std::optional<CompactKey> max_key;  // highest key this binding stored
  bool load_optimisation = true;
};

struct DestinationTable {
  uint32_t schema_version = 1;
  MergeRows merged;               // merge tables, by key
  std::vector<DestRow> appended;  // delta tables
};

// One destination transaction, as built and as committed.
struct DestinationCommit {
  uint32_t binding = 0;
  std::string state_key;
  std::string table;
  UpdateStrategy strategy = UpdateStrategy::kMerge;
  bool truncate_first = false;
  bool recreate = false;  // drop and recreate (the schema changed)
  uint32_t schema_version = 1;
  std::vector<DestRow> upserts;      // merge: rows stored; delta: rows appended
  std::vector<CompactKey> deletes;   // merge only
  MaterializationPosition position;  // committed with the rows
  uint32_t loaded = 0;               // merge: stored rows loaded while building
};

class Destination {
 public:
  const DestinationTable* table(const std::string& name) const;
  // Removes table `name` and returns it (nullopt: no such table), so a
  // finished run can keep its rows without copying them.
  std::optional<DestinationTable> release_table(const std::string& name);
  std::optional<MaterializationPosition> position(const std::string& state_key) const;
  // Applies `c` atomically: truncation, rows and the new position.
  void commit(const DestinationCommit& c);
  // Drops positions whose state key is not in `keep` (superseded backfills).
  void retain_positions(const std::vector<std::string>& keep);
  // Fault injection: damages `name` (every other row loses or garbles a field,
  // or disappears). Returns how many rows were damaged.
  uint64_t corrupt(const std::string& name);

 private:
  std::map<std::string, DestinationTable> tables_;
  std::map<std::string, MaterializationPosition> positions_;
};

class MaterializationObserver {
 public:
  virtual ~MaterializationObserver() = default;
  virtual void on_destination_commit(const DestinationCommit& c) = 0;
  virtual void on_materialization_error(const std::string& message) = 0;
};

class Materialization {
 public:
  Materialization(const CollectionStore* store, Destination* dest,
                  std::vector<MaterializationBindingSpec> bindings,
                  MaterializationObserver* observer);

  // Builds the next destination transaction, or commits the one built.
  Status step();
  // Loses the transaction being built (a crash, or a restart for a new spec).
  void restart();
  // The next commit fails (nothing is applied).
  void arm_commit_failure() { fail_next_commit_ = true; }
  void disarm_commit_failure() { fail_next_commit_ = false; }
  bool commit_failure_armed() const { return fail_next_commit_; }
  // A destination transaction is built and not yet committed.
  bool has_built() const { return built_.has_value(); }

  std::vector<MaterializationBindingSpec>& bindings() { return bindings_; }
  // Adds a binding (a new table in a running data flow); takes effect at the
  // next restart.
  void add_binding(MaterializationBindingSpec spec) { bindings_.push_back(std::move(spec)); }
  std::string state_key(uint32_t binding) const;
  // Every binding has applied every committed collection transaction.
  bool drained() const;
  uint32_t max_txns_per_commit = 4;

 private:
  Status start();
  Status build();
  Status commit();
  std::optional<uint32_t> next_binding() const;
  void build_merge(uint32_t b, const std::vector<const StoredDoc*>& docs,
                   DestinationCommit* out) const;

  const CollectionStore* store_;
  Destination* dest_;
  std::vector<MaterializationBindingSpec> bindings_;
  MaterializationObserver* observer_;

  bool started_ = false;
  std::vector<MaterializationPosition> positions_;  // working copy, per binding
  std::vector<bool> truncate_pending_;              // per binding: a backfill began
  std::vector<bool> recreate_pending_;
  std::optional<DestinationCommit> built_;
  // Mutant read-position-committed-later only: a position still to commit.
  std::optional<DestinationCommit> deferred_position_;
  uint32_t round_robin_ = 0;
  bool fail_next_commit_ = false;
};

}  // namespace cdc
