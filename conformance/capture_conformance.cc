#include "conformance/capture_conformance.h"

#include <algorithm>
#include <memory>
#include <utility>

#include "conformance/driver.h"
#include "conformance/model_side.h"
#include "conformance/pg_side.h"
#include "conformance/pg_source.h"
#include "model/assert.h"
#include "model/capture.h"
#include "model/collection.h"
#include "model/key_encoding.h"
#include "model/model_source.h"
#include "sim/prng.h"

namespace cdc::conformance {
namespace {

constexpr char kCaptureSlot[] = "cdc_capture";
constexpr char kWatermarks[] = "flow_watermarks";
constexpr size_t kShrinkProbesMax = 12;

// The capture's observer: keeps the errors that stopped it.
class ErrorObserver final : public CaptureObserver {
 public:
  void on_start(Lsn) override {}
  void on_instance(uint32_t, const std::string&, CaptureMode, Lsn) override {}
  void on_resume(uint32_t, const std::string&, const BindingState&) override {}
  void on_decoded(const DecodedTxn&) override {}
  void on_chunk(const ChunkTrace&) override {}
  void on_commit(uint64_t, const std::vector<std::pair<uint32_t, CollectionDoc>>&,
                 const std::vector<uint64_t>&, const std::vector<std::string>&, Lsn) override {}
  void on_error(const Error& e) override { errors.push_back(e.message); }
  void on_ignored(IgnoredRecord, const std::string& words) override { ignored.push_back(words); }
  std::vector<std::string> errors;
  std::vector<std::string> ignored;
};

// One side: its source, collections and capture.
struct CaptureSide {
  CaptureSide(Source* source, const CaptureSchedule& s, const std::vector<TableSchema>& tables)
      : prng(s.seed) {
    CaptureOptions o;
    o.algorithm = s.algorithm;
    o.slot = kCaptureSlot;
    o.watermarks_table = kWatermarks;
    o.chunk_size = s.chunk_size;
    std::vector<CaptureBinding> bindings;
    for (const TableSchema& t : tables) {
      if (!t.has_primary_key()) continue;
      CDC_ASSERT(store.create(t.name), "one collection per table");
      bindings.push_back(CaptureBinding{t.name, t.name, s.mode, 0, 0, false});
    }
    capture = std::make_unique<Capture>(
        source, &store, o, std::move(bindings), [this](uint64_t n) { return prng.below(n); },
        &observer);
  }
  void steps(uint32_t n, uint64_t tick) {
    for (uint32_t i = 0; i < n; ++i) {
      capture->set_now(tick);
      (void)capture->step();  // an error restarts it at the next step
    }
  }

