// Collections: durable logs of documents, written in atomic transactions
// together with the capture's checkpoint (DESIGN §6).
//
// A CollectionStore holds every collection of a pipeline and the latest
// committed capture checkpoint. commit() is all-or-nothing: the documents of
// every collection in the transaction and the checkpoint become visible
// together. Documents reduce by key: later documents merge over earlier ones
// field by field (a field absent from a document keeps its previous value),
// and a document with op 'd' deletes the key. Retention drops documents older
// than a configured age; a reset starts a new, empty generation.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/capture_state.h"
#include "model/compact_key.h"
#include "model/interned_text.h"
#include "model/shared_row.h"
#include "model/types.h"
#include "model/value.h"

namespace cdc {

struct CollectionDoc {
  CompactKey key;             // bytewise key encoding, or a synthetic key
  SharedRow fields;           // one value per column; absent fields hold NULL
  uint64_t present_mask = 0;  // bit c: field c is present
  Lsn lsn;                    // commit LSN, or the chunk's snapshot point
  Xid txid;
  uint32_t change_index = 0;  // position of the change in its source transaction
  char op = 'c';              // 'c' create, 'u' update, 'd' delete (beside the index: one word)
  bool snapshot = false;
  InternedText state_key;  // binding state (backfill instance) that wrote it
  // Set by the capture once the store committed it, for the observer:
  uint64_t txn_seq = 0;
  uint32_t id = 0;  // as StoredDoc::id
};

// What the store keeps of a committed document: what its readers read (a
// materialization, a reduction, retention and the final state), in 56
// bytes against a CollectionDoc's 80; a collection holds millions. The
// capture's fields (txid, change_index, state_key) reach the history with
// the commit and are not kept. 32-bit numbers: a run commits fewer than 2^32
// transactions and documents, and ends within 2^32 ticks (asserted on
// commit).
struct StoredDoc {
  CompactKey key;
  SharedRow fields;
  uint64_t present_mask = 0;
  Lsn lsn;
  uint32_t txn_seq = 0;  // the collection transaction, from 1
  uint32_t tick = 0;     // the tick it committed at
  uint32_t id = 0;       // unique within the store, from 1
  char op = 'c';
  bool snapshot = false;
};
static_assert(sizeof(StoredDoc) == 56, "a stored document in seven words");

// A collection's documents in commit order. A deque: a collection grows to
// millions of documents, and a deque grows without moving them.
using CollectionDocs = std::deque<StoredDoc>;

struct ReducedDoc {
  Row fields;
  uint64_t present_mask = 0;
  Lsn lsn;  // of the last document merged
};

class CollectionStore {
 public:
  struct Txn {
    std::vector<std::pair<std::string, CollectionDoc>> docs;  // (collection, document)
    // The capture's checkpoint, read during commit() (none: documents only).
    // The store copies it into the checkpoint it keeps, reusing that one's
    // map nodes and vectors rather than taking a fresh copy per commit.
    const CaptureCheckpoint* checkpoint = nullptr;
  };

  // Creates an empty collection. Returns false if it already exists.
  bool create(const std::string& name);
  bool exists(const std::string& name) const { return collections_.count(name) != 0; }

  // Commits atomically; returns the transaction's sequence number (from 1).
  // REQUIRES: every named collection exists.
  uint64_t commit(Txn txn, uint64_t tick);

  const std::optional<CaptureCheckpoint>& checkpoint() const { return checkpoint_; }
  uint64_t last_seq() const { return seq_; }
  uint64_t next_doc_id() const { return next_doc_id_; }

  // Documents of the current generation still retained, in commit order.
  // REQUIRES: exists(name).
  const CollectionDocs& docs(const std::string& name) const;
  // The same with one lookup, or nullptr when `name` does not exist.
  const CollectionDocs* find_docs(const std::string& name) const;
  std::map<CompactKey, ReducedDoc> reduce(const std::string& name) const;
  uint64_t generation(const std::string& name) const;

  // Drops documents committed before tick `now - retention_ticks`.
  // Returns how many were dropped; if `expired` is given, adds the dropped
  // documents' keys to it, per collection.
  uint64_t expire(uint64_t now, uint64_t retention_ticks,
                  std::map<std::string, std::vector<CompactKey>>* expired = nullptr);
  // Starts a new, empty generation of `name`. REQUIRES: exists(name).
  void reset(const std::string& name);
  // Fault injection: loses every other document of `name` (data corruption).
  // Returns how many were lost. REQUIRES: exists(name).
  uint64_t corrupt(const std::string& name);

 private:
  struct Collection {
    Collection() = default;
    Collection(const Collection&) = default;
    Collection(Collection&&) noexcept = default;
    Collection& operator=(const Collection&) = default;
    Collection& operator=(Collection&&) noexcept = default;
    // The documents' rows are released with their blocks fetched ahead
    // (release_rows()): a large run's store holds millions.
    ~Collection() {
      release_rows(docs.begin(), docs.end(), [](StoredDoc& d) -> SharedRow& { return d.fields; });
    }
    uint64_t generation = 1;
    CollectionDocs docs;
  };
  std::map<std::string, Collection> collections_;
  std::optional<CaptureCheckpoint> checkpoint_;
  std::optional<CaptureCheckpoint> lagging_checkpoint_;  // mutant checkpoint-lags-documents only
  uint64_t seq_ = 0;
  uint64_t next_doc_id_ = 1;
  // commit()'s collection of each document, kept between commits for its
  // buffer; meaningless outside commit().
  std::vector<Collection*> targets_scratch_;
};

// Merges `doc` into `reduced` (map from key to reduced document).
void reduce_into(std::map<CompactKey, ReducedDoc>* reduced, const StoredDoc& doc);

}  // namespace cdc
