// The B+ tree key index against std::map, its reference: random sequences of
// single and batched inserts, overwrites and erases (RapidCheck stateful
// testing), then every lookup, bound and walk, forward and backward, must
// agree with the map, and the tree's invariants must hold after each command.
// Keys mix lengths around the eight-byte prefix and bytes 0x00 and 0xff, so
// comparisons that the prefix cannot settle are exercised; batches of
// hundreds of keys split leaves and inner nodes, ascending batches take the
// rightmost split.
#include "model/key_index.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>
#include <rapidcheck/state.h>

#include <map>
#include <string>
#include <vector>

#include "tests/model/byte_keys.h"

namespace cdc {
namespace {

using Ref = std::map<std::string, uint32_t>;

struct Sut {
  KeyIndex index;
};

void check_agrees(const Ref& ref, const KeyIndex& index) {
  index.check_invariants();
  RC_ASSERT(index.size() == ref.size());
  auto it = index.begin();
  for (const auto& [k, v] : ref) {
    RC_ASSERT(!(it == index.end()));
    RC_ASSERT(it.key() == k);
    RC_ASSERT(it.slot() == v);
    ++it;
  }
  RC_ASSERT(it == index.end());
  if (ref.empty()) return;
  auto back = index.last();
  for (auto r = ref.rbegin(); r != ref.rend(); ++r) {
    RC_ASSERT(back.key() == r->first);
    if (std::next(r) != ref.rend()) --back;
  }
  RC_ASSERT(back == index.begin());
}

// Sets one key, often right after looking it up (as a write follows its
// lookup), so that set() takes the place the lookup left.
struct Set : rc::state::Command<Ref, Sut> {
  std::string key = *testing::gen_byte_key();
  uint32_t slot = *rc::gen::arbitrary<uint32_t>();
  bool look_first = *rc::gen::arbitrary<bool>();
  void apply(Ref& ref) const override { ref[key] = slot; }
  void run(const Ref& ref, Sut& sut) const override {
    if (look_first) RC_ASSERT(sut.index.find(key).has_value() == ref.contains(key));
    sut.index.set(key, slot);
    Ref next = ref;
    apply(next);
    check_agrees(next, sut.index);
  }
  void show(std::ostream& os) const override { os << "Set(" << key.size() << " bytes)"; }
};

// `count` numbered keys from `first`, by `stride` (1: ascending, the
// rightmost path; others scatter).
struct SetMany : rc::state::Command<Ref, Sut> {
  char tag = *rc::gen::element<char>('m', 'n', 'l');
  uint32_t first = *rc::gen::inRange<uint32_t>(0, 1000);
  uint32_t count = *rc::gen::inRange<uint32_t>(1, 3000);
  uint32_t stride = *rc::gen::element<uint32_t>(1, 1, 7, 9973);
  bool look_first = *rc::gen::arbitrary<bool>();  // each key looked up before it is set
  void apply(Ref& ref) const override {
    for (uint32_t i = 0; i < count; ++i)
      ref[testing::numbered_key(tag, (first + i * stride) % 5000)] = i;
  }
  void run(const Ref& ref, Sut& sut) const override {
    for (uint32_t i = 0; i < count; ++i) {
      const std::string key = testing::numbered_key(tag, (first + i * stride) % 5000);
      if (look_first) (void)sut.index.find(key);
      sut.index.set(key, i);
    }
    Ref next = ref;
    apply(next);
    check_agrees(next, sut.index);
  }
  void show(std::ostream& os) const override {
    os << "SetMany(" << tag << ", " << first << ", " << count << ", " << stride << ", "
       << look_first << ")";
  }
};

// Erases one present key, or a run of the present keys in order (which
// empties leaves and inner nodes).
struct Erase : rc::state::Command<Ref, Sut> {
  // Often from the first key: emptying a first child removes the separator
  // after it.
  size_t at = *rc::gen::oneOf(rc::gen::just<size_t>(0), rc::gen::arbitrary<size_t>());
  size_t count = *rc::gen::element<size_t>(1, 1, 50, 400);
  void checkPreconditions(const Ref& ref) const override { RC_PRE(!ref.empty()); }
  std::vector<std::string> victims(const Ref& ref) const {
    std::vector<std::string> out;
    auto it = std::next(ref.begin(), static_cast<long>(at % ref.size()));
    for (; it != ref.end() && out.size() < count; ++it)
      out.push_back(it->first);
    return out;
  }
  void apply(Ref& ref) const override {
    for (const std::string& k : victims(ref))
      ref.erase(k);
  }
  void run(const Ref& ref, Sut& sut) const override {
    for (const std::string& k : victims(ref))
      RC_ASSERT(sut.index.erase(k));
    Ref next = ref;
    apply(next);
    check_agrees(next, sut.index);
  }
  void show(std::ostream& os) const override { os << "Erase(" << at << ", " << count << ")"; }
};

// Lookups and bounds of a random key (present or not), after a prefetch of
// it among others (a group of more than sixteen: two groups), which must
// reach the leaf each lookup descends to and leave the index as it was.
struct Probe : rc::state::Command<Ref, Sut> {
  std::string key = *rc::gen::oneOf(
      testing::gen_byte_key(), rc::gen::map(rc::gen::inRange<uint32_t>(0, 5000), [](uint32_t i) {
        return testing::numbered_key('m', i);
      }));
  void apply(Ref&) const override {}
  void run(const Ref& ref, Sut& sut) const override {
    std::vector<std::string> others;
    for (uint32_t i = 0; i < 20; ++i)
      others.push_back(testing::numbered_key(i % 2 == 0 ? 'm' : 'l', i * 250));
    std::vector<std::string_view> group(others.begin(), others.end());
    group.insert(group.begin() + 7, key);
    const std::vector<const void*> reached = sut.index.TEST_prefetched_leaves(group);
    for (size_t i = 0; i < group.size(); ++i) {
      const bool same_leaf = reached[i] == sut.index.TEST_leaf_of(group[i]);
      RC_ASSERT(same_leaf);
    }
    sut.index.prefetch(group);
    check_agrees(ref, sut.index);
    const auto want = ref.find(key);
    const std::optional<uint32_t> got = sut.index.find(key);
    RC_ASSERT(got.has_value() == (want != ref.end()));
    if (got) RC_ASSERT(*got == want->second);
    RC_ASSERT(sut.index.erase(key) == (want != ref.end()));
    if (got) sut.index.set(key, *got);  // put back
    const auto lo = ref.lower_bound(key);
    const auto ilo = sut.index.lower_bound(key);
    RC_ASSERT((ilo == sut.index.end()) == (lo == ref.end()));
    if (lo != ref.end()) RC_ASSERT(ilo.key() == lo->first);
    const auto hi = ref.upper_bound(key);
    const auto ihi = sut.index.upper_bound(key);
    RC_ASSERT((ihi == sut.index.end()) == (hi == ref.end()));
    if (hi != ref.end()) RC_ASSERT(ihi.key() == hi->first);
    check_agrees(ref, sut.index);
  }
  void show(std::ostream& os) const override { os << "Probe(" << key.size() << " bytes)"; }
};

struct Clear : rc::state::Command<Ref, Sut> {
  void apply(Ref& ref) const override { ref.clear(); }
  void run(const Ref&, Sut& sut) const override {
    sut.index.clear();
    check_agrees(Ref{}, sut.index);
  }
  void show(std::ostream& os) const override { os << "Clear"; }
};

RC_GTEST_PROP(KeyIndexStateful, AgreesWithAnOrderedMap, ()) {
  const Ref ref;
  Sut sut;
  rc::state::check(
      ref, sut, rc::state::gen::execOneOfWithArgs<Set, Set, SetMany, Erase, Probe, Probe, Clear>());
}

// An ascending load fills its leaves (the rightmost split keeps every entry
// on the left); erasing all but one key leaves one leaf and a lone entry.
TEST(KeyIndexTest, AnAscendingLoadFillsItsLeavesAndErasingShrinksTheTree) {
  KeyIndex index;
  constexpr uint32_t kKeys = 100'000;
  for (uint32_t i = 0; i < kKeys; ++i)
    index.set(testing::numbered_key('s', i), i);
  const size_t leaves = index.check_invariants();
  EXPECT_EQ(leaves, (kKeys + KeyIndex::kLeafCapacity - 1) / KeyIndex::kLeafCapacity);
  for (uint32_t i = 1; i < kKeys; ++i)
    ASSERT_TRUE(index.erase(testing::numbered_key('s', i)));
  EXPECT_EQ(index.check_invariants(), 1u);
  EXPECT_EQ(index.size(), 1u);
  EXPECT_EQ(index.find(testing::numbered_key('s', 0)), 0u);
  EXPECT_FALSE(index.erase(testing::numbered_key('s', 1)));
  EXPECT_EQ(index.last().key(), testing::numbered_key('s', 0));
}

}  // namespace
}  // namespace cdc