  sim::Prng prng;
  ErrorObserver observer;
  CollectionStore store;
  std::unique_ptr<Capture> capture;
};

std::string render_doc_key(const TableSchema& s, std::string_view bytes) {
  std::vector<ColumnType> types;
  for (uint32_t c : s.primary_key)
    types.push_back(s.columns[c].type);
  const std::optional<std::vector<Value>> key = decode_capture_key(bytes, types);
  if (!key) return "<undecodable key>";
  std::string out = "(";
  for (size_t i = 0; i < key->size(); ++i)
    out += (i ? ", " : "") + render_value((*key)[i]);
  return out + ")";
}

std::string render_doc(const TableSchema& s, const StoredDoc& d) {
  std::string out(1, d.op);
  if (d.snapshot) out += " snapshot";
  for (uint32_t c = 0; c < s.columns.size() && c < d.fields.size(); ++c) {
    if ((d.present_mask >> c) & 1u)
      out += " " + s.columns[c].name + "=" + render_value(d.fields[c]);
  }
  return out;
}

CaptureDocs docs_of(const CollectionStore& store, const std::vector<TableSchema>& tables,
                    size_t* count, size_t* changes) {
  CaptureDocs out;
  for (const TableSchema& t : tables) {
    if (!t.has_primary_key() || !store.exists(t.name)) continue;
    for (const StoredDoc& d : store.docs(t.name)) {
      out[t.name + " " + render_doc_key(t, d.key)].push_back(render_doc(t, d));
      if (count) ++*count;
      if (changes && !d.snapshot) ++*changes;
    }
  }
  return out;
}

}  // namespace

CaptureSchedule generate_capture_schedule(uint64_t seed, uint32_t steps, CaptureAlgorithm algorithm,
                                          BackfillMode mode) {
  WorkloadOptions o;
  o.steps = steps;
  o.sessions = 1;
  o.maintenance = sim::Ratio{0, 1};
  // Short transactions that mostly commit, over few keys: rows for the
  // backfill, then updates, key changes and deletes of them for the stream.
  o.text_key_length_max = 1;
  o.end_transaction = sim::Ratio{1, 2};
  o.abort_instead = sim::Ratio{1, 8};
  o.blind_write = sim::Ratio{1, 30};
  o.truncate = sim::Ratio{1, 150};
  CaptureSchedule s;
  s.workload = generate_workload(seed, o);
  s.algorithm = algorithm;
  s.mode = mode;
  s.seed = seed;
  sim::Prng prng = sim::Prng(seed).fork(7);
  for (size_t i = 0; i < s.workload.steps.size(); ++i)
    s.capture_steps.push_back(
        i < s.workload.steps.size() / 3 ? 0 : static_cast<uint32_t>(prng.below(4)));
  return s;
}

Result<CaptureRun> run_capture_schedule(const Cluster& cluster, const CaptureSchedule& s,
                                        size_t prefix, const std::string& database) {
  const std::vector<TableSchema>& tables = s.workload.schemas;
  std::vector<TableSchema> schemas = tables;
  schemas.push_back(watermarks_schema(kWatermarks));
  Result<std::unique_ptr<PgSide>> created =
      PgSide::create(PgSideOptions{&cluster, database, schemas, 1, database});
  if (!created.is_ok()) return created.error();
  std::unique_ptr<PgSide> pg = std::move(created).value();
  ModelSide model(ModelSideOptions{schemas, pg->first_next_xid(), database});
  Result<std::unique_ptr<PgSource>> pg_source =
      PgSource::connect(cluster.conninfo(database), schemas);
  if (!pg_source.is_ok()) return pg_source.error();
  ModelSource model_source(model.mutable_db());
  CaptureSide on_model(&model_source, s, tables);
  CaptureSide on_pg(pg_source.value().get(), s, tables);

  const size_t n = std::min(prefix, s.workload.steps.size());
  for (size_t i = 0; i < n; ++i) {
    on_model.steps(s.capture_steps.at(i), i);
    on_pg.steps(s.capture_steps.at(i), i);
    (void)model.execute(s.workload.steps[i]);  // outcomes: the source conformance's concern
    (void)pg->execute(s.workload.steps[i]);
  }
  CDC_ASSERT(model.finish().is_ok(), "the model's final commits cannot fail");
  if (Status f = pg->finish(); !f.is_ok()) return f.error();
  on_model.steps(s.tail_steps, n);
  on_pg.steps(s.tail_steps, n);
  CaptureRun run;
  run.model = docs_of(on_model.store, tables, &run.documents, &run.change_documents);
  run.pg = docs_of(on_pg.store, tables, nullptr, nullptr);
  run.model_errors = on_model.observer.errors;
  run.pg_errors = on_pg.observer.errors;
  run.model_ignored = on_model.observer.ignored;
  run.pg_ignored = on_pg.observer.ignored;
  return run;
}

std::optional<std::string> capture_difference(const CaptureRun& run) {
  auto m = run.model.begin();
  auto p = run.pg.begin();
  for (size_t guard = 0; guard <= run.model.size() + run.pg.size(); ++guard) {
    if (m == run.model.end() && p == run.pg.end()) return std::nullopt;
    if (p == run.pg.end() || (m != run.model.end() && m->first < p->first)) {
      return m->first + ": only the model has documents (first: " + m->second.front() + ")";
    }
    if (m == run.model.end() || p->first < m->first) {
      return p->first + ": only PostgreSQL has documents (first: " + p->second.front() + ")";
    }
    const std::vector<std::string>& a = m->second;
    const std::vector<std::string>& b = p->second;
    for (size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
      const std::string x = i < a.size() ? a[i] : "(none)";
      const std::string y = i < b.size() ? b[i] : "(none)";
      if (x != y) {
        return m->first + ": document " + std::to_string(i + 1) + " is \"" + x +
               "\" on the model, \"" + y + "\" on PostgreSQL";
      }
    }
    ++m;
    ++p;
  }
  CDC_ASSERT(false, "the comparison visits each key once");
  return std::nullopt;
}

Result<CaptureCheck> check_capture(const Cluster& cluster, const CaptureSchedule& s,
                                   const std::string& database_prefix) {
  CaptureCheck out;
  const size_t full = s.workload.steps.size();
  std::optional<Error> failed;
  auto probe = [&](size_t prefix) -> std::optional<std::string> {
    const std::string db = database_prefix + "_" + std::to_string(out.runs++);
    Result<CaptureRun> r = run_capture_schedule(cluster, s, prefix, db);
    if (!r.is_ok()) {
      failed = r.error();
      return std::nullopt;
    }
    if (prefix == full) {
      out.documents = r.value().documents;
      out.change_documents = r.value().change_documents;
      out.model_errors = r.value().model_errors;
      out.pg_errors = r.value().pg_errors;
    }
    return capture_difference(r.value());
  };
  out.difference = probe(full);
  if (failed) return *failed;
  if (!out.difference || full == 0) return out;
  size_t probes = 0;
  out.shrunk_prefix = shrink_prefix(
      0, full, [&](size_t p) { return !failed && probe(p).has_value(); }, kShrinkProbesMax,
      &probes);
  if (failed) return *failed;
  out.shrunk_difference = probe(out.shrunk_prefix).value_or(*out.difference);
  for (size_t i = 0; i < out.shrunk_prefix; ++i) {
    out.shrunk_steps.push_back(std::to_string(s.capture_steps[i]) + " capture steps, then " +
                               to_string(s.workload.steps[i], s.workload.schemas));
  }
  return out;
}

}  // namespace cdc::conformance
