#include "sim/world.h"

#include <algorithm>

#include "model/model_source.h"
#include "model/mutants.h"
#include "model/sorted_runs.h"
#include "sim/final_rows.h"
#include "sim/memory_release.h"
#include "sim/pipeline_graph.h"
#include "sim/recorder.h"

namespace cdc::sim {

namespace {
// Prng stream ids: one per component, fixed forever.
constexpr uint64_t kWorkloadStream = 1;
constexpr uint64_t kSchedulerStream = 2;
constexpr uint64_t kCaptureStream = 3;
constexpr uint64_t kSwarmStream = 4;
constexpr uint64_t kInitialRowsStream = 5;

class World {
 public:
  explicit World(const WorldOptions& o);
  RunResult run();

 private:
  void load_initial_rows();
  void safety_tick();
  bool liveness_tick();
  void inject_fault();
  std::optional<FaultStep> draw_fault();
  void apply_fault(const FaultStep& f);
  void apply_pipeline_fault(const FaultStep& f);
  void apply_backfill_fault(const FaultStep& f);
  void apply_source_fault(const FaultStep& f);
  void workload_step();
  void finish_writes();  // ends open transactions: writes stop
  uint64_t choose(uint64_t n);
  void capture_steps();
  void note_slot_invalidation();
  void materialization_step();
  void crash_capture();
  void crash_materialization();
  std::optional<FaultStep> draw_follow_up(const FaultStep& f);
  uint64_t draw_amount(FaultKind kind);
  uint64_t xid_of_a_row();
  uint64_t xid_of_a_row_of(TableId t);
  uint64_t burn_to_the_wrap();
  std::vector<Key> keys_near_cursors(TableId t) const;
  std::optional<Ctid> ctid_scan_cursor(uint32_t b) const;
  std::vector<Ctid> ctid_scan_cursors(TableId t) const;
  Recorder::ScanCursors ctid_resume_points(uint32_t b) const;
  void note_backfill_request();
  void note_tick(uint64_t expired_docs);
  void note_keyless_move(const Statement& st);
  void run_script();
  void perform(const ScriptedOp& op);
  // What faults and scripted operations do; each records its event.
  void upgrade();
  void stall_capture(uint64_t ticks);
  void set_min_backfill_xid(Xid min);
  void set_max_backfill_xid(Xid max);
  void age_xids();
  std::optional<FaultStep> draw_bounds_follow_up(const FaultStep& f);
  void set_backfill_mode(const std::vector<uint32_t>& bindings, BackfillMode mode);
  void pause_writes();  // until resume_writes()
  void resume_writes();
  void move_to_new_storage(const std::vector<uint32_t>& bindings);
  void corrupt_collections(const std::vector<uint32_t>& bindings);
  void corrupt_destinations(const std::vector<uint32_t>& bindings);
  void change_destination_schemas();
  void add_binding(uint32_t table_index);
  void wait_until_drained();
  std::vector<uint32_t> or_all(const std::vector<uint32_t>& bindings) const {
    return bindings.empty() ? all_capture_bindings() : bindings;
  }
  void bump(uint32_t b, const std::string& why);
  void bump_materialization(uint32_t m, const std::string& why);
  std::vector<uint32_t> all_capture_bindings() const {
    std::vector<uint32_t> all(o_.bindings.size());
    for (uint32_t i = 0; i < all.size(); ++i)
      all[i] = i;
    return all;
  }
  void capture_backfill(const std::vector<uint32_t>& bindings);
  void materialization_backfill(const std::vector<uint32_t>& bindings);
  void dataflow_backfill(const std::vector<uint32_t>& capture_bindings);
  // Capture bindings -> collections -> materialization bindings, as they are now.
  PipelineGraph pipeline_graph();
  bool drained() const;
  void release_source();
  void record_final_state();
  bool large() const;

