#include "conformance/live_run.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <tuple>
#include <utility>

#include "conformance/cluster.h"
#include "conformance/pg_side.h"
#include "conformance/pg_source.h"
#include "model/assert.h"
#include "model/capture.h"
#include "model/collection.h"
#include "model/materialization.h"

namespace cdc::conformance {
namespace {

using json = nlohmann::json;

constexpr char kDatabase[] = "cdcsim_live";
constexpr char kHistorySlot[] = "cdcsim_history";
constexpr int kInvalidationTriesMax = 20;
constexpr int kInvalidationWaitMs = 50;

json value_json(const Value& v) {
  if (v.is_null()) return nullptr;
  if (v.is_int64()) return v.as_int64();
  return std::string(v.as_text());
}

json fields_json(const TableSchema& s, std::span<const Value> row, uint64_t present) {
  json out = json::object();
  for (uint32_t c = 0; c < s.columns.size() && c < row.size(); ++c) {
    if ((present >> c) & 1u) out[s.columns[c].name] = value_json(row[c]);
  }
  return out;
}

// The scenario table a binding names. REQUIRES: it is among `tables`.
const TableSchema& table_named(const std::vector<TableSchema>& tables, const std::string& name) {
  const TableSchema* found = nullptr;
  for (const TableSchema& t : tables) {
    if (t.name == name) found = &t;
  }
  CDC_ASSERT(found != nullptr, "a binding's table is a scenario table");
  return *found;
}

json table_record(const TableSchema& s) {
  json cols = json::array();
  for (const ColumnDef& c : s.columns) {
    cols.push_back({{"name", c.name},
                    {"type", c.type == ColumnType::kInt64 ? "int" : "text"},
                    {"collation", c.collation == Collation::kC ? "C" : "default"}});
  }
  json key = json::array();
  for (uint32_t k : s.primary_key)
    key.push_back(s.columns[k].name);
  return {{"type", "table"}, {"name", s.name}, {"columns", cols}, {"key", key}};
}

const char* mode_name(CaptureMode m) {
  switch (m) {
    case CaptureMode::kPrecise:
      return "Precise";
    case CaptureMode::kOnlyChanges:
      return "OnlyChanges";
    default:
      return "Normal";
  }
}

// What the capture and the materialization report, as records and words.
class LiveObserver final : public CaptureObserver, public MaterializationObserver {
 public:
  LiveObserver(const std::vector<TableSchema>* schemas, const std::vector<CaptureBinding>* b,
               std::vector<json>* body, LiveResult* result)
      : schemas_(schemas), bindings_(b), body_(body), result_(result) {}
  void on_start(Lsn cursor) override {
    result_->observed.push_back("capture started at cursor " + to_string(cursor));
  }
  void on_instance(uint32_t b, const std::string&, CaptureMode mode, Lsn start) override {
    if (!modes.count(b)) modes[b] = {mode, start};
  }
  void on_resume(uint32_t, const std::string&, const BindingState&) override {}
  void on_decoded(const DecodedTxn&) override {}
  void on_chunk(const ChunkTrace&) override { ++chunks; }
  void on_commit(uint64_t, const std::vector<std::pair<uint32_t, CollectionDoc>>& docs,
                 const std::vector<uint64_t>&, const std::vector<std::string>&,
                 Lsn cursor) override;
  void on_error(const Error& e) override {
    result_->observed.push_back("capture error: " + e.message);
  }
  void on_ignored(IgnoredRecord, const std::string& words) override {
    result_->observed.push_back("capture ignored " + words);
  }
  void on_destination_commit(const DestinationCommit&) override { ++result_->destination_txns; }
  void on_materialization_error(const std::string& message) override {
    result_->observed.push_back("materialization error: " + message);
  }

  std::map<uint32_t, std::pair<CaptureMode, Lsn>> modes;  // first instance per binding
  uint64_t chunks = 0;

