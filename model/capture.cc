// Capture: construction, the step dispatcher, start-up and mode resolution.
#include "model/capture.h"

#include <algorithm>
#include <utility>

#include "model/mutants.h"
#include "model/situations.h"

namespace cdc {

const char* to_string(BackfillMode m) {
  switch (m) {
    case BackfillMode::kAutomatic:
      return "Automatic";
    case BackfillMode::kNormal:
      return "Normal";
    case BackfillMode::kPrecise:
      return "Precise";
    case BackfillMode::kOnlyChanges:
      return "Only Changes";
    case BackfillMode::kWithoutPrimaryKey:
      return "Without Primary Key";
  }
  CDC_ASSERT(false, "unknown backfill mode");
  return "?";
}

const char* to_string(CaptureMode m) {
  switch (m) {
    case CaptureMode::kPrecise:
      return "Precise";
    case CaptureMode::kNormal:
      return "Normal";
    case CaptureMode::kWithoutPrimaryKey:
      return "Without Primary Key";
    case CaptureMode::kOnlyChanges:
      return "Only Changes";
  }
  CDC_ASSERT(false, "unknown capture mode");
  return "?";
}

const char* to_string(CaptureAlgorithm a) {
  switch (a) {
    case CaptureAlgorithm::kEstuary:
      return "estuary";
    case CaptureAlgorithm::kDebezium:
      return "debezium";
    case CaptureAlgorithm::kFlink:
      return "flink";
  }
  CDC_ASSERT(false, "unknown capture algorithm");
  return "?";
}

const char* to_string(Capture::Phase p) {
  switch (p) {
    case Capture::Phase::kStopped:
      return "stopped";
    case Capture::Phase::kFence:
      return "fence";
    case Capture::Phase::kStream:
      return "stream";
    case Capture::Phase::kChunk:
      return "chunk";
    case Capture::Phase::kCommit:
      return "commit";
    case Capture::Phase::kStreaming:
      return "streaming";
    case Capture::Phase::kWindowQuery:
      return "window query";
    case Capture::Phase::kWindowClose:
      return "window close";
    case Capture::Phase::kSplitOpen:
      return "split open";
    case Capture::Phase::kSplitScan:
      return "split scan";
    case Capture::Phase::kSplitHigh:
      return "split high";
    case Capture::Phase::kSplitBackfill:
      return "split backfill";
  }
  CDC_ASSERT(false, "unknown capture phase");
  return "?";
}

Capture::Capture(Source* source, CollectionStore* store, CaptureOptions options,
                 std::vector<CaptureBinding> bindings, std::function<uint64_t(uint64_t)> choose,
                 CaptureObserver* observer)
    : source_(source),
      store_(store),
      options_(std::move(options)),
      bindings_(std::move(bindings)),
      choose_(std::move(choose)),
      observer_(observer) {
  CDC_ASSERT(source_ && store_ && observer_ && choose_, "capture needs its collaborators");
  CDC_ASSERT(options_.chunk_size > 0 && options_.keyless_blocks_per_chunk > 0,
             "capture options out of range");
  CDC_ASSERT(phase_ == Phase::kStopped && !stream_, "a new capture starts stopped");
}

InternedText Capture::interned_state_key(uint32_t binding) const {
  const CaptureBinding& b = bindings_[binding];
  if (state_keys_.size() <= binding) state_keys_.resize(bindings_.size());
  StateKey& k = state_keys_[binding];
  if (k.key.empty() || k.counter != b.backfill_counter || k.table != b.table) {
    k.table = b.table;
    k.counter = b.backfill_counter;
    k.key = b.table + ".v" + std::to_string(b.backfill_counter);
  }
  return k.key;
}

void Capture::restart() {
  phase_ = Phase::kStopped;
  stream_.reset();
  pending_.clear();
  pending_chunks_.clear();
  pending_completed_.clear();
  in_backfill_iteration_ = false;
  window_.reset();
  split_.reset();
}

void Capture::stop_gracefully() {
  if (debezium() && phase_ != Phase::kStopped && flushed_offsets_) {
    CollectionStore::Txn txn;
    txn.checkpoint = &*flushed_offsets_;
    const uint64_t seq = store_->commit(std::move(txn), now_tick_);
    observer_->on_commit(seq, {}, {}, {}, flushed_offsets_->cursor);
    (void)source_->acknowledge(options_.slot, flushed_offsets_->cursor);  // a lost slot: next start
  }
  restart();
}

Status Capture::fail(Error e) {
  reached(e.code == ErrorCode::kSlotLost ? Situation::kCaptureErrorSlotLost
                                         : Situation::kCaptureErrorOther);
  observer_->on_error(e);
  // Flink drops a split's backfill slot when its task fails (a crash leaves it).
  if (split_ && split_->backfill) (void)source_->drop_slot(backfill_slot());
  restart();
  return e;
}

Status Capture::step() {
  CDC_ASSERT(phase_ == Phase::kStopped || stream_ || flink(),
             "a started capture has a stream (Flink's starts after its splits)");
  Status s = Status::ok();
  switch (phase_) {
    case Phase::kStopped:
      s = start();
      break;
    case Phase::kFence:
      s = fence();
      break;
    case Phase::kStream:
      s = stream();
      break;
    case Phase::kChunk:
      s = debezium() ? window_open() : chunk();
      break;
    case Phase::kWindowQuery:
      s = window_query();
      break;
    case Phase::kWindowClose:
      s = window_close();
      break;
    case Phase::kSplitOpen:
      s = split_open();
      break;
    case Phase::kSplitScan:
      s = split_scan();
      break;
    case Phase::kSplitHigh:
      s = split_high();
      break;
    case Phase::kSplitBackfill:
      s = split_backfill();
      break;
    case Phase::kCommit:
      s = commit_pending();
      break;
    case Phase::kStreaming:
      s = streaming();
      break;
  }
  CDC_ASSERT(s.is_ok() || phase_ == Phase::kStopped, "an error stops the capture");
  return s;
}

const BindingState* Capture::find_started(uint32_t b) const {
  if (b >= started_.size() || started_[b].counter != bindings_[b].backfill_counter) return nullptr;
  CDC_ASSERT(started_[b].state != nullptr, "a started binding has its state");
  return started_[b].state;
}

const BindingState& Capture::started_state(uint32_t b) const {
  const BindingState* st = find_started(b);
  CDC_ASSERT(st != nullptr, "a binding's state is read under the key its capture started with");
  return *st;
}

BindingState& Capture::started_state(uint32_t b) {
  return const_cast<BindingState&>(std::as_const(*this).started_state(b));
}

bool Capture::backfills_done() const {
  if (phase_ == Phase::kStopped) return false;
  for (uint32_t b = 0; b < bindings_.size(); ++b) {
    const BindingState* st = find_started(b);
    if (st == nullptr || !st->backfilled) return false;
  }
  return true;
}

bool Capture::backfilling(uint32_t binding) const {
  if (phase_ == Phase::kStopped || binding >= bindings_.size()) return false;
  const BindingState* st = find_started(binding);
  return st != nullptr && !st->backfilled;
}

std::optional<Key> Capture::backfill_cursor(uint32_t binding) const {
  if (!backfilling(binding)) return std::nullopt;
  return started_state(binding).scanned;
}

std::optional<Ctid> Capture::keyless_cursor(uint32_t binding) const {
  if (!backfilling(binding)) return std::nullopt;
  return started_state(binding).scanned_ctid;
}

namespace {

std::optional<Ctid> ctid_resume(const CaptureCheckpoint& c, const std::string& state_key) {
  auto it = c.states.find(state_key);
  if (it == c.states.end() || it->second.backfilled) return std::nullopt;
  if (it->second.mode != CaptureMode::kWithoutPrimaryKey) return std::nullopt;
  return it->second.scanned_ctid.value_or(Ctid{0, 0});
}

}  // namespace

std::optional<Ctid> Capture::ctid_resume_point(uint32_t binding) const {
  if (phase_ == Phase::kStopped || binding >= bindings_.size()) return std::nullopt;
  return ctid_resume(state_, state_key(binding));
}

std::optional<Ctid> Capture::ctid_resume_point(uint32_t binding,
                                               const CaptureCheckpoint& saved) const {
  if (binding >= bindings_.size()) return std::nullopt;
  return ctid_resume(saved, state_key(binding));
}

std::optional<uint32_t> Capture::binding_of(TableId t) const {
  for (uint32_t b = 0; b < tables_.size(); ++b) {
    if (tables_[b] == t) return b;
  }
  return std::nullopt;
}

namespace {
Situation mode_situation(CaptureMode m) {
  switch (m) {
    case CaptureMode::kPrecise:
      return Situation::kModePrecise;
    case CaptureMode::kNormal:
      return Situation::kModeNormal;
    case CaptureMode::kWithoutPrimaryKey:
      return Situation::kModeWithoutPrimaryKey;
    case CaptureMode::kOnlyChanges:
      return Situation::kModeOnlyChanges;
  }
  CDC_ASSERT(false, "unknown capture mode");
  return Situation::kModeNormal;
}
}  // namespace

Result<CaptureMode> Capture::resolve(uint32_t b) const {
  CDC_ASSERT(b < bindings_.size() && tables_[b], "resolving a binding whose table is known");
  const CaptureBinding& spec = bindings_[b];
  const TableSchema& s = source_->schema(*tables_[b]);
  // Debezium: one incremental snapshot for every scanning mode (no Precise
  // filtering); Debezium and Flink do not snapshot a table without a key.
  const bool unsnapshotted = !estuary() && !s.has_primary_key();
  if (spec.skip_backfill || spec.mode == BackfillMode::kOnlyChanges || unsnapshotted) {
    return CaptureMode::kOnlyChanges;
  }
  CaptureMode mode = CaptureMode::kNormal;
  switch (spec.mode) {
    case BackfillMode::kWithoutPrimaryKey:
      mode = CaptureMode::kWithoutPrimaryKey;
      break;
    case BackfillMode::kNormal:
      mode = CaptureMode::kNormal;
      break;
    case BackfillMode::kPrecise:
      mode = CaptureMode::kPrecise;
      break;
    default: {
      if (!s.has_primary_key()) {
        mode = CaptureMode::kWithoutPrimaryKey;
        break;
      }
      // Precise needs the database's key order to be reproducible bytewise.
      mode = s.key_orders_bytewise() ? CaptureMode::kPrecise : CaptureMode::kNormal;
    }
  }
  if (debezium()) mode = CaptureMode::kNormal;
  // Flink: with backfill (Precise) unless backfill is skipped (Normal).
  if (flink() && mode != CaptureMode::kNormal) mode = CaptureMode::kPrecise;
  if (mode != CaptureMode::kWithoutPrimaryKey && !s.has_primary_key()) {
    return Error{ErrorCode::kInvalidArgument, "binding \"" + spec.table + "\": backfill mode " +
                                                  to_string(spec.mode) +
                                                  " needs a primary key; use Without Primary Key"};
  }
  CDC_ASSERT(mode != CaptureMode::kOnlyChanges, "only the skipped bindings start done");
  return mode;
}

BindingState Capture::fresh_state(uint32_t b, CaptureMode mode) const {
  CDC_ASSERT(b < bindings_.size() && tables_[b], "a fresh state of a binding whose table is known");
  BindingState st;
  st.key_columns = source_->schema(*tables_[b]).primary_key;
  st.mode = mode;
  st.backfilled = mode == CaptureMode::kOnlyChanges;  // nothing to scan
  CDC_ASSERT(!st.scanned && !st.scanned_ctid,
             "a new backfill starts at the beginning of its table");
  return st;
}

namespace {
// The state `saved` holds under `state_key`, or nullptr.
const BindingState* saved_state_of(const std::optional<CaptureCheckpoint>& saved,
                                   const std::string& state_key) {
  if (!saved) return nullptr;
  const auto it = saved->states.find(state_key);
  return it == saved->states.end() ? nullptr : &it->second;
}

// A saved binding state as a restart reads it back from the checkpoint: as it
// was committed, unless one of the seeded resume bugs loses part of it.
BindingState read_back(BindingState st) {
  const bool scans = st.mode != CaptureMode::kOnlyChanges;
  if (scans && !st.backfilled && mutant_active(Mutant::kResumeRescansFromStart)) {
    st.scanned.reset();
    st.scanned_ctid.reset();
  }
  if (scans && st.backfilled && mutant_active(Mutant::kResumeForgetsDone)) st.backfilled = false;
  return st;
}
}  // namespace

// Sets the cursor the stream starts at, creating or recreating the slot as
// needed. Every binding bumped since the last checkpoint: jump ahead (drop and
// recreate the slot). Before any checkpoint, an existing slot is reused from
// its confirmed position: a restart before the first commit loses nothing.
Status Capture::open_slot(const std::optional<CaptureCheckpoint>& saved, bool all_new,
                          Lsn memory_cursor) {
  Result<SlotInfo> slot = source_->slot(options_.slot);
  // Debezium snapshots a table again on a signal and keeps its slot, unless
  // the slot is lost: then the recovery a user performs (new offsets, a new
  // slot, a snapshot of every table) is what a jump ahead does.
  const bool slot_lost = slot.is_ok() && slot.value().wal_status == SlotWalStatus::kLost;
  const bool jump = saved && all_new && (estuary() || slot_lost);
  const bool recreate = jump && !mutant_active(Mutant::kJumpAheadKeepsSlot);
  if (jump) reached(Situation::kJumpAhead);
  if (recreate && slot.is_ok()) {
    if (Status s = source_->drop_slot(options_.slot); !s.is_ok()) return s;
  }
  if (recreate || !slot.is_ok()) {
    // A missing slot is created where the WAL is now; a start below its
    // confirmed position then silently starts there.
    slot = source_->create_slot(options_.slot);
    if (!slot.is_ok()) return slot.status();
  }
  state_.cursor = saved && !jump ? saved->cursor : slot.value().confirmed_flush_lsn;
  state_.streaming = saved && !jump && saved->streaming;
  if (saved && !jump && mutant_active(Mutant::kRestartFromMemoryCursor)) {
    state_.cursor = std::max(state_.cursor, memory_cursor);
  }
  return Status::ok();
}

Status Capture::start() {
  CDC_ASSERT(phase_ == Phase::kStopped && pending_.empty(), "a capture starts from nothing");
  tables_.assign(bindings_.size(), std::nullopt);
  for (uint32_t b = 0; b < bindings_.size(); ++b) {
    Result<TableId> t = source_->table_id(bindings_[b].table);
    if (!t.is_ok()) return fail(t.error());
    tables_[b] = t.value();
    if (!store_->exists(bindings_[b].collection)) store_->create(bindings_[b].collection);
  }
  // Nothing below commits to the store before open_slot has read it.
  const std::optional<CaptureCheckpoint>& saved = store_->checkpoint();
  const Lsn memory_cursor = state_.cursor;  // what the lost in-memory state had streamed to
  started_.clear();                         // its entries point into the states about to go
  state_ = CaptureCheckpoint{};
  // A binding resumes its saved state or starts a resolved one. The states
  // enter state_ once the slot is open: a start that fails there (while
  // transactions run, say) builds none. No one reads a stopped capture's
  // states, and the next start begins from an empty map either way.
  std::vector<std::pair<uint32_t, const BindingState*>> resumed;  // with its saved state
  std::vector<std::pair<uint32_t, CaptureMode>> fresh;
  for (uint32_t b = 0; b < bindings_.size(); ++b) {
    if (const BindingState* saved_state = saved_state_of(saved, state_key(b))) {
      resumed.emplace_back(b, saved_state);
      continue;
    }
    Result<CaptureMode> mode = resolve(b);
    if (!mode.is_ok()) return fail(mode.error());
    reached(mode_situation(mode.value()));
    fresh.emplace_back(b, mode.value());
  }
  const bool all_new = !bindings_.empty() && resumed.empty();
  if (Status s = open_slot(saved, all_new, memory_cursor); !s.is_ok()) return fail(s.error());
  CDC_ASSERT(state_.states.empty(), "opening the slot adds no binding state");
  // Bindings that share a state key are all resumed or all fresh.
  for (const auto& [b, saved_state] : resumed)
    state_.states[state_key(b)] = read_back(*saved_state);
  for (const auto& [b, mode] : fresh)
    state_.states[state_key(b)] = fresh_state(b, mode);
  if (flink()) {  // the stream starts after the splits (Capture::start_stream_phase)
    stream_.reset();
  } else {
    Result<std::unique_ptr<ChangeStream>> st =
        source_->start_replication(options_.slot, state_.cursor);
    if (!st.is_ok()) return fail(st.error());
    stream_ = std::move(st).value();
  }
  started_.assign(bindings_.size(), StartedState{});
  for (uint32_t b = 0; b < bindings_.size(); ++b)
    started_[b] = {&state_.states.at(state_key(b)), bindings_[b].backfill_counter};
  observer_->on_start(state_.cursor);
  for (const auto& started : fresh) {
    const uint32_t b = started.first;
    observer_->on_instance(b, state_key(b), started_state(b).mode, state_.cursor);
  }
  for (const auto& resumed_binding : resumed) {
    const uint32_t b = resumed_binding.first;
    observer_->on_resume(b, state_key(b), started_state(b));
  }
  in_backfill_iteration_ = false;
  assign_checkpoint(&flushed_offsets_, state_);  // Debezium: what was read back is what is flushed
  phase_ = flink() ? Phase::kSplitOpen : Phase::kFence;
  CDC_ASSERT(flink() || (stream_ && stream_->start_decoding_at() >= state_.cursor),
             "a started capture streams from its cursor");
  for (uint32_t b = 0; b < bindings_.size(); ++b) {
    CDC_ASSERT(state_.states.count(state_key(b)) == 1, "a started capture has a state per binding");
  }
  return Status::ok();
}

}  // namespace cdc
