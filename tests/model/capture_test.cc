// The capture algorithm step by step (DESIGN §5), against the source model.
#include "model/capture.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "model/model_source.h"
#include "model/mutants.h"
#include "tests/model/test_tables.h"

namespace cdc {
namespace {

using testing::ikey;
using testing::insert_committed;
using testing::item;

// Records what the capture reports.
class Trace : public CaptureObserver {
 public:
  void on_start(Lsn) override { ++starts; }
  void on_instance(uint32_t, const std::string& key, CaptureMode mode, Lsn start) override {
    instances.push_back({key, mode, start});
  }
  void on_decoded(const DecodedTxn&) override {}
  void on_chunk(const ChunkTrace& c) override { chunks.push_back(c); }
  void on_resume(uint32_t, const std::string& key, const BindingState& st) override {
    resumes.push_back({key, st});
  }
  void on_commit(uint64_t, const std::vector<std::pair<uint32_t, CollectionDoc>>& d,
                 const std::vector<uint64_t>&, const std::vector<std::string>& done, Lsn) override {
    for (const auto& [b, doc] : d)
      docs.push_back(doc);
    completed.insert(completed.end(), done.begin(), done.end());
  }
  void on_error(const Error& e) override { errors.push_back(e.message); }
  void on_ignored(IgnoredRecord, const std::string& w) override { ignored.push_back(w); }

  struct Instance {
    std::string key;
    CaptureMode mode;
    Lsn start;
  };
  struct Resumed {
    std::string key;
    BindingState state;
  };
  int starts = 0;
  std::vector<Instance> instances;
  std::vector<Resumed> resumes;
  std::vector<ChunkTrace> chunks;
  std::vector<CollectionDoc> docs;
  std::vector<std::string> completed, errors, ignored;
};

class CaptureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(db.create_table(watermarks_schema("flow_watermarks")).is_ok());
  }
  TableId table(TableSchema s) { return db.create_table(std::move(s)).value(); }
  void make_capture(std::vector<CaptureBinding> bindings, CaptureOptions o = {}) {
    o.chunk_size = o.chunk_size == 8 ? 4 : o.chunk_size;
    capture.emplace(
        &source, &store, o, std::move(bindings), [](uint64_t) { return 0; }, &trace);
  }
  static CaptureBinding binding(const std::string& table, BackfillMode mode) {
    CaptureBinding b;
    b.table = table;
    b.collection = "c/" + table;
    b.mode = mode;
    return b;
  }
  // Steps until the capture is streaming with every backfill done (bounded).
  void run_until_streaming(int max_steps = 1000) {
    for (int i = 0; i < max_steps; ++i) {
      (void)capture->step();
      if (capture->phase() == Capture::Phase::kStreaming && capture->backfills_done()) {
        (void)capture->step();
        return;
      }
    }
    FAIL() << "capture did not reach streaming";
  }
  std::map<CompactKey, ReducedDoc> reduced(const std::string& table) {
    return store.reduce("c/" + table);
  }

  Database db;
  ModelSource source{&db};
  CollectionStore store;
  Trace trace;
  std::optional<Capture> capture;
};

TEST_F(CaptureTest, AutomaticResolvesPerKeyType) {
  table(testing::items_schema());
  table(testing::words_schema());
  table(testing::logs_schema());
  make_capture({binding("items", BackfillMode::kAutomatic),
                binding("words", BackfillMode::kAutomatic),
                binding("logs", BackfillMode::kAutomatic)});
  ASSERT_TRUE(capture->step().is_ok());
  ASSERT_EQ(trace.instances.size(), 3u);
  EXPECT_EQ(trace.instances[0].mode, CaptureMode::kPrecise);  // int key: bytewise order
  EXPECT_EQ(trace.instances[1].mode, CaptureMode::kNormal);   // text key, locale collation
  EXPECT_EQ(trace.instances[2].mode, CaptureMode::kWithoutPrimaryKey);
  EXPECT_EQ(trace.instances[0].key, "items.v0");
}

