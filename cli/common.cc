#include <fmt/core.h>

#include <algorithm>
#include <map>
#include <utility>

#include "campaign/report_files.h"
#include "cli/commands.h"
#include "model/mutants.h"
#include "properties/helpers.h"

namespace cdc::cli {

namespace {

std::string hex(std::string_view bytes) {
  std::string out = "0x";
  for (unsigned char c : bytes)
    out += fmt::format("{:02x}", c);
  return out;
}

std::string row_or_absent(const std::optional<SharedRow>& r) {
  return r ? to_string(*r) : "absent";
}

}  // namespace

namespace {

// Keys as typed values (properties/helpers.h), found through their binding.
std::string typed(const history::History& h, uint32_t binding, std::string_view key) {
  return properties::detail::render_key(h, binding, key);
}

uint32_t capture_binding(const history::History& h, uint32_t materialization_binding) {
  for (const auto& m : h.materializations) {
    if (m.id == materialization_binding) return m.capture_binding;
  }
  return UINT32_MAX;
}

std::string table_key(const history::History& h, uint32_t table, std::string_view key) {
  for (const auto& b : h.bindings) {
    if (b.table_id == table) return typed(h, b.id, key);
  }
  return hex(key);
}

// A chunk's cursor is an order key; the row of an earlier chunk of the same
// binding that ended there gives its typed value.
// The keys the chunks read, by binding and order key: a chunk's cursor is the
// order key of a row some chunk of its binding read.
using CursorKeys = std::map<std::pair<uint32_t, history::DbOrderKey>, std::string>;

CursorKeys cursor_keys(const history::History& h) {
  CursorKeys out;
  for (const auto& c : h.chunks) {
    for (size_t i = 0; i < c.rows.size(); ++i)
      out.emplace(std::make_pair(c.binding, c.order_key(i)), typed(h, c.binding, c.rows[i].key));
  }
  return out;
}

std::string cursor_key(const CursorKeys& keys, const history::Chunk& c,
                       const history::DbOrderKey& order_key) {
  auto it = keys.find({c.binding, order_key});
  return it == keys.end() ? hex(order_key) : it->second;
}

}  // namespace

void print_trace(const history::History& h) {
  struct Line {
    uint64_t tick;
    std::string text;
  };
  std::vector<Line> lines;
  for (const auto& c : h.source_commits) {
    for (const auto& k : c.changes) {
      lines.push_back({c.tick, fmt::format("source  commit xid {} at {}: table {} key {}: {} -> {}",
                                           c.xid.value(), to_string(c.commit_lsn), k.table,
                                           table_key(h, k.table, k.key), row_or_absent(k.before),
                                           row_or_absent(k.after))});
    }
  }
  for (const auto& d : h.decoded) {
    lines.push_back({d.tick, fmt::format("decode  xid {} commit {}: {} changes", d.xid.value(),
                                         to_string(d.commit_lsn), d.changes)});
  }
  const CursorKeys cursors = cursor_keys(h);
  for (const auto& c : h.chunks) {
    std::string keys;
    for (const auto& r : c.rows)
      keys += " " + typed(h, c.binding, r.key) + (r.emitted ? "" : "(filtered)");
    lines.push_back({c.tick, fmt::format("chunk   {} after {} snapshot {}{}{}:{}", c.state_key,
                                         c.after ? cursor_key(cursors, c, *c.after) : "start",
                                         to_string(c.snapshot_lsn), c.failed ? " failed" : "",
                                         c.final_chunk ? " final" : "", keys)});
  }
  for (const auto& t : h.collection_txns) {
    for (const auto& d : t.docs) {
      lines.push_back({t.tick, fmt::format("collect txn {} {} key {} op {} lsn {}{} {}", t.seq,
                                           d.state_key.str(), typed(h, d.binding, d.key),
                                           static_cast<char>(d.op), to_string(d.lsn),
                                           d.snapshot ? " snapshot" : "", to_string(d.fields))});
    }
    lines.push_back({t.tick, fmt::format("collect txn {} commits, checkpoint cursor {}", t.seq,
                                         to_string(t.checkpoint_cursor))});
  }
  for (const auto& t : h.destination_txns) {
    for (const auto& r : t.upserts) {
      lines.push_back({t.tick, fmt::format("dest    binding {}{} upsert {} op {} {}", t.binding,
                                           t.truncated_first ? " (after truncate)" : "",
                                           typed(h, capture_binding(h, t.binding), r.key),
                                           static_cast<char>(r.op), to_string(r.fields))});
    }
    for (const auto& k : t.deletes) {
      lines.push_back({t.tick, fmt::format("dest    binding {} delete {}", t.binding,
                                           typed(h, capture_binding(h, t.binding), k))});
    }
  }
  for (const auto& e : h.events)
    lines.push_back({e.tick, "event   " + e.what});
  std::stable_sort(lines.begin(), lines.end(),
                   [](const Line& a, const Line& b) { return a.tick < b.tick; });
  for (const Line& l : lines)
    fmt::print("tick {:>6}  {}\n", l.tick, l.text);
}

int finish_report(const reports::ExploreReport& r, const std::string& out_dir,
                  const std::string& junit) {
  if (const Status st = campaign::write_report(r, out_dir, junit); !st.is_ok()) {
    return bad_input(st.message());
  }
  fmt::print("{}", reports::situations_text(r.situations));
  fmt::print(
      "{} of {} planned runs in {:.1f}s ({:.0f} runs/s), {} failed; wrote "
      "{}/explore.{{json,md,html}}{}\n",
      r.runs, r.planned, r.seconds, r.seconds > 0 ? static_cast<double>(r.runs) / r.seconds : 0.0,
      r.failed_runs, out_dir, junit.empty() ? "" : " and " + junit);
  for (const reports::ReportCase& c : r.cases) {
    fmt::print("{}: {}\n  {}\n", c.unexpected ? "FAILED" : "allowed", c.title, c.reproduce);
    if (!c.shrunk_path.empty()) {
      fmt::print("  shrunk {} -> {} steps in {:.2f}s: cdcsim run {}/{}\n", c.steps_before,
                 c.steps_after, c.shrink_seconds, out_dir, c.shrunk_path);
    }
  }
  size_t shown = 0;
  for (const reports::ReportCase& c : r.cases)
    shown += c.demo ? 0 : 1;
  for (size_t i = shown; i < r.failures.size(); ++i)
    fmt::print("FAILED: {}\n", r.failures[i].reproduce);
  return r.failed_runs ? 1 : 0;
}

int bad_input(const std::string& message) {
  fmt::print(stderr, "error: {}\n", message);
  return 2;
}

std::string unknown_mutant_message(const std::string& name) {
  std::string known;
  for (const MutantInfo& m : mutants())
    known += std::string(known.empty() ? "" : ", ") + m.name;
  return fmt::format("error: unknown mutant \"{}\"; known mutants: {}", name, known);
}

void add_mutant_option(CLI::App* app, std::string* name) {
  app->add_option("--mutant", *name,
                  "Switch on one seeded bug by name (model/mutants.h; an unknown name lists them)");
}

bool activate_mutant(const std::string& name) {
  if (name.empty()) return true;
  const std::optional<Mutant> m = mutant_named(name);
  if (!m) {
    fmt::print(stderr, "{}\n", unknown_mutant_message(name));
    return false;
  }
  set_active_mutant(*m);
  const MutantInfo& info = mutant_info(*m);
  fmt::print(stderr, "cdcsim: mutant {} is active ({}): {}\n", info.name, info.component,
             info.description);
  return true;
}

void add_target_options(CLI::App* app, TargetArgs* a) {
  app->add_option("FILE", a->file, "Scenario file (or use --cell)");
  app->add_option("--cell", a->cell,
                  "Matrix cell backfill/mode/strategy/faults, e.g. capture/Normal/merge/crashes");
  app->add_option("--seed", a->seed, "Seed (a file's own seed when absent)");
}

std::optional<campaign::Target> load_target(const TargetArgs& a) {
  std::variant<campaign::Target, std::string> t = campaign::command_target(a.file, a.cell, a.seed);
  if (const auto* err = std::get_if<std::string>(&t)) {
    bad_input(*err);
    return std::nullopt;
  }
  return std::get<campaign::Target>(std::move(t));
}

void print_run(const campaign::Target& t, const sim::RunResult& r, const campaign::Judgement& j) {
  const history::History& h = r.history;
  const sim::WorldOptions& o = t.options;
  fmt::print("{}\n", t.replay_command());
  fmt::print("{} tables, {} bindings, {} strategy, {} scripted operations, {} safety ticks\n",
             o.tables.size(), o.bindings.size(), to_string(o.strategy), o.script.size(),
             o.safety_ticks);
  fmt::print(
      "source commits: {}; collection txns: {}; destination txns: {}; chunks: {}; "
      "crashes: {}; drained: {}\n",
      h.source_commits.size(), h.collection_txns.size(), h.destination_txns.size(), h.chunks.size(),
      h.crashes, h.drain.reached ? "yes" : "no");
  std::string seen;
  for (properties::Situation s : j.seen)
    seen += std::string(seen.empty() ? "" : ", ") + properties::to_string(s);
  fmt::print("situations: {}\n", seen.empty() ? "none" : seen);
  for (const properties::Verdict& v : j.verdicts) {
    const campaign::Finding* f = j.finding_of(v.property);
    fmt::print("  {:<28} {}{}\n", v.property, properties::to_string(v.outcome),
               !f              ? ""
               : f->unexpected ? "  ** UNEXPECTED: " + f->why + " **"
                               : "  (" + f->why + ")");
    if (!v.violated()) continue;
    fmt::print("      {}\n", v.explanation);
    for (const std::string& w : v.witness)
      fmt::print("      - {}\n", w);
  }
  fmt::print("{}", reports::costs_text(h.costs));
  fmt::print("fingerprint: {}\n", r.fingerprint);
}

}  // namespace cdc::cli
