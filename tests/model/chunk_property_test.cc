// Keyset chunks partition the key space in the requested order, for random
// keys, both collations and both orders, after deletes, key changes and
// rewrites; ctid ranges partition the heap.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>

#include "model/database.h"
#include "model/key_encoding.h"
#include "tests/model/test_tables.h"

namespace cdc {
namespace {

rc::Gen<std::string> gen_word() {
  static const std::vector<std::string> kLetters = {"a", "A", "b", "B", "e",
                                                    "é", "É", "z", "0", " "};
  return rc::gen::mapcat(rc::gen::inRange<size_t>(1, 5), [](size_t n) {
    return rc::gen::map(
        rc::gen::container<std::vector<std::string>>(n, rc::gen::elementOf(kLetters)),
        [](const std::vector<std::string>& parts) {
          std::string s;
          for (const auto& p : parts)
            s += p;
          return s;
        });
  });
}

RC_GTEST_PROP(ChunkProperty, KeysetChunksPartitionTheKeySpace, ()) {
  const Collation word_collation = *rc::gen::element(Collation::kC, Collation::kLocale);
  const KeyOrder order = *rc::gen::element(KeyOrder::kDatabase, KeyOrder::kBytewise);
  const auto words = *rc::gen::container<std::vector<std::string>>(gen_word());
  const auto langs = *rc::gen::container<std::vector<int>>(words.size(), rc::gen::inRange(0, 3));
  const uint32_t limit = *rc::gen::inRange<uint32_t>(1, 8);

  Database db;
  TableSchema schema = testing::words_schema();
  schema.columns[0].collation = word_collation;
  const TableId t = db.create_table(schema).value();
  const std::vector<std::string> kLangs = {"en", "EN", "fr"};
  const TxnId tx = db.begin();
  for (size_t i = 0; i < words.size(); ++i) {
    Row r{Value::text(words[i]), Value::text(kLangs[langs[i]]), Value::int64(int64_t(i))};
    Status s = db.insert(tx, t, r);
    const bool inserted_or_duplicate = s.is_ok() || s.code() == ErrorCode::kUniqueViolation;
    RC_ASSERT(inserted_or_duplicate);
  }
  RC_ASSERT(db.commit(tx).is_ok());
  // A chunk read now builds the bytewise index of a locale key before the
  // edits below, which must then keep it in step; otherwise the first chunk
  // after them builds it.
  if (*rc::gen::arbitrary<bool>()) {
    RC_ASSERT(db.keyset_chunk(t, std::nullopt, limit, order).status.is_ok());
  }
  // Rows inserted, updated in place or given another key, all rolled back,
  // leave both indexes as they were (undo restores each key's previous
  // version).
  const TxnId rolled_back = db.begin();
  for (size_t i = 0; i < words.size(); ++i) {
    const Key key{Value::text(words[i]), Value::text(kLangs[langs[i]])};
    if (i % 3 == 0) {
      (void)db.insert(rolled_back, t, {Value::text(words[i] + "c"), key[1], Value::int64(0)});
    } else if (i % 3 == 1) {
      (void)db.update(rolled_back, t, key, {key[0], key[1], Value::int64(-2)});
    } else {
      (void)db.update(rolled_back, t, key, {Value::text(words[i] + "d"), key[1], Value::int64(-3)});
    }
  }
  RC_ASSERT(db.abort(rolled_back).is_ok());
  // Then some rows are deleted or given another key, and the table may be
  // rewritten: the indexes the chunks walk follow every change.
  const auto edits = *rc::gen::container<std::vector<int>>(words.size(), rc::gen::inRange(0, 3));
  const TxnId edit = db.begin();
  for (size_t i = 0; i < words.size(); ++i) {
    const Key key{Value::text(words[i]), Value::text(kLangs[langs[i]])};
    if (edits[i] == 1) (void)db.remove(edit, t, key);
    if (edits[i] == 2) {
      Row moved{Value::text(words[i] + "b"), Value::text(kLangs[langs[i]]), Value::int64(-1)};
      (void)db.update(edit, t, key, moved);  // may collide with another row's key: then kept
    }
  }
  RC_ASSERT(db.commit(edit).is_ok());
  if (*rc::gen::arbitrary<bool>()) RC_ASSERT(db.vacuum_full(t).is_ok());

  // Expected: every row, sorted by the requested order.
  const std::vector<ColumnType> types = schema.key_types();
  const std::vector<Collation> collations =
      order == KeyOrder::kBytewise ? std::vector<Collation>(types.size(), Collation::kC)
                                   : schema.key_collations();
  std::vector<Key> expected;
  for (const ScannedRow& r : db.scan(t).rows)
    expected.push_back(schema.key_of(r.row));
  std::sort(expected.begin(), expected.end(),
            [&](const Key& a, const Key& b) { return compare_keys(a, b, types, collations) < 0; });

  std::vector<Key> seen;
  std::optional<Key> cursor;
  for (size_t round = 0; round <= expected.size() + 1; ++round) {
    QueryResult q = db.keyset_chunk(t, cursor, limit, order);
    RC_ASSERT(q.status.is_ok());
    for (const ScannedRow& r : q.rows)
      seen.push_back(schema.key_of(r.row));
    if (q.rows.size() < limit) break;
    cursor = schema.key_of(q.rows.back().row);
  }
  RC_ASSERT(seen == expected);
  // A chunk reaches a key's visible version from any newer one, so the
  // chunks alone would not see a bytewise entry left on an undone version:
  // both indexes hold the same slot for every key.
  const HeapTable& h = db.heap(t);
  if (h.has_bytewise_index()) {
    const KeyIndex& bytewise = h.bytewise_index();
    RC_ASSERT(bytewise.size() == h.index().size());
    for (auto it = h.index().begin(); it != h.index().end(); ++it) {
      RC_ASSERT(bytewise.find(h.bytewise_key_of_row(h.row(it.slot()))) == it.slot());
    }
  }
}

RC_GTEST_PROP(ChunkProperty, CtidRangesPartitionTheHeap, ()) {
  const auto deletes = *rc::gen::container<std::vector<bool>>(rc::gen::arbitrary<bool>());
  const uint16_t width = *rc::gen::inRange<uint16_t>(1, 6);
  Database db;
  const TableId t = db.create_table(testing::logs_schema()).value();
  const TxnId tx = db.begin();
  for (size_t i = 0; i < deletes.size(); ++i) {
    RC_ASSERT(db.insert(tx, t, {Value::text("m"), Value::int64(int64_t(i))}).is_ok());
  }
  RC_ASSERT(db.commit(tx).is_ok());
  const TxnId del = db.begin();
  for (size_t i = 0; i < deletes.size(); ++i) {
    if (deletes[i]) {
      const Ctid c = db.heap(t).ctid_of(static_cast<uint32_t>(i));
      RC_ASSERT(db.remove_at(del, t, c).is_ok());
    }
  }
  RC_ASSERT(db.commit(del).is_ok());
  // Walk pages `width` blocks at a time up to the page count plus slack.
  std::vector<int64_t> seen;
  const uint32_t pages = db.page_count(t).value() + 1;
  for (uint32_t block = 0; block < pages; block += width) {
    QueryResult q = db.ctid_range(t, Ctid{block, 0}, Ctid{block + width - 1, 0xffff});
    RC_ASSERT(q.status.is_ok());
    for (const ScannedRow& r : q.rows)
      seen.push_back(r.row[1].as_int64());
  }
  std::vector<int64_t> expected;
  for (size_t i = 0; i < deletes.size(); ++i) {
    if (!deletes[i]) expected.push_back(int64_t(i));
  }
  RC_ASSERT(seen == expected);
}

}  // namespace
}  // namespace cdc