TEST_F(CaptureTest, BackfillThenStreamConverges) {
  const TableId t = table(testing::items_schema());
  for (int i = 0; i < 10; ++i)
    insert_committed(db, t, item(i, i));
  make_capture({binding("items", BackfillMode::kPrecise)});
  run_until_streaming();
  EXPECT_EQ(reduced("items").size(), 10u);
  EXPECT_EQ(trace.completed, std::vector<std::string>{"items.v0"});
  // 10 rows in chunks of 4: 4, 4, 2 (the short chunk ends the backfill).
  ASSERT_EQ(trace.chunks.size(), 3u);
  EXPECT_TRUE(trace.chunks[2].final_chunk);
  EXPECT_EQ(trace.chunks[1].after, ikey(3));
  const TxnId tx = db.begin();
  ASSERT_TRUE(db.update(tx, t, ikey(3), item(30, 0)).is_ok());  // a key change
  ASSERT_TRUE(db.commit(tx).is_ok());
  (void)capture->step();
  const auto r = reduced("items");
  EXPECT_EQ(r.size(), 10u);
  EXPECT_EQ(r.count(trace.docs.back().key), 1u);
  // The key change became a delete of the old key and a create of the new one.
  ASSERT_GE(trace.docs.size(), 2u);
  EXPECT_EQ(trace.docs[trace.docs.size() - 2].op, 'd');
  EXPECT_EQ(trace.docs.back().op, 'c');
}

TEST_F(CaptureTest, PreciseDropsChangesBeyondTheCursor) {
  const TableId t = table(testing::items_schema());
  for (int i = 0; i < 10; ++i)
    insert_committed(db, t, item(i, 0));
  make_capture({binding("items", BackfillMode::kPrecise)});
  ASSERT_TRUE(capture->step().is_ok());  // start
  // Changes before the first chunk: no cursor yet, all dropped.
  const TxnId early = db.begin();
  ASSERT_TRUE(db.update(early, t, ikey(1), item(1, 100)).is_ok());
  ASSERT_TRUE(db.commit(early).is_ok());
  while (capture->phase() != Capture::Phase::kChunk)
    ASSERT_TRUE(capture->step().is_ok());
  EXPECT_TRUE(trace.docs.empty());
  ASSERT_TRUE(capture->step().is_ok());  // chunk: keys 0..3, cursor 3
  const TxnId tx = db.begin();
  ASSERT_TRUE(db.update(tx, t, ikey(2), item(2, 200)).is_ok());  // <= cursor: emitted
  ASSERT_TRUE(db.update(tx, t, ikey(7), item(7, 700)).is_ok());  // > cursor: dropped
  ASSERT_TRUE(db.commit(tx).is_ok());
  while (capture->phase() != Capture::Phase::kChunk)
    ASSERT_TRUE(capture->step().is_ok());
  std::vector<std::pair<char, int64_t>> seen;
  for (const CollectionDoc& d : trace.docs)
    seen.emplace_back(d.op, d.fields[0].as_int64());
  EXPECT_EQ(seen, (std::vector<std::pair<char, int64_t>>{
                      {'c', 0}, {'c', 1}, {'c', 2}, {'c', 3}, {'u', 2}}));
  EXPECT_EQ(trace.docs[1].fields[1].as_int64(), 100);  // the chunk read the updated row
  run_until_streaming();
  EXPECT_EQ(reduced("items").size(), 10u);
  EXPECT_EQ(reduced("items").begin()->second.fields.size(), 3u);
}

TEST_F(CaptureTest, NormalEmitsEveryChange) {
  const TableId t = table(testing::items_schema());
  for (int i = 0; i < 10; ++i)
    insert_committed(db, t, item(i, 0));
  make_capture({binding("items", BackfillMode::kNormal)});
  ASSERT_TRUE(capture->step().is_ok());
  const TxnId tx = db.begin();
  ASSERT_TRUE(db.update(tx, t, ikey(7), item(7, 700)).is_ok());
  ASSERT_TRUE(db.commit(tx).is_ok());
  while (capture->phase() != Capture::Phase::kChunk)
    ASSERT_TRUE(capture->step().is_ok());
  ASSERT_EQ(trace.docs.size(), 1u);  // streamed before any chunk
  EXPECT_EQ(trace.docs[0].op, 'u');
  EXPECT_FALSE(trace.docs[0].snapshot);
}

TEST_F(CaptureTest, PreciseOnALocaleKeyFailsWithScanKeyOrdering) {
  const TableId t = table(testing::words_schema());
  for (const char* w : {"a", "B", "b", "C"}) {
    insert_committed(db, t, {Value::text(w), Value::text("en"), Value::int64(1)});
  }
  make_capture({binding("words", BackfillMode::kPrecise)});
  Status last;
  for (int i = 0; i < 6 && last.is_ok(); ++i)
    last = capture->step();
  ASSERT_FALSE(last.is_ok());
  EXPECT_NE(last.message().find("scan key ordering failure"), std::string::npos);
  EXPECT_EQ(capture->phase(), Capture::Phase::kStopped);
  // Normal reads the same table in database order without complaint.
  capture.reset();
  store = CollectionStore();
  make_capture({binding("words", BackfillMode::kNormal)});
  run_until_streaming();
  EXPECT_EQ(reduced("words").size(), 4u);
}

