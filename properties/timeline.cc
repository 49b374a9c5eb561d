#include "properties/timeline.h"

#include <algorithm>

#include <optional>

#include "model/assert.h"

namespace cdc::properties::detail {

namespace {

const Row* row_of(const KeyVersion& v) {
  CDC_ASSERT(v.commit != nullptr && v.change != nullptr, "a version names its commit and change");
  return v.change->after ? &*v.change->after : nullptr;
}

}  // namespace

SourceTimeline::SourceTimeline(const history::History& h, uint32_t table_id) {
  for (const history::SourceCommit& commit : h.source_commits) {
    for (const history::SourceKeyChange& change : commit.changes) {
      if (change.table != table_id) continue;
      std::vector<KeyVersion>& vs = keys_[change.key];
      if (!vs.empty() && vs.back().commit == &commit) {
        vs.back().change = &change;  // a later change of the key in the same commit wins
      } else {
        vs.push_back(KeyVersion{&commit, &change});
      }
    }
  }
  for (const auto& [key, vs] : keys_) {
    const auto by_lsn = [](const KeyVersion& a, const KeyVersion& b) {
      return a.commit->commit_lsn < b.commit->commit_lsn;
    };
    sorted_ = sorted_ && std::is_sorted(vs.begin(), vs.end(), by_lsn);
  }
}

// The first version committed after v (versions are searched by halves when
// every key's versions are in commit LSN order, as the history records them;
// otherwise one by one).
size_t SourceTimeline::first_after(const std::vector<KeyVersion>& vs, Lsn v) const {
  if (sorted_) {
    const auto it = std::upper_bound(vs.begin(), vs.end(), v, [](Lsn lsn, const KeyVersion& kv) {
      return lsn < kv.commit->commit_lsn;
    });
    return static_cast<size_t>(it - vs.begin());
  }
  size_t n = 0;
  for (const KeyVersion& kv : vs) {
    if (kv.commit->commit_lsn <= v) ++n;
  }
  return n;
}

const std::vector<KeyVersion>* SourceTimeline::versions(const history::DocKey& key) const {
  const auto it = keys_.find(key);
  return it == keys_.end() ? nullptr : &it->second;
}

size_t SourceTimeline::state_index(const history::DocKey& key, Lsn v) const {
  const std::vector<KeyVersion>* vs = versions(key);
  return vs == nullptr ? 0 : first_after(*vs, v);
}

const Row* SourceTimeline::state_at(const history::DocKey& key, Lsn v) const {
  const std::vector<KeyVersion>* vs = versions(key);
  if (vs == nullptr || !sorted_) {
    const KeyVersion* last = nullptr;
    for (size_t i = 0; vs != nullptr && i < vs->size(); ++i) {
      if ((*vs)[i].commit->commit_lsn <= v) last = &(*vs)[i];
    }
    return last == nullptr ? nullptr : row_of(*last);
  }
  const size_t n = first_after(*vs, v);
  return n == 0 ? nullptr : row_of((*vs)[n - 1]);
}

const Row* SourceTimeline::final_row(const std::vector<KeyVersion>& versions) {
  CDC_ASSERT(!versions.empty(), "a key in the timeline has a version");
  return row_of(versions.back());
}

const Row* SourceTimeline::final_state(const history::DocKey& key) const {
  const std::vector<KeyVersion>* vs = versions(key);
  return vs == nullptr || vs->empty() ? nullptr : row_of(vs->back());
}

std::map<history::DocKey, const Row*> SourceTimeline::final_rows() const {
  std::map<history::DocKey, const Row*> out;
  for (const auto& [key, vs] : keys_) {
    if (const Row* row = row_of(vs.back())) out.emplace(key, row);
  }
  return out;
}

const history::SourceCommit* SourceTimeline::changed_between(const history::DocKey& key, Lsn lo,
                                                             Lsn hi) const {
  const std::vector<KeyVersion>* vs = versions(key);
  if (vs == nullptr) return nullptr;
  for (const KeyVersion& kv : *vs) {
    if (lo < kv.commit->commit_lsn && kv.commit->commit_lsn <= hi) return kv.commit;
  }
  return nullptr;
}

namespace {

struct SharedTimelines {
  const history::History* history = nullptr;
  std::map<std::pair<std::string, uint64_t>, std::shared_ptr<const void>, std::less<>> values;
};
thread_local std::optional<SharedTimelines> active_scope;

}  // namespace

TimelineScope::TimelineScope(const history::History& h) {
  CDC_ASSERT(!active_scope, "timeline scopes do not nest");
  active_scope.emplace(SharedTimelines{&h, {}});
}

TimelineScope::~TimelineScope() {
  CDC_ASSERT(active_scope.has_value(), "a scope ends once");
  active_scope.reset();
}

std::shared_ptr<const SourceTimeline> timeline_for(const history::History& h, uint32_t table_id) {
  return std::static_pointer_cast<const SourceTimeline>(
      scoped_value(h, "source_timeline", table_id,
                   [&] { return std::make_shared<const SourceTimeline>(h, table_id); }));
}

std::shared_ptr<const void> scoped_value(const history::History& h, std::string_view kind,
                                         uint64_t id,
                                         const std::function<std::shared_ptr<const void>()>& make) {
  if (!active_scope || active_scope->history != &h) return make();
  std::shared_ptr<const void>& v = active_scope->values[{std::string(kind), id}];
  if (!v) v = make();
  CDC_ASSERT(v != nullptr, "a scoped value is made");
  return v;
}

}  // namespace cdc::properties::detail
