// A reference replica: applies decoded transactions, in order, to per-table
// maps from key to row, the way a merge consumer would (an omitted TOAST
// column keeps its previous value; a delete removes the key; TRUNCATE empties
// the table). Used to check that decoding reproduces the source tables.
//
// Only tables with a primary key are replicated: under REPLICA IDENTITY
// DEFAULT a keyless table's deletes carry no row, so nothing can reduce them.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "model/database.h"

namespace cdc::sim {

class DecodedReplica {
 public:
  explicit DecodedReplica(const Database* db) : db_(db) {}

  // Applies one committed transaction. Returns an error description if a
  // change does not fit the replica (update or delete of an unknown key,
  // insert of a present key); the replica is left as far as it got.
  std::string apply(const DecodedTxn& txn);

  // Key (bytewise encoding) -> row for table t.
  const std::map<std::string, Row>& rows(TableId t) const;

  // Compares the replica of every keyed table with a fresh scan of the
  // source. Returns "" when equal, else the first difference.
  std::string diff_against_source() const;

 private:
  std::string key_bytes(TableId t, const Key& key) const;
  std::string apply_change(const DecodedChange& c);

  const Database* db_;
  std::map<TableId, std::map<std::string, Row>> tables_;
};

}  // namespace cdc::sim
