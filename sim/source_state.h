// The committed state of every source key, as references into the history
// being recorded: where each key's latest after-image lies among
// h.source_commits, or nothing once its latest change deleted it. The
// recorder reads a change's before image here instead of keeping a second
// copy of every committed row (that copy was a hash map of strings to rows,
// as large as the source table).
//
// Contract: `h` is the history the recorder appends to, passed to every
// call; entries refer into h.source_commits, which only grows (a commit's
// changes never move: moving a commit moves its vector, not the changes).
//
// The key ids are a dictionary others may add keys to (the cost meter's
// destination keys, sim/costs.h), so a key the source and a destination
// share is hashed and viewed once: an id this object never set a ref for
// names no row.
//
// Invariants: every key view in ids_ points at bytes that live as long as
// the history (a change's key in h.source_commits, a destination row's key)
// or this object (a string of extra_keys_); refs_.size() <= ids_.size(), and
// an id at or past refs_.size() has no row; a present ref names a change
// whose `after` is set.
#pragma once

#include <cstdint>
#include <deque>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "properties/history.h"
#include "properties/key_ids.h"
#include "sim/costs.h"

namespace cdc::sim {

class SourceState {
 public:
  // The row committed under (table, key), if any: a reference into h.
  const SharedRow* find(const history::History& h, uint32_t table, std::string_view key) const;
  // find() of each of `keys` under `table`, into out[i] (nullptr: none),
  // with the lookups' cache misses overlapped (KeyIds::find_many).
  // REQUIRES: out has keys.size() elements.
  void find_many(const history::History& h, uint32_t table, std::span<const std::string_view> keys,
                 std::span<const SharedRow*> out) const;
  // The id of (table, key), added when new, and the row committed under it
  // (nullptr: none): find() and the id apply_last_commit() would give the
  // key, for one hash and probe instead of two. REQUIRES: `key` views the
  // key of a change of the commit being recorded, whose bytes stay put when
  // it is appended to h (its changes' vector reserved and moved).
  std::pair<uint32_t, const SharedRow*> add_key(const history::History& h, uint32_t table,
                                                std::string_view key);
  // Applies h.source_commits.back(), the commit just recorded. `added`: empty,
  // or the id add_key() gave each of its changes, in order.
  // REQUIRES: h.source_commits is not empty.
  void apply_last_commit(const history::History& h, std::span<const uint32_t> added = {});
  // A rewrite gave the rows of `table` new keys: each (from, to) moves
  // from's row to `to`; a row of the table no move names is dropped.
  void rekey(uint32_t table, const std::vector<std::pair<std::string, std::string>>& moves);
  // Every committed row of `table` by key, copied.
  SourceRows rows_of(const history::History& h, uint32_t table) const;
  // Forgets everything (the run has ended). REQUIRES: no commit is applied
  // after it.
  void clear();
  bool cleared() const { return cleared_; }
  // The dictionary of (table, key) ids, for another holder of the same keys
  // to number its own in. REQUIRES: what that holder adds lives as long as
  // the history; it is not used after clear().
  properties::detail::KeyIds* shared_ids() { return &ids_; }

 private:
  struct Ref {
    uint32_t commit = 0;  // index in h.source_commits
    uint32_t change = 0;  // index in its changes
    bool present = false;
  };
  uint32_t id_of(uint32_t table, std::string_view key);  // adds the key if new
  const SharedRow& row_of(const history::History& h, const Ref& r) const;
  // The row of key id `id` (KeyIds::kMissing: none), or nullptr when absent.
  const SharedRow* row_if_present(const history::History& h, uint32_t id) const;

  properties::detail::KeyIds ids_;      // tag: the table
  std::vector<Ref> refs_;               // by id, up to the highest id given a ref
  std::deque<std::string> extra_keys_;  // keys a rewrite made (stable addresses)
  bool cleared_ = false;                // clear() ended the run: nothing is applied after
  // find_many() looks up fewer keys one by one, and apply_last_commit() adds
  // the keys of a commit of fewer changes one by one.
  static constexpr size_t kFewKeys = 8;
  // find_many()'s and apply_last_commit()'s ids and keys, kept for their capacity.
  mutable std::vector<uint32_t> ids_scratch_;
  std::vector<std::string_view> views_scratch_;
};

}  // namespace cdc::sim