 private:
  const std::vector<TableSchema>* schemas_;
  const std::vector<CaptureBinding>* bindings_;
  std::vector<json>* body_;
  LiveResult* result_;
};

void LiveObserver::on_commit(uint64_t, const std::vector<std::pair<uint32_t, CollectionDoc>>& docs,
                             const std::vector<uint64_t>&, const std::vector<std::string>&,
                             Lsn cursor) {
  ++result_->collection_txns;
  // The format has one net change per key and source commit: of several
  // change documents of a key from one source transaction, the last stands.
  std::map<std::tuple<uint32_t, CompactKey, Lsn>, size_t> last;
  for (size_t i = 0; i < docs.size(); ++i) {
    if (!docs[i].second.snapshot) last[{docs[i].first, docs[i].second.key, docs[i].second.lsn}] = i;
  }
  json out = json::array();
  for (size_t i = 0; i < docs.size(); ++i) {
    const auto& [b, d] = docs[i];
    if (!d.snapshot && last.at({b, d.key, d.lsn}) != i) continue;
    const CaptureBinding& binding = bindings_->at(b);
    const TableSchema& s = table_named(*schemas_, binding.table);
    out.push_back({{"collection", binding.collection},
                   {"op", std::string(1, d.op)},
                   {"lsn", to_string(d.lsn)},
                   {"txid", d.txid.value()},
                   {"snapshot", d.snapshot},
                   {"fields", fields_json(s, d.fields, d.present_mask)}});
  }
  body_->push_back(
      {{"type", "collection_txn"}, {"docs", out}, {"checkpoint_lsn", to_string(cursor)}});
}

class Live {
 public:
  Live(const sim::WorldOptions& o, LiveResult* result) : o_(o), result_(result) {}
  Status setup();
  Status run();
  Status write(const std::string& path) const;

 private:
  Status tick(uint64_t t, size_t* next_statement, size_t* next_fault);
  void fault(const sim::FaultStep& f);
  void perform(const sim::ScriptedOp& op);
  void capture_backfill(const std::vector<uint32_t>& bindings, std::optional<BackfillMode> mode);
  // min_backfill_xid / max_backfill_xid: `xid`, or 0 for the server's next xid.
  std::string set_backfill_xid(bool min, uint64_t xid);
  Status drain_history_slot();
  std::string invalidating_checkpoint();
  std::string checkpoint();
  bool caught_up();
  void dump_destinations();

