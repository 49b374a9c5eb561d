#include "conformance/pg_session.h"

#include <libpq-fe.h>
#include <poll.h>

#include <cstdlib>
#include <cstring>

namespace cdc::conformance {
namespace {

ErrorCode code_for(std::string_view state) {
  struct Entry {
    const char* state;
    ErrorCode code;
  };
  static constexpr Entry kTable[] = {
      {"23505", ErrorCode::kUniqueViolation}, {"55P03", ErrorCode::kLockNotAvailable},
      {"57014", ErrorCode::kQueryCanceled},   {"55006", ErrorCode::kObjectInUse},
      {"54000", ErrorCode::kWraparoundStop},  {"42704", ErrorCode::kUnknownTable},
      {"42P01", ErrorCode::kUnknownTable},    {"42710", ErrorCode::kDuplicateObject},
      {"3B001", ErrorCode::kNoSavepoint},
  };
  for (const Entry& e : kTable) {
    if (state == e.state) return e.code;
  }
  return ErrorCode::kInvalidArgument;
}

Error make_error(std::string state, std::string message, const char* detail) {
  while (!message.empty() && (message.back() == '\n' || message.back() == ' '))
    message.pop_back();
  std::string text = state + " " + message;
  if (detail && *detail) text += " DETAIL: " + std::string(detail);
  return Error{code_for(state), std::move(text)};
}

Error result_error(PGconn* conn, const PGresult* res) {
  const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  const char* primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  const char* detail = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL) : nullptr;
  if (!primary) primary = PQerrorMessage(conn);
  return make_error(state ? state : "08000", primary ? primary : "unknown error", detail);
}

// Owns a PGresult.
struct ResultGuard {
  PGresult* r;
  ~ResultGuard() { PQclear(r); }
};

}  // namespace

std::string sqlstate(const Error& e) {
  const size_t space = e.message.find(' ');
  if (space != 5) return "";
  return e.message.substr(0, 5);
}

Result<std::unique_ptr<PgSession>> PgSession::connect(const std::string& conninfo) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (!conn || PQstatus(conn) != CONNECTION_OK) {
    Error e = make_error("08000", conn ? PQerrorMessage(conn) : "out of memory", nullptr);
    PQfinish(conn);
    return e;
  }
  return std::unique_ptr<PgSession>(new PgSession(conn));
}

PgSession::~PgSession() {
  PQfinish(conn_);
}

Status PgSession::exec(const std::string& sql) {
  ResultGuard res{PQexec(conn_, sql.c_str())};
  const ExecStatusType st = res.r ? PQresultStatus(res.r) : PGRES_FATAL_ERROR;
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return Status::ok();
  return result_error(conn_, res.r);
}

Result<PgRows> PgSession::query(const std::string& sql, const std::vector<PgValue>& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const PgValue& p : params)
    values.push_back(p ? p->c_str() : nullptr);
  ResultGuard res{PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr,
                               values.data(), nullptr, nullptr, 0)};
  const ExecStatusType st = res.r ? PQresultStatus(res.r) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) return result_error(conn_, res.r);
  PgRows out;
  const int nfields = PQnfields(res.r);
  const int ntuples = PQntuples(res.r);
  for (int c = 0; c < nfields; ++c)
    out.columns.emplace_back(PQfname(res.r, c));
  out.rows.reserve(static_cast<size_t>(ntuples));
  for (int r = 0; r < ntuples; ++r) {
    PgRow row;
    row.reserve(static_cast<size_t>(nfields));
    for (int c = 0; c < nfields; ++c) {
      if (PQgetisnull(res.r, r, c)) {
        row.emplace_back(std::nullopt);
      } else {
        row.emplace_back(
            std::string(PQgetvalue(res.r, r, c), static_cast<size_t>(PQgetlength(res.r, r, c))));
      }
    }
    out.rows.push_back(std::move(row));
  }
  const char* affected = PQcmdTuples(res.r);
  if (affected && *affected) out.affected = std::strtoull(affected, nullptr, 10);
  return out;
}

Result<std::string> PgSession::scalar(const std::string& sql, const std::vector<PgValue>& params) {
  Result<PgRows> r = query(sql, params);
  if (!r.is_ok()) return r.error();
  const PgRows& rows = r.value();
  if (rows.rows.size() != 1 || rows.rows[0].size() != 1 || !rows.rows[0][0]) {
    return Error{ErrorCode::kInvalidArgument, "XX000 expected one non-NULL value from: " + sql};
  }
  return *rows.rows[0][0];
}

Status PgSession::start_copy_both(const std::string& command) {
  ResultGuard res{PQexec(conn_, command.c_str())};
  if (res.r && PQresultStatus(res.r) == PGRES_COPY_BOTH) return Status::ok();
  return result_error(conn_, res.r);
}

Result<std::optional<std::string>> PgSession::read_copy(int timeout_ms) {
  for (int rounds = 0; rounds < 1000; ++rounds) {
    char* buffer = nullptr;
    const int n = PQgetCopyData(conn_, &buffer, /*async=*/1);
    if (n > 0) {
      std::string msg(buffer, static_cast<size_t>(n));
      PQfreemem(buffer);
      return std::optional<std::string>(std::move(msg));
    }
    if (n == -1) {  // COPY ended: the server sent an error or finished
      ResultGuard res{PQgetResult(conn_)};
      if (res.r && PQresultStatus(res.r) == PGRES_FATAL_ERROR) return result_error(conn_, res.r);
      return std::optional<std::string>();
    }
    if (n == -2) return make_error("08000", PQerrorMessage(conn_), nullptr);
    pollfd pfd{PQsocket(conn_), POLLIN, 0};
    const int ready = poll(&pfd, 1, timeout_ms);
    if (ready == 0) return std::optional<std::string>();
    if (ready < 0) return make_error("08000", "poll failed", nullptr);
    if (!PQconsumeInput(conn_)) return make_error("08000", PQerrorMessage(conn_), nullptr);
  }
  return std::optional<std::string>();
}

}  // namespace cdc::conformance
