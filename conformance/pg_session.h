// A thin libpq wrapper: one connection, text-format queries, errors as Status.
//
// Every failed call returns an Error whose message is
//   "<SQLSTATE> <primary message>[ DETAIL: <detail>]"
// (sqlstate() extracts the code) and whose ErrorCode is the model's code for
// the SQLSTATEs the conformance driver compares: 23505 kUniqueViolation,
// 55P03 kLockNotAvailable, 57014 kQueryCanceled, 55006 kObjectInUse,
// 54000 kWraparoundStop, 42704/42P01 kUnknownTable, 42710 kDuplicateObject,
// 3B001 kNoSavepoint; anything else kInvalidArgument. A lost connection is
// SQLSTATE "08000".
//
// Values are passed and returned as text (NULL as std::nullopt); parameters
// are bound with PQexecParams, never spliced into SQL.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/status.h"

struct pg_conn;

namespace cdc::conformance {

using PgValue = std::optional<std::string>;
using PgRow = std::vector<PgValue>;

struct PgRows {
  std::vector<std::string> columns;
  std::vector<PgRow> rows;
  uint64_t affected = 0;  // PQcmdTuples: rows an INSERT/UPDATE/DELETE touched
};

// The SQLSTATE of an Error made by this file ("" for other errors).
std::string sqlstate(const Error& e);

class PgSession {
 public:
  // Connects; fails with the server's message (e.g. cannot connect).
  static Result<std::unique_ptr<PgSession>> connect(const std::string& conninfo);
  ~PgSession();
  PgSession(const PgSession&) = delete;
  PgSession& operator=(const PgSession&) = delete;

  // Runs one or more statements without parameters, ignoring any rows.
  Status exec(const std::string& sql);
  // Runs one statement with text parameters ($1, $2, ...); returns its rows.
  Result<PgRows> query(const std::string& sql, const std::vector<PgValue>& params = {});
  // query() for a statement expected to return exactly one value.
  Result<std::string> scalar(const std::string& sql, const std::vector<PgValue>& params = {});

  // ---- streaming replication (a connection made with replication=database) ----
  // Sends a command that enters COPY BOTH mode (START_REPLICATION ...).
  Status start_copy_both(const std::string& command);
  // The next CopyData message, or nullopt if none arrived within timeout_ms.
  Result<std::optional<std::string>> read_copy(int timeout_ms);

  pg_conn* raw() { return conn_; }

 private:
  explicit PgSession(pg_conn* conn) : conn_(conn) {}
  pg_conn* conn_;
};

}  // namespace cdc::conformance