  const sim::WorldOptions& o_;
  LiveResult* result_;
  std::vector<TableSchema> schemas_;  // the scenario's, then the watermarks table
  std::unique_ptr<Cluster> cluster_;
  std::unique_ptr<PgSide> side_;
  std::unique_ptr<PgSource> source_;
  std::unique_ptr<PgSession> history_;  // reads the recording slot; maintenance
  CollectionStore store_;
  Destination destination_;
  std::vector<CaptureBinding> bindings_;
  std::vector<MaterializationBindingSpec> specs_;
  std::unique_ptr<LiveObserver> observer_;
  std::unique_ptr<Capture> capture_;
  std::unique_ptr<Materialization> materialization_;
  std::vector<json> body_;
  size_t choice_ = 0;
  size_t next_op_ = 0;                      // of o_.script
  uint64_t stalled_until_ = 0;              // capture_stall: no capture step before this tick
  std::optional<Capture::Phase> crash_at_;  // crash: before the capture's next such step
  uint64_t paused_until_ = 0;               // pause_writes: statements before this tick are skipped
  bool recording_lost_ = false;             // the recording slot was invalidated
  // An invalidating CHECKPOINT waits for a tick without running writers: a
  // running transaction holds every slot's restart position at its start.
  bool invalidation_pending_ = false;
  std::optional<Lsn> last_commit_;
};

Status Live::setup() {
  schemas_ = o_.tables;
  schemas_.push_back(watermarks_schema(o_.capture.watermarks_table));
  ClusterOptions co;
  if (o_.start_xid != Xid(1000)) co.start_xid = o_.start_xid.value();
  Result<std::unique_ptr<Cluster>> c = Cluster::start(co);
  if (!c.is_ok()) return c.error();
  cluster_ = std::move(c).value();
  uint32_t sessions = 1;
  for (const sim::Statement& st : o_.schedule->initial)
    sessions = std::max(sessions, st.session + 1);
  for (const sim::Statement& st : o_.schedule->statements)
    sessions = std::max(sessions, st.session + 1);
  Result<std::unique_ptr<PgSide>> side =
      PgSide::create(PgSideOptions{cluster_.get(), kDatabase, schemas_, sessions, kHistorySlot});
  if (!side.is_ok()) return side.error();
  side_ = std::move(side).value();
  Result<std::unique_ptr<PgSource>> src =
      PgSource::connect(cluster_->conninfo(kDatabase), schemas_);
  if (!src.is_ok()) return src.error();
  source_ = std::move(src).value();
  Result<std::unique_ptr<PgSession>> h = PgSession::connect(cluster_->conninfo(kDatabase));
  if (!h.is_ok()) return h.error();
  history_ = std::move(h).value();
  for (const sim::Statement& st : o_.schedule->initial)
    (void)side_->execute(Step{Step::Kind::kStatement, st, 0});
  if (Status f = side_->finish(); !f.is_ok()) return f;
  bindings_ = o_.bindings;
  observer_ = std::make_unique<LiveObserver>(&o_.tables, &bindings_, &body_, result_);
  capture_ = std::make_unique<Capture>(
      source_.get(), &store_, o_.capture, bindings_,
      [this](uint64_t n) -> uint64_t {  // the recorded choices, as the world replays them
        const std::vector<uint32_t>& cs = o_.schedule->capture_choices;
        if (n <= 1 || choice_ >= cs.size()) return 0;
        return cs[choice_++] % n;
      },
      observer_.get());
  if (!o_.materialize) return Status::ok();
  specs_ = sim::materialization_specs(o_);
  materialization_ =
      std::make_unique<Materialization>(&store_, &destination_, specs_, observer_.get());
  materialization_->max_txns_per_commit = o_.materialization_txns_per_commit;
  return Status::ok();
}

// Consumes what the recording slot holds: one record per test_decoding row.
Status Live::drain_history_slot() {
  Result<PgRows> r = history_->query(
      "SELECT lsn::text, xid::text, data FROM pg_logical_slot_get_changes($1, NULL, NULL, "
      "'include-xids', '1', 'skip-empty-xacts', '1')",
      {std::string(kHistorySlot)});
  if (!r.is_ok()) return r.error();
  for (const PgRow& row : r.value().rows) {
    if (!row.at(0) || !row.at(2) || row.at(2)->starts_with("message:")) continue;  // filler
    json rec = {{"type", "test_decoding"}, {"lsn", *row.at(0)}, {"data", *row.at(2)}};
    if (row.at(1)) rec["xid"] = std::strtoull(row.at(1)->c_str(), nullptr, 10);
    if (row.at(2)->starts_with("COMMIT")) {
      ++result_->source_commits;
      Result<uint64_t> lsn = parse_lsn(*row.at(0));
      if (lsn.is_ok()) last_commit_ = Lsn(lsn.value());
    }
    body_.push_back(std::move(rec));
  }
  return Status::ok();
}

// With max_slot_wal_keep_size in the scenario, a CHECKPOINT at which the
// capture's slot lags more than that many bytes (on the server) invalidates
// it, for real: filler WAL (non-transactional logical messages) past 1 MB,
// the server's unit; a first CHECKPOINT with no limit, whose
// running-transactions record lets the recording slot, read up to it, move
// its restart position; then the limit, and the CHECKPOINT that
// invalidates. It waits for a tick without running writers (a running
// transaction holds every slot's restart position at its start). A recording
// slot invalidated too ends the run.
std::string Live::invalidating_checkpoint() {
  // ALTER SYSTEM runs outside a transaction block: one statement per call.
  auto limit = [&](const char* value) {
    Status r = history_->exec(std::string("ALTER SYSTEM SET max_slot_wal_keep_size = ") + value);
    return r.is_ok() ? history_->exec("SELECT pg_reload_conf()") : r;
  };
  Status s = history_->exec(
      "SELECT pg_logical_emit_message(false, 'cdcsim-filler', repeat('x', 65536)) "
      "FROM generate_series(1, 48)");
  if (s.is_ok()) s = history_->exec("CHECKPOINT");
  if (s.is_ok()) s = drain_history_slot();
  if (s.is_ok()) s = limit("'1MB'");
  // The checkpointer applies the reload asynchronously (the postmaster
  // relays SIGHUP): checkpoint until the capture's slot is lost, at most
  // kInvalidationTriesMax times, kInvalidationWaitMs apart.
  for (int i = 0; s.is_ok() && i < kInvalidationTriesMax; ++i) {
    s = history_->exec("CHECKPOINT");
    Result<std::string> st = history_->scalar(
        "SELECT coalesce(wal_status, 'lost') FROM pg_replication_slots WHERE slot_name = $1",
        {o_.capture.slot});
    if (!st.is_ok() || st.value() == "lost") break;
    ::usleep(kInvalidationWaitMs * 1000);
  }
  const Status reset = limit("-1");
  if (!s.is_ok() || !reset.is_ok()) return "failed: " + (s.is_ok() ? reset : s).message();
  Result<PgRows> slots = history_->query(
      "SELECT slot_name, coalesce(wal_status, 'lost') FROM pg_replication_slots ORDER BY 1");
  if (!slots.is_ok()) return "done; slots unreadable: " + slots.error().message;
  std::string out = "3 MB of WAL, then CHECKPOINT with max_slot_wal_keep_size = 1MB; slots:";
  for (const PgRow& r : slots.value().rows) {
    out += " " + r.at(0).value_or("?") + " " + r.at(1).value_or("?");
    if (r.at(0).value_or("") == kHistorySlot && r.at(1).value_or("") == "lost") {
      recording_lost_ = true;
    }
  }
  return out;
}

// A CHECKPOINT; with max_slot_wal_keep_size_bytes, one that invalidates a
// capture slot lagging past it is made due instead.
std::string Live::checkpoint() {
  if (o_.max_slot_wal_keep_size_bytes) {
    Result<std::string> lag = history_->scalar(
        "SELECT coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn), 0)::bigint::text "
        "FROM pg_replication_slots WHERE slot_name = $1",
        {o_.capture.slot});
    const uint64_t bytes = lag.is_ok() ? std::strtoull(lag.value().c_str(), nullptr, 10) : 0;
    if (bytes > *o_.max_slot_wal_keep_size_bytes) {
      invalidation_pending_ = true;  // at the first tick without a running writer
      return "the capture's slot lags " + std::to_string(bytes) +
             " bytes, past max_slot_wal_keep_size: an invalidating CHECKPOINT is due";
    }
  }
  return history_->exec("CHECKPOINT").is_ok() ? "done" : "failed";
}

void Live::fault(const sim::FaultStep& f) {
  using K = sim::FaultKind;
  const std::string name = sim::fault_weight_fields().at(static_cast<size_t>(f.kind)).name;
  auto note = [&](const std::string& what) {
    result_->observed.push_back("tick " + std::to_string(f.tick) + " " + name + ": " + what);
  };
  switch (f.kind) {
    case K::kCrash:
      if (f.amount == 0) {
        capture_->restart();
        return note("capture restarted from its checkpoint");
      }
      crash_at_ = static_cast<Capture::Phase>(f.amount);  // as the world does
      return note(std::string("the capture crashes before its next ") + to_string(*crash_at_) +
                  " step");
    case K::kMinBackfillXid: {
      const std::string set = set_backfill_xid(true, f.amount);
      capture_backfill({f.binding}, std::nullopt);
      return note(set + "; capture backfill requested");
    }
    case K::kMaxBackfillXid:
      return note(set_backfill_xid(false, f.amount));
    case K::kPauseWrites: {
      const Status s = side_->finish();  // open transactions commit first
      paused_until_ = f.tick + f.amount;
      return note("writes paused for " + std::to_string(f.amount) + " ticks" +
                  (s.is_ok() ? "" : ": " + s.message()));
    }
    case K::kCaptureStall:
      stalled_until_ = f.tick + f.amount;
      return note("the capture takes no step for " + std::to_string(f.amount) + " ticks");
    case K::kQueryFailure:
      capture_->arm_query_failure(static_cast<uint32_t>(f.amount));
      return note("the next chunk query stops after " + std::to_string(f.amount) + " rows");
    case K::kBackfillOne:
      capture_backfill({f.binding}, std::nullopt);
      return note("capture backfill requested");
    case K::kBackfillAll:
      capture_backfill({}, std::nullopt);
      return note("capture backfill requested");
    case K::kVacuumFreeze:
    case K::kVacuumFull: {
      const bool full = f.kind == K::kVacuumFull;
      const StepResult r = side_->execute(
          Step{full ? Step::Kind::kVacuumFull : Step::Kind::kVacuumFreeze, {}, f.table});
      return note(r.outcome == Outcome::kOk ? "done" : "refused: " + r.detail);
    }
    case K::kCheckpoint:
      return note(checkpoint());
    case K::kXidBurn: {
      const uint64_t n = std::min<uint64_t>(f.amount, kXidBurnMax);
      for (uint64_t i = 0; i < n; ++i)
        (void)history_->exec("SELECT pg_current_xact_id()");
      return note(std::to_string(n) + " xids burnt" + (n < f.amount ? " (capped)" : ""));
    }
    case K::kUpgrade: {
      const Status s = source_->drop_slot(o_.capture.slot);
      return note(s.is_ok() ? "the capture's slot dropped (as pg_upgrade does)" : s.message());
    }
    default:
      return note("skipped: not applied to a live server");
  }
}

// A capture backfill of `bindings` (empty: all): counters bumped, the mode
// set if given, a graceful restart.
void Live::capture_backfill(const std::vector<uint32_t>& bindings,
                            std::optional<BackfillMode> mode) {
  for (uint32_t b = 0; b < capture_->bindings().size(); ++b) {
    if (!bindings.empty() && std::find(bindings.begin(), bindings.end(), b) == bindings.end()) {
      continue;
    }
    ++capture_->bindings()[b].backfill_counter;
    if (mode) capture_->bindings()[b].mode = *mode;
  }
  capture_->stop_gracefully();
}

std::string Live::set_backfill_xid(bool min, uint64_t xid) {
  Xid x(static_cast<uint32_t>(xid));
  if (xid == 0) {
    Result<std::string> next = history_->scalar(
        "SELECT (pg_snapshot_xmax(pg_current_snapshot())::text::bigint % 4294967296)::text");
    if (!next.is_ok()) return "failed: " + next.error().message;
    x = Xid(static_cast<uint32_t>(std::strtoull(next.value().c_str(), nullptr, 10)));
  }
  (min ? capture_->options().min_backfill_xid : capture_->options().max_backfill_xid) = x;
  return std::string(min ? "min" : "max") + "_backfill_xid set to " + std::to_string(x.value());
}

// The scenario's scripted operations a live server can take.
void Live::perform(const sim::ScriptedOp& op) {
  using Op = sim::ScriptedOp::Kind;
  const std::string at = "tick " + std::to_string(op.tick) + " operation: ";
  switch (op.kind) {
    case Op::kCaptureBackfill:
      capture_backfill(op.bindings, op.mode);
      return result_->observed.push_back(at + "capture backfill requested");
    case Op::kPauseWrites:
    case Op::kResumeWrites: {
      const bool pause = op.kind == Op::kPauseWrites;
      const Status s = pause ? side_->finish() : Status::ok();  // open transactions commit
      paused_until_ = pause ? UINT64_MAX : 0;
      return result_->observed.push_back(at + (pause ? "writes paused" : "writes resumed") +
                                         (s.is_ok() ? "" : ": " + s.message()));
    }
    case Op::kSetMinBackfillXid:
    case Op::kSetMaxBackfillXid:
      return result_->observed.push_back(at +
                                         set_backfill_xid(op.kind == Op::kSetMinBackfillXid, 0));
    case Op::kStallCapture:
      stalled_until_ = op.tick + op.ticks;
      return result_->observed.push_back(at + "the capture stalls for " + std::to_string(op.ticks) +
                                         " ticks");
    case Op::kUpgrade: {
      const Status s = source_->drop_slot(o_.capture.slot);
      return result_->observed.push_back(
          at + (s.is_ok() ? "the capture's slot dropped (as pg_upgrade does)" : s.message()));
    }
    default:
      return result_->observed.push_back(at + "skipped: not applied to a live server");
  }
}

Status Live::tick(uint64_t t, size_t* next_statement, size_t* next_fault) {
  for (; next_op_ < o_.script.size() && o_.script[next_op_].tick <= t; ++next_op_)
    perform(o_.script[next_op_]);
  const std::vector<sim::Statement>& sts = o_.schedule->statements;
  for (; *next_statement < sts.size() && sts[*next_statement].tick <= t; ++*next_statement) {
    if (!sts[*next_statement].at_finish && t >= paused_until_)
      (void)side_->execute(Step{Step::Kind::kStatement, sts[*next_statement], 0});
  }
  const std::vector<sim::FaultStep>& fs = o_.schedule->faults;
  for (; *next_fault < fs.size() && fs[*next_fault].tick <= t; ++*next_fault)
    fault(fs[*next_fault]);
  if (invalidation_pending_) {
    Result<std::string> writers = history_->scalar(
        "SELECT count(*)::text FROM pg_stat_activity WHERE backend_xid IS NOT NULL");
    if (writers.is_ok() && writers.value() == "0") {
      invalidation_pending_ = false;
      result_->observed.push_back("tick " + std::to_string(t) + ": " + invalidating_checkpoint());
    }
  }
  if (recording_lost_) {
    return Error{ErrorCode::kSlotLost,
                 "the recording slot was invalidated with the capture's: the history would be "
                 "incomplete"};
  }
  if (Status s = drain_history_slot(); !s.is_ok()) return s;
  if (materialization_) (void)materialization_->step();  // the world's order
  for (uint32_t i = 0; t >= stalled_until_ && i < o_.capture_steps_per_tick; ++i) {
    capture_->set_now(t);
    if (crash_at_ && capture_->phase() == *crash_at_) {  // in place of that step
      crash_at_.reset();
      capture_->restart();
      continue;
    }
    (void)capture_->step();  // an error restarts it at its next step
  }
  return Status::ok();
}

bool Live::caught_up() {
  if (!capture_->backfills_done() || capture_->phase() != Capture::Phase::kStreaming) return false;
  if (last_commit_ && capture_->cursor() < *last_commit_) return false;
  return !materialization_ || materialization_->drained();
}

Status Live::run() {
  size_t next_statement = 0;
  size_t next_fault = 0;
  for (uint64_t t = 1; t <= o_.safety_ticks; ++t) {  // the world's ticks: 1 .. safety
    if (Status s = tick(t, &next_statement, &next_fault); !s.is_ok()) return s;
  }
  // Writes stop and faults heal: the liveness ticks only step the pipeline.
  next_statement = o_.schedule->statements.size();
  next_fault = o_.schedule->faults.size();
  if (Status f = side_->finish(); !f.is_ok()) return f;
  result_->observed.push_back("writes stopped after " + std::to_string(o_.safety_ticks) +
                              " ticks; open transactions committed");
  for (uint64_t t = o_.safety_ticks + 1; t <= o_.safety_ticks + o_.liveness_ticks_max; ++t) {
    if (Status s = drain_history_slot(); !s.is_ok()) return s;
    if (caught_up()) {
      result_->drained = true;
      result_->observed.push_back("caught up at tick " + std::to_string(t));
      break;
    }
    if (Status s = tick(t, &next_statement, &next_fault); !s.is_ok()) return s;
  }
  if (!result_->drained) result_->observed.push_back("did not catch up within the liveness limit");
  result_->observed.push_back(std::to_string(observer_->chunks) + " chunk queries");
  dump_destinations();
  return Status::ok();
}

void Live::dump_destinations() {
  for (size_t i = 0; i < specs_.size(); ++i) {
    const DestinationTable* t = destination_.table(specs_[i].destination);
    if (!t) continue;
    const TableSchema& s = table_named(o_.tables, o_.bindings[i].table);
    json rows = json::array();
    auto add = [&](const DestValue& r) {
      rows.push_back({{"fields", fields_json(s, r.fields, r.present_mask)},
                      {"lsn", to_string(r.lsn)},
                      {"op", std::string(1, r.op)},
                      {"snapshot", r.snapshot}});
    };
    for (const auto& [key, r] : t->merged)
      add(r);
    for (const DestRow& r : t->appended)
      add(r);
    body_.push_back(
        {{"type", "destination_rows"}, {"destination", specs_[i].destination}, {"rows", rows}});
  }
}

Status Live::write(const std::string& path) const {
  std::vector<json> head;
  for (const TableSchema& s : schemas_)
    head.push_back(table_record(s));
  for (uint32_t b = 0; b < o_.bindings.size(); ++b) {
    json rec = {{"type", "binding"},
                {"table", o_.bindings[b].table},
                {"collection", o_.bindings[b].collection}};
    auto m = observer_->modes.find(b);
    if (m != observer_->modes.end()) {
      rec["mode"] = mode_name(m->second.first);
      rec["stream_start_lsn"] = to_string(m->second.second);
    }
    head.push_back(rec);
  }
  for (const MaterializationBindingSpec& m : specs_) {
    head.push_back({{"type", "materialization"},
                    {"collection", m.collection},
                    {"destination", m.destination},
                    {"strategy", m.strategy == UpdateStrategy::kMerge ? "merge" : "delta"}});
  }
  const std::string tmp = path + ".partial";
  {
    std::ofstream out(tmp);
    for (const json& r : head)
      out << r.dump() << "\n";
    for (const json& r : body_)
      out << r.dump() << "\n";
    if (result_->drained && last_commit_) {
      out << json{{"type", "drained"}, {"lsn", to_string(*last_commit_)}}.dump() << "\n";
    }
    if (!out) return Error{ErrorCode::kInvalidArgument, "cannot write " + tmp};
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    (void)::unlink(tmp.c_str());
    return Error{ErrorCode::kInvalidArgument, "cannot write " + path};
  }
  return Status::ok();
}

}  // namespace

sim::WorldOptions keyed_only(sim::WorldOptions o, std::vector<std::string>* notes) {
  CDC_ASSERT(o.schedule.has_value(), "keyed_only works on an explicit schedule");
  std::vector<std::optional<uint32_t>> table_to;  // old table index -> new
  std::vector<TableSchema> tables;
  for (const TableSchema& s : o.tables) {
    table_to.push_back(s.has_primary_key() ? std::optional(static_cast<uint32_t>(tables.size()))
                                           : std::nullopt);
    if (s.has_primary_key()) tables.push_back(s);
    if (!s.has_primary_key()) notes->push_back("table " + s.name + " left out: no primary key");
  }
  std::vector<std::optional<uint32_t>> binding_to;
  std::vector<CaptureBinding> bindings;
  for (const CaptureBinding& b : o.bindings) {
    bool keyed = b.mode != BackfillMode::kWithoutPrimaryKey;
    for (const TableSchema& s : o.tables)
      keyed = keyed && (s.name != b.table || s.has_primary_key());
    binding_to.push_back(keyed ? std::optional(static_cast<uint32_t>(bindings.size()))
                               : std::nullopt);
    if (keyed) bindings.push_back(b);
    if (!keyed) notes->push_back("binding of " + b.table + " left out: no primary key");
  }
  auto keep_statements = [&](std::vector<sim::Statement>* sts) {
    std::erase_if(*sts, [&](sim::Statement& st) {
      using K = sim::Statement::Kind;
      const bool on_table = st.kind == K::kInsert || st.kind == K::kUpdate ||
                            st.kind == K::kDelete || st.kind == K::kTruncate;
      if (!on_table) return false;
      if (!table_to.at(st.table)) return true;
      st.table = *table_to[st.table];
      return false;
    });
  };
  keep_statements(&o.schedule->initial);
  keep_statements(&o.schedule->statements);
  std::erase_if(o.schedule->faults, [&](sim::FaultStep& f) {
    if (sim::fault_uses_table(f.kind)) {
      if (!table_to.at(f.table)) return true;
      f.table = *table_to[f.table];
    }
    if (sim::fault_uses_binding(f.kind)) {
      if (f.binding >= binding_to.size() || !binding_to[f.binding]) return true;
      f.binding = *binding_to[f.binding];
    }
    return false;
  });
  for (sim::ScriptedOp& op : o.script) {  // binding indices; empty means all
    std::vector<uint32_t> kept;
    for (uint32_t b : op.bindings) {
      if (op.kind == sim::ScriptedOp::Kind::kAddBinding) continue;  // table indices: not live
      if (b < binding_to.size() && binding_to[b]) kept.push_back(*binding_to[b]);
    }
    const bool emptied = !op.bindings.empty() && kept.empty();
    op.bindings = std::move(kept);
    if (emptied) op.kind = sim::ScriptedOp::Kind::kResumeWrites;  // nothing left: a no-op
  }
  o.tables = std::move(tables);
  o.bindings = std::move(bindings);
  return o;
}

sim::WorldOptions live_options(sim::WorldOptions o, std::vector<std::string>* notes) {
  o = sim::with_defaults(std::move(o));
  if (!o.schedule) {
    sim::WorldOptions draw = o;
    draw.record_schedule = true;
    o.schedule = sim::run_world(draw).schedule;
  }
  return keyed_only(std::move(o), notes);
}

Result<LiveResult> run_live(const sim::WorldOptions& o, const std::string& history_path) {
  CDC_ASSERT(o.schedule.has_value(), "a live run replays an explicit schedule");
  for (const TableSchema& s : o.tables)
    CDC_ASSERT(s.has_primary_key(), "a live run's tables have primary keys (keyed_only)");
  LiveResult result;
  Live live(o, &result);
  if (Status s = live.setup(); !s.is_ok()) return s.error();
  if (Status s = live.run(); !s.is_ok()) return s.error();
  if (Status s = live.write(history_path); !s.is_ok()) return s.error();
  return result;
}

}  // namespace cdc::conformance