TEST_F(CaptureTest, MinBackfillXidFiltersRowsButTheCursorAdvances) {
  const TableId t = table(testing::items_schema());
  for (int i = 0; i < 6; ++i)
    insert_committed(db, t, item(i, 0));
  const Xid threshold = db.next_xid();
  for (int i = 6; i < 10; ++i)
    insert_committed(db, t, item(i, 0));
  CaptureOptions o;
  o.min_backfill_xid = threshold;
  make_capture({binding("items", BackfillMode::kPrecise)}, o);
  run_until_streaming();
  EXPECT_EQ(reduced("items").size(), 4u);  // only rows 6..9
  size_t read = 0, emitted = 0;
  for (const ChunkTrace& c : trace.chunks) {
    read += c.rows.size();
    for (bool e : c.emitted)
      emitted += e;
  }
  EXPECT_EQ(read, 10u);
  EXPECT_EQ(emitted, 4u);
}

// Moves the next xid forward to `target` the way a DBA would: freeze the
// cluster, burn, repeat. REQUIRES: no transaction runs; target ahead raw.
void advance_to(Database& db, Xid target) {
  while (db.next_xid() != target) {
    ASSERT_TRUE(db.vacuum_freeze_all().is_ok());
    const uint32_t gap = target.value() - db.next_xid().value();
    ASSERT_TRUE(db.burn_xids(std::min<uint32_t>(gap, uint32_t{1} << 30)).is_ok());
  }
}

// Emitted rows' first column, over all chunks.
std::vector<int64_t> emitted_ids(const std::vector<ChunkTrace>& chunks) {
  std::vector<int64_t> out;
  for (const ChunkTrace& c : chunks) {
    for (size_t i = 0; i < c.rows.size(); ++i) {
      if (c.emitted[i]) out.push_back(c.rows[i].row[0].as_int64());
    }
  }
  return out;
}

TEST_F(CaptureTest, MaxBackfillXidKeepsRowsUpToItInclusive) {
  const TableId t = table(testing::items_schema());
  for (int i = 0; i < 5; ++i)
    insert_committed(db, t, item(i, 0));
  const Xid max = db.next_xid();  // row 5's xid
  for (int i = 5; i < 9; ++i)
    insert_committed(db, t, item(i, 0));
  CaptureOptions o;
  o.max_backfill_xid = max;
  make_capture({binding("items", BackfillMode::kPrecise)}, o);
  run_until_streaming();
  EXPECT_EQ(emitted_ids(trace.chunks), (std::vector<int64_t>{0, 1, 2, 3, 4, 5}));
  ASSERT_FALSE(trace.chunks.empty());
  EXPECT_EQ(trace.chunks[0].max_backfill_xid, max);
  EXPECT_EQ(trace.chunks[0].min_backfill_xid, std::nullopt);
  ASSERT_TRUE(trace.chunks[0].snapshot_xmax.has_value());  // set with any bound
  EXPECT_TRUE(xid_follows(*trace.chunks[0].snapshot_xmax, max));
}

// [min, max] = [2^32 - 1, 4]: three xids across the wrap.
TEST_F(CaptureTest, ARangeAcrossTheWrapKeepsTheXidsInsideIt) {
  const TableId t = table(testing::items_schema());
  advance_to(db, Xid(4294967293u));
  for (int i = 0; i < 7; ++i)
    insert_committed(db, t, item(i, 0));  // xids 2^32-3, 2^32-2, 2^32-1, 3, 4, 5, 6
  CaptureOptions o;
  o.min_backfill_xid = Xid(4294967295u);
  o.max_backfill_xid = Xid(4);
  make_capture({binding("items", BackfillMode::kPrecise)}, o);
  run_until_streaming();
  EXPECT_EQ(emitted_ids(trace.chunks), (std::vector<int64_t>{2, 3, 4}));
}

// Rows frozen and then left more than 2^31 xids behind look newer than a
// recent minimum modulo 2^32; the snapshot xmax term keeps them out.
TEST_F(CaptureTest, TheSnapshotXmaxTermKeepsOutRowsOverHalfTheXidSpaceOld) {
  const TableId t = table(testing::items_schema());
  for (int i = 0; i < 3; ++i)
    insert_committed(db, t, item(i, 0));
  const Xid old = db.next_xid();
  advance_to(db, Xid(old.value() + (uint32_t{1} << 31) + 100));
  ASSERT_TRUE(db.vacuum_freeze_all().is_ok());
  CaptureOptions o;
  o.min_backfill_xid = db.next_xid();
  for (int i = 3; i < 5; ++i)
    insert_committed(db, t, item(i, 0));
  ASSERT_TRUE(xid_follows(Xid(old.value() - 1), *o.min_backfill_xid));  // looks newer
  make_capture({binding("items", BackfillMode::kPrecise)}, o);
  run_until_streaming();
  EXPECT_EQ(emitted_ids(trace.chunks), (std::vector<int64_t>{3, 4}));
  size_t frozen = 0;
  for (const ChunkTrace& c : trace.chunks) {
    for (const ScannedRow& r : c.rows)
      frozen += r.frozen;
  }
  EXPECT_EQ(frozen, 3u);  // read, and kept out
}

