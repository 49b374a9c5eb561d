#include "scenarios/loader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>

#include "properties/checkers.h"
#include "scenarios/vocabulary.h"
#include "sim/fingerprint.h"
#include "sim/source_workload.h"

namespace cdc::scenarios {

std::string LoadError::to_string() const {
  std::string where = file;
  if (line > 0) where += ":" + std::to_string(line) + ":" + std::to_string(column);
  return where + ": " + message;
}

namespace {

const std::map<std::string, std::vector<std::string>>& key_lists() {
  static const std::map<std::string, std::vector<std::string>> kLists = {
      {"binding", {"table", "mode", "priority", "skip_backfill"}},
      {"column", {"name", "type", "collation", "toastable", "nullable"}},
      {"expect", {"holds", "violated"}},
      {"faults",
       {"crash",
        "query_failure",
        "backfill_one",
        "backfill_all",
        "vacuum_freeze",
        "vacuum_full",
        "checkpoint",
        "xid_burn",
        "capture_stall",
        "upgrade",
        "min_backfill_xid",
        "pause_writes",
        "materialization_crash",
        "commit_failure",
        "materialization_backfill_one",
        "materialization_backfill_all",
        "dataflow_backfill_one",
        "dataflow_backfill_all",
        "destination_schema_change",
        "max_backfill_xid",
        "xid_age"}},
      {"materialization", {"enabled", "strategy", "keep_existing_on_backfill", "txns_per_commit"}},
      {"capture",
       {"algorithm", "keyless_blocks_per_chunk", "keyless_slack_blocks", "stream_txns_per_step",
        "steps_per_tick", "read_only"}},
      {"generation", {"crash_points", "xid_bounds", "backfill_after_slot_loss"}},
      {"fault_step", {"at", "fault", "table", "binding", "amount"}},
      {"operation", {"at", "do", "bindings", "mode", "ticks", "table"}},
      {"scenario",
       {"name",
        "description",
        "seed",
        "start_xid",
        "tables",
        "initial_rows",
        "initial_load",
        "bindings",
        "materialization",
        "retention_ticks",
        "max_slot_wal_keep_size_bytes",
        "chunk_size",
        "capture",
        "ticks",
        "workload",
        "faults",
        "fault_per_tick",
        "write_per_tick",
        "swarm",
        "generation",
        "operations",
        "schedule",
        "expect"}},
      {"schedule", {"capture_choices", "initial", "steps"}},
      {"statement", {"at", "session", "do", "at_finish", "table", "key", "match", "ctid", "row"}},
      {"table",
       {"name", "columns", "primary_key", "replica_identity", "toast_threshold_bytes",
        "tuples_per_page"}},
      {"ticks", {"safety", "liveness_max"}},
      {"workload",
       {"sessions", "key_space", "truncate", "abort", "savepoint", "key_change", "delete",
        "key_min", "near_cursor", "existing_key", "key_change_keeps_toasted"}},
  };
  return kLists;
}

struct LoadFailure {
  LoadError error;
};

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j)
    prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string suggestion(const std::string& word, const std::vector<std::string>& known) {
  std::string best;
  size_t best_d = 4;  // suggest only close matches
  for (const std::string& k : known) {
    const size_t d = edit_distance(word, k);
    if (d < best_d) {
      best_d = d;
      best = k;
    }
  }
  return best.empty() ? "" : " (did you mean \"" + best + "\"?)";
}

// Reads one scenario document; every error throws LoadFailure.
class Reader {
 public:
  Reader(std::string file, uint64_t seed) : file_(std::move(file)), ranges_(seed) {}

  // The scenario's capture algorithm, once read: bounds a crash step's amount.
  CaptureAlgorithm algorithm = CaptureAlgorithm::kEstuary;

  [[noreturn]] void fail(const YAML::Node& n, const std::string& message) const {
    const YAML::Mark m = n.Mark();
    throw LoadFailure{
        {file_, m.is_null() ? 0 : m.line + 1, m.is_null() ? 0 : m.column + 1, message}};
  }

  void keys(const YAML::Node& map, const std::vector<std::string>& allowed,
            const std::string& what) {
    if (!map.IsMap()) fail(map, what + " must be a mapping");
    for (const auto& kv : map) {
      const std::string k = kv.first.as<std::string>();
      if (std::find(allowed.begin(), allowed.end(), k) == allowed.end()) {
        fail(kv.first, "unknown key \"" + k + "\" in " + what + suggestion(k, allowed));
      }
    }
  }

