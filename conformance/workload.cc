#include "conformance/workload.h"

#include "conformance/model_side.h"

namespace cdc::conformance {

// Case, accents (acute, grave, circumflex, diaeresis, ring, tilde, cedilla),
// digits, space and punctuation: everything on which the two collations could
// disagree, within the documented alphabet of model/collation.h.
const std::vector<std::string> kKeyAlphabet = {
    "a", "A", "b", "B", "e", "E", "é", "É", "è", "ê", "ë", "å", "Å", "ç", "Ç", "ñ",
    "ü", "z", "Z", "0", "9", " ", "-", "_", "'", ".", "!", "~", "$", "/", "(", "@",
};

std::vector<TableSchema> conformance_schemas(sim::Prng& prng) {
  constexpr uint32_t kTuplesPerPage = 100;  // PostgreSQL fits ~120 of these rows in 8 kB
  TableSchema accounts;
  accounts.name = "accounts";
  accounts.columns = {{"id", ColumnType::kInt64, Collation::kC, false, false},
                      {"balance", ColumnType::kInt64, Collation::kC, false, true},
                      {"note", ColumnType::kText, Collation::kC, true, true}};
  accounts.primary_key = {0};

  TableSchema tags;
  tags.name = "tags";
  tags.columns = {{"name", ColumnType::kText, Collation::kLocale, false, false},
                  {"region", ColumnType::kText, Collation::kC, false, false},
                  {"n", ColumnType::kInt64, Collation::kC, false, true},
                  {"note", ColumnType::kText, Collation::kC, true, true}};
  tags.primary_key = {0, 1};
  tags.replica_identity = ReplicaIdentity::kFull;

  TableSchema codes;
  codes.name = "codes";
  codes.columns = {{"code", ColumnType::kText, Collation::kC, false, false},
                   {"v", ColumnType::kInt64, Collation::kC, false, true}};
  codes.primary_key = {0};

  TableSchema events;
  events.name = "events";
  events.columns = {{"payload", ColumnType::kText, Collation::kC, false, true},
                    {"n", ColumnType::kInt64, Collation::kC, false, true}};

  std::vector<TableSchema> out = {accounts, tags, codes, events};
  for (TableSchema& s : out) {
    s.toast_threshold_bytes = 2000;
    s.tuples_per_page = kTuplesPerPage;
  }
  out[2].replica_identity =
      prng.chance({1, 2}) ? ReplicaIdentity::kFull : ReplicaIdentity::kDefault;
  out[3].replica_identity =
      prng.chance({1, 2}) ? ReplicaIdentity::kFull : ReplicaIdentity::kDefault;
  return out;
}

Value random_key_value(const ColumnDef& c, const WorkloadOptions& o, sim::Prng& prng) {
  if (c.type == ColumnType::kInt64) {
    // Negative keys too: their order (and encoding) differs from their bytes.
    const int64_t lo = -(o.key_space / 2);
    return Value::int64(prng.range_inclusive(lo, lo + o.key_space - 1));
  }
  std::string s;
  const uint64_t n = 1 + prng.below(o.text_key_length_max);
  for (uint64_t i = 0; i < n; ++i)
    s += kKeyAlphabet[prng.below(kKeyAlphabet.size())];
  return Value::text(s);
}

namespace {

class Generator {
 public:
  Generator(uint64_t seed, const WorkloadOptions& o)
      : options_(o), prng_(sim::Prng(seed).fork(1)), schemas_(make_schemas(seed)) {}

  Workload run() {
    Workload w;
    w.options = options_;
    w.schemas = schemas_;
    ModelSide model(ModelSideOptions{schemas_, full_xid(0, Xid(1000)), "generator"});
    model_ = &model;
    for (uint32_t i = 0; i < options_.steps; ++i) {
      Step step = decide();
      (void)model.execute(step);
      w.steps.push_back(std::move(step));
    }
    model_ = nullptr;
    return w;
  }

 private:
  static std::vector<TableSchema> make_schemas(uint64_t seed) {
    sim::Prng p = sim::Prng(seed).fork(2);
    return conformance_schemas(p);
  }

  Step decide() {
    Step step;
    if (prng_.chance(options_.maintenance)) {
      step.kind = prng_.chance({1, 2}) ? Step::Kind::kVacuumFreeze : Step::Kind::kVacuumFull;
      step.table = static_cast<uint32_t>(prng_.below(schemas_.size()));
      return step;
    }
    sim::Statement& st = step.statement;
    st.session = static_cast<uint32_t>(prng_.below(options_.sessions));
    using K = sim::Statement::Kind;
    if (!model_->in_transaction(st.session)) {
      st.kind = K::kBegin;
    } else if (prng_.chance(options_.end_transaction)) {
      st.kind = prng_.chance(options_.abort_instead) ? K::kAbort : K::kCommit;
    } else if (model_->savepoints(st.session) > 0 && prng_.chance(options_.rollback_to_savepoint)) {
      st.kind = K::kRollbackToSavepoint;
    } else if (model_->savepoints(st.session) > 0 && prng_.chance(options_.release_savepoint)) {
      st.kind = K::kReleaseSavepoint;
    } else if (prng_.chance(options_.savepoint)) {
      st.kind = K::kSavepoint;
    } else {
      decide_write(&st);
    }
    return step;
  }

  void decide_write(sim::Statement* st) {
    st->table = static_cast<uint32_t>(prng_.below(schemas_.size()));
    const TableSchema& s = schemas_[st->table];
    if (prng_.chance(options_.truncate)) {
      st->kind = sim::Statement::Kind::kTruncate;
    } else if (s.has_primary_key()) {
      decide_keyed(s, st);
    } else {
      decide_keyless(s, st);
    }
  }

