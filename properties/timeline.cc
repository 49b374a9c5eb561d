#include "properties/timeline.h"

#include <algorithm>
#include <limits>
#include <numeric>
#include <optional>

#include "model/assert.h"

namespace cdc::properties::detail {

namespace {

const SharedRow* row_of(const KeyVersion& v) {
  CDC_ASSERT(v.commit != nullptr && v.change != nullptr, "a version names its commit and change");
  return v.change->after ? &*v.change->after : nullptr;
}

// The versions of each key in history order, as (key id, version) pairs, a
// key's id its first appearance.
struct Grouping {
  static constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();
  std::vector<uint32_t> last;  // by key id: index in `raw` of its last version, or kNone
  std::vector<std::pair<uint32_t, KeyVersion>> raw;
};

}  // namespace

SourceTimeline::SourceTimeline(const history::History& h, uint32_t table_id) {
  // Reserved up front: at millions of changes, growing by doubling would
  // copy each array and fault its pages in again.
  size_t changes = 0;
  for (const history::SourceCommit& commit : h.source_commits) {
    for (const history::SourceKeyChange& change : commit.changes)
      changes += change.table == table_id ? 1 : 0;
  }
  Grouping g;
  g.raw.reserve(changes);
  change_ids_.reserve(changes);
  for (const history::SourceCommit& commit : h.source_commits) {
    for (const history::SourceKeyChange& change : commit.changes) {
      if (change.table != table_id) continue;
      const uint32_t e = ids_.add(0, change.key);
      change_ids_.push_back(e);
      if (e == g.last.size()) g.last.push_back(Grouping::kNone);
      if (g.last[e] != Grouping::kNone && g.raw[g.last[e]].second.commit == &commit) {
        g.raw[g.last[e]].second.change = &change;  // a later change in the same commit wins
      } else {
        g.last[e] = static_cast<uint32_t>(g.raw.size());
        g.raw.emplace_back(e, KeyVersion{&commit, &change});
      }
    }
  }
  // Entries in key order; each entry's versions laid out together, in
  // history order.
  const size_t n = ids_.size();
  std::vector<uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  sort_by_key(ids_, &order);
  std::vector<uint32_t>& start = start_;
  start.assign(n + 1, 0);
  for (const auto& [e, v] : g.raw)
    ++start[e + 1];
  for (size_t e = 0; e < n; ++e)
    start[e + 1] += start[e];
  versions_.resize(g.raw.size());
  std::vector<uint32_t> next(start.begin(), start.end() - 1);
  for (const auto& [e, v] : g.raw)
    versions_[next[e]++] = v;
  position_.resize(n);
  id_at_ = order;
  for (size_t index = 0; index < n; ++index) {
    const uint32_t e = order[index];
    const std::span<const KeyVersion> vs = versions_of(e);
    CDC_ASSERT(!vs.empty(), "a key in the timeline has a version");
    position_[e] = static_cast<uint32_t>(index);
    const auto by_lsn = [](const KeyVersion& a, const KeyVersion& b) {
      return a.commit->commit_lsn < b.commit->commit_lsn;
    };
    sorted_ = sorted_ && std::is_sorted(vs.begin(), vs.end(), by_lsn);
  }
}

// Keys in no order pay one wasted comparison per group: a wrong guess stops
// guessing until the group's lookups tell where the last key lies.
void SourceTimeline::ids_of(std::span<const std::string_view> keys, std::span<uint32_t> out) const {
  CDC_ASSERT(out.size() == keys.size(), "one id per key");
  constexpr size_t kGroup = 16;
  constexpr size_t kNowhere = SIZE_MAX;
  std::string_view missed[kGroup];
  size_t missed_at[kGroup];
  uint32_t missed_id[kGroup];
  size_t next = kNowhere;  // the index in key order the next key is guessed at
  for (size_t base = 0; base < keys.size(); base += kGroup) {
    const size_t n = std::min(kGroup, keys.size() - base);
    size_t misses = 0;
    for (size_t i = base; i < base + n; ++i) {
      if (next < id_at_.size() && ids_.key(id_at_[next]) == keys[i]) {
        out[i] = id_at_[next++];
        continue;
      }
      next = kNowhere;
      missed[misses] = keys[i];
      missed_at[misses++] = i;
    }
    ids_.find_many(0, std::span(missed, misses), std::span(missed_id, misses));
    for (size_t m = 0; m < misses; ++m)
      out[missed_at[m]] = missed_id[m];
    const uint32_t last = out[base + n - 1];
    next = last == KeyIds::kMissing ? kNowhere : position_[last] + 1;
  }
}

std::optional<TimelineKey> SourceTimeline::find(std::string_view key) const {
  const std::optional<uint32_t> id = ids_.find(0, key);
  if (!id) return std::nullopt;
  return entry(*id);
}

bool SourceTimeline::holds(const TimelineKey& k) const {
  const KeyVersion* first = versions_.data();
  return !k.versions.empty() && k.versions.data() >= first &&
         k.versions.data() + k.versions.size() <= first + versions_.size();
}

// The first version committed after v (versions are searched by halves when
// every key's versions are in commit LSN order, as the history records them;
// otherwise one by one).
size_t SourceTimeline::first_after(std::span<const KeyVersion> vs, Lsn v) const {
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

size_t SourceTimeline::state_index(std::string_view key, Lsn v) const {
  const std::optional<TimelineKey> k = find(key);
  return k ? state_index(*k, v) : 0;
}

size_t SourceTimeline::state_index(const TimelineKey& k, Lsn v) const {
  CDC_ASSERT(holds(k), "an entry of this timeline");
  return first_after(k.versions, v);
}

const SharedRow* SourceTimeline::state_at(std::string_view key, Lsn v) const {
  const std::optional<TimelineKey> k = find(key);
  return k ? state_at(*k, v) : nullptr;
}

const SharedRow* SourceTimeline::state_at(const TimelineKey& k, Lsn v) const {
  CDC_ASSERT(holds(k), "an entry of this timeline");
  if (!sorted_) {
    const KeyVersion* last = nullptr;
    for (const KeyVersion& kv : k.versions) {
      if (kv.commit->commit_lsn <= v) last = &kv;
    }
    return last == nullptr ? nullptr : row_of(*last);
  }
  const size_t n = first_after(k.versions, v);
  return n == 0 ? nullptr : row_of(k.versions[n - 1]);
}

const SharedRow* SourceTimeline::final_row(std::span<const KeyVersion> versions) {
  CDC_ASSERT(!versions.empty(), "a key in the timeline has a version");
  return row_of(versions.back());
}

const SharedRow* SourceTimeline::final_state(std::string_view key) const {
  const std::optional<TimelineKey> k = find(key);
  return k ? final_row(k->versions) : nullptr;
}

std::vector<std::pair<std::string_view, const SharedRow*>> SourceTimeline::final_rows() const {
  std::vector<std::pair<std::string_view, const SharedRow*>> out;
  for (const uint32_t id : id_at_) {
    if (const SharedRow* row = final_row(versions_of(id))) out.emplace_back(ids_.key(id), row);
  }
  return out;
}

const history::SourceCommit* SourceTimeline::changed_between(std::string_view key, Lsn lo,
                                                             Lsn hi) const {
  const std::optional<TimelineKey> k = find(key);
  return k ? changed_between(*k, lo, hi) : nullptr;
}

const history::SourceCommit* SourceTimeline::changed_between(const TimelineKey& k, Lsn lo, Lsn hi) {
  for (const KeyVersion& kv : k.versions) {
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