  // An integer in [lo, hi], or a range [a, b] inside it drawn from the seed.
  int64_t integer(const YAML::Node& n, int64_t lo, int64_t hi, const std::string& what) {
    if (n.IsSequence()) {
      if (n.size() != 2) fail(n, what + ": a range is [low, high]");
      const int64_t a = integer(n[0], lo, hi, what);
      const int64_t b = integer(n[1], lo, hi, what);
      if (a > b)
        fail(n,
             what + ": the range [" + std::to_string(a) + ", " + std::to_string(b) + "] is empty");
      return ranges_.range_inclusive(a, b);
    }
    int64_t v = 0;
    try {
      if (!n.IsScalar()) fail(n, what + " must be an integer");
      v = n.as<int64_t>();
    } catch (const YAML::BadConversion&) {
      fail(n, what + " must be an integer, not \"" + n.Scalar() + "\"");
    }
    if (v < lo || v > hi) {
      fail(n, what + " must be between " + std::to_string(lo) + " and " + std::to_string(hi) +
                  ", not " + std::to_string(v));
    }
    return v;
  }

  std::string text(const YAML::Node& n, const std::string& what) {
    if (!n.IsScalar()) fail(n, what + " must be a string");
    return n.Scalar();
  }

  bool boolean(const YAML::Node& n, const std::string& what) {
    try {
      if (n.IsScalar()) return n.as<bool>();
    } catch (const YAML::BadConversion&) {
    }
    fail(n, what + " must be true or false");
  }

  // "a/b" or an integer (0 = never).
  sim::Ratio ratio(const YAML::Node& n, const std::string& what) {
    const std::string s = text(n, what);
    const size_t slash = s.find('/');
    try {
      if (slash == std::string::npos) {
        const uint64_t v = std::stoull(s);
        if (v > 1) fail(n, what + ": a probability is 0, 1 or \"a/b\"");
        return {v, 1};
      }
      const uint64_t a = std::stoull(s.substr(0, slash));
      const uint64_t b = std::stoull(s.substr(slash + 1));
      if (b == 0 || a > b) fail(n, what + ": \"" + s + "\" is not a probability");
      return {a, b};
    } catch (const std::logic_error&) {
      fail(n, what + ": \"" + s + "\" is not a probability (write \"1/20\")");
    }
  }

  template <typename E>
  E choice(const YAML::Node& n, const Names<E>& options, const std::string& what) {
    const std::string s = text(n, what);
    std::vector<std::string> names;
    for (const auto& [name, value] : options) {
      if (name == s) return value;
      names.push_back(name);
    }
    fail(n, what + ": unknown value \"" + s + "\"" + suggestion(s, names));
  }

  const std::string& file() const { return file_; }

