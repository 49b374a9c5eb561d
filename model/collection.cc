#include "model/collection.h"

#include "model/reduction.h"

#include <algorithm>

#include "model/assert.h"
#include "model/mutants.h"

namespace cdc {

bool CollectionStore::create(const std::string& name) {
  return collections_.emplace(name, Collection{}).second;
}

uint64_t CollectionStore::commit(Txn txn, uint64_t tick) {
  // Each document's collection, found before anything changes; a run of
  // documents for one collection (the usual transaction) finds it once.
  std::vector<Collection*>& targets = targets_scratch_;
  targets.clear();
  for (size_t i = 0; i < txn.docs.size(); ++i) {
    const std::string& name = txn.docs[i].first;
    if (i > 0 && name == txn.docs[i - 1].first) {
      targets.push_back(targets.back());
      continue;
    }
    const auto it = collections_.find(name);
    CDC_ASSERT(it != collections_.end(), "commit to an unknown collection");
    targets.push_back(&it->second);
  }
  const uint64_t seq = ++seq_;
  const uint64_t first_id = next_doc_id_;
  CDC_ASSERT(seq <= UINT32_MAX && tick <= UINT32_MAX && first_id + txn.docs.size() <= UINT32_MAX,
             "a run's collection numbers fit 32 bits");
  for (size_t i = 0; i < txn.docs.size(); ++i) {
    CollectionDoc& doc = txn.docs[i].second;
    targets[i]->docs.push_back(StoredDoc{.key = std::move(doc.key),
                                         .fields = std::move(doc.fields),
                                         .present_mask = doc.present_mask,
                                         .lsn = doc.lsn,
                                         .txn_seq = static_cast<uint32_t>(seq),
                                         .tick = static_cast<uint32_t>(tick),
                                         .id = static_cast<uint32_t>(next_doc_id_++),
                                         .op = doc.op,
                                         .snapshot = doc.snapshot});
  }
  if (txn.checkpoint && mutant_active(Mutant::kCheckpointLagsDocuments)) {
    // The checkpoint becomes durable only with the next transaction.
    if (lagging_checkpoint_) checkpoint_ = std::move(lagging_checkpoint_);
    lagging_checkpoint_ = *txn.checkpoint;
    return seq;
  }
  const std::optional<Lsn> cursor =
      txn.checkpoint ? std::optional<Lsn>(txn.checkpoint->cursor) : std::nullopt;
  if (txn.checkpoint != nullptr) assign_checkpoint(&checkpoint_, *txn.checkpoint);
  // All or nothing: the documents, under one sequence number, and the checkpoint.
  CDC_ASSERT(next_doc_id_ == first_id + txn.docs.size() && seq_ == seq &&
                 (!cursor || checkpoint_->cursor == *cursor),
             "a collection transaction commits its documents and checkpoint together");
  return seq;
}

const CollectionDocs& CollectionStore::docs(const std::string& name) const {
  auto it = collections_.find(name);
  CDC_ASSERT(it != collections_.end(), "unknown collection");
  return it->second.docs;
}

const CollectionDocs* CollectionStore::find_docs(const std::string& name) const {
  auto it = collections_.find(name);
  return it == collections_.end() ? nullptr : &it->second.docs;
}

uint64_t CollectionStore::generation(const std::string& name) const {
  auto it = collections_.find(name);
  CDC_ASSERT(it != collections_.end(), "unknown collection");
  return it->second.generation;
}

void reduce_into(std::map<CompactKey, ReducedDoc>* reduced, const StoredDoc& doc) {
  if (doc.op == 'd') {
    reduced->erase(doc.key);
    return;
  }
  ReducedDoc& r = (*reduced)[doc.key];
  reduce_fields(&r.fields, &r.present_mask, doc.fields, doc.present_mask);
  r.lsn = doc.lsn;
}

std::map<CompactKey, ReducedDoc> CollectionStore::reduce(const std::string& name) const {
  std::map<CompactKey, ReducedDoc> out;
  for (const StoredDoc& d : docs(name))
    reduce_into(&out, d);
  return out;
}

uint64_t CollectionStore::expire(uint64_t now, uint64_t retention_ticks,
                                 std::map<std::string, std::vector<CompactKey>>* expired) {
  const uint64_t age_ticks =
      mutant_active(Mutant::kRetentionUnitMixup) ? retention_ticks / 24 : retention_ticks;
  if (now < age_ticks) return 0;
  const uint64_t cutoff = now - age_ticks;
  uint64_t dropped = 0;
  for (auto& [name, c] : collections_) {
    const size_t before = c.docs.size();
    std::erase_if(c.docs, [&](const StoredDoc& d) {
      if (d.tick >= cutoff) return false;
      if (expired) (*expired)[name].push_back(d.key);
      return true;
    });
    CDC_ASSERT(c.docs.size() <= before && (c.docs.empty() || c.docs.front().tick >= cutoff),
               "retention drops exactly the documents older than the cutoff");
    dropped += before - c.docs.size();
  }
  return dropped;
}

void CollectionStore::reset(const std::string& name) {
  auto it = collections_.find(name);
  CDC_ASSERT(it != collections_.end(), "unknown collection");
  ++it->second.generation;
  it->second.docs.clear();
}

uint64_t CollectionStore::corrupt(const std::string& name) {
  auto it = collections_.find(name);
  CDC_ASSERT(it != collections_.end(), "unknown collection");
  CollectionDocs& docs = it->second.docs;
  const size_t before = docs.size();
  size_t i = 0;
  std::erase_if(docs, [&](const StoredDoc&) { return i++ % 2 == 0; });
  return before - docs.size();
}

}  // namespace cdc