  Value random_value(const ColumnDef& c, bool key) {
    if (key) return random_key_value(c, options_, prng_);
    if (c.type == ColumnType::kInt64) return Value::int64(prng_.range_inclusive(-1000, 1000));
    std::string s = "v" + std::to_string(++counter_);
    if (c.toastable && prng_.chance(options_.toasted_value)) {
      s += "-";
      for (uint32_t i = 0; i < options_.toast_bytes; ++i)
        s += static_cast<char>('a' + prng_.below(26));
    }
    return Value::text(s);
  }

  Row random_row(const TableSchema& s) {
    Row row;
    for (uint32_t c = 0; c < s.columns.size(); ++c) {
      bool key = false;
      for (uint32_t k : s.primary_key)
        key = key || k == c;
      row.push_back(random_value(s.columns[c], key));
    }
    return row;
  }

  void decide_keyed(const TableSchema& s, sim::Statement* st) {
    const TableId t = model_->table_id(st->table);
    Row row = random_row(s);
    const Key key = s.key_of(row);
    if (prng_.chance(options_.blind_write)) {
      // Without looking: the key may be absent, deleted, or another
      // session's uncommitted row (PostgreSQL: 0 rows, no wait).
      st->key = key;
      st->kind =
          prng_.chance({1, 2}) ? sim::Statement::Kind::kDelete : sim::Statement::Kind::kUpdate;
      if (st->kind == sim::Statement::Kind::kUpdate) st->row = std::move(row);
      return;
    }
    Result<std::optional<ScannedRow>> current = model_->db().lookup(t, key);
    CDC_ASSERT(current.is_ok(), "lookup of a well-formed key");
    if (!current.value()) {
      st->kind = sim::Statement::Kind::kInsert;
      st->row = std::move(row);
      return;
    }
    st->key = key;
    if (prng_.chance(options_.delete_row)) {
      st->kind = sim::Statement::Kind::kDelete;
      return;
    }
    const SharedRow& old = current.value()->row;
    if (!prng_.chance(options_.key_change)) {
      for (uint32_t k : s.primary_key)
        row[k] = old[k];
    }
    for (uint32_t c = 0; c < s.columns.size(); ++c) {
      if (s.is_toasted(old, c) && prng_.chance(options_.keep_toasted_column)) row[c] = old[c];
    }
    st->kind = sim::Statement::Kind::kUpdate;
    st->row = std::move(row);
  }

  void decide_keyless(const TableSchema& s, sim::Statement* st) {
    QueryResult rows = model_->db().scan(model_->table_id(st->table));
    CDC_ASSERT(rows.status.is_ok(), "scan of a known table");
    if (rows.rows.empty() || prng_.chance({1, 2})) {
      st->kind = sim::Statement::Kind::kInsert;
      st->row = random_row(s);
      return;
    }
    const ScannedRow& victim = rows.rows[prng_.below(rows.rows.size())];
    st->match = victim.row.to_row();
    st->ctid = victim.ctid;
    if (prng_.chance(options_.delete_row)) {
      st->kind = sim::Statement::Kind::kDelete;
      return;
    }
    st->kind = sim::Statement::Kind::kUpdate;
    st->row = random_row(s);
  }

  WorkloadOptions options_;
  sim::Prng prng_;
  std::vector<TableSchema> schemas_;
  ModelSide* model_ = nullptr;
  uint64_t counter_ = 0;
};

}  // namespace

Workload generate_workload(uint64_t seed, const WorkloadOptions& options) {
  CDC_ASSERT(options.sessions > 0 && options.sessions <= 16, "1..16 sessions");
  CDC_ASSERT(options.key_space > 0 && options.text_key_length_max > 0, "bad key options");
  Workload w = Generator(seed, options).run();
  w.seed = seed;
  return w;
}

std::string to_string(const Step& step, const std::vector<TableSchema>& schemas) {
  switch (step.kind) {
    case Step::Kind::kVacuumFreeze:
      return "VACUUM (FREEZE) " + schemas.at(step.table).name;
    case Step::Kind::kVacuumFull:
      return "VACUUM FULL " + schemas.at(step.table).name;
    case Step::Kind::kStatement:
      break;
  }
  using K = sim::Statement::Kind;
  const sim::Statement& st = step.statement;
  std::string out = "s" + std::to_string(st.session) + " ";
  switch (st.kind) {
    case K::kBegin:
      return out + "BEGIN";
    case K::kCommit:
      return out + "COMMIT";
    case K::kAbort:
      return out + "ROLLBACK";
    case K::kSavepoint:
      return out + "SAVEPOINT";
    case K::kRollbackToSavepoint:
      return out + "ROLLBACK TO SAVEPOINT (innermost)";
    case K::kReleaseSavepoint:
      return out + "RELEASE SAVEPOINT (innermost)";
    default:
      break;
  }
  const std::string& table = schemas.at(st.table).name;
  const std::string where =
      st.key.empty() ? " WHERE row = " + to_string(st.match) : " WHERE key = " + to_string(st.key);
  switch (st.kind) {
    case K::kInsert:
      return out + "INSERT INTO " + table + " VALUES " + to_string(st.row);
    case K::kUpdate:
      return out + "UPDATE " + table + " SET " + to_string(st.row) + where;
    case K::kDelete:
      return out + "DELETE FROM " + table + where;
    case K::kTruncate:
      return out + "TRUNCATE " + table;
    default:
      break;
  }
  return out + "?";
}

}  // namespace cdc::conformance