TEST_F(CaptureTest, OnlyChangesSkipsTheBackfill) {
  const TableId t = table(testing::items_schema());
  insert_committed(db, t, item(1, 0));
  make_capture({binding("items", BackfillMode::kOnlyChanges)});
  run_until_streaming();
  insert_committed(db, t, item(2, 0));
  (void)capture->step();
  EXPECT_TRUE(trace.chunks.empty());
  ASSERT_EQ(trace.docs.size(), 1u);
  EXPECT_EQ(trace.docs[0].fields[0].as_int64(), 2);
}

TEST_F(CaptureTest, KeylessScanUsesCtidRangesUpToAFixedBound) {
  const TableId t = table(testing::logs_schema());  // 4 tuples per page
  for (int i = 0; i < 10; ++i)
    insert_committed(db, t, {Value::text("m"), Value::int64(i)});
  make_capture({binding("logs", BackfillMode::kAutomatic)});
  run_until_streaming();
  size_t rows = 0;
  for (const ChunkTrace& c : trace.chunks)
    rows += c.rows.size();
  EXPECT_EQ(rows, 10u);
  // 3 pages + 2 slack blocks, 2 blocks per chunk: ranges start at blocks 0, 2, 4.
  ASSERT_EQ(trace.chunks.size(), 3u);
  EXPECT_EQ(trace.chunks[2].after_ctid, (Ctid{4, 0}));
  EXPECT_NE(trace.docs[0].key, trace.docs[1].key);  // synthetic keys are distinct
}

TEST_F(CaptureTest, BumpingEveryBindingJumpsAhead) {
  const TableId t = table(testing::items_schema());
  insert_committed(db, t, item(1, 0));
  make_capture({binding("items", BackfillMode::kOnlyChanges)});
  run_until_streaming();
  const Lsn old_slot = db.slot("flow_slot").value().confirmed_flush_lsn;
  insert_committed(db, t, item(2, 0));  // never read: the jump skips it
  ++capture->bindings()[0].backfill_counter;
  capture->restart();
  ASSERT_TRUE(capture->step().is_ok());
  EXPECT_EQ(trace.instances.back().key, "items.v1");
  EXPECT_GT(trace.instances.back().start, old_slot);
  EXPECT_EQ(capture->cursor(), db.slot("flow_slot").value().confirmed_flush_lsn);
  run_until_streaming();
  for (const CollectionDoc& d : trace.docs)
    EXPECT_NE(d.fields[0].as_int64(), 2);
}

// A running capture reads a binding's state under the key it started with:
// once the binding's counter moves, the binding has no state (it is not
// backfilling and has no cursor) until the capture starts again, and then
// a fresh one under the new key.
TEST_F(CaptureTest, ABumpedBindingHasNoStateUntilTheNextStart) {
  const TableId t = table(testing::items_schema());
  for (int i = 0; i < 12; ++i)
    insert_committed(db, t, item(i, 0));
  make_capture({binding("items", BackfillMode::kNormal)});
  for (int i = 0; i < 100 && !capture->backfill_cursor(0); ++i)
    ASSERT_TRUE(capture->step().is_ok());
  ASSERT_TRUE(capture->backfilling(0));
  ASSERT_TRUE(capture->backfill_cursor(0).has_value());
  ++capture->bindings()[0].backfill_counter;
  EXPECT_FALSE(capture->backfilling(0));
  EXPECT_FALSE(capture->backfill_cursor(0).has_value());
  EXPECT_FALSE(capture->backfills_done());
  capture->restart();
  ASSERT_TRUE(capture->step().is_ok());  // starts again
  EXPECT_EQ(trace.instances.back().key, "items.v1");
  EXPECT_TRUE(capture->backfilling(0));
  EXPECT_FALSE(capture->backfill_cursor(0).has_value());  // the new backfill starts over
}

