// The capture's source (model/source.h) on the in-memory model: each call is
// the Database call of the same name, made outside any transaction of the
// workload. REQUIRES: the database outlives the source and its streams.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "model/database.h"
#include "model/source.h"

namespace cdc {

class ModelSource final : public Source {
 public:
  explicit ModelSource(Database* db) : db_(db) {}

  Result<TableId> table_id(const std::string& name) const override;
  const TableSchema& schema(TableId t) const override { return db_->schema(t); }

  Result<Lsn> current_flush_lsn() override { return db_->current_flush_lsn(); }
  Result<Xid> snapshot_xmax() override { return db_->snapshot_xmax(); }
  Result<FullXid> txid_current() override { return db_->txid_current(); }
  Result<SnapshotBounds> current_snapshot() override { return db_->current_snapshot(); }

  QueryResult keyset_chunk(TableId t, const std::optional<Key>& after, uint32_t limit,
                           const QueryOptions& opts) override;
  QueryResult ctid_range(TableId t, Ctid after, Ctid upto, const QueryOptions& opts) override;
  Result<std::optional<ScannedRow>> lookup(TableId t, const Key& key) override;
  Result<std::optional<Key>> last_key(TableId t) override { return db_->last_key(t); }
  Result<uint32_t> page_count(TableId t) override { return db_->page_count(t); }

  Status upsert_row(TableId t, const Key& key, const Row& row) override;

  Result<SlotInfo> slot(const std::string& name) override { return db_->slot(name); }
  Result<SlotInfo> create_slot(const std::string& name) override;
  Status drop_slot(const std::string& name) override { return db_->drop_slot(name); }
  Status acknowledge(const std::string& name, Lsn lsn) override;
  Result<std::unique_ptr<ChangeStream>> start_replication(const std::string& name,
                                                          Lsn start) override;

 private:
  Database* db_;
};

}  // namespace cdc
