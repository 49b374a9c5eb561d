// The merge table's B+ tree against std::map, its reference: random
// sequences of single and batched writes, overwrites and erases (RapidCheck
// stateful testing), then every lookup and the walk in key order must agree
// with the map, and the tree's invariants must hold after each command.
// Batches of hundreds of keys split leaves and inner nodes; ascending,
// descending and strided batches take each kind of split. Keys past 15
// bytes are held on the heap (model/key_bytes.h).
#include "model/merge_rows.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>
#include <rapidcheck/state.h>

#include <map>
#include <string>
#include <vector>

#include "tests/model/byte_keys.h"

namespace cdc {
namespace {

using Ref = std::map<std::string, uint64_t>;  // key -> the value's lsn

struct Sut {
  MergeRows rows;
};

DestValue value_of(uint64_t tag) {
  DestValue v;
  v.lsn = Lsn(tag);
  v.fields = Row{Value::int64(static_cast<int64_t>(tag))};  // counted: copies must release it
  return v;
}

void check_agrees(const Ref& ref, const MergeRows& rows) {
  rows.check_invariants();
  RC_ASSERT(rows.size() == ref.size());
  auto it = ref.begin();
  for (const auto& [key, value] : rows) {
    RC_ASSERT(it != ref.end());
    RC_ASSERT(key.view() == it->first);
    RC_ASSERT(value.lsn == Lsn(it->second));
    RC_ASSERT(value.fields == Row{Value::int64(static_cast<int64_t>(it->second))});
    ++it;
  }
  RC_ASSERT(it == ref.end());
}

struct Set : rc::state::Command<Ref, Sut> {
  std::string key = *testing::gen_byte_key();
  uint64_t tag = *rc::gen::inRange<uint64_t>(1, 1'000'000);
  void apply(Ref& ref) const override { ref[key] = tag; }
  void run(const Ref& ref, Sut& sut) const override {
    const bool added = sut.rows.insert_or_assign(key, value_of(tag));
    RC_ASSERT(added == (ref.count(key) == 0));
    Ref next = ref;
    apply(next);
    check_agrees(next, sut.rows);
  }
  void show(std::ostream& os) const override { os << "Set(" << key.size() << " bytes)"; }
};

struct SetMany : rc::state::Command<Ref, Sut> {
  char tag = *rc::gen::element<char>('m', 'n', 'l');
  uint32_t first = *rc::gen::inRange<uint32_t>(0, 1000);
  uint32_t count = *rc::gen::inRange<uint32_t>(1, 3000);
  uint32_t stride = *rc::gen::element<uint32_t>(1, 1, 7, 9973);
  bool descending = *rc::gen::arbitrary<bool>();
  uint32_t number(uint32_t i) const {
    const uint32_t j = descending ? count - 1 - i : i;
    return (first + j * stride) % 100'000;
  }
  void apply(Ref& ref) const override {
    for (uint32_t i = 0; i < count; ++i)
      ref[testing::numbered_key(tag, number(i))] = uint64_t{number(i)} + 7;
  }
  void run(const Ref& ref, Sut& sut) const override {
    for (uint32_t i = 0; i < count; ++i)
      sut.rows.insert_or_assign(testing::numbered_key(tag, number(i)),
                                value_of(uint64_t{number(i)} + 7));
    Ref next = ref;
    apply(next);
    check_agrees(next, sut.rows);
  }
  void show(std::ostream& os) const override {
    os << "SetMany(" << tag << ", " << first << ", " << count << " x " << stride
       << (descending ? ", descending)" : ")");
  }
};

// Erases `count` keys from the `at`-th present one on, then a random key
// (mostly absent).
struct Erase : rc::state::Command<Ref, Sut> {
  size_t at = *rc::gen::oneOf(rc::gen::just<size_t>(0), rc::gen::arbitrary<size_t>());
  size_t count = *rc::gen::element<size_t>(1, 1, 50, 400);
  std::string other = *testing::gen_byte_key();
  std::vector<std::string> keys(const Ref& ref) const {
    std::vector<std::string> out;
    if (!ref.empty()) {
      auto it = std::next(ref.begin(), static_cast<std::ptrdiff_t>(at % ref.size()));
      for (size_t i = 0; i < count && it != ref.end(); ++i, ++it)
        out.push_back(it->first);
    }
    out.push_back(other);
    return out;
  }
  void apply(Ref& ref) const override {
    for (const std::string& k : keys(ref))
      ref.erase(k);
  }
  void run(const Ref& ref, Sut& sut) const override {
    Ref next = ref;
    for (const std::string& k : keys(ref)) {
      RC_ASSERT(sut.rows.erase(k) == next.count(k));
      next.erase(k);
    }
    check_agrees(next, sut.rows);
  }
  void show(std::ostream& os) const override { os << "Erase(" << at << ", " << count << ")"; }
};

struct Probe : rc::state::Command<Ref, Sut> {
  std::string key = *rc::gen::oneOf(
      testing::gen_byte_key(), rc::gen::map(rc::gen::inRange<uint32_t>(0, 5000), [](uint32_t i) {
        return testing::numbered_key('m', i);
      }));
  void run(const Ref& ref, Sut& sut) const override {
    const auto it = ref.find(key);
    const DestValue* found = std::as_const(sut.rows).find(key);
    RC_ASSERT((found != nullptr) == (it != ref.end()));
    RC_ASSERT(sut.rows.count(key) == ref.count(key));
    if (found != nullptr) RC_ASSERT(found->lsn == Lsn(it->second));
  }
  void show(std::ostream& os) const override { os << "Probe(" << key.size() << " bytes)"; }
};

// Moves the rows out and back (a destination table released or truncated).
struct MoveAround : rc::state::Command<Ref, Sut> {
  void run(const Ref& ref, Sut& sut) const override {
    MergeRows elsewhere(std::move(sut.rows));
    RC_ASSERT(sut.rows.empty());
    sut.rows = std::move(elsewhere);
    check_agrees(ref, sut.rows);
  }
  void show(std::ostream& os) const override { os << "MoveAround"; }
};

struct Clear : rc::state::Command<Ref, Sut> {
  void apply(Ref& ref) const override { ref.clear(); }
  void run(const Ref&, Sut& sut) const override {
    sut.rows.clear();
    check_agrees(Ref{}, sut.rows);
  }
  void show(std::ostream& os) const override { os << "Clear"; }
};

RC_GTEST_PROP(MergeRowsStateful, AgreesWithAnOrderedMap, ()) {
  const Ref ref;
  Sut sut;
  rc::state::check(ref, sut,
                   rc::state::gen::execOneOfWithArgs<Set, Set, SetMany, SetMany, Erase, Probe,
                                                     MoveAround, Clear>());
}

constexpr uint32_t kRows = 100'000;
constexpr size_t kFullLeaves = (kRows + MergeRows::kLeafCapacity - 1) / MergeRows::kLeafCapacity;

// A backfill's rows come in ascending order: the leaves fill.
TEST(MergeRowsTest, AnAscendingLoadFillsItsLeaves) {
  MergeRows rows;
  for (uint32_t i = 0; i < kRows; ++i)
    ASSERT_TRUE(rows.insert_or_assign(testing::numbered_key('s', i), value_of(i)));
  EXPECT_EQ(rows.check_invariants(), kFullLeaves);
}

// Rows in ascending order below a row already stored (one streamed ahead
// of the backfill), and rows in descending order: each leaf takes all but
// a few of its rows, not half of them.
TEST(MergeRowsTest, LoadsBelowAStoredKeyOrDescendingFillAllButAFewRowsOfALeaf) {
  const size_t most = kRows / (MergeRows::kLeafCapacity - 4) + 2;
  MergeRows below;
  ASSERT_TRUE(below.insert_or_assign(testing::numbered_key('s', kRows), value_of(kRows)));
  for (uint32_t i = 0; i < kRows; ++i)
    ASSERT_TRUE(below.insert_or_assign(testing::numbered_key('s', i), value_of(i)));
  EXPECT_LE(below.check_invariants(), most);
  MergeRows descending;
  for (uint32_t i = kRows; i-- > 0;)
    ASSERT_TRUE(descending.insert_or_assign(testing::numbered_key('s', i), value_of(i)));
  EXPECT_LE(descending.check_invariants(), most);
}

// Erasing every row but one leaves one leaf; an emptied map takes rows again.
TEST(MergeRowsTest, ErasingShrinksTheTreeToOneLeaf) {
  MergeRows rows;
  for (uint32_t i = 0; i < kRows; ++i)
    rows.insert_or_assign(testing::numbered_key('s', (i * 7919) % kRows), value_of(i));
  for (uint32_t i = 1; i < kRows; ++i)
    ASSERT_EQ(rows.erase(testing::numbered_key('s', i)), 1u);
  EXPECT_EQ(rows.check_invariants(), 1u);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows.at(testing::numbered_key('s', 0)).lsn, Lsn(0));
  EXPECT_EQ(rows.erase(testing::numbered_key('s', 1)), 0u);
  EXPECT_EQ(rows.erase(testing::numbered_key('s', 0)), 1u);
  EXPECT_TRUE(rows.empty());
  EXPECT_EQ(rows.begin(), rows.end());
  EXPECT_TRUE(rows.insert_or_assign(testing::numbered_key('s', 3), value_of(3)));
  EXPECT_EQ(rows.check_invariants(), 1u);
}

// A row's fields are shared, not copied; erasing the row, or clearing the
// map, lets go of them (the vacated slot holds nothing).
TEST(MergeRowsTest, ErasingOrClearingLetsGoOfTheFields) {
  const DestValue held = value_of(1);
  MergeRows rows;
  for (uint32_t i = 0; i < 100; ++i)
    rows.insert_or_assign(testing::numbered_key('s', i), held);
  EXPECT_EQ(held.fields.use_count(), 101u);
  for (uint32_t i = 0; i < 100; i += 2)
    rows.erase(testing::numbered_key('s', i));
  rows.erase(
      testing::numbered_key('s', 99));  // the last row of its leaf: nothing moves into its slot
  EXPECT_EQ(held.fields.use_count(), 50u);
  rows.clear();
  EXPECT_EQ(held.fields.use_count(), 1u);
}

}  // namespace
}  // namespace cdc
