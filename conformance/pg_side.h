// PostgreSQL's side of a conformance run: one fresh database in a Cluster,
// with the workload tables, a scratch table and a test_decoding slot, one
// libpq connection per workload session plus a maintenance connection.
//
// Lock waits: every connection runs with lock_timeout = '1ms', so a statement
// that would wait for another session's lock fails with SQLSTATE 55P03
// instead; the model refuses the same statements (kLockNotAvailable). The
// driver is single-threaded, so no lock it waits for is ever released within
// the timeout: the failure is deterministic.
//
// Statement results: 23505 -> kUniqueViolation, 55P03 -> kLockNotAvailable,
// an UPDATE or DELETE that touched no row -> kRowNotFound; any of these rolls
// the session's transaction back (the model's rule). Any other error is
// kOther and also rolls back.
//
// Teardown (destructor): connections closed, slot dropped, the database
// dropped (WITH (FORCE)), max_slot_wal_keep_size reset if it was changed.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "conformance/cluster.h"
#include "conformance/pg_session.h"
#include "conformance/side.h"

namespace cdc::conformance {

struct PgSideOptions {
  const Cluster* cluster = nullptr;
  std::string database;  // created by create(); must not exist
  std::vector<TableSchema> schemas;
  uint32_t sessions = 1;
  std::string slot_name;
};

class PgSide final : public Side {
 public:
  // Creates the database, tables and slot, and connects the sessions.
  static Result<std::unique_ptr<PgSide>> create(PgSideOptions options);
  ~PgSide() override;

  // The next full xid after setup (pg_snapshot_xmax of a fresh snapshot).
  FullXid first_next_xid() const { return first_next_xid_; }

  const char* name() const override { return "PostgreSQL"; }
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
  std::pair<std::string, std::string> describe(const Error& e) const override;

 private:
  struct Session {
    std::unique_ptr<PgSession> conn;
    bool in_txn = false;
    uint32_t savepoints = 0;
  };
  explicit PgSide(PgSideOptions options) : options_(std::move(options)) {}
  Status setup();
  StepResult run_statement(const sim::Statement& st);
  StepResult fail_and_rollback(Session& s, StepResult r);
  Result<std::vector<std::string>> decoded_lines(bool consume, std::optional<int> upto_rows);
  Status wait_slot_inactive();

  PgSideOptions options_;
  std::unique_ptr<PgSession> admin_;  // database "postgres"
  std::unique_ptr<PgSession> maint_;  // the workload database, outside transactions
  std::vector<Session> sessions_;
  FullXid first_next_xid_;
  bool database_created_ = false;
  bool keep_size_changed_ = false;
};

// "16/B374D848" -> 0x16B374D848.
Result<uint64_t> parse_lsn(const std::string& text);

}  // namespace cdc::conformance
