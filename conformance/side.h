// One side of a conformance run: the model (ModelSide) or PostgreSQL
// (PgSide), behind one interface, so that the driver runs the same steps and
// queries on both and the comparisons see results of the same shape.
//
// Identity of a row across the sides: ObservedRow::id is the rendered key for
// tables with a primary key and the rendered row for tables without one (the
// generator makes such rows distinct). Positions (ctid), LSNs and physical
// order are each side's own.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "conformance/workload.h"
#include "model/query.h"
#include "model/status.h"
#include "model/types.h"
#include "model/value.h"

namespace cdc::conformance {

// What a step did. Lock waits are failures on both sides: the model refuses
// a conflicting write (kLockNotAvailable, or kObjectInUse for VACUUM FULL),
// PostgreSQL gives up after lock_timeout = 1ms (SQLSTATE 55P03).
enum class Outcome : uint8_t {
  kOk,
  kUniqueViolation,
  kLockNotAvailable,
  kRowNotFound,  // UPDATE/DELETE that found no row (PostgreSQL: 0 rows)
  kOther,
};
const char* to_string(Outcome o);

struct StepResult {
  Outcome outcome = Outcome::kOk;
  std::string detail;  // the error message, for kOther and in reports
};

struct ObservedRow {
  std::string id;
  Ctid ctid;
  uint32_t xmin = 0;
  Row row;
};
using TableRows = std::vector<ObservedRow>;  // in the order the side returned them

// A decoded transaction with its changes rendered canonically (decoded_text.h).
struct CanonTxn {
  uint32_t xid = 0;
  std::vector<std::string> changes;
  bool operator==(const CanonTxn&) const = default;
};

// A read-only query on one table, outside any transaction.
struct Query {
  enum class Kind : uint8_t { kKeyset, kCtidRange, kScan };
  Kind kind = Kind::kScan;
  std::optional<Key> after;  // kKeyset: the cursor
  uint32_t limit = 1;        // kKeyset
  KeyOrder order = KeyOrder::kDatabase;
  Ctid ctid_after;  // kCtidRange: ctid > ctid_after AND ctid <= ctid_upto
  Ctid ctid_upto;
  std::optional<XminFilter> filter;
};
std::string to_string(const Query& q, const TableSchema& s);

class Side {
 public:
  virtual ~Side() = default;
  virtual const char* name() const = 0;

  // ---- the workload ----
  virtual StepResult execute(const Step& step) = 0;
  // Commits every open transaction, in session order.
  virtual Status finish() = 0;
  // Every table's live rows in ctid order, or nullopt when the side cannot
  // read now (PostgreSQL: a TRUNCATE of another session holds its lock).
  virtual Result<std::optional<std::vector<TableRows>>> snapshot() = 0;
  virtual Result<TableRows> query(uint32_t table, const Query& q) = 0;
  virtual Result<uint32_t> page_count(uint32_t table) = 0;
  // The xid the next writing transaction will get.
  virtual Result<uint32_t> next_xid() = 0;

  // ---- the slot created before the workload ----
  // Every committed transaction since the slot was created, not consumed.
  virtual Result<std::vector<CanonTxn>> peek_decoded() = 0;
  // Consumes the first `txns` transactions and confirms through them.
  virtual Status consume(size_t txns) = 0;
  // Starts streaming at an LSN below confirmed_flush_lsn and returns what
  // arrives (PostgreSQL: START_REPLICATION ... LOGICAL 0/1).
  virtual Result<std::vector<CanonTxn>> stream_from_below_confirmed() = 0;
  // pg_replication_slots.wal_status.
  virtual Result<std::string> slot_wal_status() = 0;
  // Sets a small max_slot_wal_keep_size (if the side can change it now) and
  // writes WAL until the slot's wal_status is no longer "reserved".
  virtual Status write_past_keep_size() = 0;
  // A CHECKPOINT after write_past_keep_size(): the one at which the slot
  // is lost if the side invalidates it (PostgreSQL: see PgSide).
  virtual Status checkpoint() = 0;
  // Reads the slot; returns the error (ok if the read succeeded).
  virtual Status read_slot() = 0;
  // An error this side returned, as (code, message): the model's ErrorCode
  // name, or PostgreSQL's SQLSTATE and its message without it.
  virtual std::pair<std::string, std::string> describe(const Error& e) const = 0;
};

// Canonical rendering shared by both sides: ints in decimal, text quoted
// ('' for '), text over 40 bytes abbreviated with its length and a hash.
std::string render_value(const Value& v);
// The id of a row (see file comment).
std::string row_id(const TableSchema& s, std::span<const Value> row);

}  // namespace cdc::conformance
