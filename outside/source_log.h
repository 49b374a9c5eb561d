// The source side of an outside history while it is read: each table's
// current rows and the commit being assembled, written into
// History::source_commits as each commit closes.
//
// Invariants (checked, on input as BadField, not asserted):
// - commit LSNs strictly increase;
// - an insert names a key the table does not hold, an update or delete one it
//   does: before images come from this state, never from the input;
// - within one commit each (table, key) has one net SourceKeyChange, in the
//   order its key was first touched; a key inserted and deleted in the same
//   commit leaves no change.
// The input's own order is the order in time: the reader gives every commit
// the tick of its line.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/schema.h"
#include "properties/history.h"

namespace cdc::outside {

class SourceLog {
 public:
  // `tables` and `h` outlive the log; tables may grow while it lives.
  SourceLog(const std::vector<TableSchema>* tables, history::History* h) : tables_(tables), h_(h) {}

  bool open() const { return open_.has_value(); }
  std::optional<Xid> open_xid() const;
  // REQUIRES: !open().
  void begin(Xid xid);
  // REQUIRES: open(). `path` names the input in errors.
  void insert(uint32_t table, Row row, const std::string& path);
  // The row whose key is `old_key` (or, without one, the new row's key)
  // becomes `row`.
  void update(uint32_t table, const std::optional<Row>& old_key_row, Row row,
              const std::string& path);
  void remove(uint32_t table, const Row& key_row, const std::string& path);
  void truncate(uint32_t table);
  // Closes the open commit at `lsn`. REQUIRES: open().
  void commit(Lsn lsn, uint64_t tick);

  // The row `key` of `table` holds now, or nullptr.
  const SharedRow* current(uint32_t table, const history::DocKey& key) const;
  // The commit at `lsn`: its xid, and the position of (table, key) among its
  // changes when it changed that key.
  struct CommitRef {
    Xid xid;
    std::optional<uint32_t> change_index;
  };
  std::optional<CommitRef> commit_at(Lsn lsn, uint32_t table, const history::DocKey& key) const;
  std::optional<Lsn> last_lsn() const { return last_lsn_; }

  history::DocKey key_of(uint32_t table, const Row& row) const;

 private:
  using TableKey = std::pair<uint32_t, history::DocKey>;
  struct Open {
    Xid xid;
    std::vector<history::SourceKeyChange> changes;
    std::map<TableKey, size_t> index;  // position in `changes`
  };
  void touch(uint32_t table, const history::DocKey& key, std::optional<SharedRow> after);

  const std::vector<TableSchema>* tables_;
  history::History* h_;
  std::map<TableKey, SharedRow> rows_;
  std::optional<Open> open_;
  std::optional<Lsn> last_lsn_;
  std::map<Lsn, size_t> commit_by_lsn_;  // index into h_->source_commits
};

}  // namespace cdc::outside
