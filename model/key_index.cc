#include "model/key_index.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "model/assert.h"
#include "model/key_encoding.h"

namespace cdc {

namespace {

// Bytewise three-way comparison of two keys whose prefixes are equal. Inline:
// every node search and every finger check calls it.
inline int compare_tails(std::string_view a, std::string_view b) {
  if (a.size() <= 8 && b.size() <= 8) {
    // Equal padded prefixes: the shorter key is a prefix of the longer.
    return a.size() == b.size() ? 0 : (a.size() < b.size() ? -1 : 1);
  }
  const int c = a.compare(b);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

// Whether stored key k (prefix pk) equals `key` (prefix p); k's bytes are
// read only when the prefixes tie.
bool equal(uint64_t pk, const KeyBytes& k, uint64_t p, std::string_view key) {
  return pk == p && compare_tails(k.view(), key) == 0;
}

// Fetches the cache lines of the first n of `ps`. A search in a node just
// reached reads entries spread over its whole prefix array, which in a large
// tree is far from the cache; fetching the lines first overlaps their misses
// instead of taking them one after another.
template <class Prefixes>
void prefetch_prefixes(const Prefixes& ps, uint32_t n) {
  constexpr uint32_t kPrefixesPerLine = 64 / sizeof(uint64_t);
  for (uint32_t i = 0; i < n; i += kPrefixesPerLine)
    __builtin_prefetch(&ps[i]);
}

// The first of `n` sorted keys (prefixes `ps`, keys `ks`) that is >= key
// (strict: > key). A stored key is touched only when its prefix ties.
template <class Prefixes, class Keys>
uint32_t search(const Prefixes& ps, const Keys& ks, uint32_t n, uint64_t p, std::string_view key,
                bool strict) {
  uint32_t lo = 0;
  uint32_t hi = n;
  while (lo < hi) {
    const uint32_t mid = lo + (hi - lo) / 2;
    const int c = ps[mid] != p ? (ps[mid] < p ? -1 : 1) : compare_tails(ks[mid].view(), key);
    if (c < 0 || (strict && c == 0)) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

}  // namespace

KeyIndex::Iterator& KeyIndex::Iterator::operator++() {
  if (pos_ + 1 < leaf_->n || leaf_->next == nullptr) {
    ++pos_;
  } else {
    leaf_ = leaf_->next;
    pos_ = 0;
  }
  return *this;
}

KeyIndex::Iterator& KeyIndex::Iterator::operator--() {
  if (pos_ > 0) {
    --pos_;
    return *this;
  }
  CDC_ASSERT(leaf_->prev != nullptr, "no entry before the first");
  leaf_ = leaf_->prev;
  pos_ = leaf_->n - 1;
  return *this;
}

KeyIndex::KeyIndex() : root_(new Leaf()) {
  first_leaf_ = last_leaf_ = static_cast<Leaf*>(root_);
}

KeyIndex::~KeyIndex() {
  destroy(root_);
}

void KeyIndex::destroy(Node* node) {
  if (node->leaf) {
    Leaf* l = static_cast<Leaf*>(node);
    for (uint32_t i = 0; i < l->n; ++i)
      l->key[i].release();
    delete l;
    return;
  }
  Inner* in = static_cast<Inner*>(node);
  for (uint32_t c = 0; c < in->n; ++c) {
    destroy(in->child[c]);
    if (c + 1 < in->n) in->sep[c].release();
  }
  delete in;
}

void KeyIndex::clear() {
  ++version_;
  destroy(root_);
  root_ = new Leaf();
  first_leaf_ = last_leaf_ = static_cast<Leaf*>(root_);
  size_ = 0;
}

KeyIndex::Leaf* KeyIndex::descend(std::string_view key, uint64_t prefix, Path* path) const {
  Node* node = root_;
  if (path != nullptr) path->depth = 0;
  while (!node->leaf) {
    Inner* in = static_cast<Inner*>(node);
    prefetch_prefixes(in->prefix, in->n - 1);
    const uint32_t c = search(in->prefix, in->sep, in->n - 1, prefix, key, /*strict=*/true);
    if (path != nullptr) {
      CDC_ASSERT(path->depth < kMaxDepth, "the tree is shallower than kMaxDepth");
      path->steps[path->depth++] = Step{in, c};
    }
    node = in->child[c];
  }
  Leaf* leaf = static_cast<Leaf*>(node);
  prefetch_prefixes(leaf->prefix, leaf->n);  // every caller searches the leaf next
  return leaf;
}

// Three-way comparison of `key` (prefix p) with the greatest entry; 1 when
// the index is empty.
int KeyIndex::compare_to_last(uint64_t p, std::string_view key) const {
  const Leaf* l = last_leaf_;
  if (l->n == 0) return 1;
  const uint32_t i = l->n - 1;
  return l->prefix[i] != p ? (p < l->prefix[i] ? -1 : 1) : -compare_tails(l->key[i].view(), key);
}

const KeyIndex::Finger* KeyIndex::finger_for(std::string_view key) const {
  if (finger_.version != version_) return nullptr;
  // As the node searches compare: prefixes, then the tails only past them.
  if (finger_.prefix != key_prefix(key) || compare_tails(finger_.key, key) != 0) return nullptr;
  CDC_ASSERT(finger_.pos <= finger_.leaf->n && finger_.leaf->n <= kLeafCapacity,
             "a valid finger points into its leaf");
  CDC_ASSERT(finger_.found ==
                 (finger_.pos < finger_.leaf->n && finger_.leaf->key[finger_.pos].view() == key),
             "a valid finger holds its key exactly when it was found");
  return &finger_;
}

void KeyIndex::point_finger(std::string_view key, const Leaf* leaf, uint32_t pos,
                            bool found) const {
  finger_.version = version_;
  finger_.key.assign(key);
  finger_.prefix = key_prefix(key);
  finger_.leaf = const_cast<Leaf*>(leaf);  // set() writes through it
  finger_.pos = pos;
  finger_.found = found;
}

std::optional<uint32_t> KeyIndex::find(std::string_view key) const {
  if (const Finger* f = finger_for(key)) {
    if (!f->found) return std::nullopt;
    return f->leaf->slot[f->pos];
  }
  const uint64_t p = key_prefix(key);
  // Rightmost fast path: a key at or above the greatest needs no descent.
  const int vs_last = compare_to_last(p, key);
  if (vs_last >= 0) {
    const uint32_t pos = vs_last > 0 ? last_leaf_->n : last_leaf_->n - 1;
    point_finger(key, last_leaf_, pos, vs_last == 0);
    if (vs_last > 0) return std::nullopt;
    return last_leaf_->slot[pos];
  }
  const Leaf* leaf = descend(key, p, nullptr);
  const uint32_t pos = search(leaf->prefix, leaf->key, leaf->n, p, key, /*strict=*/false);
  const bool found = pos < leaf->n && equal(leaf->prefix[pos], leaf->key[pos], p, key);
  point_finger(key, leaf, pos, found);
  if (found) return leaf->slot[pos];
  return std::nullopt;
}

void KeyIndex::prefetch(std::span<const std::string_view> keys) const {
  reach_leaves(keys, {});
}

std::vector<const void*> KeyIndex::TEST_prefetched_leaves(
    std::span<const std::string_view> keys) const {
  std::vector<const void*> leaves(keys.size(), nullptr);
  reach_leaves(keys, leaves);
  return leaves;
}

const void* KeyIndex::TEST_leaf_of(std::string_view key) const {
  return descend(key, key_prefix(key), nullptr);
}

void KeyIndex::reach_leaves(std::span<const std::string_view> keys,
                            std::span<const void*> leaves) const {
  CDC_ASSERT(leaves.empty() || leaves.size() == keys.size(), "a leaf slot per key, or none");
  // Every leaf lies at one depth: the inner levels are counted once, down the
  // first children, so no node is read just to learn what its child is.
  size_t inner_levels = 0;
  for (const Node* n = root_; !n->leaf; n = static_cast<const Inner*>(n)->child[0]) {
    CDC_ASSERT(inner_levels < kMaxDepth, "the tree is shallower than kMaxDepth");
    ++inner_levels;
  }
  constexpr size_t kGroup = 16;
  const Node* node[kGroup];
  uint64_t prefix[kGroup];
  for (size_t base = 0; base < keys.size(); base += kGroup) {
    const size_t n = std::min(kGroup, keys.size() - base);
    for (size_t i = 0; i < n; ++i) {
      node[i] = root_;
      prefix[i] = key_prefix(keys[base + i]);
    }
    for (size_t level = 0; level < inner_levels; ++level) {
      const bool to_leaves = level + 1 == inner_levels;
      for (size_t i = 0; i < n; ++i) {
        const Inner* in = static_cast<const Inner*>(node[i]);
        CDC_ASSERT(!in->leaf, "every leaf lies at one depth");
        const uint32_t c =
            search(in->prefix, in->sep, in->n - 1, prefix[i], keys[base + i], /*strict=*/true);
        node[i] = in->child[c];
        __builtin_prefetch(node[i]);
        if (to_leaves) {
          prefetch_prefixes(static_cast<const Leaf*>(node[i])->prefix, kLeafCapacity);
        } else {
          prefetch_prefixes(static_cast<const Inner*>(node[i])->prefix, kInnerCapacity - 1);
        }
      }
    }
    for (size_t i = 0; i < n && !leaves.empty(); ++i)
      leaves[base + i] = node[i];
  }
}

KeyIndex::Iterator KeyIndex::bound(std::string_view key, bool strict) const {
  const uint64_t p = key_prefix(key);
  const Leaf* leaf = descend(key, p, nullptr);
  const uint32_t pos = search(leaf->prefix, leaf->key, leaf->n, p, key, strict);
  if (pos == leaf->n && leaf->next != nullptr) return Iterator(leaf->next, 0);
  return Iterator(leaf, pos);
}

namespace {

// Opens position `pos` of the first `n` entries of parallel arrays. Entries
// are plain records (a key is a KeyBytes): position `pos` keeps a dead copy
// of what moved up, which the caller overwrites without releasing.
template <class... Arrays>
void open_at(uint32_t pos, uint32_t n, Arrays&... arrays) {
  (std::move_backward(arrays.begin() + pos, arrays.begin() + n, arrays.begin() + n + 1), ...);
}

// Closes position `pos` of the first `n` entries of parallel arrays; the
// caller has released a key at `pos`, and position n - 1 is dead after.
template <class... Arrays>
void close_at(uint32_t pos, uint32_t n, Arrays&... arrays) {
  (std::move(arrays.begin() + pos + 1, arrays.begin() + n, arrays.begin() + pos), ...);
}

// Puts the entry (p, key, slot) at `pos` of a leaf with room, after the
// entries before it; pos == leaf->n appends.
template <class LeafT>
void put_entry(LeafT* leaf, uint32_t pos, uint64_t p, std::string_view key, uint32_t slot) {
  CDC_ASSERT(pos <= leaf->n && leaf->n < leaf->slot.size(), "a leaf with room takes the entry");
  open_at(pos, leaf->n, leaf->prefix, leaf->key, leaf->slot);
  leaf->prefix[pos] = p;
  leaf->key[pos] = KeyBytes::make(key);
  leaf->slot[pos] = slot;
  ++leaf->n;
}

}  // namespace

void KeyIndex::insert_at(Leaf* leaf, uint32_t pos, uint64_t prefix, std::string_view key,
                         uint32_t slot) {
  put_entry(leaf, pos, prefix, key, slot);
  ++size_;
  ++version_;
  point_finger(key, leaf, pos, /*found=*/true);
}

void KeyIndex::remove_at(Leaf* leaf, uint32_t pos) {
  CDC_ASSERT(pos < leaf->n, "removing an entry of the leaf");
  ++version_;
  leaf->key[pos].release();
  close_at(pos, leaf->n, leaf->prefix, leaf->key, leaf->slot);
  --leaf->n;
  --size_;
}

void KeyIndex::set(std::string_view key, uint32_t slot) {
  const uint64_t p = key_prefix(key);
  // Finger path: the last lookup found the key, or its place in a leaf with
  // room (the place a descent would find: nothing has moved since).
  if (const Finger* f = finger_for(key)) {
    if (f->found) {
      f->leaf->slot[f->pos] = slot;
      return;
    }
    if (f->leaf->n < kLeafCapacity) {
      insert_at(f->leaf, f->pos, p, key, slot);
      return;
    }
  }
  // Rightmost fast path: a key above every other goes at the end of the
  // last leaf without a descent while that leaf has room.
  if (last_leaf_->n < kLeafCapacity && compare_to_last(p, key) > 0) {
    insert_at(last_leaf_, last_leaf_->n, p, key, slot);
    return;
  }
  Path path;
  Leaf* leaf = descend(key, p, &path);
  uint32_t pos = search(leaf->prefix, leaf->key, leaf->n, p, key, /*strict=*/false);
  if (pos < leaf->n && equal(leaf->prefix[pos], leaf->key[pos], p, key)) {
    leaf->slot[pos] = slot;
    return;
  }
  ++version_;  // entries move in the split below
  const bool rightmost = leaf->next == nullptr && pos == leaf->n;
  Leaf* target = leaf;
  Leaf* right = nullptr;
  if (leaf->n == kLeafCapacity) {
    right = new Leaf();
    if (rightmost) {
      target = right;
      pos = 0;
    } else {
      const uint32_t half = kLeafCapacity / 2;
      right->n = leaf->n - half;
      std::move(leaf->prefix.begin() + half, leaf->prefix.end(), right->prefix.begin());
      std::move(leaf->key.begin() + half, leaf->key.end(), right->key.begin());
      std::move(leaf->slot.begin() + half, leaf->slot.end(), right->slot.begin());
      leaf->n = half;
      if (pos > half) {
        target = right;
        pos -= half;
      }
    }
    right->prev = leaf;
    right->next = leaf->next;
    (right->next != nullptr ? right->next->prev : last_leaf_) = right;
    leaf->next = right;
  }
  insert_at(target, pos, p, key, slot);
  if (right != nullptr) {
    insert_into_parent(&path, rightmost, KeyBytes::make(right->key[0].view()), right);
  }
}

// After the node at the bottom of `path` split off `right` (its keys >= sep):
// adds `right` beside it in the parent, splitting parents as needed.
void KeyIndex::insert_into_parent(Path* path, bool rightmost, KeyBytes sep, Node* right) {
  for (size_t level = 0; level <= kMaxDepth; ++level) {
    if (path->depth == 0) {  // the root split: a new root above it
      Inner* r = new Inner();
      r->n = 2;
      r->child[0] = root_;
      r->child[1] = right;
      r->prefix[0] = key_prefix(sep.view());
      r->sep[0] = sep;
      root_ = r;
      return;
    }
    const Step st = path->steps[--path->depth];
    Inner* in = st.node;
    if (in->n < kInnerCapacity) {
      open_at(st.child, in->n - 1, in->prefix, in->sep);
      open_at(st.child + 1, in->n, in->child);
      in->prefix[st.child] = key_prefix(sep.view());
      in->sep[st.child] = sep;
      in->child[st.child + 1] = right;
      ++in->n;
      return;
    }
    Inner* split = new Inner();
    if (rightmost) {  // the new node starts with `right` alone; `sep` goes up
      CDC_ASSERT(st.child + 1 == in->n, "a rightmost split comes from the last child");
      split->n = 1;
      split->child[0] = right;
      right = split;
      continue;
    }
    // All n + 1 children and n separators in order, then halves.
    std::vector<Node*> children(in->child.begin(), in->child.begin() + in->n);
    std::vector<KeyBytes> seps(in->sep.begin(), in->sep.begin() + in->n - 1);
    children.insert(children.begin() + st.child + 1, right);
    seps.insert(seps.begin() + st.child, sep);
    const uint32_t keep = static_cast<uint32_t>(children.size() / 2);
    in->n = keep;
    split->n = static_cast<uint32_t>(children.size()) - keep;
    for (uint32_t c = 0; c < children.size(); ++c) {
      Inner* to = c < keep ? in : split;
      const uint32_t at = c < keep ? c : c - keep;
      to->child[at] = children[c];
      if (c + 1 < children.size() && c + 1 != keep) {
        to->sep[at] = seps[c];
        to->prefix[at] = key_prefix(to->sep[at].view());
      }
    }
    sep = seps[keep - 1];  // each of the n separators has one place again
    right = split;
  }
  CDC_ASSERT(false, "a split rises at most to the root");
}

bool KeyIndex::erase(std::string_view key) {
  // Finger path: the last lookup found the key in a leaf that keeps another
  // entry (or is the root), so no node leaves the tree.
  if (const Finger* f = finger_for(key)) {
    if (!f->found) return false;
    if (f->leaf->n > 1 || f->leaf == root_) {
      remove_at(f->leaf, f->pos);
      return true;
    }
  }
  const uint64_t p = key_prefix(key);
  Path path;
  Leaf* leaf = descend(key, p, &path);
  const uint32_t pos = search(leaf->prefix, leaf->key, leaf->n, p, key, /*strict=*/false);
  if (pos == leaf->n || !equal(leaf->prefix[pos], leaf->key[pos], p, key)) return false;
  remove_at(leaf, pos);
  if (leaf->n == 0 && leaf != root_) remove_empty_leaf(leaf, &path);
  return true;
}

// Unlinks an emptied leaf and removes it from its parent, and any inner node
// that is left without children from its own; then collapses a root with one
// child. REQUIRES: `path` leads to `leaf`, which is not the root.
void KeyIndex::remove_empty_leaf(Leaf* leaf, Path* path) {
  (leaf->prev != nullptr ? leaf->prev->next : first_leaf_) = leaf->next;
  (leaf->next != nullptr ? leaf->next->prev : last_leaf_) = leaf->prev;
  Node* gone = leaf;
  while (path->depth > 0) {
    const Step st = path->steps[--path->depth];
    Inner* in = st.node;
    CDC_ASSERT(in->child[st.child] == gone, "the path leads to the removed node");
    destroy(gone);
    if (in->n > 1) {
      const uint32_t sep = st.child > 0 ? st.child - 1 : 0;
      in->sep[sep].release();
      close_at(sep, in->n - 1, in->prefix, in->sep);
    }
    close_at(st.child, in->n, in->child);
    --in->n;
    if (in->n > 0) break;
    gone = in;
  }
  CDC_ASSERT(root_->n > 0, "the root keeps a child while another leaf exists");
  while (!root_->leaf && root_->n == 1) {
    Inner* r = static_cast<Inner*>(root_);
    root_ = r->child[0];
    r->n = 0;
    destroy(r);
  }
}

size_t KeyIndex::memory_bytes() const {
  size_t bytes = 0;
  std::vector<const Node*> stack = {root_};
  while (!stack.empty()) {
    const Node* node = stack.back();
    stack.pop_back();
    if (node->leaf) {
      const Leaf* l = static_cast<const Leaf*>(node);
      bytes += sizeof(Leaf);
      for (uint32_t i = 0; i < l->n; ++i) {
        if (l->key[i].on_heap()) bytes += l->key[i].view().size();
      }
      continue;
    }
    const Inner* in = static_cast<const Inner*>(node);
    bytes += sizeof(Inner);
    for (uint32_t c = 0; c < in->n; ++c) {
      stack.push_back(in->child[c]);
      if (c + 1 < in->n && in->sep[c].on_heap()) bytes += in->sep[c].view().size();
    }
  }
  return bytes;
}

namespace {

struct Bounds {
  std::optional<std::string_view> lo;  // inclusive
  std::optional<std::string_view> hi;  // exclusive
  size_t depth = 0;                    // of the node these bound
};

}  // namespace

size_t KeyIndex::check_invariants() const {
  size_t leaves = 0;
  size_t entries = 0;
  std::optional<std::string_view> previous;
  const Leaf* expected_prev = nullptr;
  for (const Leaf* l = first_leaf_; l != nullptr; l = l->next) {
    CDC_ASSERT(l->prev == expected_prev, "the leaf chain links both ways");
    CDC_ASSERT(l->n > 0 || (l == root_ && l->next == nullptr), "only a lone root leaf is empty");
    for (uint32_t i = 0; i < l->n; ++i) {
      CDC_ASSERT(l->prefix[i] == key_prefix(l->key[i].view()), "a prefix matches its key");
      CDC_ASSERT(!previous || *previous < l->key[i].view(), "keys ascend");
      previous = l->key[i].view();
    }
    entries += l->n;
    expected_prev = l;
    ++leaves;
  }
  CDC_ASSERT(expected_prev == last_leaf_, "the chain ends at the last leaf");
  CDC_ASSERT(entries == size_, "size counts the entries");
  // Every key lies within its ancestors' separators.
  std::vector<std::pair<const Node*, Bounds>> stack = {{root_, Bounds{}}};
  size_t reached = 0;
  std::optional<size_t> leaf_depth;
  while (!stack.empty()) {
    const auto [node, b] = stack.back();
    stack.pop_back();
    if (node->leaf) {
      const Leaf* l = static_cast<const Leaf*>(node);
      for (uint32_t i = 0; i < l->n; ++i) {
        CDC_ASSERT(!b.lo || *b.lo <= l->key[i].view(), "a key is >= its lower bound");
        CDC_ASSERT(!b.hi || l->key[i].view() < *b.hi, "a key is < its upper bound");
      }
      CDC_ASSERT(!leaf_depth || *leaf_depth == b.depth, "every leaf lies at one depth");
      leaf_depth = b.depth;
      ++reached;
      continue;
    }
    const Inner* in = static_cast<const Inner*>(node);
    CDC_ASSERT(in->n > 0 && (in != root_ || in->n > 1), "inner nodes have children");
    for (uint32_t c = 0; c < in->n; ++c) {
      Bounds child = b;
      ++child.depth;
      if (c > 0) child.lo = in->sep[c - 1].view();
      if (c + 1 < in->n) child.hi = in->sep[c].view();
      if (c + 1 < in->n) {
        CDC_ASSERT(in->prefix[c] == key_prefix(in->sep[c].view()), "separator prefix");
      }
      stack.emplace_back(in->child[c], child);
    }
  }
  CDC_ASSERT(reached == leaves, "the tree reaches every leaf of the chain");
  return leaves;
}

}  // namespace cdc
