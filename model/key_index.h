// An ordered map from encoded keys (byte strings, compared bytewise) to heap
// slots: the table's primary-key index, as a B+ tree.
//
// Why not std::map: a table of millions of keys made every write descend a
// red-black tree of millions of nodes, a cache miss and a string comparison
// per level, and each entry paid a node's links and allocation. Here leaves
// hold up to kLeafCapacity entries side by side and inner nodes up to
// kInnerCapacity children, and each key carries its first eight bytes as an
// integer (big-endian), so most comparisons are one integer comparison.
//
// Like PostgreSQL's B-tree, a key above every other (a serial key's next
// value) is found absent, and inserted while the last leaf has room, without
// a descent; a leaf or inner node that splits while taking such a key keeps
// all its entries and starts a new node with the new one, so an ascending
// load fills nodes.
//
// Erasing never merges: an emptied leaf leaves the tree (unless it is the
// only one) and an inner node left without children follows it; a root with
// one child gives way to that child.
//
// A write usually follows a lookup of the same key: a workload reads a row
// before it writes it, an INSERT checks the key is free, enters it, and
// asserts that it did. The index keeps the place its last lookup found (its
// "finger": the leaf and position of the key, or where it would go) while no
// entry has moved since, so those operations descend once. The finger is
// mutable state behind const find(): a KeyIndex is not for concurrent
// readers (each world owns its database).
//
// Invariants (checked by check_invariants(), which tests call):
//   - every leaf but a lone root leaf holds at least one entry;
//   - keys ascend strictly along the leaf chain (next/prev), which visits
//     every leaf once, from first_leaf_ to last_leaf_;
//   - in an inner node with n children and n - 1 separators, every key under
//     child i is >= separator i - 1 and < separator i;
//   - every entry's prefix is prefix_of(its key); size_ counts the entries;
//   - every leaf lies at one depth (splits add a level only at the root,
//     and an inner node emptied of children leaves with its last leaf):
//     prefetch() counts the levels once, down the first children.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/key_bytes.h"

namespace cdc {

class KeyIndex {
 public:
  static constexpr uint32_t kLeafCapacity = 64;
  static constexpr uint32_t kInnerCapacity = 64;

 private:
  struct Node {
    bool leaf = true;
    uint32_t n = 0;  // entries (leaf) or children (inner)
  };
  struct Leaf : Node {
    std::array<uint64_t, kLeafCapacity> prefix{};
    std::array<KeyBytes, kLeafCapacity> key;  // owned: [0, n)
    std::array<uint32_t, kLeafCapacity> slot{};
    Leaf* prev = nullptr;
    Leaf* next = nullptr;
  };
  struct Inner : Node {
    Inner() { leaf = false; }
    std::array<uint64_t, kInnerCapacity - 1> prefix{};
    std::array<KeyBytes, kInnerCapacity - 1> sep;  // owned: [0, n - 1)
    std::array<Node*, kInnerCapacity> child{};
  };

 public:
  // Walks the entries in key order. Stays valid until the index changes.
  class Iterator {
   public:
    std::string_view key() const { return leaf_->key[pos_].view(); }
    uint32_t slot() const { return leaf_->slot[pos_]; }
    Iterator& operator++();
    // REQUIRES: not the first entry.
    Iterator& operator--();
    bool operator==(const Iterator& o) const { return leaf_ == o.leaf_ && pos_ == o.pos_; }

   private:
    friend class KeyIndex;
    Iterator(const Leaf* leaf, uint32_t pos) : leaf_(leaf), pos_(pos) {}
    const Leaf* leaf_;
    uint32_t pos_;
  };

  KeyIndex();
  ~KeyIndex();
  KeyIndex(const KeyIndex&) = delete;
  KeyIndex& operator=(const KeyIndex&) = delete;

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::optional<uint32_t> find(std::string_view key) const;
  // Fetches into the cache the nodes that finding each of `keys` reads. The
  // descents go level by level together, so their cache misses overlap
  // instead of following one another: a bulk load checking a thousand
  // random keys against millions takes one miss per level per group.
  // Changes nothing, the finger included.
  void prefetch(std::span<const std::string_view> keys) const;
  // For tests: the leaf prefetch() reaches for each of `keys`, and the leaf
  // a lookup of `key` descends to (the two must agree).
  std::vector<const void*> TEST_prefetched_leaves(std::span<const std::string_view> keys) const;
  const void* TEST_leaf_of(std::string_view key) const;
  // Inserts the key, or gives an existing key the new slot.
  void set(std::string_view key, uint32_t slot);
  // Returns whether the key was there.
  bool erase(std::string_view key);
  void clear();

  Iterator begin() const { return Iterator(first_leaf_, 0); }
  Iterator end() const { return Iterator(last_leaf_, last_leaf_->n); }
  // The first entry >= key (lower_bound) or > key (upper_bound).
  Iterator lower_bound(std::string_view key) const { return bound(key, /*strict=*/false); }
  Iterator upper_bound(std::string_view key) const { return bound(key, /*strict=*/true); }
  // The greatest entry. REQUIRES: !empty().
  Iterator last() const { return Iterator(last_leaf_, last_leaf_->n - 1); }

  // Bytes held by nodes and by keys too long for a string's own buffer.
  size_t memory_bytes() const;

  // Asserts the invariants above; returns the number of leaves.
  size_t check_invariants() const;

 private:
  static constexpr size_t kMaxDepth = 48;
  struct Step {
    Inner* node;
    uint32_t child;
  };
  struct Path {
    std::array<Step, kMaxDepth> steps;
    size_t depth = 0;
  };

  Iterator bound(std::string_view key, bool strict) const;
  int compare_to_last(uint64_t prefix, std::string_view key) const;
  // Descends to the leaf whose range holds `key`, recording the way down.
  Leaf* descend(std::string_view key, uint64_t prefix, Path* path) const;
  // prefetch()'s walk; stores the leaf reached for keys[i] in leaves[i]
  // unless `leaves` is empty.
  void reach_leaves(std::span<const std::string_view> keys, std::span<const void*> leaves) const;
  // Enters (key, slot) at `pos` of a leaf with room, and points the finger
  // at it; removes the entry at `pos` of a leaf. Both count the change.
  void insert_at(Leaf* leaf, uint32_t pos, uint64_t prefix, std::string_view key, uint32_t slot);
  void remove_at(Leaf* leaf, uint32_t pos);
  // Takes ownership of `sep`.
  void insert_into_parent(Path* path, bool rightmost, KeyBytes sep, Node* right);
  void remove_empty_leaf(Leaf* leaf, Path* path);
  static void destroy(Node* node);

  // The place of the last key found or missed. Valid while version
  // equals version_, which every insertion and erasure advances (a write
  // that only gives a present key a new slot moves nothing).
  struct Finger {
    uint64_t version = 0;
    std::string key;
    uint64_t prefix = 0;  // key_prefix(key)
    Leaf* leaf = nullptr;
    uint32_t pos = 0;  // the key's position, or where it would be inserted
    bool found = false;
  };
  // The finger for `key`, or nullptr when it is elsewhere or stale.
  const Finger* finger_for(std::string_view key) const;
  void point_finger(std::string_view key, const Leaf* leaf, uint32_t pos, bool found) const;

  Node* root_;
  Leaf* first_leaf_;
  Leaf* last_leaf_;
  size_t size_ = 0;
  uint64_t version_ = 1;  // a default Finger (version 0) is stale
  mutable Finger finger_;
};

}  // namespace cdc
