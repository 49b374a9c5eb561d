#include "outside/source_log.h"

#include "model/assert.h"
#include "model/key_encoding.h"
#include "outside/json_fields.h"

namespace cdc::outside {

using detail::bad;

std::optional<Xid> SourceLog::open_xid() const {
  if (!open_) return std::nullopt;
  return open_->xid;
}

void SourceLog::begin(Xid xid) {
  CDC_ASSERT(!open_, "begin() inside an open commit");
  open_.emplace();
  open_->xid = xid;
}

history::DocKey SourceLog::key_of(uint32_t table, const Row& row) const {
  const TableSchema& s = (*tables_)[table];
  return encode_capture_key(s.key_of(row), s.key_types());
}

const SharedRow* SourceLog::current(uint32_t table, const history::DocKey& key) const {
  const auto it = rows_.find({table, key});
  return it == rows_.end() ? nullptr : &it->second;
}

void SourceLog::touch(uint32_t table, const history::DocKey& key, std::optional<SharedRow> after) {
  CDC_ASSERT(open_, "a change outside a commit");
  const auto [it, fresh] = open_->index.try_emplace({table, key}, open_->changes.size());
  if (fresh) {
    history::SourceKeyChange& c = open_->changes.emplace_back();
    c.table = table;
    c.key = key;
    if (const SharedRow* now = current(table, key)) c.before = *now;
  }
  history::SourceKeyChange& c = open_->changes[it->second];
  c.after_xmin = after ? std::optional<Xid>(open_->xid) : std::nullopt;
  c.after = std::move(after);
  if (c.after) {
    rows_[{table, key}] = *c.after;
  } else {
    rows_.erase({table, key});
  }
}

void SourceLog::insert(uint32_t table, Row row, const std::string& path) {
  const history::DocKey key = key_of(table, row);
  if (current(table, key)) {
    bad("", path + ": insert of key " + to_string((*tables_)[table].key_of(row)) + " that table " +
                (*tables_)[table].name + " already holds");
  }
  touch(table, key, std::move(row));
}

void SourceLog::update(uint32_t table, const std::optional<Row>& old_key_row, Row row,
                       const std::string& path) {
  const history::DocKey key = key_of(table, row);
  const history::DocKey old = old_key_row ? key_of(table, *old_key_row) : key;
  const TableSchema& s = (*tables_)[table];
  if (!current(table, old)) {
    bad("", path + ": update of key " + to_string(s.key_of(old_key_row ? *old_key_row : row)) +
                " that table " + s.name +
                " does not hold (give earlier rows in a \"rows\" record)");
  }
  if (old != key) {
    if (current(table, key)) {
      bad("", path + ": update to key " + to_string(s.key_of(row)) + " that table " + s.name +
                  " already holds");
    }
    touch(table, old, std::nullopt);
  }
  touch(table, key, std::move(row));
}

void SourceLog::remove(uint32_t table, const Row& key_row, const std::string& path) {
  const history::DocKey key = key_of(table, key_row);
  if (!current(table, key)) {
    const TableSchema& s = (*tables_)[table];
    bad("", path + ": delete of key " + to_string(s.key_of(key_row)) + " that table " + s.name +
                " does not hold");
  }
  touch(table, key, std::nullopt);
}

void SourceLog::truncate(uint32_t table) {
  std::vector<history::DocKey> keys;
  for (auto it = rows_.lower_bound({table, ""}); it != rows_.end() && it->first.first == table;
       ++it)
    keys.push_back(it->first.second);
  for (const history::DocKey& k : keys)
    touch(table, k, std::nullopt);
}

void SourceLog::commit(Lsn lsn, uint64_t tick) {
  CDC_ASSERT(open_, "commit() without begin()");
  if (last_lsn_ && lsn <= *last_lsn_) {
    bad("lsn", "commit LSN " + to_string(lsn) + " does not follow the previous commit's " +
                   to_string(*last_lsn_));
  }
  history::SourceCommit c;
  c.tick = tick;
  c.xid = open_->xid;
  c.commit_lsn = lsn;
  for (history::SourceKeyChange& ch : open_->changes) {
    if (ch.before || ch.after) c.changes.push_back(std::move(ch));
  }
  open_.reset();
  last_lsn_ = lsn;
  commit_by_lsn_[lsn] = h_->source_commits.size();
  h_->source_commits.push_back(std::move(c));
}

std::optional<SourceLog::CommitRef> SourceLog::commit_at(Lsn lsn, uint32_t table,
                                                         const history::DocKey& key) const {
  const auto it = commit_by_lsn_.find(lsn);
  if (it == commit_by_lsn_.end()) return std::nullopt;
  const history::SourceCommit& c = h_->source_commits[it->second];
  CommitRef out{c.xid, std::nullopt};
  for (uint32_t i = 0; i < c.changes.size(); ++i) {
    if (c.changes[i].table == table && c.changes[i].key == key) out.change_index = i;
  }
  return out;
}

}  // namespace cdc::outside