 private:
  std::string file_;
  sim::Prng ranges_;
};

TableSchema read_table(Reader& r, const YAML::Node& n) {
  r.keys(n, scenario_keys("table"), "a table");
  TableSchema t;
  if (!n["name"]) r.fail(n, "a table needs a name");
  t.name = r.text(n["name"], "table name");
  if (!n["columns"] || !n["columns"].IsSequence() || n["columns"].size() == 0) {
    r.fail(n, "table \"" + t.name + "\" needs a list of columns");
  }
  for (const YAML::Node& c : n["columns"]) {
    r.keys(c, scenario_keys("column"), "a column");
    ColumnDef col;
    if (!c["name"] || !c["type"]) r.fail(c, "a column needs a name and a type");
    col.name = r.text(c["name"], "column name");
    col.type = r.choice<ColumnType>(c["type"], column_type_names(), "column type");
    if (c["collation"])
      col.collation = r.choice<Collation>(c["collation"], collation_names(), "collation");
    if (c["toastable"]) col.toastable = r.boolean(c["toastable"], "toastable");
    if (c["nullable"]) col.nullable = r.boolean(c["nullable"], "nullable");
    t.columns.push_back(col);
  }
  if (const YAML::Node pk = n["primary_key"]) {
    if (!pk.IsSequence()) r.fail(pk, "primary_key must be a list of column names");
    for (const YAML::Node& k : pk) {
      const std::string name = r.text(k, "primary key column");
      auto it = std::find_if(t.columns.begin(), t.columns.end(),
                             [&](const ColumnDef& c) { return c.name == name; });
      if (it == t.columns.end()) r.fail(k, "primary key names a missing column \"" + name + "\"");
      t.primary_key.push_back(static_cast<uint32_t>(it - t.columns.begin()));
    }
  }
  if (n["replica_identity"]) {
    t.replica_identity = r.choice<ReplicaIdentity>(n["replica_identity"], replica_identity_names(),
                                                   "replica_identity");
  }
  if (n["toast_threshold_bytes"]) {
    t.toast_threshold_bytes = static_cast<uint32_t>(
        r.integer(n["toast_threshold_bytes"], 1, 1 << 20, "toast_threshold_bytes"));
  }
  if (n["tuples_per_page"]) {
    t.tuples_per_page =
        static_cast<uint32_t>(r.integer(n["tuples_per_page"], 1, 2048, "tuples_per_page"));
  }
  if (Status s = t.validate(); !s.is_ok()) r.fail(n, s.message());
  return t;
}

uint32_t table_index(Reader& r, const YAML::Node& n, const std::vector<TableSchema>& tables) {
  const std::string name = r.text(n, "table");
  std::vector<std::string> names;
  for (uint32_t i = 0; i < tables.size(); ++i) {
    if (tables[i].name == name) return i;
    names.push_back(tables[i].name);
  }
  r.fail(n, "no table named \"" + name + "\"" + suggestion(name, names));
}

void read_faults(Reader& r, const YAML::Node& n, sim::FaultWeights* f) {
  std::vector<std::string> names;
  for (const sim::FaultWeightField& field : sim::fault_weight_fields())
    names.push_back(field.name);
  CDC_ASSERT(names == scenario_keys("faults"), "fault kinds and their key list disagree");
  r.keys(n, names, "faults");
  for (const sim::FaultWeightField& field : sim::fault_weight_fields()) {
    if (n[field.name]) {
      f->*field.weight = static_cast<uint32_t>(
          r.integer(n[field.name], 0, 1000, std::string("fault weight ") + field.name));
    }
  }
}

// `tick` is the operation's "at", read (and drawn, for a range) by the caller.
sim::ScriptedOp read_operation(Reader& r, const YAML::Node& n, uint64_t tick,
                               const std::vector<TableSchema>& tables,
                               const std::vector<CaptureBinding>& bindings) {
  using K = sim::ScriptedOp::Kind;
  r.keys(n, scenario_keys("operation"), "an operation");
  if (!n["at"] || !n["do"]) r.fail(n, "an operation needs \"at\" (a tick) and \"do\"");
  sim::ScriptedOp op;
  op.tick = tick;
  op.kind = r.choice<K>(n["do"], operation_names(), "operation");
  if (const YAML::Node bs = n["bindings"]) {
    if (!bs.IsSequence()) r.fail(bs, "bindings must be a list of table names");
    for (const YAML::Node& b : bs) {
      const std::string name = r.text(b, "binding");
      auto it = std::find_if(bindings.begin(), bindings.end(),
                             [&](const CaptureBinding& c) { return c.table == name; });
      if (it == bindings.end()) r.fail(b, "no binding for table \"" + name + "\"");
      op.bindings.push_back(static_cast<uint32_t>(it - bindings.begin()));
    }
  }
  if (n["mode"] && op.kind != K::kCaptureBackfill)
    r.fail(n["mode"], "\"mode\" is only for capture_backfill");
  if (n["ticks"] && op.kind != K::kStallCapture)
    r.fail(n["ticks"], "\"ticks\" is only for stall_capture");
  if (op.kind == K::kStallCapture && !n["ticks"]) r.fail(n, "stall_capture needs \"ticks\"");
  if (n["mode"]) op.mode = r.choice<BackfillMode>(n["mode"], mode_names(), "mode");
  if (n["ticks"]) op.ticks = static_cast<uint64_t>(r.integer(n["ticks"], 1, 1'000'000, "ticks"));
  if (op.kind == K::kAddBinding) {
    if (!n["table"]) r.fail(n, "add_binding needs a table");
    op.bindings = {table_index(r, n["table"], tables)};
  } else if (n["table"]) {
    r.fail(n["table"], "\"table\" is only for add_binding");
  }
  return op;
}

void read_expect(Reader& r, const YAML::Node& n, Expect* e) {
  r.keys(n, scenario_keys("expect"), "expect");
  const std::vector<std::string>& names = properties::property_names();
  for (const auto& [key, out] :
       {std::pair{"holds", &e->holds}, std::pair{"violated", &e->violated}}) {
    const YAML::Node list = n[key];
    if (!list) continue;
    if (!list.IsSequence()) r.fail(list, std::string(key) + " must be a list of properties");
    for (const YAML::Node& p : list) {
      const std::string name = r.text(p, "property");
      if (std::find(names.begin(), names.end(), name) == names.end()) {
        r.fail(p, "unknown property \"" + name + "\"" + suggestion(name, names));
      }
      out->push_back(name);
    }
  }
}

Value read_value(Reader& r, const YAML::Node& n, const ColumnDef& c) {
  if (n.IsNull()) return Value::null();
  if (!n.IsScalar()) r.fail(n, "the value of column \"" + c.name + "\" must be a scalar");
  if (c.type == ColumnType::kInt64) {
    return Value::int64(r.integer(n, std::numeric_limits<int64_t>::min(),
                                  std::numeric_limits<int64_t>::max(), "column " + c.name));
  }
  return Value::text(n.Scalar());
}

// A list of values for `columns` of table `t`.
Row read_values(Reader& r, const YAML::Node& n, const TableSchema& t,
                const std::vector<uint32_t>& columns, const std::string& what) {
  if (!n.IsSequence() || n.size() != columns.size()) {
    r.fail(n, what + " of table \"" + t.name + "\" must be a list of " +
                  std::to_string(columns.size()) + " values");
  }
  Row row;
  for (size_t i = 0; i < columns.size(); ++i)
    row.push_back(read_value(r, n[i], t.columns[columns[i]]));
  return row;
}

std::vector<uint32_t> all_columns(const TableSchema& t) {
  std::vector<uint32_t> c(t.columns.size());
  for (uint32_t i = 0; i < c.size(); ++i)
    c[i] = i;
  return c;
}

uint32_t binding_index(Reader& r, const YAML::Node& n,
                       const std::vector<CaptureBinding>& bindings) {
  const std::string name = r.text(n, "binding");
  std::vector<std::string> names;
  for (uint32_t i = 0; i < bindings.size(); ++i) {
    if (bindings[i].table == name) return i;
    names.push_back(bindings[i].table);
  }
  r.fail(n, "no binding for table \"" + name + "\"" + suggestion(name, names));
}

sim::Statement read_statement(Reader& r, const YAML::Node& n,
                              const std::vector<TableSchema>& tables, bool initial) {
  using K = sim::Statement::Kind;
  r.keys(n, scenario_keys("statement"), "a statement");
  sim::Statement st;
  if (initial && n["at"])
    r.fail(n["at"], "initial statements run before the first tick: no \"at\"");
  if (!initial && !n["at"]) r.fail(n, "a statement needs \"at\" (a tick)");
  if (!n["do"]) r.fail(n, "a statement needs \"do\"");
  if (!initial) st.tick = static_cast<uint64_t>(r.integer(n["at"], 1, 100'000'000, "at"));
  if (n["session"]) st.session = static_cast<uint32_t>(r.integer(n["session"], 0, 63, "session"));
  const std::string what = r.text(n["do"], "do");
  const std::optional<K> kind = sim::statement_kind(what);
  if (!kind) {
    std::vector<std::string> names;
    for (int k = 0; k <= static_cast<int>(K::kTruncate); ++k)
      names.push_back(sim::to_string(static_cast<K>(k)));
    r.fail(n["do"], "unknown statement \"" + what + "\"" + suggestion(what, names));
  }
  st.kind = *kind;
  if (n["at_finish"]) st.at_finish = r.boolean(n["at_finish"], "at_finish");
  const bool writes = st.kind == K::kInsert || st.kind == K::kUpdate || st.kind == K::kDelete ||
                      st.kind == K::kTruncate;
  const bool changes_row = st.kind == K::kUpdate || st.kind == K::kDelete;
  const bool new_row = st.kind == K::kInsert || st.kind == K::kUpdate;
  if (!writes) {
    for (const char* k : {"table", "key", "match", "ctid", "row"}) {
      if (n[k]) r.fail(n[k], "\"" + std::string(k) + "\" does not apply to " + what);
    }
    return st;
  }
  if (!n["table"]) r.fail(n, what + " needs a table");
  st.table = table_index(r, n["table"], tables);
  const TableSchema& t = tables[st.table];
  const bool keyed = t.has_primary_key();
  if (n["key"] && !(changes_row && keyed)) {
    r.fail(n["key"], "\"key\" is for update and delete on a table with a primary key");
  }
  if ((n["match"] || n["ctid"]) && !(changes_row && !keyed)) {
    r.fail(n["match"] ? n["match"] : n["ctid"],
           "\"match\" and \"ctid\" are for update and delete on a table without a primary key");
  }
  if (n["row"] && !new_row) r.fail(n["row"], "\"row\" is for insert and update");
  if (changes_row && keyed) {
    if (!n["key"]) r.fail(n, what + " on \"" + t.name + "\" needs its \"key\"");
    st.key = read_values(r, n["key"], t, t.primary_key, "key");
  }
  if (changes_row && !keyed) {
    if (!n["match"]) r.fail(n, what + " on \"" + t.name + "\" needs the old row in \"match\"");
    st.match = read_values(r, n["match"], t, all_columns(t), "match");
    if (const YAML::Node c = n["ctid"]) {
      if (!c.IsSequence() || c.size() != 2) r.fail(c, "ctid is [block, offset]");
      st.ctid = Ctid{static_cast<uint32_t>(r.integer(c[0], 0, UINT32_MAX, "ctid block")),
                     static_cast<uint16_t>(r.integer(c[1], 1, UINT16_MAX, "ctid offset"))};
    }
  }
  if (new_row) {
    if (!n["row"]) r.fail(n, what + " needs a \"row\"");
    st.row = read_values(r, n["row"], t, all_columns(t), "row");
    if (Status c = t.check_row(st.row); !c.is_ok()) r.fail(n["row"], c.message());
  }
  return st;
}

sim::FaultStep read_fault_step(Reader& r, const YAML::Node& n,
                               const std::vector<TableSchema>& tables,
                               const std::vector<CaptureBinding>& bindings) {
  r.keys(n, scenario_keys("fault_step"), "a fault");
  if (!n["at"]) r.fail(n, "a fault needs \"at\" (a tick)");
  sim::FaultStep f;
  f.tick = static_cast<uint64_t>(r.integer(n["at"], 1, 100'000'000, "at"));
  const std::string name = r.text(n["fault"], "fault");
  std::vector<std::string> names;
  const auto& fields = sim::fault_weight_fields();
  size_t k = 0;
  for (; k < fields.size() && name != fields[k].name; ++k)
    names.push_back(fields[k].name);
  if (k == fields.size())
    r.fail(n["fault"], "unknown fault \"" + name + "\"" + suggestion(name, names));
  f.kind = static_cast<sim::FaultKind>(k);
  const struct {
    const char* key;
    bool used;
  } params[] = {{"table", sim::fault_uses_table(f.kind)},
                {"binding", sim::fault_uses_binding(f.kind)},
                {"amount", sim::fault_uses_amount(f.kind)}};
  const bool optional_amount = sim::fault_amount_optional(f.kind);
  for (const auto& p : params) {
    if (p.used && !n[p.key]) r.fail(n, "fault " + name + " needs \"" + p.key + "\"");
    if (!p.used && n[p.key] && !(optional_amount && std::string(p.key) == "amount"))
      r.fail(n[p.key], "\"" + std::string(p.key) + "\" does not apply to fault " + name);
  }
  if (n["table"]) f.table = table_index(r, n["table"], tables);
  if (n["binding"]) f.binding = binding_index(r, n["binding"], bindings);
  if (n["amount"]) {
    const int64_t lo = f.kind == sim::FaultKind::kQueryFailure || optional_amount ? 0 : 1;
    const auto hi = static_cast<int64_t>(sim::fault_amount_max(f.kind, r.algorithm));
    f.amount = static_cast<uint64_t>(r.integer(n["amount"], lo, hi, "amount"));
    const bool bound =
        f.kind == sim::FaultKind::kMinBackfillXid || f.kind == sim::FaultKind::kMaxBackfillXid;
    if (bound && f.amount > 0 && f.amount < 3)
      r.fail(n["amount"], name + " amount must be 0 (the next xid) or a normal xid (>= 3)");
  }
  return f;
}

sim::Schedule read_schedule(Reader& r, const YAML::Node& n, const std::vector<TableSchema>& tables,
                            const std::vector<CaptureBinding>& bindings) {
  r.keys(n, scenario_keys("schedule"), "schedule");
  sim::Schedule s;
  if (const YAML::Node c = n["capture_choices"]) {
    if (!c.IsSequence()) r.fail(c, "capture_choices must be a list of integers");
    for (const YAML::Node& x : c)
      s.capture_choices.push_back(static_cast<uint32_t>(r.integer(x, 0, 1000, "capture choice")));
  }
  if (const YAML::Node init = n["initial"]) {
    if (!init.IsSequence()) r.fail(init, "initial must be a list of statements");
    for (const YAML::Node& st : init)
      s.initial.push_back(read_statement(r, st, tables, /*initial=*/true));
  }
  if (const YAML::Node steps = n["steps"]) {
    if (!steps.IsSequence()) r.fail(steps, "steps must be a list");
    for (const YAML::Node& st : steps) {
      if (st.IsMap() && st["fault"]) {
        s.faults.push_back(read_fault_step(r, st, tables, bindings));
      } else if (st.IsMap() && st["do"]) {
        s.statements.push_back(read_statement(r, st, tables, /*initial=*/false));
      } else {
        r.fail(st, "a step is a statement (with \"do\") or a fault (with \"fault\")");
      }
    }
  }
  auto by_tick = [](const auto& a, const auto& b) { return a.tick < b.tick; };
  std::stable_sort(s.statements.begin(), s.statements.end(), by_tick);
  std::stable_sort(s.faults.begin(), s.faults.end(), by_tick);
  return s;
}

// "tables": absent or "demo" for the demo schemas, else a non-empty list.
std::vector<TableSchema> read_tables(Reader& r, const YAML::Node& n) {
  if (!n || (n.IsScalar() && n.Scalar() == "demo")) return sim::demo_schemas();
  if (!n.IsSequence() || n.size() == 0) r.fail(n, "tables must be \"demo\" or a list of tables");
  std::vector<TableSchema> tables;
  for (const YAML::Node& table : n)
    tables.push_back(read_table(r, table));
  return tables;
}

CaptureBinding read_binding(Reader& r, const YAML::Node& b,
                            const std::vector<TableSchema>& tables) {
  r.keys(b, scenario_keys("binding"), "a binding");
  if (!b["table"]) r.fail(b, "a binding needs a table");
  CaptureBinding cb;
  cb.table = tables[table_index(r, b["table"], tables)].name;
  cb.collection = "acme/" + cb.table;
  if (b["mode"]) cb.mode = r.choice<BackfillMode>(b["mode"], mode_names(), "mode");
  if (b["priority"])
    cb.priority = static_cast<int32_t>(r.integer(b["priority"], -1000, 1000, "priority"));
  if (b["skip_backfill"]) cb.skip_backfill = r.boolean(b["skip_backfill"], "skip_backfill");
  return cb;
}

// "bindings": a list of bindings of `tables`; absent, one default binding per
// table.
std::vector<CaptureBinding> read_bindings(Reader& r, const YAML::Node& n,
                                          const std::vector<TableSchema>& tables) {
  std::vector<CaptureBinding> bindings;
  if (!n) {
    for (const TableSchema& t : tables)
      bindings.push_back({t.name, "acme/" + t.name});
    return bindings;
  }
  if (!n.IsSequence()) r.fail(n, "bindings must be a list");
  for (const YAML::Node& b : n)
    bindings.push_back(read_binding(r, b, tables));
  return bindings;
}

void read_materialization(Reader& r, const YAML::Node& m, sim::WorldOptions* o) {
  r.keys(m, scenario_keys("materialization"), "materialization");
  if (m["enabled"]) o->materialize = r.boolean(m["enabled"], "enabled");
  if (m["strategy"]) {
    o->strategy = r.choice<UpdateStrategy>(m["strategy"], strategy_names(), "strategy");
  }
  if (m["keep_existing_on_backfill"])
    o->keep_existing_on_backfill =
        r.boolean(m["keep_existing_on_backfill"], "keep_existing_on_backfill");
  if (m["txns_per_commit"])
    o->materialization_txns_per_commit =
        static_cast<uint32_t>(r.integer(m["txns_per_commit"], 1, 100000, "txns_per_commit"));
}

void read_capture(Reader& r, const YAML::Node& c, sim::WorldOptions* o) {
  r.keys(c, scenario_keys("capture"), "capture");
  auto count = [&](const char* key, int64_t lo, uint32_t* out) {
    if (c[key]) *out = static_cast<uint32_t>(r.integer(c[key], lo, 100000, key));
  };
  count("keyless_blocks_per_chunk", 1, &o->capture.keyless_blocks_per_chunk);
  count("keyless_slack_blocks", 0, &o->capture.keyless_slack_blocks);
  count("stream_txns_per_step", 1, &o->capture.stream_txns_per_step);
  count("steps_per_tick", 1, &o->capture_steps_per_tick);
  if (c["algorithm"]) {
    o->capture.algorithm =
        r.choice<CaptureAlgorithm>(c["algorithm"], sim::algorithm_names(), "capture algorithm");
  }
  if (c["read_only"]) {
    o->capture.read_only = r.boolean(c["read_only"], "read_only");
    if (o->capture.read_only && o->capture.algorithm != CaptureAlgorithm::kDebezium)
      r.fail(c["read_only"], "read_only applies to the debezium algorithm only");
  }
}

void read_generation(Reader& r, const YAML::Node& g, sim::GenerationOptions* o) {
  r.keys(g, scenario_keys("generation"), "generation");
  if (g["crash_points"]) o->crash_points = r.boolean(g["crash_points"], "crash_points");
  if (g["xid_bounds"]) o->xid_bounds = r.boolean(g["xid_bounds"], "xid_bounds");
  if (g["backfill_after_slot_loss"]) {
    o->backfill_after_slot_loss =
        r.boolean(g["backfill_after_slot_loss"], "backfill_after_slot_loss");
  }
}

void read_ticks(Reader& r, const YAML::Node& t, sim::WorldOptions* o) {
  r.keys(t, scenario_keys("ticks"), "ticks");
  if (t["safety"])
    o->safety_ticks = static_cast<uint64_t>(r.integer(t["safety"], 0, 10'000'000, "ticks.safety"));
  if (t["liveness_max"])
    o->liveness_ticks_max =
        static_cast<uint64_t>(r.integer(t["liveness_max"], 1, 10'000'000, "ticks.liveness_max"));
}

void read_workload(Reader& r, const YAML::Node& w, sim::SourceWorkloadOptions* o) {
  r.keys(w, scenario_keys("workload"), "workload");
  if (w["sessions"])
    o->sessions = static_cast<uint32_t>(r.integer(w["sessions"], 1, 64, "sessions"));
  if (w["key_space"]) o->key_space = r.integer(w["key_space"], 1, 1'000'000'000, "key_space");
  if (w["truncate"]) o->truncate = r.ratio(w["truncate"], "truncate");
  if (w["abort"]) o->abort_instead_of_commit = r.ratio(w["abort"], "abort");
  if (w["savepoint"]) o->savepoint = r.ratio(w["savepoint"], "savepoint");
  if (w["key_change"]) o->key_change = r.ratio(w["key_change"], "key_change");
  if (w["delete"]) o->delete_row = r.ratio(w["delete"], "delete");
  if (w["key_min"]) o->key_min = r.integer(w["key_min"], -1'000'000, 1'000'000, "key_min");
  if (w["near_cursor"]) o->near_cursor = r.ratio(w["near_cursor"], "near_cursor");
  if (w["existing_key"]) o->existing_key = r.ratio(w["existing_key"], "existing_key");
  if (w["key_change_keeps_toasted"])
    o->key_change_keeps_toasted =
        r.ratio(w["key_change_keeps_toasted"], "key_change_keeps_toasted");
}

// "operations": returned in tick order (stable: equal ticks keep the file's
// order), so that an operation may name a binding an earlier add_binding
// created (the world appends it to the bindings then). Every "at" is read
// first, in the file's order, then each operation in tick order.
std::vector<sim::ScriptedOp> read_operations(Reader& r, const YAML::Node& ops,
                                             const std::vector<TableSchema>& tables,
                                             std::vector<CaptureBinding> bindings) {
  if (!ops.IsSequence()) r.fail(ops, "operations must be a list");
  std::vector<YAML::Node> nodes(ops.begin(), ops.end());
  std::vector<uint64_t> ticks;
  for (const YAML::Node& op : nodes) {
    r.keys(op, scenario_keys("operation"), "an operation");
    if (!op["at"] || !op["do"]) r.fail(op, "an operation needs \"at\" (a tick) and \"do\"");
    ticks.push_back(static_cast<uint64_t>(r.integer(op["at"], 1, 100'000'000, "at")));
  }
  std::vector<size_t> order(nodes.size());
  for (size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return ticks[a] < ticks[b]; });
  std::vector<sim::ScriptedOp> script;
  for (size_t i : order) {
    script.push_back(read_operation(r, nodes[i], ticks[i], tables, bindings));
    const sim::ScriptedOp& op = script.back();
    if (op.kind == sim::ScriptedOp::Kind::kAddBinding)
      bindings.push_back({tables[op.bindings[0]].name, "acme/" + tables[op.bindings[0]].name});
  }
  return script;
}

// A scenario with an explicit schedule cannot also configure the generator.
void reject_generator_keys(Reader& r, const YAML::Node& root) {
  for (const char* generator : {"initial_rows", "initial_load", "workload", "faults",
                                "fault_per_tick", "write_per_tick", "swarm", "generation"}) {
    if (root[generator]) {
      r.fail(root[generator], "\"" + std::string(generator) +
                                  "\" configures the generator; a scenario with an explicit "
                                  "schedule cannot have it");
    }
  }
}

// The rows a run holds at most, over all tables: about 2 KB each across the
// source, the history, collections and destinations, so 20 million fill
// most of a 24 GiB machine.
constexpr int64_t kMaxInitialRowsInAllTables = 20'000'000;

// initial_rows applies to every table. REQUIRES: o->tables is read (the demo
// tables when the file names none).
void read_initial_rows(Reader& r, const YAML::Node& n, sim::WorldOptions* o) {
  const int64_t rows = r.integer(n, 0, kMaxInitialRowsInAllTables, "initial_rows");
  const int64_t tables = static_cast<int64_t>(o->tables.size());
  if (rows * tables > kMaxInitialRowsInAllTables) {
    r.fail(n, "initial_rows: " + std::to_string(rows) + " rows in each of " +
                  std::to_string(tables) + " tables exceed the " +
                  std::to_string(kMaxInitialRowsInAllTables) +
                  " rows a run can hold in memory; declare fewer tables or rows");
  }
  o->initial_rows = static_cast<uint32_t>(rows);
}

// Reads the keys in a fixed order: ranges draw from the seed in this order,
// and the first error found is the one reported. Reordering changes both.
Scenario read_scenario(Reader& r, const YAML::Node& root, uint64_t seed) {
  r.keys(root, scenario_keys("scenario"), "the scenario");
  Scenario sc;
  sim::WorldOptions& o = sc.options;
  o.seed = seed;
  sc.name = root["name"] ? r.text(root["name"], "name") : "unnamed";
  if (root["description"]) sc.description = r.text(root["description"], "description");
  if (root["start_xid"])
    o.start_xid =
        Xid(static_cast<uint32_t>(r.integer(root["start_xid"], 3, 4294967295LL, "start_xid")));
  o.tables = read_tables(r, root["tables"]);
  if (root["initial_rows"]) read_initial_rows(r, root["initial_rows"], &o);
  if (root["initial_load"]) {
    o.initial_load = r.choice<sim::WorldOptions::InitialLoad>(root["initial_load"],
                                                              initial_load_names(), "initial_load");
  }
  o.bindings = read_bindings(r, root["bindings"], o.tables);
  if (root["materialization"]) read_materialization(r, root["materialization"], &o);
  if (root["retention_ticks"])
    o.retention_ticks = r.integer(root["retention_ticks"], 1, 100'000'000, "retention_ticks");
  if (root["max_slot_wal_keep_size_bytes"]) {
    o.max_slot_wal_keep_size_bytes = r.integer(root["max_slot_wal_keep_size_bytes"], 64,
                                               int64_t{1} << 40, "max_slot_wal_keep_size_bytes");
  }
  if (root["chunk_size"])
    o.capture.chunk_size =
        static_cast<uint32_t>(r.integer(root["chunk_size"], 1, 100000, "chunk_size"));
  if (root["ticks"]) read_ticks(r, root["ticks"], &o);
  if (root["workload"]) read_workload(r, root["workload"], &o.workload);
  if (root["faults"]) read_faults(r, root["faults"], &o.faults);
  if (root["fault_per_tick"]) o.fault_per_tick = r.ratio(root["fault_per_tick"], "fault_per_tick");
  if (root["write_per_tick"]) o.write_per_tick = r.ratio(root["write_per_tick"], "write_per_tick");
  if (root["swarm"]) o.swarm = r.boolean(root["swarm"], "swarm");
  if (root["capture"]) read_capture(r, root["capture"], &o);
  r.algorithm = o.capture.algorithm;  // what a crash step may name
  if (root["generation"]) read_generation(r, root["generation"], &o.generation);
  if (root["operations"]) o.script = read_operations(r, root["operations"], o.tables, o.bindings);
  if (const YAML::Node sched = root["schedule"]) {
    reject_generator_keys(r, root);
    o.schedule = read_schedule(r, sched, o.tables, o.bindings);
  }
  if (root["expect"]) read_expect(r, root["expect"], &sc.expect);
  return sc;
}

LoadResult load(const std::string& text, const std::string& file, std::optional<uint64_t> seed) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    return LoadError{file, e.mark.line + 1, e.mark.column + 1, e.msg};
  }
  if (!root.IsMap()) return LoadError{file, 1, 1, "a scenario must be a mapping of keys"};
  try {
    uint64_t s = 1;
    if (seed) {
      s = *seed;
    } else if (root["seed"]) {
      Reader seed_reader(file, 0);
      s = static_cast<uint64_t>(
          seed_reader.integer(root["seed"], 0, std::numeric_limits<int64_t>::max(), "seed"));
    }
    Reader r(file, s);
    return read_scenario(r, root, s);
  } catch (const LoadFailure& f) {
    return f.error;
  } catch (const YAML::Exception& e) {
    return LoadError{file, e.mark.line + 1, e.mark.column + 1, e.msg};
  }
}

}  // namespace

LoadResult load_scenario_text(const std::string& text, const std::string& name,
                              std::optional<uint64_t> seed) {
  return load(text, name, seed);
}

LoadResult load_scenario_file(const std::string& path, std::optional<uint64_t> seed) {
  std::ifstream in(path);
  if (!in) return LoadError{path, 0, 0, "cannot read the file"};
  std::stringstream ss;
  ss << in.rdbuf();
  return load(ss.str(), path, seed);
}

const std::vector<std::string>& scenario_keys(const std::string& object) {
  const auto& lists = key_lists();
  auto it = lists.find(object);
  CDC_ASSERT(it != lists.end(), "no key list for this scenario object");
  return it->second;
}

std::vector<std::string> scenario_objects() {
  std::vector<std::string> out;
  for (const auto& [name, keys] : key_lists())
    out.push_back(name);
  return out;
}

}  // namespace cdc::scenarios