TEST_F(CaptureTest, CrashReplaysFromTheCheckpointWithoutDuplicates) {
  const TableId t = table(testing::items_schema());
  for (int i = 0; i < 6; ++i)
    insert_committed(db, t, item(i, 0));
  make_capture({binding("items", BackfillMode::kPrecise)});
  for (int i = 0; i < 5; ++i)
    (void)capture->step();  // mid-backfill
  const size_t committed = trace.docs.size();
  capture->restart();  // loses the uncommitted chunk
  run_until_streaming();
  for (int i = 6; i < 9; ++i)
    insert_committed(db, t, item(i, 0));
  (void)capture->step();
  capture->restart();
  run_until_streaming();
  std::map<std::pair<std::string, uint64_t>, int> seen;
  for (const CollectionDoc& d : trace.docs) {
    if (d.snapshot) continue;
    const std::pair<std::string, uint64_t> id(d.key, d.lsn.value());
    EXPECT_EQ(++seen[id], 1);
  }
  EXPECT_GE(trace.docs.size(), committed);
  EXPECT_EQ(reduced("items").size(), 9u);
  EXPECT_EQ(db.slot("flow_slot").value().confirmed_flush_lsn, capture->cursor());
}

// Steps until the committed checkpoint holds a cursor for `state_key` that
// is not yet done (bounded).
bool step_until_mid_backfill(Capture& capture, const CollectionStore& store,
                             const std::string& state_key) {
  for (int i = 0; i < 100; ++i) {
    const std::optional<CaptureCheckpoint>& cp = store.checkpoint();
    if (cp && cp->states.count(state_key) && cp->states.at(state_key).scanned &&
        !cp->states.at(state_key).backfilled) {
      return true;
    }
    (void)capture.step();
  }
  return false;
}

TEST_F(CaptureTest, ARestartResumesEachSavedStateAsCommitted) {
  const TableId t = table(testing::items_schema());
  table(testing::logs_schema());
  for (int i = 0; i < 10; ++i)
    insert_committed(db, t, item(i, i));
  make_capture(
      {binding("items", BackfillMode::kPrecise), binding("logs", BackfillMode::kOnlyChanges)});
  ASSERT_TRUE(step_until_mid_backfill(*capture, store, "items.v0"));
  ++capture->bindings()[1].backfill_counter;  // logs starts a new instance
  capture->restart();
  ASSERT_TRUE(capture->step().is_ok());
  EXPECT_EQ(trace.starts, 2);
  ASSERT_EQ(trace.resumes.size(), 1u);  // items only: logs.v1 is fresh
  EXPECT_EQ(trace.instances.back().key, "logs.v1");
  const BindingState& saved = store.checkpoint()->states.at("items.v0");
  const BindingState& resumed = trace.resumes[0].state;
  EXPECT_EQ(trace.resumes[0].key, "items.v0");
  EXPECT_EQ(resumed.mode, CaptureMode::kPrecise);
  EXPECT_EQ(resumed.scanned, saved.scanned);
  EXPECT_FALSE(resumed.backfilled);
  run_until_streaming();
  EXPECT_EQ(reduced("items").size(), 10u);
}

// Switches a seeded bug on for one test.
struct MutantOn {
  explicit MutantOn(Mutant m) { set_active_mutant(m); }
  ~MutantOn() { set_active_mutant(Mutant::kNone); }
};

TEST_F(CaptureTest, SeededBugResumeRescansFromStartDropsTheSavedCursor) {
  const TableId t = table(testing::items_schema());
  for (int i = 0; i < 10; ++i)
    insert_committed(db, t, item(i, i));
  make_capture({binding("items", BackfillMode::kPrecise)});
  ASSERT_TRUE(step_until_mid_backfill(*capture, store, "items.v0"));
  const std::optional<Key> saved = store.checkpoint()->states.at("items.v0").scanned;
  const MutantOn on(Mutant::kResumeRescansFromStart);
  capture->restart();
  const size_t chunks_before = trace.chunks.size();
  run_until_streaming();
  ASSERT_EQ(trace.resumes.size(), 1u);
  EXPECT_TRUE(saved.has_value());
  EXPECT_FALSE(trace.resumes[0].state.scanned.has_value());
  ASSERT_GT(trace.chunks.size(), chunks_before);
  EXPECT_FALSE(trace.chunks[chunks_before].after.has_value());  // from the start again
}

TEST_F(CaptureTest, SeededBugResumeForgetsDoneRunsOneMoreChunk) {
  const TableId t = table(testing::items_schema());
  for (int i = 0; i < 10; ++i)
    insert_committed(db, t, item(i, i));
  make_capture({binding("items", BackfillMode::kPrecise)});
  run_until_streaming();
  ASSERT_TRUE(store.checkpoint()->states.at("items.v0").backfilled);
  const MutantOn on(Mutant::kResumeForgetsDone);
  capture->restart();
  const size_t chunks_before = trace.chunks.size();
  run_until_streaming();
  ASSERT_EQ(trace.resumes.size(), 1u);
  EXPECT_FALSE(trace.resumes[0].state.backfilled);
  ASSERT_EQ(trace.chunks.size(), chunks_before + 1);
  EXPECT_EQ(trace.chunks.back().after, ikey(9));
  EXPECT_TRUE(trace.chunks.back().rows.empty());
  EXPECT_EQ(trace.completed, (std::vector<std::string>{"items.v0", "items.v0"}));
}

