// Records: dispatch, declarations and the source side (rows, commit,
// test_decoding). Collections and destinations: records_pipeline.cc.
#include "outside/records.h"

#include "model/xid.h"
#include "outside/format.h"
#include "outside/test_decoding.h"

namespace cdc::outside::detail {

namespace {

constexpr size_t kMaxColumns = 64;        // what a model row's presence mask holds
constexpr size_t kMaxArray = 10'000'000;  // entries in one record's array

history::ResolvedMode mode_named(const std::string& m) {
  if (m == "Normal") return history::ResolvedMode::kNormal;
  if (m == "Precise") return history::ResolvedMode::kPrecise;
  if (m == "OnlyChanges") return history::ResolvedMode::kOnlyChanges;
  bad("mode", "mode must be Normal, Precise or OnlyChanges, got \"" + m +
                  "\" (a table without a primary key cannot be declared)");
}

ColumnDef column_of(const json& c, const std::string& path) {
  only_keys(c, path, "column");
  ColumnDef out;
  out.name = text_of(c, "name", path);
  const std::string type = text_of(c, "type", path);
  if (type != "int" && type != "text") bad("type", path + ".type must be int or text, got " + type);
  out.type = type == "int" ? ColumnType::kInt64 : ColumnType::kText;
  const std::string collation = c.contains("collation") ? text_of(c, "collation", path) : "default";
  if (collation != "C" && collation != "default") {
    bad("collation", path + ".collation must be C or default, got " + collation);
  }
  out.collation = collation == "C" ? Collation::kC : Collation::kLocale;
  return out;
}

}  // namespace

void Records::read(const json& r, uint64_t line_no) {
  if (!r.is_object()) bad("", "a record must be a JSON object with a \"type\"");
  tick_ = line_no;
  const std::string type = text_of(r, "type", "");
  if (type == "table") return table(r);
  if (type == "binding") return binding(r);
  if (type == "materialization") return materialization(r);
  if (type == "rows") return rows(r);
  close_initial_rows();
  if (type == "commit") return commit(r);
  if (type == "test_decoding") return decoded(r);
  if (type == "collection_txn" || type == "document") return collection_txn(r, type == "document");
  if (type == "destination_txn") return destination_txn(r);
  if (type == "destination_rows") return destination_rows(r);
  if (type == "drained") return drained(r);
  std::string known;
  for (const std::string& t : record_types())
    known += (known.empty() ? "" : ", ") + t;
  bad("type", "unknown record type \"" + type + "\" (known: " + known + ")");
}

void Records::table(const json& r) {
  only_keys(r, "", "table");
  if (out_->tables.size() >= kMaxTables) bad("", "more than 1000 tables");
  TableSchema s;
  s.name = text_of(r, "name", "");
  for (const TableSchema& t : out_->tables)
    if (t.name == s.name) bad("name", "table " + s.name + " is declared twice");
  const json& columns = array_of(r, "columns", "", kMaxColumns);
  for (size_t i = 0; i < columns.size(); ++i)
    s.columns.push_back(column_of(columns[i], "columns[" + std::to_string(i) + "]"));
  const json& key = array_of(r, "key", "", kMaxColumns);
  if (key.empty()) bad("key", "key must name the primary-key columns (keyless tables: not yet)");
  for (const json& k : key) {
    if (!k.is_string()) bad("key", "key must be an array of column names");
    uint32_t c = 0;
    while (c < s.columns.size() && s.columns[c].name != k.get<std::string>())
      ++c;
    if (c == s.columns.size()) bad("key", "key column " + k.dump() + " is not a column");
    s.primary_key.push_back(c);
  }
  if (Status st = s.validate(); !st.is_ok()) bad("", st.message());
  out_->tables.push_back(std::move(s));
}

void Records::binding(const json& r) {
  only_keys(r, "", "binding");
  const uint32_t t = table_named(r, "table", "");
  const TableSchema& s = out_->tables[t];
  const std::string collection = text_of(r, "collection", "");
  if (collections_.contains(collection)) bad("collection", collection + " is bound twice");
  const auto id = static_cast<uint32_t>(h_.bindings.size());
  collections_[collection] = id;
  history::Binding& b = h_.bindings.emplace_back();
  b.id = id;
  b.table = s.name;
  b.table_id = t;
  b.collection = collection;
  b.bytewise_key = s.key_orders_bytewise();
  b.key_types = s.key_types();
  history::BackfillInstance& inst = h_.backfills.emplace_back();
  inst.binding = id;
  inst.state_key = s.name + ".v1";
  inst.mode = mode_named(r.contains("mode") ? text_of(r, "mode", "") : "Normal");
  inst.requested_tick = tick_;
  inst.stream_start_lsn = optional_lsn(r, "stream_start_lsn", "").value_or(Lsn{0});
}

void Records::materialization(const json& r) {
  only_keys(r, "", "materialization");
  const uint32_t b = binding_of_collection(r, "");
  const std::string dest = text_of(r, "destination", "");
  if (destinations_.contains(dest))
    bad("destination", "destination " + dest + " is declared twice");
  const std::string strategy = r.contains("strategy") ? text_of(r, "strategy", "") : "merge";
  if (strategy != "merge" && strategy != "delta") {
    bad("strategy", "strategy must be merge or delta, got " + strategy);
  }
  const auto id = static_cast<uint32_t>(h_.materializations.size());
  destinations_[dest] = id;
  history::MaterializationBinding& m = h_.materializations.emplace_back();
  m.id = id;
  m.capture_binding = b;
  m.collection = h_.bindings[b].collection;
  m.destination = dest;
  m.strategy =
      strategy == "merge" ? history::UpdateStrategy::kMerge : history::UpdateStrategy::kDelta;
}

void Records::rows(const json& r) {
  only_keys(r, "", "rows");
  if (saw_commit_) bad("type", "\"rows\" records give the tables' rows before the first commit");
  const uint32_t t = table_named(r, "table", "");
  if (!initial_rows_open_) source_.begin(kFrozenXid);
  initial_rows_open_ = true;
  const json& rows = array_of(r, "rows", "", kMaxArray);
  for (size_t i = 0; i < rows.size(); ++i) {
    const std::string path = "rows[" + std::to_string(i) + "]";
    RowFields f = row_of(out_->tables[t], rows[i], path, nullptr);
    require_key(out_->tables[t], f, path);
    source_.insert(t, std::move(f.row), path);
  }
}

void Records::close_initial_rows() {
  if (!initial_rows_open_) return;
  initial_rows_open_ = false;
  source_.commit(Lsn{1}, tick_);
}

void Records::commit(const json& r) {
  only_keys(r, "", "commit");
  if (source_.open()) bad("type", "a commit record inside an open test_decoding transaction");
  saw_commit_ = true;
  source_.begin(Xid{static_cast<uint32_t>(uint_of(r, "xid", "", UINT32_MAX))});
  const json& changes = array_of(r, "changes", "", kMaxArray);
  for (size_t i = 0; i < changes.size(); ++i)
    change(changes[i], "changes[" + std::to_string(i) + "]");
  source_.commit(lsn_of(r, "lsn", ""), tick_);
}

void Records::change(const json& c, const std::string& path) {
  only_keys(c, path, "change");
  const uint32_t t = table_named(c, "table", path);
  const TableSchema& s = out_->tables[t];
  const std::string op = text_of(c, "op", path);
  std::optional<Row> key_row;
  if (c.contains("key")) {
    RowFields k = row_of(s, c.at("key"), path + ".key", nullptr);
    require_key(s, k, path + ".key");
    key_row = std::move(k.row);
  }
  if (op == "delete") {
    if (!key_row) bad("op", path + ": a delete names its row's key in \"key\"");
    return source_.remove(t, *key_row, path);
  }
  if (op != "insert" && op != "update") bad("op", path + ".op must be insert, update or delete");
  const json& after = required(c, "after", path);
  RowFields f = row_of(s, after, path + ".after", nullptr);
  if (op == "update") {
    // Columns an update leaves out keep their values, as an unchanged TOAST
    // value does; without "key" the row is found by the key in "after".
    if (!key_row) require_key(s, f, path + ".after");
    const Row& named = key_row ? *key_row : f.row;
    const SharedRow* old = source_.current(t, source_.key_of(t, named));
    if (!old) {
      bad("", path + ": update of key " + to_string(s.key_of(named)) + " that table " + s.name +
                  " does not hold (give earlier rows in a \"rows\" record)");
    }
    f = row_of(s, after, path + ".after", old);
  }
  require_key(s, f, path + ".after");
  if (op == "insert") return source_.insert(t, std::move(f.row), path);
  source_.update(t, key_row, std::move(f.row), path);
}

uint32_t Records::table_named(const json& r, const char* key, const std::string& path) const {
  const std::string name = text_of(r, key, path);
  for (uint32_t t = 0; t < out_->tables.size(); ++t)
    if (out_->tables[t].name == name) return t;
  bad(key, "table " + name + " is not declared (declare it with a \"table\" record first)");
}

uint32_t Records::binding_of_collection(const json& r, const std::string& path) const {
  const std::string name = text_of(r, "collection", path);
  const auto it = collections_.find(name);
  if (it == collections_.end()) {
    bad("collection", "collection " + name + " is not bound (declare a \"binding\" first)");
  }
  return it->second;
}

uint32_t Records::materialization_named(const json& r, const std::string& path) const {
  const std::string name = text_of(r, "destination", path);
  const auto it = destinations_.find(name);
  if (it == destinations_.end()) {
    bad("destination", "destination " + name + " is not declared (a \"materialization\" first)");
  }
  return it->second;
}

}  // namespace cdc::outside::detail
