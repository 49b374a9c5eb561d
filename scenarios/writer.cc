#include "scenarios/writer.h"

#include <yaml-cpp/yaml.h>

#include <sstream>

#include "scenarios/vocabulary.h"

namespace cdc::scenarios {

namespace {

void emit_value(YAML::Emitter& e, const Value& v) {
  if (v.is_null()) {
    e << YAML::Null;
  } else if (v.is_int64()) {
    e << v.as_int64();
  } else {
    e << YAML::DoubleQuoted << std::string(v.as_text());
  }
}

void emit_row(YAML::Emitter& e, const Row& row) {
  e << YAML::Flow << YAML::BeginSeq;
  for (const Value& v : row)
    emit_value(e, v);
  e << YAML::EndSeq;
}

std::string ratio(const sim::Ratio& r) {
  return std::to_string(r.numerator) + "/" + std::to_string(r.denominator);
}

void emit_tables(YAML::Emitter& e, const std::vector<TableSchema>& tables) {
  e << YAML::Key << "tables" << YAML::Value << YAML::BeginSeq;
  for (const TableSchema& t : tables) {
    e << YAML::BeginMap << YAML::Key << "name" << YAML::Value << t.name;
    e << YAML::Key << "columns" << YAML::Value << YAML::BeginSeq;
    for (const ColumnDef& c : t.columns) {
      e << YAML::Flow << YAML::BeginMap;
      e << YAML::Key << "name" << YAML::Value << c.name;
      e << YAML::Key << "type" << YAML::Value << name_of(column_type_names(), c.type);
      e << YAML::Key << "collation" << YAML::Value << name_of(collation_names(), c.collation);
      e << YAML::Key << "toastable" << YAML::Value << c.toastable;
      e << YAML::Key << "nullable" << YAML::Value << c.nullable;
      e << YAML::EndMap;
    }
    e << YAML::EndSeq;
    e << YAML::Key << "primary_key" << YAML::Value << YAML::Flow << YAML::BeginSeq;
    for (uint32_t k : t.primary_key)
      e << t.columns[k].name;
    e << YAML::EndSeq;
    e << YAML::Key << "replica_identity" << YAML::Value
      << name_of(replica_identity_names(), t.replica_identity);
    e << YAML::Key << "toast_threshold_bytes" << YAML::Value << t.toast_threshold_bytes;
    e << YAML::Key << "tuples_per_page" << YAML::Value << t.tuples_per_page;
    e << YAML::EndMap;
  }
  e << YAML::EndSeq;
}

void emit_bindings(YAML::Emitter& e, const std::vector<CaptureBinding>& bindings) {
  e << YAML::Key << "bindings" << YAML::Value << YAML::BeginSeq;
  for (const CaptureBinding& b : bindings) {
    e << YAML::Flow << YAML::BeginMap;
    e << YAML::Key << "table" << YAML::Value << b.table;
    e << YAML::Key << "mode" << YAML::Value << name_of(mode_names(), b.mode);
    if (b.priority != 0) e << YAML::Key << "priority" << YAML::Value << b.priority;
    if (b.skip_backfill) e << YAML::Key << "skip_backfill" << YAML::Value << true;
    e << YAML::EndMap;
  }
  e << YAML::EndSeq;
}

void emit_operations(YAML::Emitter& e, const sim::WorldOptions& o,
                     const std::vector<TableSchema>& tables) {
  using K = sim::ScriptedOp::Kind;
  e << YAML::Key << "operations" << YAML::Value << YAML::BeginSeq;
  for (const sim::ScriptedOp& op : o.script) {
    e << YAML::Flow << YAML::BeginMap;
    e << YAML::Key << "at" << YAML::Value << op.tick;
    e << YAML::Key << "do" << YAML::Value << name_of(operation_names(), op.kind);
    if (op.kind == K::kAddBinding) {
      CDC_ASSERT(op.bindings.size() == 1, "add_binding names one table");
      e << YAML::Key << "table" << YAML::Value << tables[op.bindings[0]].name;
    } else if (!op.bindings.empty()) {
      e << YAML::Key << "bindings" << YAML::Value << YAML::Flow << YAML::BeginSeq;
      for (uint32_t b : op.bindings)
        e << o.bindings[b].table;
      e << YAML::EndSeq;
    }
    if (op.mode) e << YAML::Key << "mode" << YAML::Value << name_of(mode_names(), *op.mode);
    if (op.kind == K::kStallCapture) e << YAML::Key << "ticks" << YAML::Value << op.ticks;
    e << YAML::EndMap;
  }
  e << YAML::EndSeq;
}

void emit_statement(YAML::Emitter& e, const sim::Statement& st,
                    const std::vector<TableSchema>& tables, bool with_tick) {
  using K = sim::Statement::Kind;
  e << YAML::Flow << YAML::BeginMap;
  if (with_tick) e << YAML::Key << "at" << YAML::Value << st.tick;
  e << YAML::Key << "session" << YAML::Value << st.session;
  e << YAML::Key << "do" << YAML::Value << sim::to_string(st.kind);
  if (st.at_finish) e << YAML::Key << "at_finish" << YAML::Value << true;
  const bool writes = st.kind == K::kInsert || st.kind == K::kUpdate || st.kind == K::kDelete ||
                      st.kind == K::kTruncate;
  if (writes) e << YAML::Key << "table" << YAML::Value << tables[st.table].name;
  if (st.kind == K::kUpdate || st.kind == K::kDelete) {
    if (tables[st.table].has_primary_key()) {
      e << YAML::Key << "key" << YAML::Value;
      emit_row(e, st.key);
    } else {
      e << YAML::Key << "match" << YAML::Value;
      emit_row(e, st.match);
      if (st.ctid) {
        e << YAML::Key << "ctid" << YAML::Value << YAML::Flow << YAML::BeginSeq << st.ctid->block
          << st.ctid->offset << YAML::EndSeq;
      }
    }
  }
  if (st.kind == K::kInsert || st.kind == K::kUpdate) {
    e << YAML::Key << "row" << YAML::Value;
    emit_row(e, st.row);
  }
  e << YAML::EndMap;
}

void emit_fault(YAML::Emitter& e, const sim::FaultStep& f, const sim::WorldOptions& o,
                const std::vector<TableSchema>& tables) {
  e << YAML::Flow << YAML::BeginMap;
  e << YAML::Key << "at" << YAML::Value << f.tick;
  e << YAML::Key << "fault" << YAML::Value
    << sim::fault_weight_fields()[static_cast<size_t>(f.kind)].name;
  if (sim::fault_uses_table(f.kind))
    e << YAML::Key << "table" << YAML::Value << tables[f.table].name;
  if (sim::fault_uses_binding(f.kind))
    e << YAML::Key << "binding" << YAML::Value << o.bindings[f.binding].table;
  if (sim::fault_uses_amount(f.kind) || (sim::fault_amount_optional(f.kind) && f.amount != 0))
    e << YAML::Key << "amount" << YAML::Value << f.amount;
  e << YAML::EndMap;
}

// Statements and faults in one list, in the order a tick runs them.
void emit_schedule(YAML::Emitter& e, const sim::Schedule& s, const sim::WorldOptions& o,
                   const std::vector<TableSchema>& tables) {
  e << YAML::Key << "schedule" << YAML::Value << YAML::BeginMap;
  e << YAML::Key << "capture_choices" << YAML::Value << YAML::Flow << s.capture_choices;
  e << YAML::Key << "initial" << YAML::Value << YAML::BeginSeq;
  for (const sim::Statement& st : s.initial)
    emit_statement(e, st, tables, /*with_tick=*/false);
  e << YAML::EndSeq;
  e << YAML::Key << "steps" << YAML::Value << YAML::BeginSeq;
  size_t f = 0;
  for (const sim::Statement& st : s.statements) {
    for (; f < s.faults.size() && s.faults[f].tick < st.tick; ++f)
      emit_fault(e, s.faults[f], o, tables);
    emit_statement(e, st, tables, /*with_tick=*/true);
  }
  for (; f < s.faults.size(); ++f)
    emit_fault(e, s.faults[f], o, tables);
  e << YAML::EndSeq << YAML::EndMap;
}

void emit_generator(YAML::Emitter& e, const sim::WorldOptions& o) {
  e << YAML::Key << "initial_rows" << YAML::Value << o.initial_rows;
  if (o.initial_load != sim::WorldOptions::InitialLoad::kWorkload) {
    e << YAML::Key << "initial_load" << YAML::Value
      << name_of(initial_load_names(), o.initial_load);
  }
  e << YAML::Key << "workload" << YAML::Value << YAML::Flow << YAML::BeginMap;
  e << YAML::Key << "sessions" << YAML::Value << o.workload.sessions;
  e << YAML::Key << "key_space" << YAML::Value << o.workload.key_space;
  e << YAML::Key << "truncate" << YAML::Value << ratio(o.workload.truncate);
  e << YAML::Key << "abort" << YAML::Value << ratio(o.workload.abort_instead_of_commit);
  e << YAML::Key << "savepoint" << YAML::Value << ratio(o.workload.savepoint);
  e << YAML::Key << "key_change" << YAML::Value << ratio(o.workload.key_change);
  e << YAML::Key << "delete" << YAML::Value << ratio(o.workload.delete_row);
  e << YAML::Key << "key_min" << YAML::Value << o.workload.key_min;
  e << YAML::Key << "near_cursor" << YAML::Value << ratio(o.workload.near_cursor);
  e << YAML::Key << "existing_key" << YAML::Value << ratio(o.workload.existing_key);
  e << YAML::Key << "key_change_keeps_toasted" << YAML::Value
    << ratio(o.workload.key_change_keeps_toasted);
  e << YAML::EndMap;
  e << YAML::Key << "faults" << YAML::Value << YAML::Flow << YAML::BeginMap;
  for (const sim::FaultWeightField& f : sim::fault_weight_fields()) {
    if (o.faults.*f.weight != 0) e << YAML::Key << f.name << YAML::Value << o.faults.*f.weight;
  }
  e << YAML::EndMap;
  e << YAML::Key << "fault_per_tick" << YAML::Value << ratio(o.fault_per_tick);
  e << YAML::Key << "write_per_tick" << YAML::Value << ratio(o.write_per_tick);
  e << YAML::Key << "swarm" << YAML::Value << o.swarm;
  e << YAML::Key << "generation" << YAML::Value << YAML::Flow << YAML::BeginMap;
  e << YAML::Key << "crash_points" << YAML::Value << o.generation.crash_points;
  e << YAML::Key << "xid_bounds" << YAML::Value << o.generation.xid_bounds;
  e << YAML::Key << "backfill_after_slot_loss" << YAML::Value
    << o.generation.backfill_after_slot_loss;
  e << YAML::EndMap;
}

}  // namespace

std::string scenario_yaml(const Scenario& sc) {
  const sim::WorldOptions& o = sc.options;
  const std::vector<TableSchema> tables = o.tables.empty() ? sim::demo_schemas() : o.tables;
  YAML::Emitter e;
  e.SetIndent(2);
  e << YAML::BeginMap;
  e << YAML::Key << "name" << YAML::Value << sc.name;
  if (!sc.description.empty()) e << YAML::Key << "description" << YAML::Value << sc.description;
  e << YAML::Key << "seed" << YAML::Value << o.seed;
  e << YAML::Key << "start_xid" << YAML::Value << o.start_xid.value();
  emit_tables(e, tables);
  if (!o.bindings.empty()) emit_bindings(e, o.bindings);
  e << YAML::Key << "materialization" << YAML::Value << YAML::Flow << YAML::BeginMap;
  e << YAML::Key << "enabled" << YAML::Value << o.materialize;
  e << YAML::Key << "strategy" << YAML::Value << name_of(strategy_names(), o.strategy);
  e << YAML::Key << "keep_existing_on_backfill" << YAML::Value << o.keep_existing_on_backfill;
  e << YAML::Key << "txns_per_commit" << YAML::Value << o.materialization_txns_per_commit;
  e << YAML::EndMap;
  if (o.retention_ticks) e << YAML::Key << "retention_ticks" << YAML::Value << *o.retention_ticks;
  if (o.max_slot_wal_keep_size_bytes) {
    e << YAML::Key << "max_slot_wal_keep_size_bytes" << YAML::Value
      << *o.max_slot_wal_keep_size_bytes;
  }
  e << YAML::Key << "chunk_size" << YAML::Value << o.capture.chunk_size;
  e << YAML::Key << "capture" << YAML::Value << YAML::Flow << YAML::BeginMap;
  if (o.capture.read_only) e << YAML::Key << "read_only" << YAML::Value << true;
  if (o.capture.algorithm != CaptureAlgorithm::kEstuary) {
    e << YAML::Key << "algorithm" << YAML::Value
      << sim::name_of(sim::algorithm_names(), o.capture.algorithm);
  }
  e << YAML::Key << "keyless_blocks_per_chunk" << YAML::Value << o.capture.keyless_blocks_per_chunk;
  e << YAML::Key << "keyless_slack_blocks" << YAML::Value << o.capture.keyless_slack_blocks;
  e << YAML::Key << "stream_txns_per_step" << YAML::Value << o.capture.stream_txns_per_step;
  e << YAML::Key << "steps_per_tick" << YAML::Value << o.capture_steps_per_tick;
  e << YAML::EndMap;
  e << YAML::Key << "ticks" << YAML::Value << YAML::Flow << YAML::BeginMap;
  e << YAML::Key << "safety" << YAML::Value << o.safety_ticks;
  e << YAML::Key << "liveness_max" << YAML::Value << o.liveness_ticks_max;
  e << YAML::EndMap;
  if (!o.script.empty()) emit_operations(e, o, tables);
  if (o.schedule) {
    emit_schedule(e, *o.schedule, o, tables);
  } else {
    emit_generator(e, o);
  }
  if (!sc.expect.holds.empty() || !sc.expect.violated.empty()) {
    e << YAML::Key << "expect" << YAML::Value << YAML::BeginMap;
    if (!sc.expect.holds.empty())
      e << YAML::Key << "holds" << YAML::Value << YAML::Flow << sc.expect.holds;
    if (!sc.expect.violated.empty())
      e << YAML::Key << "violated" << YAML::Value << YAML::Flow << sc.expect.violated;
    e << YAML::EndMap;
  }
  e << YAML::EndMap;
  CDC_ASSERT(e.good(), "the scenario emitter failed");
  return std::string(e.c_str()) + "\n";
}

}  // namespace cdc::scenarios