TEST_F(CaptureTest, TruncateIsIgnoredAndReported) {
  const TableId t = table(testing::items_schema());
  insert_committed(db, t, item(1, 0));
  make_capture({binding("items", BackfillMode::kNormal)});
  run_until_streaming();
  const TxnId tx = db.begin();
  ASSERT_TRUE(db.truncate(tx, {t}).is_ok());
  ASSERT_TRUE(db.commit(tx).is_ok());
  (void)capture->step();
  ASSERT_EQ(trace.ignored.size(), 1u);
  EXPECT_EQ(trace.ignored[0].rfind("TRUNCATE items", 0), 0u);
  EXPECT_EQ(reduced("items").size(), 1u);  // the row stays in the collection
}

TEST_F(CaptureTest, LostSlotStopsTheCaptureUntilEveryBindingIsBackfilled) {
  DatabaseOptions o;
  o.max_slot_wal_keep_size_bytes = 512;
  db = Database(o);
  ASSERT_TRUE(db.create_table(watermarks_schema("flow_watermarks")).is_ok());
  const TableId t = table(testing::items_schema());
  make_capture({binding("items", BackfillMode::kNormal)});
  run_until_streaming();
  for (int i = 0; i < 50; ++i)
    insert_committed(db, t, item(i, 0));
  db.checkpoint();
  capture->restart();
  const Status s = capture->step();
  ASSERT_FALSE(s.is_ok());
  EXPECT_EQ(s.code(), ErrorCode::kSlotLost);
  ++capture->bindings()[0].backfill_counter;  // backfill all bindings
  capture->restart();
  run_until_streaming();
  EXPECT_EQ(reduced("items").size(), 50u);
}

// ---- Debezium's incremental snapshot ----

CaptureOptions debezium_options() {
  CaptureOptions o;
  o.algorithm = CaptureAlgorithm::kDebezium;
  o.chunk_size = 4;
  return o;
}

// Steps until the capture is at `phase` (bounded).
void step_to(Capture& c, Capture::Phase phase) {
  for (int i = 0; i < 100 && c.phase() != phase; ++i)
    ASSERT_TRUE(c.step().is_ok());
  ASSERT_EQ(c.phase(), phase);
}

TEST_F(CaptureTest, DebeziumWindowDropsRowsStreamedInsideIt) {
  const TableId t = table(testing::items_schema());
  for (int i = 0; i < 6; ++i)
    insert_committed(db, t, item(i, 0));
  make_capture({binding("items", BackfillMode::kNormal)}, debezium_options());
  step_to(*capture, Capture::Phase::kChunk);
  ASSERT_TRUE(capture->step().is_ok());  // the open signal
  ASSERT_EQ(capture->phase(), Capture::Phase::kWindowQuery);
  ASSERT_TRUE(capture->step().is_ok());  // max key 5; chunk 0..3 into the buffer
  EXPECT_EQ(trace.chunks.back().rows.size(), 4u);
  // Inside the window: key 2 updated, key 3 deleted; both leave the buffer.
  const TxnId tx = db.begin();
  ASSERT_TRUE(db.update(tx, t, ikey(2), item(2, 20)).is_ok());
  ASSERT_TRUE(db.remove(tx, t, ikey(3)).is_ok());
  ASSERT_TRUE(db.commit(tx).is_ok());
  step_to(*capture, Capture::Phase::kChunk);  // close, stream to it, commit
  std::vector<std::pair<char, int64_t>> seen;
  for (const CollectionDoc& d : trace.docs)
    seen.emplace_back(d.snapshot ? 'r' : d.op, d.fields[0].as_int64());
  // The streamed changes first, then the buffer's remaining rows as READs.
  EXPECT_EQ(seen, (std::vector<std::pair<char, int64_t>>{{'u', 2}, {'d', 3}, {'r', 0}, {'r', 1}}));
  run_until_streaming();
  const auto r = reduced("items");
  EXPECT_EQ(r.size(), 5u);
  EXPECT_EQ(r.begin()->second.fields.size(), 3u);
}