  // Opened at the end of a large run (sim/memory_release.h). The first
  // member, so the last destroyed: everything the world frees goes back to
  // the system before the checkers run.
  std::optional<PromptRelease> prompt_release_;
  WorldOptions o_;
  const uint32_t fault_weight_total_;  // o_.faults.total(): the weights never change
  Prng root_, scheduler_, capture_prng_;
  Database db_;
  ModelSource source_{&db_};  // the capture's view of db_
  CollectionStore store_;
  Recorder recorder_;
  std::vector<TableId> tables_;
  std::optional<SourceWorkload> workload_;
  std::optional<Capture> capture_;
  Destination destination_;
  std::optional<Materialization> materialization_;
  uint64_t tick_ = 0;
  uint64_t stalled_until_ = 0;
  uint64_t writes_paused_until_ = 0;
  size_t next_script_op_ = 0;
  // Explicit schedule: statements of workload steps and of finishes, faults
  // and capture choices, each consumed in order. Recording: `recorded_`.
  const Schedule* explicit_ = nullptr;
  std::vector<Statement> step_queue_, finish_queue_;
  size_t next_step_ = 0, next_finish_ = 0, next_fault_ = 0, next_choice_ = 0;
  Schedule recorded_;
  // Situation bookkeeping (model/situations.h): commits at the last backfill
  // request, the xid epoch last seen, a materialization backfill under way.
  size_t collection_txns_at_request_ = SIZE_MAX, dest_txns_at_request_ = SIZE_MAX;
  uint32_t xid_epoch_ = 0;
  bool materialization_backfilling_ = false;
  // The tick min_backfill_xid was last set at (GenerationOptions::xid_bounds).
  std::optional<uint64_t> min_set_tick_;
  // Crashes waiting for their step (GenerationOptions::crash_points).
  std::optional<Capture::Phase> crash_at_;
  bool slot_lost_ = false;  // the capture reported its slot lost since the last backfill-all
  bool slot_invalidation_noted_ = false;  // the present slot's invalidation is in the history
  bool crash_materialization_when_built_ = false;
};

DatabaseOptions db_options(const WorldOptions& o) {
  DatabaseOptions d;
  d.next_xid = full_xid(0, o.start_xid);
  d.max_slot_wal_keep_size_bytes = o.max_slot_wal_keep_size_bytes;
  d.checkpoint_every_bytes = 64 * 1024;
  return d;
}

World::World(const WorldOptions& o)
    : o_(with_defaults(o)),
      fault_weight_total_(o_.faults.total()),
      root_(o.seed),
      scheduler_(root_.fork(kSchedulerStream)),
      capture_prng_(root_.fork(kCaptureStream)),
      db_(db_options(o)),
      recorder_(&db_) {
  if (o_.schedule) {
    explicit_ = &*o_.schedule;
    for (const Statement& st : explicit_->statements)
      (st.at_finish ? finish_queue_ : step_queue_).push_back(st);
  }
  db_.set_commit_observer([this](const CommittedTxn& t) { recorder_.on_source_commit(t); });
  db_.set_rewrite_observer(
      [this](TableId t, Database::Rewrite why, const std::vector<std::pair<Ctid, Ctid>>& moves) {
        recorder_.on_rewrite(t, why, moves);
      });
  recorder_.set_scan_cursors([this](uint32_t b) { return ctid_resume_points(b); });
  for (const TableSchema& s : o_.tables)
    tables_.push_back(db_.create_table(s).value());
  CDC_ASSERT(db_.create_table(watermarks_schema(o_.capture.watermarks_table)).is_ok(),
             "watermarks table");
  recorder_.history().seed = o_.seed;
  recorder_.history().algorithm = o_.capture.algorithm;
  recorder_.history().retention_ticks = o_.retention_ticks;
  load_initial_rows();
  recorder_.set_bindings(o_.bindings);
  workload_.emplace(&db_, tables_, root_.fork(kWorkloadStream), o_.workload);
  workload_->set_key_hints([this](TableId t) { return keys_near_cursors(t); });
  workload_->set_ctid_hints([this](TableId t) { return ctid_scan_cursors(t); });
  workload_->set_statement_observer([this](const Statement& st) {
    note_keyless_move(st);
    if (!o_.record_schedule) return;
    recorded_.statements.push_back(st);
    recorded_.statements.back().tick = tick_;
  });
  xid_epoch_ = epoch_of(db_.next_full_xid());
  capture_.emplace(
      &source_, &store_, o_.capture, o_.bindings, [this](uint64_t n) { return choose(n); },
      &recorder_);
  if (o_.materialize) {
    const std::vector<MaterializationBindingSpec> specs = materialization_specs(o_);
    recorder_.set_materializations(specs, o_.bindings);
    materialization_.emplace(&store_, &destination_, specs, &recorder_);
    materialization_->max_txns_per_commit = o_.materialization_txns_per_commit;
  }
}

void World::load_initial_rows() {
  SourceWorkloadOptions quiet = o_.workload;
  quiet.sessions = 1;
  quiet.truncate = {0, 1};
  quiet.abort_instead_of_commit = {0, 1};
  SourceWorkload loader(&db_, tables_, root_.fork(kInitialRowsStream), quiet);
  if (explicit_) {
    for (const Statement& st : explicit_->initial)
      loader.execute(st);
    loader.commit_open();
    return;
  }
  if (o_.record_schedule) {
    loader.set_statement_observer([this](const Statement& st) { recorded_.initial.push_back(st); });
  }
  if (o_.initial_load == WorldOptions::InitialLoad::kBulk) {
    loader.load(o_.initial_rows, kBulkLoadRowsPerTxn);
    return;
  }
  for (uint32_t i = 0; i < o_.initial_rows * tables_.size() * 3; ++i)
    loader.step();
  loader.finish();
}

// The capture's choice among `n` bindings to backfill next.
uint64_t World::choose(uint64_t n) {
  if (explicit_) {
    if (n <= 1) return 0;
    const auto& c = explicit_->capture_choices;
    return next_choice_ < c.size() ? c[next_choice_++] % n : 0;
  }
  const uint64_t r = capture_prng_.below(n);
  if (o_.record_schedule && n > 1) recorded_.capture_choices.push_back(static_cast<uint32_t>(r));
  return r;
}

void World::workload_step() {
  if (!explicit_) {
    if (tick_ >= writes_paused_until_ && scheduler_.chance(o_.write_per_tick)) workload_->step();
    return;
  }
  for (; next_step_ < step_queue_.size() && step_queue_[next_step_].tick <= tick_; ++next_step_) {
    if (tick_ >= writes_paused_until_) workload_->execute(step_queue_[next_step_]);
  }
}

void World::finish_writes() {
  if (!explicit_) {
    workload_->finish();
    return;
  }
  while (next_finish_ < finish_queue_.size()) {
    const Statement& st = finish_queue_[next_finish_];
    if (st.tick > tick_ || (st.tick == tick_ && !workload_->in_transaction(st.session))) break;
    if (st.tick == tick_) workload_->execute(st);
    ++next_finish_;
  }
  workload_->commit_open();
}

std::optional<FaultStep> World::draw_fault() {
  const FaultWeights& w = o_.faults;
  const uint32_t total = fault_weight_total_;
  if (total == 0 || !scheduler_.chance(o_.fault_per_tick)) return std::nullopt;
  CDC_ASSERT(total == w.total(), "the weights a fault is drawn by are those the run began with");
  if (slot_lost_ && o_.generation.backfill_after_slot_loss && w.backfill_all > 0 &&
      scheduler_.chance({1, 2})) {
    FaultStep f;
    f.tick = tick_;
    f.kind = FaultKind::kBackfillAll;
    return f;
  }
  uint64_t r = scheduler_.below(total);
  std::optional<FaultKind> kind;
  const std::vector<FaultWeightField>& fields = fault_weight_fields();
  for (size_t k = 0; k < fields.size() && !kind; ++k) {
    const uint32_t weight = w.*fields[k].weight;
    if (r < weight) kind = static_cast<FaultKind>(k);
    r -= weight;
  }
  CDC_ASSERT(kind.has_value(), "a draw below the total picks a fault");
  FaultStep f;
  f.tick = tick_;
  f.kind = *kind;
  f.table = static_cast<uint32_t>(scheduler_.below(tables_.size()));
  f.binding = static_cast<uint32_t>(scheduler_.below(capture_->bindings().size()));
  f.amount = draw_amount(f.kind);
  if (!fault_uses_table(f.kind)) f.table = 0;
  if (!fault_uses_binding(f.kind)) f.binding = 0;
  return f;
}

// The amount of a fault drawn now (FaultStep::amount).
uint64_t World::draw_amount(FaultKind kind) {
  const GenerationOptions& g = o_.generation;
  switch (kind) {
    case FaultKind::kQueryFailure:
      return scheduler_.below(o_.capture.chunk_size);
    case FaultKind::kXidBurn:
      if (g.xid_bounds && scheduler_.chance({1, 3})) return burn_to_the_wrap();
      return 1 + scheduler_.below(100'000'000);
    case FaultKind::kCaptureStall:
      return 5 + scheduler_.below(150);
    case FaultKind::kPauseWrites:
      return 5 + scheduler_.below(40);
    case FaultKind::kCrash:
      if (!g.crash_points) return 0;
      if (o_.capture.algorithm == CaptureAlgorithm::kFlink) {  // the steps it takes
        constexpr uint64_t kSteps[] = {0, 5, 8, 9, 10, 11};
        return kSteps[scheduler_.below(std::size(kSteps))];
      }
      return scheduler_.below(fault_amount_max(FaultKind::kCrash, o_.capture.algorithm) + 1);
    case FaultKind::kMaterializationCrash:
      return g.crash_points ? scheduler_.below(2) : 0;
    case FaultKind::kMinBackfillXid:
      return g.xid_bounds && scheduler_.chance({1, 2}) ? xid_of_a_row() : 0;
    default:
      return 0;
  }
}

// The xmin of a random live row of a random table, as a min_backfill_xid
// (0: none found, or frozen).
uint64_t World::xid_of_a_row() {
  return xid_of_a_row_of(tables_[scheduler_.below(tables_.size())]);
}

// The xmin of a random live row of `t` (0: none found, or frozen).
uint64_t World::xid_of_a_row_of(TableId t) {
  const QueryResult rows = db_.scan(t);
  if (!rows.status.is_ok() || rows.rows.empty()) return 0;
  const ScannedRow& r = rows.rows[scheduler_.below(rows.rows.size())];
  return r.frozen || !xid_is_normal(r.xmin) ? 0 : r.xmin.value();
}

// A burn that leaves the counter a few xids before the 32-bit wrap (when the
// wrap is within reach of one burn; else a small burn).
uint64_t World::burn_to_the_wrap() {
  const uint64_t to_wrap = (uint64_t{1} << 32) - db_.next_xid().value();
  const uint64_t short_by = scheduler_.below(8);
  return to_wrap > short_by && to_wrap - short_by <= 100'000'000 ? to_wrap - short_by
                                                                 : 1 + scheduler_.below(100);
}

// Keys a workload change may aim at: for each binding of `t` backfilling by
// key, its cursor, the next key the table holds after it, and for a single
// integer key the integers either side.
std::vector<Key> World::keys_near_cursors(TableId t) const {
  std::vector<Key> near;
  const std::string& table = db_.schema(t).name;
  for (uint32_t b = 0; b < capture_->bindings().size(); ++b) {
    if (capture_->bindings()[b].table != table) continue;
    const std::optional<Key> cursor = capture_->backfill_cursor(b);
    if (!cursor) continue;
    near.push_back(*cursor);
    const QueryResult next = db_.keyset_chunk(t, cursor, 1, KeyOrder::kDatabase);
    if (next.status.is_ok() && !next.rows.empty())
      near.push_back(db_.schema(t).key_of(next.rows[0].row));
    if (cursor->size() == 1 && (*cursor)[0].is_int64()) {
      const int64_t k = (*cursor)[0].as_int64();
      near.push_back({Value::int64(k - 1)});
      near.push_back({Value::int64(k + 1)});
    }
  }
  return near;
}

// Where binding b's ctid scan would resume: (0,0) before its first chunk,
// nullopt when it is not scanning a table without a primary key.
std::optional<Ctid> World::ctid_scan_cursor(uint32_t b) const {
  if (!capture_ || b >= capture_->bindings().size() || !capture_->backfilling(b)) {
    return std::nullopt;
  }
  const Result<TableId> t = db_.table_id(capture_->bindings()[b].table);
  if (!t.is_ok() || db_.schema(t.value()).has_primary_key()) return std::nullopt;
  return capture_->keyless_cursor(b).value_or(Ctid{0, 0});
}

// The resume points of every ctid scan of table t (what keyless workload
// changes may aim at).
std::vector<Ctid> World::ctid_scan_cursors(TableId t) const {
  std::vector<Ctid> out;
  if (!capture_) return out;
  for (uint32_t b = 0; b < capture_->bindings().size(); ++b) {
    if (capture_->bindings()[b].table != db_.schema(t).name) continue;
    if (const std::optional<Ctid> c = ctid_scan_cursor(b)) out.push_back(*c);
  }
  return out;
}

// Where binding b's ctid scan resumes, running and after a restart, on any
// table it scans by ctid: what a rewrite's row moves are judged against.
Recorder::ScanCursors World::ctid_resume_points(uint32_t b) const {
  Recorder::ScanCursors out;
  if (!capture_ || b >= capture_->bindings().size()) return out;
  const std::string& key = capture_->state_key(b);
  if (const std::optional<Ctid> now = capture_->ctid_resume_point(b)) {
    out.push_back({b, *now, false, key});
  }
  if (!store_.checkpoint()) return out;
  if (const std::optional<Ctid> saved = capture_->ctid_resume_point(b, *store_.checkpoint())) {
    out.push_back({b, *saved, true, key});
  }
  return out;
}

void World::bump(uint32_t b, const std::string& why) {
  if (capture_->backfilling(b)) reached(Situation::kBumpWhileBackfilling);
  ++capture_->bindings()[b].backfill_counter;
  recorder_.event(history::Event::Kind::kOperation,
                  why + ": backfill " + o_.bindings[b].table + " (counter " +
                      std::to_string(capture_->bindings()[b].backfill_counter) + ")");
}

void World::bump_materialization(uint32_t m, const std::string& why) {
  MaterializationBindingSpec& spec = materialization_->bindings()[m];
  ++spec.backfill_counter;
  recorder_.event(history::Event::Kind::kOperation,
                  why + ": backfill " + spec.destination + " (counter " +
                      std::to_string(spec.backfill_counter) + ")");
}

// Capture backfill: the collection is re-filled; destinations are kept.
void World::capture_backfill(const std::vector<uint32_t>& bindings) {
  const bool all = bindings.size() == capture_->bindings().size();
  reached(all ? Situation::kOpCaptureBackfillAll : Situation::kOpCaptureBackfillOne);
  for (uint32_t b : bindings)
    bump(b, all ? "publish (all)" : "publish");
  note_backfill_request();
  capture_->stop_gracefully();
  history::BackfillOp op;
  op.type = history::BackfillOp::Type::kCapture;
  op.capture_bindings = bindings;
  op.all_capture_bindings = all;
  recorder_.on_backfill_op(std::move(op));
}

// Materialization backfill: destinations rebuilt from what the collections hold.
void World::materialization_backfill(const std::vector<uint32_t>& bindings) {
  if (!materialization_) return;
  reached(bindings.size() == materialization_->bindings().size()
              ? Situation::kOpMaterializationBackfillAll
              : Situation::kOpMaterializationBackfillOne);
  for (uint32_t m : bindings)
    bump_materialization(m, "materialization backfill");
  note_backfill_request();
  materialization_backfilling_ = true;
  materialization_->restart();
  history::BackfillOp op;
  op.type = history::BackfillOp::Type::kMaterialization;
  op.materialization_bindings = bindings;
  recorder_.on_backfill_op(std::move(op));
}

PipelineGraph World::pipeline_graph() {
  std::vector<std::string> written;
  for (const CaptureBinding& b : capture_->bindings())
    written.push_back(b.collection);
  std::vector<std::string> read;
  if (materialization_) {
    for (const MaterializationBindingSpec& m : materialization_->bindings())
      read.push_back(m.collection);
  }
  return PipelineGraph(written, read);
}

// Data flow backfill: reset the collections, which bumps every capture and
// materialization binding attached to them: the materialization bindings
// reachable in the pipeline graph from each capture binding, in index order.
void World::dataflow_backfill(const std::vector<uint32_t>& capture_bindings) {
  const PipelineGraph pipeline = pipeline_graph();
  history::BackfillOp op;
  op.type = history::BackfillOp::Type::kDataFlow;
  const bool all = capture_bindings.size() == capture_->bindings().size();
  op.all_capture_bindings = all;
  reached(all ? Situation::kOpDataFlowBackfillAll : Situation::kOpDataFlowBackfillOne);
  note_backfill_request();
  materialization_backfilling_ = materialization_.has_value();
  for (uint32_t b : capture_bindings) {
    const std::string& collection = capture_->bindings()[b].collection;
    if (store_.exists(collection)) store_.reset(collection);
    bump(b, all ? "publish (all)" : "publish");
    op.capture_bindings.push_back(b);
    for (uint32_t m : pipeline.materializations_reached_from(b)) {
      bump_materialization(m, "data flow backfill");
      materialization_->bindings()[m].force_truncate_on_backfill = true;
      op.materialization_bindings.push_back(m);
    }
  }
  recorder_.event(history::Event::Kind::kOperation, "data flow backfill: collections reset");
  capture_->stop_gracefully();
  if (materialization_) materialization_->restart();
  recorder_.on_backfill_op(std::move(op));
}

void World::inject_fault() {
  if (explicit_) {
    const auto& faults = explicit_->faults;
    for (; next_fault_ < faults.size() && faults[next_fault_].tick <= tick_; ++next_fault_) {
      if (faults[next_fault_].tick == tick_) apply_fault(faults[next_fault_]);
    }
    return;
  }
  const std::optional<FaultStep> f = draw_fault();
  if (!f) return;
  if (o_.record_schedule) recorded_.faults.push_back(*f);
  apply_fault(*f);
  // Follow-ups of follow-ups: a chain of at most three (an xid age after a
  // min_backfill_xid, a new min_backfill_xid after the age, a max after it).
  FaultStep last = *f;
  for (int i = 0; i < 3; ++i) {
    const std::optional<FaultStep> next = draw_follow_up(last);
    if (!next) break;
    if (o_.record_schedule) recorded_.faults.push_back(*next);
    apply_fault(*next);
    last = *next;
  }
}

// A fault that sometimes follows a drawn one in the same tick. With xid
// bounds on, a min_backfill_xid may be followed by a burn up to the wrap. With
// crash points on, a backfill request may be followed by a failure of the
// first transaction after it: a capture crash just before its next commit, a
// failed destination commit, or a materialization crash once it has built a
// transaction.
std::optional<FaultStep> World::draw_follow_up(const FaultStep& f) {
  if (o_.generation.xid_bounds) {
    if (std::optional<FaultStep> next = draw_bounds_follow_up(f)) return next;
  }
  const bool backfill =
      f.kind == FaultKind::kBackfillOne || f.kind == FaultKind::kBackfillAll ||
      f.kind == FaultKind::kMinBackfillXid || f.kind == FaultKind::kMaterializationBackfillOne ||
      f.kind == FaultKind::kMaterializationBackfillAll ||
      f.kind == FaultKind::kDataFlowBackfillOne || f.kind == FaultKind::kDataFlowBackfillAll;
  if (!backfill || !o_.generation.crash_points || !scheduler_.chance({1, 3})) return std::nullopt;
  FaultStep next;
  next.tick = tick_;
  switch (scheduler_.below(3)) {
    case 0:
      next.kind = FaultKind::kCrash;
      next.amount = static_cast<uint64_t>(Capture::Phase::kCommit);
      break;
    case 1:
      next.kind = FaultKind::kCommitFailure;
      break;
    default:
      next.kind = FaultKind::kMaterializationCrash;
      next.amount = 1;
      break;
  }
  return next;
}

// With xid bounds on: after a min_backfill_xid, a burn up to the wrap (rows
// after it have smaller raw xids), else sometimes an xid age or a
// max_backfill_xid (at a row's xmin, or the next xid); after a burn that
// follows a min_backfill_xid, sometimes a max just past the wrap (a range
// that holds it); after an xid age, a min_backfill_xid at the next xid (the
// aged rows now look newer than it, modulo 2^32).
std::optional<FaultStep> World::draw_bounds_follow_up(const FaultStep& f) {
  FaultStep next;
  next.tick = tick_;
  switch (f.kind) {
    case FaultKind::kMinBackfillXid:
      if (scheduler_.chance({1, 2})) {
        next.kind = FaultKind::kXidBurn;
        next.amount = burn_to_the_wrap();
        return next;
      }
      if (scheduler_.chance({1, 4})) {
        next.kind = FaultKind::kXidAge;
        return next;
      }
      if (!scheduler_.chance({1, 3})) return std::nullopt;
      next.kind = FaultKind::kMaxBackfillXid;
      // Mostly at a row of the table the min_backfill_xid backfills.
      if (scheduler_.chance({2, 3})) {
        const Result<TableId> t = db_.table_id(capture_->bindings()[f.binding].table);
        if (t.is_ok()) next.amount = xid_of_a_row_of(t.value());
      }
      return next;
    case FaultKind::kXidBurn:
      if (min_set_tick_ != tick_ || !scheduler_.chance({1, 2})) return std::nullopt;
      next.kind = FaultKind::kMaxBackfillXid;
      next.amount = xid_advance_by(db_.next_xid(), 8 + scheduler_.below(64)).value();
      return next;
    case FaultKind::kXidAge:
      next.kind = FaultKind::kMinBackfillXid;
      next.binding = static_cast<uint32_t>(scheduler_.below(capture_->bindings().size()));
      return next;
    default:
      return std::nullopt;
  }
}

// Applies a fault, drawn or from the explicit schedule, at this tick.
// REQUIRES: its table and binding exist.
void World::apply_fault(const FaultStep& f) {
  CDC_ASSERT(f.table < tables_.size() && f.binding < capture_->bindings().size(),
             "fault on an unknown table or binding");
  switch (f.kind) {
    case FaultKind::kCrash:
    case FaultKind::kQueryFailure:
    case FaultKind::kCaptureStall:
    case FaultKind::kMaterializationCrash:
    case FaultKind::kCommitFailure:
    case FaultKind::kDestinationSchemaChange:
      apply_pipeline_fault(f);
      return;
    case FaultKind::kBackfillOne:
    case FaultKind::kBackfillAll:
    case FaultKind::kMinBackfillXid:
    case FaultKind::kMaterializationBackfillOne:
    case FaultKind::kMaterializationBackfillAll:
    case FaultKind::kDataFlowBackfillOne:
    case FaultKind::kDataFlowBackfillAll:
    case FaultKind::kMaxBackfillXid:
      apply_backfill_fault(f);
      return;
    case FaultKind::kXidAge:
      age_xids();
      return;
    case FaultKind::kVacuumFreeze:
    case FaultKind::kVacuumFull:
    case FaultKind::kCheckpoint:
    case FaultKind::kXidBurn:
    case FaultKind::kPauseWrites:
    case FaultKind::kUpgrade:
      apply_source_fault(f);
      return;
  }
}

// A crash, a failed query or a stall of the capture; a crash or a failed
// commit of the materialization (nothing, without a materialization).
void World::apply_pipeline_fault(const FaultStep& f) {
  using K = history::Event::Kind;
  switch (f.kind) {
    case FaultKind::kCrash:
      CDC_ASSERT(f.amount <= fault_amount_max(f.kind, o_.capture.algorithm),
                 "a crash names a step of this algorithm's capture");
      if (f.amount == 0) {
        crash_capture();
      } else {
        crash_at_ = static_cast<Capture::Phase>(f.amount);
      }
      return;
    case FaultKind::kDestinationSchemaChange:
      change_destination_schemas();
      return;
    case FaultKind::kQueryFailure: {
      const auto rows = static_cast<uint32_t>(f.amount);
      capture_->arm_query_failure(rows);
      recorder_.event(K::kFault, "next chunk query fails after " + std::to_string(rows) + " rows");
      return;
    }
    case FaultKind::kCaptureStall:
      stall_capture(f.amount);
      return;
    case FaultKind::kMaterializationCrash:
      if (!materialization_) return;
      if (f.amount == 1 && !materialization_->has_built()) {
        crash_materialization_when_built_ = true;
        return;
      }
      crash_materialization();
      return;
    case FaultKind::kCommitFailure:
      if (materialization_) materialization_->arm_commit_failure();
      return;
    default:
      CDC_ASSERT(false, "not a fault of the pipeline");
  }
}

// A backfill of the fault's binding (*One, kMinBackfillXid) or of all of them
// (*All): of the capture, of the materialization or of the data flow; or a
// bound for later capture backfills (kMaxBackfillXid, no backfill itself).
void World::apply_backfill_fault(const FaultStep& f) {
  const uint32_t b = f.binding;
  switch (f.kind) {
    case FaultKind::kBackfillOne:
      capture_backfill({b});
      return;
    case FaultKind::kBackfillAll:
      slot_lost_ = false;
      capture_backfill(all_capture_bindings());
      return;
    case FaultKind::kMinBackfillXid:
      set_min_backfill_xid(f.amount ? Xid(static_cast<uint32_t>(f.amount))
                                    : xid_advance_by(db_.next_xid(), 0));
      capture_backfill({b});
      return;
    case FaultKind::kMaxBackfillXid:
      set_max_backfill_xid(f.amount ? Xid(static_cast<uint32_t>(f.amount)) : db_.next_xid());
      return;
    case FaultKind::kMaterializationBackfillOne:
      materialization_backfill({b});
      return;
    case FaultKind::kMaterializationBackfillAll:
      materialization_backfill(all_capture_bindings());
      return;
    case FaultKind::kDataFlowBackfillOne:
      dataflow_backfill({b});
      return;
    case FaultKind::kDataFlowBackfillAll:
      dataflow_backfill(all_capture_bindings());
      return;
    default:
      CDC_ASSERT(false, "not a backfill fault");
  }
}

// What happens to the source database: VACUUM of the fault's table,
// CHECKPOINT, xids burnt, writes paused for a while, a major upgrade.
void World::apply_source_fault(const FaultStep& f) {
  using K = history::Event::Kind;
  const TableId t = tables_[f.table];
  switch (f.kind) {
    case FaultKind::kVacuumFreeze:
      reached(Situation::kOpVacuumFreeze);
      recorder_.event(K::kOperation, "VACUUM FREEZE " + db_.schema(t).name +
                                         (db_.vacuum_freeze(t).is_ok() ? "" : " (refused)"));
      return;
    case FaultKind::kVacuumFull:
      reached(Situation::kOpVacuumFull);
      recorder_.event(K::kOperation, "VACUUM FULL " + db_.schema(t).name +
                                         (db_.vacuum_full(t).is_ok() ? "" : " (refused)"));
      return;
    case FaultKind::kCheckpoint:
      reached(Situation::kOpCheckpoint);
      db_.checkpoint();
      recorder_.event(K::kOperation, "CHECKPOINT");
      return;
    case FaultKind::kXidBurn: {
      const uint64_t n = f.amount;
      reached(Situation::kOpXidBurn);
      recorder_.event(K::kOperation, "burn " + std::to_string(n) + " xids" +
                                         (db_.burn_xids(n).is_ok() ? "" : " (refused)"));
      return;
    }
    case FaultKind::kPauseWrites: {
      const uint64_t ticks = f.amount;
      reached(Situation::kOpPauseWrites);
      writes_paused_until_ = tick_ + ticks;
      recorder_.event(K::kOperation, "writes paused for " + std::to_string(ticks) + " ticks");
      return;
    }
    case FaultKind::kUpgrade:
      upgrade();
      return;
    default:
      CDC_ASSERT(false, "not a fault of the source database");
  }
}

void World::run_script() {
  while (next_script_op_ < o_.script.size() && o_.script[next_script_op_].tick <= tick_) {
    perform(o_.script[next_script_op_++]);
  }
}

void World::wait_until_drained() {
  const uint64_t deadline = tick_ + o_.liveness_ticks_max;
  while (tick_ < deadline && !drained()) {
    ++tick_;
    recorder_.set_tick(tick_);
    capture_steps();
  }
  recorder_.event(history::Event::Kind::kOperation,
                  drained() ? "waited until drained" : "waited, but the pipeline did not drain");
}

void World::add_binding(uint32_t table_index) {
  CDC_ASSERT(table_index < tables_.size(), "scripted binding for an unknown table");
  CaptureBinding b;
  b.table = db_.schema(tables_[table_index]).name;
  b.collection = "acme/" + b.table;
  o_.bindings.push_back(b);
  capture_->bindings().push_back(b);
  recorder_.set_bindings(o_.bindings);
  if (materialization_) {
    MaterializationBindingSpec m;
    m.collection = b.collection;
    m.destination = "dest_" + b.table;
    m.strategy = o_.strategy;
    m.keep_existing_on_backfill = o_.keep_existing_on_backfill;
    materialization_->add_binding(m);
    recorder_.set_materializations(materialization_->bindings(), o_.bindings);
    materialization_->restart();
  }
  capture_->stop_gracefully();
  recorder_.event(history::Event::Kind::kOperation, "publish: added binding " + b.table);
}

// Performs a scripted operation at its tick.
void World::perform(const ScriptedOp& op) {
  using Op = ScriptedOp::Kind;
  switch (op.kind) {
    case Op::kCaptureBackfill:
      if (op.mode) set_backfill_mode(or_all(op.bindings), *op.mode);
      capture_backfill(or_all(op.bindings));
      return;
    case Op::kMaterializationBackfill:
      materialization_backfill(or_all(op.bindings));
      return;
    case Op::kDataFlowBackfill:
      dataflow_backfill(or_all(op.bindings));
      return;
    case Op::kUpgrade:
      upgrade();
      return;
    case Op::kPauseWrites:
      pause_writes();
      return;
    case Op::kResumeWrites:
      resume_writes();
      return;
    case Op::kStallCapture:
      stall_capture(op.ticks);
      return;
    case Op::kSetMinBackfillXid:
      set_min_backfill_xid(db_.next_xid());
      return;
    case Op::kSetMaxBackfillXid:
      set_max_backfill_xid(db_.next_xid());
      return;
    case Op::kXidAge:
      age_xids();
      return;
    case Op::kWaitUntilDrained:
      wait_until_drained();
      return;
    case Op::kNewStorage:
      move_to_new_storage(or_all(op.bindings));
      return;
    case Op::kCorruptCollections:
      corrupt_collections(or_all(op.bindings));
      return;
    case Op::kCorruptDestinations:
      corrupt_destinations(or_all(op.bindings));
      return;
    case Op::kDestinationSchemaChange:
      change_destination_schemas();
      return;
    case Op::kAddBinding:
      for (uint32_t t : op.bindings)
        add_binding(t);
      return;
  }
}

// Ends the open transactions first: the upgrade needs a stopped cluster.
void World::upgrade() {
  reached(Situation::kOpUpgrade);
  finish_writes();
  const bool done = db_.major_upgrade().is_ok();
  recorder_.event(history::Event::Kind::kOperation,
                  done ? "major upgrade" : "major upgrade (refused)",
                  done ? history::Event::Type::kMajorUpgrade : history::Event::Type::kOther);
}

// The capture does nothing for `ticks` ticks from now.
void World::stall_capture(uint64_t ticks) {
  reached(Situation::kOpCaptureStall);
  stalled_until_ = tick_ + ticks;
  recorder_.event(history::Event::Kind::kFault,
                  "capture stalls for " + std::to_string(ticks) + " ticks");
}

void World::set_min_backfill_xid(Xid min) {
  reached(Situation::kOpMinBackfillXid);
  min_set_tick_ = tick_;
  capture_->options().min_backfill_xid = min;
  recorder_.event(history::Event::Kind::kOperation,
                  "set min_backfill_xid " + std::to_string(min.value()),
                  history::Event::Type::kMinBackfillXidSet);
}

void World::set_max_backfill_xid(Xid max) {
  reached(Situation::kOpMaxBackfillXid);
  capture_->options().max_backfill_xid = max;
  recorder_.event(history::Event::Kind::kOperation,
                  "set max_backfill_xid " + std::to_string(max.value()),
                  history::Event::Type::kMaxBackfillXidSet);
}

// A long-lived cluster, compressed: open transactions end, vacuumdb --all
// --freeze freezes every row (keeping its raw xmin), and the counter then runs
// 2^31 + 2000 xids on, with a second cluster-wide freeze halfway so that the
// wraparound limits allow it. Every row there was is then more than 2^31 xids
// older than the next xid: compared modulo 2^32 its xmin looks newer.
void World::age_xids() {
  reached(Situation::kOpXidAge);
  finish_writes();
  constexpr uint64_t kHalf = (uint64_t{1} << 30) + 1000;
  const bool done = db_.vacuum_freeze_all().is_ok() && db_.burn_xids(kHalf).is_ok() &&
                    db_.vacuum_freeze_all().is_ok() && db_.burn_xids(kHalf).is_ok();
  recorder_.event(history::Event::Kind::kOperation,
                  std::string("xid age: vacuumdb --all --freeze, then 2^31 + 2000 xids") +
                      (done ? "" : " (refused)"));
}

// The bindings' next backfill uses `mode`, in the capture and in the options
// the recorder reads.
void World::set_backfill_mode(const std::vector<uint32_t>& bindings, BackfillMode mode) {
  for (uint32_t b : bindings) {
    capture_->bindings()[b].mode = mode;
    o_.bindings[b].mode = mode;
  }
  recorder_.set_bindings(o_.bindings);  // keyless-ness may have changed
}

// Ends the open transactions; no workload step runs until resume_writes().
void World::pause_writes() {
  finish_writes();
  writes_paused_until_ = UINT64_MAX;
  recorder_.event(history::Event::Kind::kOperation, "writes paused");
}

void World::resume_writes() {
  writes_paused_until_ = 0;
  recorder_.event(history::Event::Kind::kOperation, "writes resumed");
}

// The bindings' collections are emptied, as on moving to new storage.
void World::move_to_new_storage(const std::vector<uint32_t>& bindings) {
  for (uint32_t b : bindings)
    store_.reset(capture_->bindings()[b].collection);
  recorder_.event(history::Event::Kind::kOperation, "collections moved to new, empty storage");
}

// The bindings' collections (those that exist) lose documents.
void World::corrupt_collections(const std::vector<uint32_t>& bindings) {
  uint64_t lost = 0;
  for (uint32_t b : bindings) {
    const std::string& c = capture_->bindings()[b].collection;
    if (store_.exists(c)) lost += store_.corrupt(c);
  }
  recorder_.event(history::Event::Kind::kFault,
                  "collections corrupted: " + std::to_string(lost) + " documents lost");
}

// The bindings' destination tables have rows damaged.
void World::corrupt_destinations(const std::vector<uint32_t>& bindings) {
  uint64_t damaged = 0;
  for (uint32_t b : bindings)
    damaged += destination_.corrupt("dest_" + o_.bindings[b].table);
  recorder_.event(history::Event::Kind::kFault,
                  "destinations corrupted: " + std::to_string(damaged) + " rows damaged");
}

// Every materialization binding's schema version moves on (nothing without a
// materialization).
void World::change_destination_schemas() {
  if (!materialization_) return;
  reached(Situation::kOpDestinationSchemaChange);
  for (MaterializationBindingSpec& m : materialization_->bindings())
    ++m.schema_version;
  recorder_.event(history::Event::Kind::kOperation, "destination schema changed");
}

void World::capture_steps() {
  if (materialization_) materialization_step();
  if (tick_ < stalled_until_) {
    // The source invalidates a slot whether or not its capture is running:
    // note it now, before the capture's restart can replace the lost slot.
    note_slot_invalidation();
    return;
  }
  capture_->set_now(tick_);
  for (uint32_t i = 0; i < o_.capture_steps_per_tick; ++i) {
    if (i == 1) reached(Situation::kSeveralCaptureStepsPerTick);
    if (crash_at_ && capture_->phase() == *crash_at_) {
      crash_at_.reset();
      crash_capture();  // in place of the step it was about to take
      continue;
    }
    // Errors are recorded by the observer; the capture restarts.
    const Status s = capture_->step();
    if (!s.is_ok() && s.error().code == ErrorCode::kSlotLost) slot_lost_ = true;
  }
  note_slot_invalidation();
}

// Records, once per slot, that the source invalidated the capture's slot
// (the expectations tell a loss followed by a backfill of every binding from
// one that stayed).
void World::note_slot_invalidation() {
  if (!o_.max_slot_wal_keep_size_bytes) return;  // only that limit invalidates slots
  const Result<SlotInfo> slot = db_.slot(o_.capture.slot);
  const bool lost = slot.is_ok() && slot.value().wal_status == SlotWalStatus::kLost;
  if (lost && !slot_invalidation_noted_) {
    recorder_.event(history::Event::Kind::kFault,
                    "slot invalidated: it held more WAL than max_slot_wal_keep_size",
                    history::Event::Type::kSlotInvalidated);
  }
  slot_invalidation_noted_ = lost;
}

// One materialization step (errors are recorded; it retries), noting a
// failed commit that was the first destination commit after a backfill.
void World::materialization_step() {
  if (crash_materialization_when_built_ && materialization_->has_built()) crash_materialization();
  const bool armed = materialization_->commit_failure_armed();
  (void)materialization_->step();
  const bool fired = armed && !materialization_->commit_failure_armed();
  if (fired && recorder_.history().destination_txns.size() == dest_txns_at_request_) {
    reached(Situation::kCommitFailureOnFirstTxnAfterBackfill);
  }
  if (materialization_backfilling_ && materialization_->drained()) {
    materialization_backfilling_ = false;
  }
}

// A materialization crash: the transaction it was building is lost.
void World::crash_materialization() {
  reached(materialization_->has_built() ? Situation::kMaterializationCrashWithBuiltTxn
                                        : Situation::kMaterializationCrashIdle);
  crash_materialization_when_built_ = false;
  materialization_->restart();
  recorder_.event(history::Event::Kind::kFault, "materialization crashed");
}

// A capture crash: what it interrupts depends on the step the capture is at.
void World::crash_capture() {
  using P = Capture::Phase;
  switch (capture_->phase()) {
    case P::kStopped:
      reached(Situation::kCrashBeforeStart);
      break;
    case P::kFence:
      reached(Situation::kCrashBeforeFence);
      break;
    case P::kStream:
      reached(Situation::kCrashBeforeStream);
      break;
    case P::kChunk:
    case P::kWindowQuery:  // Debezium's chunk query
      reached(Situation::kCrashBeforeChunk);
      break;
    case P::kWindowClose:  // Debezium's close signal, a watermark write like a fence
      reached(Situation::kCrashBeforeFence);
      break;
    case P::kSplitOpen:  // Flink's split steps: the query, the watermark, the merge
    case P::kSplitScan:
      reached(Situation::kCrashBeforeChunk);
      break;
    case P::kSplitHigh:
      reached(Situation::kCrashBeforeFence);
      break;
    case P::kSplitBackfill:
      reached(Situation::kCrashBeforeCommit);
      break;
    case P::kCommit:
      reached(Situation::kCrashBeforeCommit);
      break;
    case P::kStreaming:
      reached(Situation::kCrashWhileStreaming);
      break;
  }
  if (recorder_.history().collection_txns.size() == collection_txns_at_request_) {
    reached(Situation::kCrashOnFirstTxnAfterBackfill);
  }
  capture_->restart();
  ++recorder_.history().crashes;
  recorder_.event(history::Event::Kind::kFault, "capture crashed",
                  history::Event::Type::kCaptureCrash);
}

// A keyless row updated while its binding scans by ctid: whether the update
// moved it across the scan cursor (read before and not after, or the reverse).
void World::note_keyless_move(const Statement& st) {
  if (st.kind != Statement::Kind::kUpdate || !st.ctid) return;
  const std::string& table = db_.schema(tables_[st.table]).name;
  for (uint32_t b = 0; b < capture_->bindings().size(); ++b) {
    if (capture_->bindings()[b].table != table) continue;
    const std::optional<Ctid> cursor = capture_->keyless_cursor(b);
    if (!cursor) continue;
    // New versions are appended: the updated row, if the update took, is last.
    const HeapTable& heap = db_.heap(tables_[st.table]);
    if (heap.slot_count() == 0 || heap.row(heap.slot_count() - 1) != st.row) continue;
    const Ctid moved_to = heap.ctid_of(heap.slot_count() - 1);
    if ((moved_to < *cursor) != (*st.ctid < *cursor)) {
      reached(Situation::kKeylessRowMovedAcrossCursor);
    }
  }
}

// A backfill was requested: the next commits are the first after it.
void World::note_backfill_request() {
  collection_txns_at_request_ = recorder_.history().collection_txns.size();
  dest_txns_at_request_ = recorder_.history().destination_txns.size();
}

// Situations of the tick just run that no single component sees: the xid
// wrap and retention against backfills in progress.
void World::note_tick(uint64_t expired_docs) {
  const uint32_t epoch = epoch_of(db_.next_full_xid());
  if (epoch != xid_epoch_) {
    reached(Situation::kXidWrap);
    bool capture_backfilling = false;
    for (uint32_t b = 0; b < capture_->bindings().size(); ++b)
      capture_backfilling = capture_backfilling || capture_->backfilling(b);
    if (capture_backfilling) reached(Situation::kXidWrapDuringBackfill);
    xid_epoch_ = epoch;
  }
  if (expired_docs > 0) {
    reached(Situation::kRetentionExpiry);
    if (materialization_backfilling_) reached(Situation::kExpiryDuringMaterializationBackfill);
  }
}

void World::safety_tick() {
  ++tick_;
  recorder_.set_tick(tick_);
  run_script();
  workload_step();
  inject_fault();
  capture_steps();
  uint64_t dropped = 0;
  if (o_.retention_ticks) {
    std::map<std::string, std::vector<CompactKey>> expired;
    dropped = store_.expire(tick_, *o_.retention_ticks, &expired);
    recorder_.on_expired(expired);
    if (dropped) {
      recorder_.event(history::Event::Kind::kFault,
                      "retention expired " + std::to_string(dropped) + " documents");
    }
  }
  note_tick(dropped);
}

// Large enough that what the world frees at the end is worth giving back at
// once: 2^16 row versions or more in the source tables.
bool World::large() const {
  constexpr uint64_t kLargeSlots = uint64_t{1} << 16;
  uint64_t slots = 0;
  for (uint32_t t = 0; t < db_.table_count(); ++t)
    slots += db_.slot_count(TableId(t));
  return slots >= kLargeSlots;
}

// Nothing reads the source once the run has drained: its tables, indexes
// and WAL, the recorder's committed state, the capture and the workload go
// before the final state and the fingerprint are built, which is when the
// run's memory would peak.
void World::release_source() {
  recorder_.release_source_state();
  workload_.reset();
  capture_.reset();
  db_ = Database();
}

void World::record_final_state() {
  history::FinalState& f = recorder_.history().final_state;
  f.recorded = true;
  // Each collection's ids ascend (commit order): merge the runs.
  std::vector<uint32_t>& ids = f.surviving_doc_ids;
  for (const CaptureBinding& b : o_.bindings) {
    const CollectionDocs* docs = store_.find_docs(b.collection);
    if (docs == nullptr) continue;
    const size_t start = ids.size();
    for (const StoredDoc& d : *docs)
      ids.push_back(d.id);
    merge_appended_run(&ids, start);
  }
  if (!materialization_) return;
  // The run is over: the destinations' tables move out of the world (a table
  // several bindings write, once). Each row is named by the upsert that
  // wrote it; a row no upsert wrote as it stands (a corruption) is copied.
  std::map<std::string, DestinationTable> released;
  for (const MaterializationBindingSpec& m : materialization_->bindings()) {
    if (std::optional<DestinationTable> t = destination_.release_table(m.destination))
      released.emplace(m.destination, std::move(*t));
  }
  const history::History& h = recorder_.history();
  std::map<std::string, FinalRowIndex> indexes;
  for (const MaterializationBindingSpec& m : materialization_->bindings()) {
    const size_t binding = f.destinations.size();
    std::vector<history::FinalRowRef>& refs = f.destinations.emplace_back();
    const auto t = released.find(m.destination);
    if (t == released.end()) continue;
    const FinalRowIndex& index = indexes.try_emplace(m.destination, h, m.destination).first->second;
    std::vector<FinalRowIndex::Stored> stored;
    stored.reserve(t->second.merged.size() + t->second.appended.size());
    for (const auto& [key, r] : t->second.merged)
      stored.push_back({&key, &r});
    for (const DestRow& r : t->second.appended)
      stored.push_back({&r.key, &r});
    std::vector<std::optional<history::FinalRowRef>> found(stored.size());
    index.find_all(stored, found);
    refs.reserve(stored.size());
    for (size_t i = 0; i < stored.size(); ++i) {
      if (found[i]) {
        refs.push_back(*found[i]);
      } else {
        const DestValue& r = *stored[i].value;
        f.add_owned(binding, history_row(*stored[i].key, r, r.fields));
      }
    }
  }
}

bool World::drained() const {
  return capture_->phase() == Capture::Phase::kStreaming && capture_->backfills_done() &&
         capture_->cursor() >= recorder_.last_commit_lsn() &&
         (!materialization_ || materialization_->drained());
}

RunResult World::run() {
  for (uint64_t i = 0; i < o_.safety_ticks; ++i)
    safety_tick();
  // Liveness: heal faults, end open transactions, pause writes, drain.
  finish_writes();
  db_.flush_wal();
  recorder_.event(history::Event::Kind::kOperation, "liveness phase: faults healed, writes paused");
  stalled_until_ = 0;
  crash_at_.reset();
  crash_materialization_when_built_ = false;
  capture_->disarm_query_failure();
  if (materialization_) materialization_->disarm_commit_failure();
  const uint64_t deadline = tick_ + o_.liveness_ticks_max;
  while (tick_ < deadline && !drained()) {
    ++tick_;
    recorder_.set_tick(tick_);
    capture_steps();
  }
  history::Drain& d = recorder_.history().drain;
  d.reached = drained();
  d.tick = tick_;
  d.source_flush_lsn = db_.current_flush_lsn();
  d.capture_cursor = store_.checkpoint() ? store_.checkpoint()->cursor : Lsn();
  if (large()) prompt_release_.emplace();
  release_source();
  record_final_state();
  recorder_.finish_costs(tick_);
  RunResult r;
  r.history = std::move(recorder_.history());
  r.fingerprint = fingerprint(r.history);
  if (explicit_) {
    r.schedule = *explicit_;
  } else if (o_.record_schedule) {
    r.schedule = std::move(recorded_);
  }
  return r;
}

}  // namespace

const std::vector<FaultWeightField>& fault_weight_fields() {
  static const std::vector<FaultWeightField> kFields = {
      {"crash", &FaultWeights::crash},
      {"query_failure", &FaultWeights::query_failure},
      {"backfill_one", &FaultWeights::backfill_one},
      {"backfill_all", &FaultWeights::backfill_all},
      {"vacuum_freeze", &FaultWeights::vacuum_freeze},
      {"vacuum_full", &FaultWeights::vacuum_full},
      {"checkpoint", &FaultWeights::checkpoint},
      {"xid_burn", &FaultWeights::xid_burn},
      {"capture_stall", &FaultWeights::capture_stall},
      {"upgrade", &FaultWeights::upgrade},
      {"min_backfill_xid", &FaultWeights::min_backfill_xid},
      {"pause_writes", &FaultWeights::pause_writes},
      {"materialization_crash", &FaultWeights::materialization_crash},
      {"commit_failure", &FaultWeights::commit_failure},
      {"materialization_backfill_one", &FaultWeights::materialization_backfill_one},
      {"materialization_backfill_all", &FaultWeights::materialization_backfill_all},
      {"dataflow_backfill_one", &FaultWeights::dataflow_backfill_one},
      {"dataflow_backfill_all", &FaultWeights::dataflow_backfill_all},
      {"destination_schema_change", &FaultWeights::destination_schema_change},
      {"max_backfill_xid", &FaultWeights::max_backfill_xid},
      {"xid_age", &FaultWeights::xid_age},
  };
  return kFields;
}

uint32_t FaultWeights::total() const {
  uint32_t sum = 0;
  for (const FaultWeightField& f : fault_weight_fields())
    sum += this->*f.weight;
  return sum;
}

WorldOptions with_defaults(WorldOptions o) {
  if (o.tables.empty()) o.tables = demo_schemas();
  if (!o.bindings.empty()) return o;
  for (const TableSchema& s : o.tables) {
    CaptureBinding b;
    b.table = s.name;
    b.collection = "acme/" + s.name;
    o.bindings.push_back(b);
  }
  return o;
}

std::vector<MaterializationBindingSpec> materialization_specs(const WorldOptions& o) {
  std::vector<MaterializationBindingSpec> specs;
  for (const CaptureBinding& b : o.bindings) {
    MaterializationBindingSpec m;
    m.collection = b.collection;
    m.destination = "dest_" + b.table;
    m.strategy = o.strategy;
    m.keep_existing_on_backfill = o.keep_existing_on_backfill;
    specs.push_back(m);
  }
  return specs;
}

WorldOptions swarm(WorldOptions o) {
  Prng p = Prng(o.seed).fork(kSwarmStream);
  for (const FaultWeightField& f : fault_weight_fields()) {
    uint32_t* w = &(o.faults.*f.weight);
    if (*w == 0) continue;
    *w = p.chance({1, 2}) ? static_cast<uint32_t>(1 + p.below(*w * 2)) : 0;
  }
  return o;
}

RunResult run_world(const WorldOptions& options) {
  const MutantRunScope reading_the_mutant;  // the active mutant stays fixed during the run
  const SituationRecorder situations;
  World w(options.swarm ? swarm(options) : options);
  RunResult r = w.run();
  r.situations = situations.reached();
  return r;
}

}  // namespace cdc::sim
