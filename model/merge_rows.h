// A merge table's rows: an ordered map from keys (CompactKey, compared
// bytewise) to DestValues, as a B+ tree.
//
// Why not std::map: a merge destination holds a row per key of the source
// table, millions of them, and a red-black tree spends 32 bytes of links on
// each (an 80-byte node for a 16-byte key and a 32-byte value). Here a leaf
// holds kLeafCapacity keys and values side by side: 49 bytes a row when
// leaves are full, and a backfill's rows, which arrive in ascending key
// order, fill them: a key above every other goes at the end of the last
// leaf, and when that leaf is full a new leaf starts with it (the full one
// is not split), as in the source's key index (model/key_index.h).
//
// Erasing never merges nodes: an emptied leaf leaves the tree (unless it is
// the only one), an inner node left without children follows it, and a
// root with one child gives way to that child. Leaves that lose most of
// their rows keep their room until they are emptied.
//
// Invariants (check_invariants(), which the tests call):
//   - every leaf but a lone root leaf holds at least one row;
//   - keys ascend strictly along the leaf chain, which visits every leaf
//     once from first_leaf_ to last_leaf_ (prev mirrors next);
//   - in an inner node with n children and n - 1 separators, every key
//     under child i is >= separator i - 1 and < separator i;
//   - every leaf lies at one depth; size_ counts the rows.
//
// Iterators and pointers to values stay valid until the map next changes.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "model/compact_key.h"
#include "model/dest_value.h"

namespace cdc {

class MergeRows {
 public:
  // A leaf of 42 rows is 2,040 bytes, just within the allocator's
  // 2,048-byte size class (32 rows would take 1,560 of a 1,792-byte one).
  static constexpr uint32_t kLeafCapacity = 42;
  static constexpr uint32_t kInnerCapacity = 64;

 private:
  struct Node {
    bool leaf = true;
    uint32_t n = 0;  // rows (leaf) or children (inner)
  };
  struct Leaf : Node {
    std::array<CompactKey, kLeafCapacity> key;  // [0, n) hold rows
    std::array<DestValue, kLeafCapacity> value;
    Leaf* prev = nullptr;
    Leaf* next = nullptr;
  };
  static_assert(sizeof(Leaf) <= 2048, "a leaf within a 2 KiB size class");
  struct Inner : Node {
    Inner() { leaf = false; }
    std::array<CompactKey, kInnerCapacity - 1> sep;  // [0, n - 1)
    std::array<Node*, kInnerCapacity> child{};
  };

 public:
  // Walks the rows in key order: *it is (key, value), as a std::map's is.
  class Iterator {
   public:
    using Row = std::pair<const CompactKey&, const DestValue&>;
    Row operator*() const { return {leaf_->key[pos_], leaf_->value[pos_]}; }
    Iterator& operator++();
    bool operator==(const Iterator& o) const { return leaf_ == o.leaf_ && pos_ == o.pos_; }

   private:
    friend class MergeRows;
    Iterator(const Leaf* leaf, uint32_t pos) : leaf_(leaf), pos_(pos) {}
    const Leaf* leaf_;
    uint32_t pos_;
  };

  MergeRows() = default;
  ~MergeRows() { clear(); }
  MergeRows(MergeRows&& o) noexcept { swap(o); }
  MergeRows& operator=(MergeRows&& o) noexcept {
    MergeRows taken(std::move(o));
    swap(taken);
    return *this;
  }
  MergeRows(const MergeRows&) = delete;
  MergeRows& operator=(const MergeRows&) = delete;

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  void clear();

  // The value of `key`, or nullptr when absent.
  const DestValue* find(std::string_view key) const;
  DestValue* find(std::string_view key) {
    return const_cast<DestValue*>(std::as_const(*this).find(key));
  }
  size_t count(std::string_view key) const { return find(key) != nullptr ? 1 : 0; }
  // REQUIRES: count(key) == 1.
  const DestValue& at(std::string_view key) const;

  // Gives `key` the value `value`, adding the key when absent. Returns
  // whether it was added.
  bool insert_or_assign(const CompactKey& key, const DestValue& value);
  // Removes `key`; returns how many rows went (0 or 1).
  size_t erase(std::string_view key);

  Iterator begin() const { return Iterator(size_ == 0 ? nullptr : first_leaf_, 0); }
  Iterator end() const { return Iterator(nullptr, 0); }

  // Aborts unless every invariant above holds; returns the number of
  // leaves (for tests).
  size_t check_invariants() const;

 private:
  // The inner nodes a descent passed and the child it took in each: entries
  // [0, depth) are set (the rest are left unwritten, not zeroed, as a
  // descent needs only as many as the tree has levels).
  struct Path {
    std::array<Inner*, 64> node;
    std::array<uint32_t, 64> child;
    uint32_t depth = 0;
  };
  void swap(MergeRows& o) noexcept;
  // The leaf where `key` is or would go; `path`, when given, records the
  // way down.
  Leaf* descend(std::string_view key, Path* path) const;
  void append(const CompactKey& key, const DestValue& value);
  static uint32_t split_point(uint32_t pos);
  void insert_at(Leaf* leaf, uint32_t pos, const CompactKey& key, const DestValue& value,
                 Path* path);
  // Enters `right` (whose keys are all >= `sep`) as the child after the one
  // `path` ends in, splitting full nodes on the way up.
  void add_child(Path* path, CompactKey sep, Node* right);
  void remove_leaf(Leaf* leaf, Path* path);
  void release_fields();

  Node* root_ = nullptr;
  Leaf* first_leaf_ = nullptr;
  Leaf* last_leaf_ = nullptr;
  size_t size_ = 0;
  uint32_t depth_ = 0;  // inner levels above the leaves
};

}  // namespace cdc
