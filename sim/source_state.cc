#include "sim/source_state.h"

#include "model/assert.h"

namespace cdc::sim {

const SharedRow& SourceState::row_of(const history::History& h, const Ref& r) const {
  CDC_ASSERT(r.present && r.commit < h.source_commits.size() &&
                 r.change < h.source_commits[r.commit].changes.size(),
             "a present ref names a recorded change");
  const history::SourceKeyChange& ch = h.source_commits[r.commit].changes[r.change];
  CDC_ASSERT(ch.after.has_value(), "a present ref names a change that left a row");
  return *ch.after;
}

const SharedRow* SourceState::find(const history::History& h, uint32_t table,
                                   std::string_view key) const {
  const std::optional<uint32_t> id = ids_.find(table, key);
  return row_if_present(h, id.value_or(properties::detail::KeyIds::kMissing));
}

const SharedRow* SourceState::row_if_present(const history::History& h, uint32_t id) const {
  if (id == properties::detail::KeyIds::kMissing || id >= refs_.size() || !refs_[id].present) {
    return nullptr;
  }
  return &row_of(h, refs_[id]);
}

void SourceState::find_many(const history::History& h, uint32_t table,
                            std::span<const std::string_view> keys,
                            std::span<const SharedRow*> out) const {
  CDC_ASSERT(out.size() == keys.size(), "one row slot per key");
  if (keys.size() < kFewKeys) {  // too few for overlapped lookups to pay
    for (size_t i = 0; i < keys.size(); ++i)
      out[i] = find(h, table, keys[i]);
    return;
  }
  std::vector<uint32_t>& ids = ids_scratch_;
  ids.resize(keys.size());
  ids_.find_many(table, keys, ids);
  for (size_t i = 0; i < keys.size(); ++i)
    out[i] = row_if_present(h, ids[i]);
}

uint32_t SourceState::id_of(uint32_t table, std::string_view key) {
  const uint32_t id = ids_.add(table, key);
  if (id >= refs_.size()) refs_.resize(id + 1);
  CDC_ASSERT(id < refs_.size() && refs_.size() <= ids_.size(), "a ref for the id, none past them");
  return id;
}

std::pair<uint32_t, const SharedRow*> SourceState::add_key(const history::History& h,
                                                           uint32_t table, std::string_view key) {
  CDC_ASSERT(!cleared_, "no key is added after clear()");
  const uint32_t id = id_of(table, key);
  return {id, row_if_present(h, id)};
}

void SourceState::apply_last_commit(const history::History& h, std::span<const uint32_t> added) {
  CDC_ASSERT(!h.source_commits.empty(), "a commit was just recorded");
  CDC_ASSERT(!cleared_, "no commit is applied after clear()");
  const uint32_t commit = static_cast<uint32_t>(h.source_commits.size() - 1);
  const std::vector<history::SourceKeyChange>& changes = h.source_commits.back().changes;
  if (!added.empty()) {  // add_key() numbered the changes
    CDC_ASSERT(added.size() == changes.size(), "an id per change");
    for (uint32_t j = 0; j < changes.size(); ++j) {
      CDC_ASSERT(added[j] < refs_.size() && ids_.tag(added[j]) == changes[j].table &&
                     ids_.key(added[j]) == changes[j].key,
                 "each change's id names its key");
      refs_[added[j]] = changes[j].after ? Ref{commit, j, true} : Ref{};
    }
    return;
  }
  if (changes.size() < kFewKeys) {
    for (uint32_t j = 0; j < changes.size(); ++j) {
      // A new key's view is the change's own key: it lives as long as h.
      const uint32_t id = id_of(changes[j].table, changes[j].key);
      refs_[id] = changes[j].after ? Ref{commit, j, true} : Ref{};
    }
    return;
  }
  // Many keys (a bulk load's thousand): added in runs of one table, with
  // their probes overlapped; the ids are those of adding them one by one.
  std::vector<uint32_t>& ids = ids_scratch_;
  std::vector<std::string_view>& views = views_scratch_;
  for (uint32_t start = 0, end = 0; start < changes.size(); start = end) {
    const uint32_t table = changes[start].table;
    views.clear();
    for (end = start; end < changes.size() && changes[end].table == table; ++end)
      views.push_back(changes[end].key);
    ids.resize(views.size());
    ids_.add_many(table, views, ids);
    refs_.resize(ids_.size());
    for (uint32_t j = start; j < end; ++j)
      refs_[ids[j - start]] = changes[j].after ? Ref{commit, j, true} : Ref{};
  }
}

void SourceState::rekey(uint32_t table,
                        const std::vector<std::pair<std::string, std::string>>& moves) {
  std::vector<std::pair<const std::string*, Ref>> moved;
  for (const auto& [from, to] : moves) {
    const std::optional<uint32_t> id = ids_.find(table, from);
    if (id && *id < refs_.size() && refs_[*id].present) moved.emplace_back(&to, refs_[*id]);
  }
  for (uint32_t id = 0; id < refs_.size(); ++id) {
    if (ids_.tag(id) == table) refs_[id] = Ref{};
  }
  for (const auto& [to, ref] : moved) {
    std::optional<uint32_t> id = ids_.find(table, *to);
    if (!id) id = id_of(table, extra_keys_.emplace_back(*to));
    if (*id >= refs_.size()) refs_.resize(*id + 1);
    refs_[*id] = ref;
  }
}

SourceRows SourceState::rows_of(const history::History& h, uint32_t table) const {
  SourceRows out;
  for (uint32_t id = 0; id < refs_.size(); ++id) {
    if (ids_.tag(id) == table && refs_[id].present) {
      out.emplace(ids_.key(id), row_of(h, refs_[id]));
    }
  }
  return out;
}

void SourceState::clear() {
  ids_ = properties::detail::KeyIds();
  refs_.clear();
  extra_keys_.clear();
  cleared_ = true;
}

}  // namespace cdc::sim
