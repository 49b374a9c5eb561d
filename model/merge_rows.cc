#include "model/merge_rows.h"

#include <algorithm>
#include <vector>

#include "model/assert.h"
#include "model/key_encoding.h"

namespace cdc {
namespace {

constexpr uint32_t kMaxDepth = 64;  // levels above the leaves; 32^64 rows

// The first of keys[0, n) not below `key`.
template <class Keys>
uint32_t lower(const Keys& keys, uint32_t n, std::string_view key) {
  const auto it = std::lower_bound(
      keys.begin(), keys.begin() + n, key,
      [](const CompactKey& k, std::string_view v) { return key_less(k.view(), v); });
  return static_cast<uint32_t>(it - keys.begin());
}

// The first of keys[0, n) above `key`: the child of an inner node to take.
template <class Keys>
uint32_t upper(const Keys& keys, uint32_t n, std::string_view key) {
  const auto it = std::upper_bound(
      keys.begin(), keys.begin() + n, key,
      [](std::string_view v, const CompactKey& k) { return key_less(v, k.view()); });
  return static_cast<uint32_t>(it - keys.begin());
}

}  // namespace

MergeRows::Iterator& MergeRows::Iterator::operator++() {
  CDC_ASSERT(leaf_ != nullptr && pos_ < leaf_->n, "advancing from a row of the map");
  if (++pos_ == leaf_->n) {
    leaf_ = leaf_->next;
    pos_ = 0;
  }
  return *this;
}

void MergeRows::swap(MergeRows& o) noexcept {
  std::swap(root_, o.root_);
  std::swap(first_leaf_, o.first_leaf_);
  std::swap(last_leaf_, o.last_leaf_);
  std::swap(size_, o.size_);
  std::swap(depth_, o.depth_);
}

// Releases every row's fields in key order, a cursor kReleaseAhead rows on
// fetching the blocks (release_rows() over the chain of leaves).
void MergeRows::release_fields() {
  if (size_ < kReleaseAtLeast) return;  // as release_rows(): the leaves release them
  const Leaf* ahead = first_leaf_;
  uint32_t ahead_pos = 0;
  const auto fetch_ahead = [&] {
    while (ahead != nullptr && ahead_pos >= ahead->n) {
      ahead = ahead->next;
      ahead_pos = 0;
    }
    if (ahead != nullptr) ahead->value[ahead_pos++].fields.prefetch_for_release();
  };
  for (size_t i = 0; i < kReleaseAhead; ++i)
    fetch_ahead();
  size_t released = 0;
  for (Leaf* leaf = first_leaf_; leaf != nullptr; leaf = leaf->next) {
    for (uint32_t pos = 0; pos < leaf->n; ++pos) {
      fetch_ahead();
      leaf->value[pos].fields.reset();
    }
    released += leaf->n;
    CDC_ASSERT(released <= size_, "the leaves hold size_ rows");
  }
  CDC_ASSERT(released == size_, "the chain of leaves holds every row");
}

void MergeRows::clear() {
  release_fields();
  // Level by level: the nodes of one level, then their children.
  std::vector<Node*> level;
  if (root_ != nullptr) level.push_back(root_);
  for (uint32_t d = 0; d <= depth_ && !level.empty(); ++d) {
    std::vector<Node*> below;
    for (Node* node : level) {
      if (node->leaf) {
        delete static_cast<Leaf*>(node);
        continue;
      }
      Inner* in = static_cast<Inner*>(node);
      below.insert(below.end(), in->child.begin(), in->child.begin() + in->n);
      delete in;
    }
    level = std::move(below);
  }
  CDC_ASSERT(level.empty(), "every node lies at most depth_ levels down");
  root_ = first_leaf_ = last_leaf_ = nullptr;
  size_ = 0;
  depth_ = 0;
}

MergeRows::Leaf* MergeRows::descend(std::string_view key, Path* path) const {
  CDC_ASSERT(root_ != nullptr, "descending a tree with a root");
  Node* node = root_;
  if (path != nullptr) path->depth = 0;
  for (uint32_t level = 0; level < depth_; ++level) {
    Inner* in = static_cast<Inner*>(node);
    CDC_ASSERT(!in->leaf && in->n >= 1, "an inner node with children above the leaves");
    const uint32_t c = upper(in->sep, in->n - 1, key);
    if (path != nullptr) {
      path->node[path->depth] = in;
      path->child[path->depth] = c;
      ++path->depth;
    }
    node = in->child[c];
  }
  CDC_ASSERT(node->leaf, "depth_ inner levels lie above the leaves");
  return static_cast<Leaf*>(node);
}

const DestValue* MergeRows::find(std::string_view key) const {
  if (size_ == 0) return nullptr;
  const Leaf* leaf = descend(key, nullptr);
  const uint32_t pos = lower(leaf->key, leaf->n, key);
  if (pos < leaf->n && leaf->key[pos] == key) return &leaf->value[pos];
  return nullptr;
}

const DestValue& MergeRows::at(std::string_view key) const {
  const DestValue* v = find(key);
  CDC_ASSERT(v != nullptr, "at() of a key in the map");
  return *v;
}

bool MergeRows::insert_or_assign(const CompactKey& key, const DestValue& value) {
  if (root_ == nullptr) {
    Leaf* leaf = new Leaf();
    root_ = first_leaf_ = last_leaf_ = leaf;
  }
  // Above every key (a backfill's next row): at the end, without a descent.
  if (size_ == 0 || key > last_leaf_->key[last_leaf_->n - 1]) {
    append(key, value);
    return true;
  }
  Path path;
  Leaf* leaf = descend(key, &path);
  const uint32_t pos = lower(leaf->key, leaf->n, key);
  if (pos < leaf->n && leaf->key[pos] == key) {
    leaf->value[pos] = value;
    return false;
  }
  insert_at(leaf, pos, key, value, &path);
  return true;
}

void MergeRows::append(const CompactKey& key, const DestValue& value) {
  Leaf* last = last_leaf_;
  ++size_;
  if (last->n < kLeafCapacity) {
    last->key[last->n] = key;
    last->value[last->n] = value;
    ++last->n;
    return;
  }
  // The last leaf is full: a new one starts with the key, and stays apart.
  Leaf* fresh = new Leaf();
  fresh->key[0] = key;
  fresh->value[0] = value;
  fresh->n = 1;
  fresh->prev = last;
  last->next = fresh;
  last_leaf_ = fresh;
  Path path;  // to the last leaf: every inner node's last child
  Node* node = root_;
  for (uint32_t level = 0; level < depth_; ++level) {
    Inner* in = static_cast<Inner*>(node);
    path.node[path.depth] = in;
    path.child[path.depth] = in->n - 1;
    ++path.depth;
    node = in->child[in->n - 1];
  }
  CDC_ASSERT(node == last, "the last children lead to the last leaf");
  add_child(&path, key, fresh);
}

// A full leaf taking a key at `pos` splits there, not in the middle, within
// kMinSplit rows of either end: keys that arrive in order below a key
// already stored (a backfill's rows below a row streamed ahead of it) then
// fill each leaf to kLeafCapacity - kMinSplit rows instead of half of it,
// and keys that arrive in descending order into one gap fill leaves as
// well, rather than starting a leaf per key.
uint32_t MergeRows::split_point(uint32_t pos) {
  constexpr uint32_t kMinSplit = 4;
  return std::clamp(pos, kMinSplit, kLeafCapacity - kMinSplit);
}

void MergeRows::insert_at(Leaf* leaf, uint32_t pos, const CompactKey& key, const DestValue& value,
                          Path* path) {
  ++size_;
  Leaf* into = leaf;
  Leaf* right = nullptr;
  if (leaf->n == kLeafCapacity) {  // split where the key goes (see split_point)
    const uint32_t h = split_point(pos);
    right = new Leaf();
    std::move(leaf->key.begin() + h, leaf->key.end(), right->key.begin());
    std::move(leaf->value.begin() + h, leaf->value.end(), right->value.begin());
    right->n = kLeafCapacity - h;
    leaf->n = h;
    right->next = leaf->next;
    (leaf->next != nullptr ? leaf->next->prev : last_leaf_) = right;
    right->prev = leaf;
    leaf->next = right;
    if (pos > h) {
      into = right;
      pos -= h;
    }
  }
  std::move_backward(into->key.begin() + pos, into->key.begin() + into->n,
                     into->key.begin() + into->n + 1);
  std::move_backward(into->value.begin() + pos, into->value.begin() + into->n,
                     into->value.begin() + into->n + 1);
  into->key[pos] = key;
  into->value[pos] = value;
  ++into->n;
  if (right != nullptr) add_child(path, right->key[0], right);
}

namespace {
// Makes `child`, whose keys are >= `sep`, child `at` of `in`.
// REQUIRES: in has room; 1 <= at <= in->n.
template <class Inner, class Node>
void inner_insert(Inner* in, uint32_t at, CompactKey sep, Node* child) {
  CDC_ASSERT(at >= 1 && at <= in->n && in->n < in->child.size(), "a place in an inner node");
  for (uint32_t i = in->n; i > at; --i)
    in->child[i] = in->child[i - 1];
  for (uint32_t i = in->n - 1; i >= at; --i)
    in->sep[i] = std::move(in->sep[i - 1]);
  in->sep[at - 1] = std::move(sep);
  in->child[at] = child;
  ++in->n;
}
}  // namespace

void MergeRows::add_child(Path* path, CompactKey sep, Node* right) {
  for (uint32_t level = 0; level <= kMaxDepth; ++level) {
    if (path->depth == 0) {  // the root split: a new root above both halves
      Inner* root = new Inner();
      root->child[0] = root_;
      root->child[1] = right;
      root->sep[0] = std::move(sep);
      root->n = 2;
      root_ = root;
      ++depth_;
      CDC_ASSERT(depth_ < kMaxDepth, "a tree of fewer than 64 levels");
      return;
    }
    --path->depth;
    Inner* parent = path->node[path->depth];
    const uint32_t at = path->child[path->depth] + 1;
    if (parent->n < kInnerCapacity) {
      inner_insert(parent, at, std::move(sep), right);
      return;
    }
    Inner* fresh = new Inner();
    CompactKey up;
    if (at == parent->n) {  // past the last child: a new node beside the full one
      fresh->child[0] = right;
      fresh->n = 1;
      up = std::move(sep);
    } else {  // the upper half moves to the new node; separator h - 1 goes up
      constexpr uint32_t h = kInnerCapacity / 2;
      std::copy(parent->child.begin() + h, parent->child.end(), fresh->child.begin());
      std::move(parent->sep.begin() + h, parent->sep.end(), fresh->sep.begin());
      fresh->n = kInnerCapacity - h;
      up = std::move(parent->sep[h - 1]);
      parent->n = h;
      if (at <= h) {
        inner_insert(parent, at, std::move(sep), right);
      } else {
        inner_insert(fresh, at - h, std::move(sep), right);
      }
    }
    sep = std::move(up);
    right = fresh;
  }
  CDC_ASSERT(false, "a split climbs at most kMaxDepth levels");
}

size_t MergeRows::erase(std::string_view key) {
  if (size_ == 0) return 0;
  Path path;
  Leaf* leaf = descend(key, &path);
  const uint32_t pos = lower(leaf->key, leaf->n, key);
  if (pos == leaf->n || leaf->key[pos] != key) return 0;
  std::move(leaf->key.begin() + pos + 1, leaf->key.begin() + leaf->n, leaf->key.begin() + pos);
  std::move(leaf->value.begin() + pos + 1, leaf->value.begin() + leaf->n,
            leaf->value.begin() + pos);
  --leaf->n;
  leaf->key[leaf->n] = CompactKey();  // the vacated slot holds nothing
  leaf->value[leaf->n] = DestValue();
  --size_;
  if (leaf->n == 0 && leaf != root_) remove_leaf(leaf, &path);
  return 1;
}

void MergeRows::remove_leaf(Leaf* leaf, Path* path) {
  (leaf->prev != nullptr ? leaf->prev->next : first_leaf_) = leaf->next;
  (leaf->next != nullptr ? leaf->next->prev : last_leaf_) = leaf->prev;
  delete leaf;
  // Up the path: the emptied node leaves its parent, which may empty too.
  for (uint32_t level = 0; level <= kMaxDepth && path->depth > 0; ++level) {
    --path->depth;
    Inner* parent = path->node[path->depth];
    const uint32_t c = path->child[path->depth];
    std::copy(parent->child.begin() + c + 1, parent->child.begin() + parent->n,
              parent->child.begin() + c);
    if (parent->n > 1) {  // the separator before the child, or after the first
      const uint32_t s = c > 0 ? c - 1 : 0;
      std::move(parent->sep.begin() + s + 1, parent->sep.begin() + parent->n - 1,
                parent->sep.begin() + s);
      parent->sep[parent->n - 2] = CompactKey();
    }
    --parent->n;
    if (parent->n > 0) break;
    CDC_ASSERT(parent != root_, "the root keeps a child: another leaf remains");
    delete parent;
  }
  // A root with one child gives way to it.
  for (uint32_t level = 0; level <= kMaxDepth && depth_ > 0; ++level) {
    Inner* root = static_cast<Inner*>(root_);
    if (root->n > 1) break;
    root_ = root->child[0];
    delete root;
    --depth_;
  }
}

size_t MergeRows::check_invariants() const {
  if (root_ == nullptr) {
    CDC_ASSERT(size_ == 0 && first_leaf_ == nullptr && last_leaf_ == nullptr, "an empty map");
    return 0;
  }
  // Every node with the key bounds its parent gives it (open where absent).
  struct Visit {
    const Node* node;
    uint32_t depth;
    const CompactKey* lo;
    const CompactKey* hi;
  };
  std::vector<Visit> stack{{root_, 0, nullptr, nullptr}};
  std::vector<const Leaf*> leaves;
  size_t rows = 0;
  while (!stack.empty()) {
    const Visit v = stack.back();
    stack.pop_back();
    if (v.node->leaf) {
      const Leaf* leaf = static_cast<const Leaf*>(v.node);
      CDC_ASSERT(v.depth == depth_, "every leaf lies at one depth");
      CDC_ASSERT(leaf->n >= 1 || leaf == root_, "only a lone root leaf is empty");
      for (uint32_t i = 0; i < leaf->n; ++i) {
        CDC_ASSERT(i == 0 || leaf->key[i - 1] < leaf->key[i], "keys ascend in a leaf");
        CDC_ASSERT(v.lo == nullptr || *v.lo <= leaf->key[i], "a key at or above its bound");
        CDC_ASSERT(v.hi == nullptr || leaf->key[i] < *v.hi, "a key below its bound");
      }
      rows += leaf->n;
      leaves.push_back(leaf);
      continue;
    }
    const Inner* in = static_cast<const Inner*>(v.node);
    CDC_ASSERT(in->n >= 1 && in->n <= kInnerCapacity, "an inner node with children");
    CDC_ASSERT(in != root_ || in->n >= 2, "an inner root has two children or more");
    for (uint32_t i = in->n; i-- > 0;) {  // pushed last first: visited in key order
      const CompactKey* lo = i == 0 ? v.lo : &in->sep[i - 1];
      const CompactKey* hi = i + 1 == in->n ? v.hi : &in->sep[i];
      CDC_ASSERT(lo == nullptr || hi == nullptr || *lo < *hi, "separators ascend");
      stack.push_back({in->child[i], v.depth + 1, lo, hi});
    }
  }
  CDC_ASSERT(rows == size_, "size_ counts the rows");
  const Leaf* chained = first_leaf_;
  for (size_t i = 0; i < leaves.size(); ++i) {
    CDC_ASSERT(chained == leaves[i], "the leaf chain visits the leaves in key order");
    CDC_ASSERT(chained->prev == (i == 0 ? nullptr : leaves[i - 1]), "prev mirrors next");
    chained = chained->next;
  }
  CDC_ASSERT(chained == nullptr && last_leaf_ == leaves.back(), "the chain ends at last_leaf_");
  return leaves.size();
}

}  // namespace cdc
