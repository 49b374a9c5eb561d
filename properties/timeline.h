// The source timeline of one table: per key, the source commits that changed
// it, in commit order.
//
// Invariants: each key's versions are in h.source_commits order and name
// distinct commits (several changes of one key in one commit collapse into
// the last one, the commit's net effect). Nothing assumes commit LSNs are
// sorted: "state at version v" counts and picks commits by LSN comparison.
// Pointers and views refer into the History the timeline was built from.
//
// Layout: one vector of versions grouped by key, one vector of keys in
// bytewise key order, each with its span of versions, and the keys' hashed
// ids (key_ids.h) with each id's position in that order, so a lookup costs a
// hash and a few probes, not a descent through an ordered map of strings.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "properties/history.h"
#include "properties/key_ids.h"

namespace cdc::properties::detail {

struct KeyVersion {
  const history::SourceCommit* commit = nullptr;
  const history::SourceKeyChange* change = nullptr;  // the key's last change in `commit`
};

// A key the source changed, with its versions in commit order: views into
// its SourceTimeline, made when asked for (a timeline keeps no entry per key
// beside its ids and versions).
struct TimelineKey {
  std::string_view key;
  std::span<const KeyVersion> versions;  // never empty
};

class SourceTimeline {
 public:
  SourceTimeline(const history::History& h, uint32_t table_id);
  SourceTimeline(const SourceTimeline&) = delete;
  SourceTimeline& operator=(const SourceTimeline&) = delete;

  // Every key the source ever changed, with its versions, in bytewise key
  // order: key_at(0) to key_at(key_count() - 1).
  size_t key_count() const { return id_at_.size(); }
  // REQUIRES: index < key_count().
  TimelineKey key_at(size_t index) const { return entry(id_at_.at(index)); }
  // The key's entry, or nullopt when the source never changed it.
  std::optional<TimelineKey> find(std::string_view key) const;

  // Number of commits changing `key` with commit_lsn <= v.
  size_t state_index(std::string_view key, Lsn v) const;
  // The key's row at version v (after every commit with commit_lsn <= v), or
  // nullptr when absent.
  const SharedRow* state_at(std::string_view key, Lsn v) const;
  // The key's row after every commit, or nullptr when absent.
  const SharedRow* final_state(std::string_view key) const;
  // The state after the last of a key's versions (nullptr: absent).
  // REQUIRES: !versions.empty().
  static const SharedRow* final_row(std::span<const KeyVersion> versions);
  // All keys present after every commit, with their rows, in key order.
  std::vector<std::pair<std::string_view, const SharedRow*>> final_rows() const;
  // The first commit changing `key` with lo < commit_lsn <= hi, or nullptr.
  const history::SourceCommit* changed_between(std::string_view key, Lsn lo, Lsn hi) const;
  // state_index, state_at and changed_between of an entry of this timeline,
  // without finding it.
  size_t state_index(const TimelineKey& k, Lsn v) const;
  const SharedRow* state_at(const TimelineKey& k, Lsn v) const;
  static const history::SourceCommit* changed_between(const TimelineKey& k, Lsn lo, Lsn hi);

  // Keys as dense ids, numbered in the order the source first changed them
  // (history order): what history_keys.h numbers every key of a table by.
  size_t id_count() const { return position_.size(); }
  std::optional<uint32_t> id_of(std::string_view key) const { return ids_.find(0, key); }
  // id_of of each of `keys` into out[i] (KeyIds::kMissing when absent).
  // While guesses hold, a key is compared with the key after the previous
  // one in key order (documents, chunk rows and destination rows of a
  // backfill come in key order); after a wrong guess the rest of its group
  // of 16 is looked up with their cache misses overlapped
  // (KeyIds::find_many). REQUIRES: out has keys.size() elements.
  void ids_of(std::span<const std::string_view> keys, std::span<uint32_t> out) const;
  // REQUIRES: id < id_count().
  TimelineKey entry(uint32_t id) const { return TimelineKey{ids_.key(id), versions_of(id)}; }
  // entry(id).versions, read without the entry (in id order, the versions
  // lie one after another). REQUIRES: id < id_count().
  std::span<const KeyVersion> versions_of(uint32_t id) const {
    return std::span<const KeyVersion>(versions_).subspan(start_.at(id),
                                                          start_.at(id + 1) - start_.at(id));
  }
  // The id of key_at(index). REQUIRES: index < key_count().
  uint32_t id_at(size_t index) const { return id_at_.at(index); }
  // The id of each change of the table, in history order (commits, then
  // changes within a commit).
  const std::vector<uint32_t>& change_ids() const { return change_ids_; }

 private:
  size_t first_after(std::span<const KeyVersion> vs, Lsn v) const;
  // Whether `k` views this timeline's versions (the read side of entry()).
  bool holds(const TimelineKey& k) const;
  std::vector<KeyVersion> versions_;  // grouped by key, the keys in id order
  std::vector<uint32_t> start_;       // by id, then the end: where its versions start
  KeyIds ids_;                        // tag 0; ids in first-change order
  std::vector<uint32_t> position_;    // by id: the key's index in key order
  std::vector<uint32_t> id_at_;       // by index in key order: the key's id
  std::vector<uint32_t> change_ids_;  // by change of the table, in history order
  bool sorted_ = true;                // every key's versions are in commit LSN order
};

// One timeline per table shared by the checkers of one check_all call:
// while a TimelineScope over `h` is alive on this thread, timeline_for(h, t)
// builds each table's timeline once; outside any scope (or for another
// history) it builds a fresh one. Scopes do not nest.
class TimelineScope {
 public:
  explicit TimelineScope(const history::History& h);
  ~TimelineScope();
  TimelineScope(const TimelineScope&) = delete;
  TimelineScope& operator=(const TimelineScope&) = delete;
};

std::shared_ptr<const SourceTimeline> timeline_for(const history::History& h, uint32_t table_id);

// Any other value derived from `h` alone, shared the same way: inside a scope
// over `h`, make() runs once per (kind, id) and later calls get its value;
// outside, every call makes a fresh one. REQUIRES: one kind, one type T.
std::shared_ptr<const void> scoped_value(const history::History& h, std::string_view kind,
                                         uint64_t id,
                                         const std::function<std::shared_ptr<const void>()>& make);
template <class T, class Make>
std::shared_ptr<const T> shared_in_scope(const history::History& h, std::string_view kind,
                                         uint64_t id, Make make) {
  return std::static_pointer_cast<const T>(scoped_value(
      h, kind, id, [&] { return std::shared_ptr<const void>(std::make_shared<const T>(make())); }));
}

}  // namespace cdc::properties::detail
