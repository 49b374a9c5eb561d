// Logical decoding: WAL records -> whole committed transactions.
//
// A LogicalStream is what START_REPLICATION on a slot gives a consumer. It
// reads WAL from the slot's restart_lsn, assembles each top-level transaction
// in a reorder buffer, and emits it whole at its commit record, in commit
// order. Aborted transactions and rolled-back subtransactions never appear.
// Changes made in subtransactions are decoded under the top-level xid.
// Transactions whose commit record starts before the stream's start point
// (the greater of the requested LSN and the slot's confirmed_flush_lsn) are
// skipped, exactly as PostgreSQL's snapshot builder does; so starting below
// confirmed_flush_lsn silently starts at it. Transactions without changes
// (e.g. a bare txid_current()) are skipped, as pgoutput does.
//
// Change shapes (DESIGN §4): INSERT carries the new row; UPDATE the new row,
// with unchanged TOASTed columns omitted (omitted_mask), plus the old key if
// the key changed (REPLICA IDENTITY DEFAULT) or the whole old row (FULL);
// DELETE the old key (DEFAULT) or old row (FULL), and nothing for a table
// without a primary key under DEFAULT; TRUNCATE is its own change.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "model/status.h"
#include "model/types.h"
#include "model/value.h"
#include "model/wal.h"

namespace cdc {

class Database;

enum class ChangeKind : uint8_t { kInsert, kUpdate, kDelete, kTruncate };
const char* to_string(ChangeKind k);

struct DecodedChange {
  ChangeKind kind = ChangeKind::kInsert;
  TableId table;
  Lsn lsn;                    // start of the change's WAL record
  SharedRow new_row;          // insert, update; omitted columns hold NULL
  uint64_t omitted_mask = 0;  // bit c: column c is an unchanged toast datum
  OldTuple old_kind = OldTuple::kNone;
  Row old;  // key values (kKey, in key order) or whole row (kRow)
  std::vector<TableId> truncated;

  bool omitted(uint32_t column) const { return (omitted_mask >> column) & 1u; }
};

struct DecodedTxn {
  Xid xid;         // top-level xid
  Lsn first_lsn;   // first WAL record of the transaction
  Lsn commit_lsn;  // end of the commit record
  std::vector<DecodedChange> changes;
};

// Renders a change like test_decoding does, e.g.
//   table orders: UPDATE: old-key: id[int64]:1 new-tuple: id[int64]:2
//   note[text]:unchanged-toast-datum
std::string to_string(const Database& db, const DecodedChange& c);

class LogicalStream {
 public:
  // Use Database::start_replication().
  LogicalStream(const Database* db, std::string slot, uint64_t generation, Lsn read_from,
                Lsn start_decoding_at);

  // Decodes flushed WAL and returns up to max_txns committed transactions.
  // Fails if the slot was dropped (or recreated) or lost since the stream
  // started; a failed stream stays failed.
  Result<std::vector<DecodedTxn>> poll(size_t max_txns = std::numeric_limits<size_t>::max());

  Lsn start_decoding_at() const { return start_decoding_at_; }
  Lsn read_position() const { return read_pos_; }

 private:
  // Invariant: writers.size() == changes.size(); writers[i] is the
  // (sub)transaction that wrote changes[i].
  struct Pending {
    Lsn first_lsn;
    std::vector<Xid> writers;
    std::vector<DecodedChange> changes;
  };
  Status check_slot() const;
  void apply(const WalRecord& r, std::vector<DecodedTxn>* out);
  Pending* find_pending(Xid top);
  Pending& pending(Xid top);
  void erase_pending(Xid top);

  const Database* db_;
  std::string slot_;
  uint64_t generation_;
  Lsn read_from_;
  Lsn read_pos_;
  Lsn start_decoding_at_;
  Lsn last_commit_lsn_;  // of the last transaction emitted (start_decoding_at_ before any)
  // Open transactions by top-level xid: few at once, so a flat vector with a
  // linear search (no allocation per transaction once warm).
  std::vector<std::pair<Xid, Pending>> reorder_;
  // The writers list of the last transaction emitted, emptied, for the next
  // one to open (its changes leave with it; its writers need not).
  std::vector<Xid> spare_writers_;
  std::optional<Error> failed_;
  // The database's slot epoch when check_slot last found the slot as this
  // stream opened it: until the epoch moves, the lookup is not repeated.
  mutable std::optional<uint64_t> slot_seen_at_epoch_;
};

}  // namespace cdc