TEST_F(CaptureTest, DebeziumBoundsTheSnapshotByTheMaximumKeyAndEndsOnAnEmptyChunk) {
  const TableId t = table(testing::items_schema());
  for (int i = 0; i < 4; ++i)
    insert_committed(db, t, item(i, 0));
  make_capture({binding("items", BackfillMode::kNormal)}, debezium_options());
  step_to(*capture, Capture::Phase::kWindowQuery);
  ASSERT_TRUE(capture->step().is_ok());  // the maximum key is 3
  insert_committed(db, t, item(9, 0));   // above it: streamed only
  run_until_streaming();
  // Chunks: 0..3, then empty (the table is done); key 9 never read by a chunk.
  ASSERT_EQ(trace.chunks.size(), 2u);
  EXPECT_TRUE(trace.chunks[1].rows.empty());
  EXPECT_TRUE(trace.chunks[1].final_chunk);
  EXPECT_EQ(reduced("items").size(), 5u);
  EXPECT_EQ(trace.completed, std::vector<std::string>{"items.v0"});
}

TEST_F(CaptureTest, DebeziumOffsetsLagSoARestartRedeliversAndRereads) {
  const TableId t = table(testing::items_schema());
  for (int i = 0; i < 6; ++i)
    insert_committed(db, t, item(i, 0));
  make_capture({binding("items", BackfillMode::kNormal)}, debezium_options());
  step_to(*capture, Capture::Phase::kChunk);
  const Lsn before = store.checkpoint()->cursor;
  insert_committed(db, t, item(7, 0));
  step_to(*capture, Capture::Phase::kWindowQuery);
  step_to(*capture, Capture::Phase::kChunk);  // the first window committed
  const size_t delivered = trace.docs.size();
  // The committed checkpoint is the offsets flushed before that commit.
  EXPECT_FALSE(store.checkpoint()->states.at("items.v0").scanned.has_value());
  EXPECT_GE(store.checkpoint()->cursor, before);
  capture->restart();  // a crash
  step_to(*capture, Capture::Phase::kWindowQuery);
  step_to(*capture, Capture::Phase::kChunk);
  // The same chunk is read again and its READs delivered again.
  ASSERT_GE(trace.chunks.size(), 2u);
  EXPECT_EQ(trace.chunks[0].after, trace.chunks[1].after);
  EXPECT_GT(trace.docs.size(), delivered);
}

TEST_F(CaptureTest, DebeziumSkipsTheRestOfATableAfterAChunkQueryError) {
  const TableId t = table(testing::items_schema());
  for (int i = 0; i < 10; ++i)
    insert_committed(db, t, item(i, 0));
  make_capture({binding("items", BackfillMode::kNormal)}, debezium_options());
  step_to(*capture, Capture::Phase::kWindowQuery);
  capture->arm_query_failure(2);
  ASSERT_TRUE(capture->step().is_ok());  // no error: the table is skipped
  run_until_streaming();
  EXPECT_EQ(trace.ignored.size(), 1u);
  EXPECT_TRUE(trace.errors.empty());
  EXPECT_EQ(reduced("items").size(), 0u);  // nothing was ever read
  EXPECT_EQ(trace.completed, std::vector<std::string>{"items.v0"});
}

TEST_F(CaptureTest, DebeziumDoesNotSnapshotAKeylessTable) {
  table(testing::logs_schema());
  make_capture({binding("logs", BackfillMode::kNormal)}, debezium_options());
  ASSERT_TRUE(capture->step().is_ok());
  ASSERT_EQ(trace.instances.size(), 1u);
  EXPECT_EQ(trace.instances[0].mode, CaptureMode::kOnlyChanges);
}

// ---- Flink CDC's incremental snapshot ----

CaptureOptions flink_options() {
  CaptureOptions o;
  o.algorithm = CaptureAlgorithm::kFlink;
  o.chunk_size = 4;
  return o;
}

int64_t count_docs(const std::vector<CollectionDoc>& docs, int64_t id) {
  return std::count_if(docs.begin(), docs.end(),
                       [&](const CollectionDoc& d) { return d.fields[0].as_int64() == id; });
}

TEST_F(CaptureTest, FlinkReadsHalfOpenSplitsThenStreams) {
  const TableId t = table(testing::items_schema());
  for (int i = 0; i < 10; ++i)
    insert_committed(db, t, item(i, 0));
  make_capture({binding("items", BackfillMode::kPrecise)}, flink_options());
  run_until_streaming();
  // [start, 3), [3, 6), [6, end): the end is the 4th key from the start.
  ASSERT_EQ(trace.chunks.size(), 3u);
  EXPECT_EQ(trace.chunks[0].rows.size(), 3u);
  EXPECT_EQ(trace.chunks[1].rows.size(), 3u);
  EXPECT_EQ(trace.chunks[2].rows.size(), 4u);
  EXPECT_TRUE(trace.chunks[2].final_chunk);
  EXPECT_EQ(trace.completed, std::vector<std::string>{"items.v0"});
  EXPECT_EQ(reduced("items").size(), 10u);
  EXPECT_FALSE(db.slot("flow_slot_0").is_ok());  // each split's backfill slot is dropped
  insert_committed(db, t, item(20, 0));
  run_until_streaming();
  EXPECT_EQ(reduced("items").size(), 11u);
}

