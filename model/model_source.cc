#include "model/model_source.h"

#include <utility>

#include "model/assert.h"

namespace cdc {
namespace {

// A LogicalStream of the model behind the ChangeStream interface.
class ModelChangeStream final : public ChangeStream {
 public:
  explicit ModelChangeStream(LogicalStream s) : s_(std::move(s)) {}
  Result<std::vector<DecodedTxn>> poll(size_t max_txns) override { return s_.poll(max_txns); }
  Lsn start_decoding_at() const override { return s_.start_decoding_at(); }
  Lsn read_position() const override { return s_.read_position(); }

 private:
  LogicalStream s_;
};

}  // namespace

Result<TableId> ModelSource::table_id(const std::string& name) const {
  return db_->table_id(name);
}

QueryResult ModelSource::keyset_chunk(TableId t, const std::optional<Key>& after, uint32_t limit,
                                      const QueryOptions& opts) {
  return db_->keyset_chunk(t, after, limit, KeyOrder::kDatabase, opts);
}

QueryResult ModelSource::ctid_range(TableId t, Ctid after, Ctid upto, const QueryOptions& opts) {
  return db_->ctid_range(t, after, upto, opts);
}

Result<std::optional<ScannedRow>> ModelSource::lookup(TableId t, const Key& key) {
  return db_->lookup(t, key);
}

Status ModelSource::upsert_row(TableId t, const Key& key, const Row& row) {
  const TxnId tx = db_->begin();
  Status s = db_->upsert(tx, t, key, row);
  if (!s.is_ok()) {
    CDC_ASSERT(db_->abort(tx).is_ok(), "aborting the upsert's transaction");
    return s;
  }
  const Status committed = db_->commit(tx).status();
  CDC_ASSERT(committed.is_ok() && !db_->is_running(tx), "the upsert's transaction commits");
  return committed;
}

Result<SlotInfo> ModelSource::create_slot(const std::string& name) {
  return db_->create_slot(name);
}

Status ModelSource::acknowledge(const std::string& name, Lsn lsn) {
  return db_->acknowledge(name, lsn);
}

Result<std::unique_ptr<ChangeStream>> ModelSource::start_replication(const std::string& name,
                                                                     Lsn start) {
  Result<LogicalStream> s = db_->start_replication(name, start);
  if (!s.is_ok()) return s.error();
  return std::unique_ptr<ChangeStream>(std::make_unique<ModelChangeStream>(std::move(s.value())));
}

}  // namespace cdc
