#include "properties/timeline.h"

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
}

const std::vector<KeyVersion>* SourceTimeline::versions(const history::DocKey& key) const {
  const auto it = keys_.find(key);
  return it == keys_.end() ? nullptr : &it->second;
}

size_t SourceTimeline::state_index(const history::DocKey& key, Lsn v) const {
  const std::vector<KeyVersion>* vs = versions(key);
  if (vs == nullptr) return 0;
  size_t n = 0;
  for (const KeyVersion& kv : *vs) {
    if (kv.commit->commit_lsn <= v) ++n;
  }
  return n;
}

const Row* SourceTimeline::state_at(const history::DocKey& key, Lsn v) const {
  const std::vector<KeyVersion>* vs = versions(key);
  if (vs == nullptr) return nullptr;
  const KeyVersion* last = nullptr;
  for (const KeyVersion& kv : *vs) {
    if (kv.commit->commit_lsn <= v) last = &kv;
  }
  return last == nullptr ? nullptr : row_of(*last);
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
  std::map<uint32_t, std::shared_ptr<const SourceTimeline>> by_table;
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
  if (!active_scope || active_scope->history != &h) {
    return std::make_shared<const SourceTimeline>(h, table_id);
  }
  std::shared_ptr<const SourceTimeline>& t = active_scope->by_table[table_id];
  if (!t) t = std::make_shared<const SourceTimeline>(h, table_id);
  return t;
}

}  // namespace cdc::properties::detail