TEST_F(CaptureTest, FlinkMergesTheLogBetweenTheWatermarksIntoTheSplit) {
  const TableId t = table(testing::items_schema());
  for (int i = 0; i < 3; ++i)
    insert_committed(db, t, item(i, 0));
  make_capture({binding("items", BackfillMode::kPrecise)}, flink_options());
  step_to(*capture, Capture::Phase::kSplitHigh);  // one split [start, end), scanned
  const TxnId tx = db.begin();
  ASSERT_TRUE(db.update(tx, t, ikey(1), item(1, 10)).is_ok());
  ASSERT_TRUE(db.remove(tx, t, ikey(2)).is_ok());
  ASSERT_TRUE(db.commit(tx).is_ok());
  run_until_streaming();
  // Upserted into and deleted from the buffer; the stream drops both.
  EXPECT_EQ(count_docs(trace.docs, 1), 1);
  EXPECT_EQ(count_docs(trace.docs, 2), 0);
  const auto r = reduced("items");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(std::prev(r.end())->second.fields[1].as_int64(), 10);
  EXPECT_TRUE(trace.ignored.empty());
}

// The finding: a transaction that writes to a split before its HW and
// commits after the split's backfill read ended is in neither.
TEST_F(CaptureTest, FlinkLosesAChangeOfATransactionOpenAcrossTheHighWatermark) {
  const TableId t = table(testing::items_schema());
  for (int i = 0; i < 3; ++i)
    insert_committed(db, t, item(i, 0));
  make_capture({binding("items", BackfillMode::kPrecise)}, flink_options());
  step_to(*capture, Capture::Phase::kSplitScan);  // the backfill slot and LW
  const TxnId tx = db.begin();
  ASSERT_TRUE(db.update(tx, t, ikey(1), item(1, 10)).is_ok());
  db.flush_wal();
  step_to(*capture, Capture::Phase::kSplitOpen);  // scanned, HW, read, committed
  ASSERT_TRUE(db.commit(tx).is_ok());
  run_until_streaming();
  ASSERT_EQ(trace.ignored.size(), 1u);
  EXPECT_NE(trace.ignored[0].find("before the high watermark"), std::string::npos);
  EXPECT_EQ(std::next(reduced("items").begin())->second.fields[1].as_int64(), 0);  // not 10
}

TEST_F(CaptureTest, FlinkWithBackfillSkippedReplaysEveryChange) {
  const TableId t = table(testing::items_schema());
  for (int i = 0; i < 3; ++i)
    insert_committed(db, t, item(i, 0));
  make_capture({binding("items", BackfillMode::kNormal)}, flink_options());
  step_to(*capture, Capture::Phase::kSplitScan);
  const TxnId tx = db.begin();
  ASSERT_TRUE(db.update(tx, t, ikey(1), item(1, 10)).is_ok());
  step_to(*capture, Capture::Phase::kSplitOpen);
  ASSERT_TRUE(db.commit(tx).is_ok());
  run_until_streaming();
  EXPECT_TRUE(trace.ignored.empty());
  EXPECT_EQ(count_docs(trace.docs, 1), 2);  // the snapshot row, then the update
  EXPECT_EQ(std::next(reduced("items").begin())->second.fields[1].as_int64(), 10);
}

TEST_F(CaptureTest, FlinkRereadsAnUnfinishedSplitAfterACrash) {
  const TableId t = table(testing::items_schema());
  for (int i = 0; i < 6; ++i)
    insert_committed(db, t, item(i, 0));
  make_capture({binding("items", BackfillMode::kPrecise)}, flink_options());
  step_to(*capture, Capture::Phase::kSplitBackfill);  // first split scanned, HW read
  capture->restart();                                 // a crash: nothing committed
  EXPECT_TRUE(trace.docs.empty());
  EXPECT_TRUE(db.slot("flow_slot_0").is_ok());  // a crash leaves the backfill slot
  run_until_streaming();
  EXPECT_EQ(trace.chunks[0].rows.size(), trace.chunks[1].rows.size());  // read again
  EXPECT_EQ(trace.docs.size(), 6u);                                     // each row once
  EXPECT_EQ(reduced("items").size(), 6u);
}

}  // namespace
}  // namespace cdc
