// The model's side of a conformance run: a cdc::Database with the workload
// tables, a scratch table (for writing WAL in the slot checks) and one slot.
//
// Statements run with the semantics of sim::SourceWorkload::execute: a
// statement of a session without a transaction begins one; commit/abort
// without a transaction and savepoint commands without a savepoint do
// nothing; a failing write rolls its whole transaction back. Savepoints are
// a stack: ROLLBACK TO and RELEASE apply to the innermost.
//
// The model is built so that its next xid equals ModelSideOptions::next_xid
// once its tables exist (so xids can be compared with PostgreSQL's value for
// value), with max_slot_wal_keep_size = 1 MiB (it only acts at checkpoints,
// and the model checkpoints only when asked: checkpoint_every_bytes is 1 GiB).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "conformance/side.h"
#include "model/database.h"

namespace cdc::conformance {

struct ModelSideOptions {
  std::vector<TableSchema> schemas;
  FullXid next_xid = full_xid(0, Xid(1000));
  std::string slot_name = "conformance";
};

class ModelSide final : public Side {
 public:
  explicit ModelSide(ModelSideOptions options);

  const char* name() const override { return "model"; }
  StepResult execute(const Step& step) override;
  Status finish() override;
  Result<std::optional<std::vector<TableRows>>> snapshot() override;
  Result<TableRows> query(uint32_t table, const Query& q) override;
  Result<uint32_t> page_count(uint32_t table) override;
  Result<uint32_t> next_xid() override;
  Result<std::vector<CanonTxn>> peek_decoded() override;
  Status consume(size_t txns) override;
  Result<std::vector<CanonTxn>> stream_from_below_confirmed() override;
  Result<std::string> slot_wal_status() override;
  Status write_past_keep_size() override;
  Status checkpoint() override;
  Status read_slot() override;
  std::pair<std::string, std::string> describe(const Error& e) const override {
    return {to_string(e.code), e.message};
  }

  // For the generator.
  const Database& db() const { return db_; }
  // For a capture run against this side (capture_conformance.h).
  Database* mutable_db() { return &db_; }
  TableId table_id(uint32_t index) const { return tables_.at(index); }
  bool in_transaction(uint32_t session) const;
  uint32_t savepoints(uint32_t session) const;

 private:
  struct Session {
    std::optional<TxnId> txn;
    uint32_t savepoints = 0;
  };
  StepResult run_statement(const sim::Statement& st);
  Status write(TxnId txn, const sim::Statement& st);
  Status write_keyless(TxnId txn, const sim::Statement& st);
  void end(Session& s, bool commit);
  Result<std::vector<CanonTxn>> decode_from(Lsn start, size_t max_txns, std::vector<Lsn>* commits);

  ModelSideOptions options_;
  Database db_;
  std::vector<TableId> tables_;
  TableId scratch_;
  std::vector<Session> sessions_;
};

// f moved back by n normal xids (the inverse of n xid assignments).
FullXid retreat_full_xid(FullXid f, uint32_t n);

}  // namespace cdc::conformance
