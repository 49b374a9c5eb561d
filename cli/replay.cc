#include "cli/replay.h"

#include <fmt/core.h>

#include <algorithm>
#include <variant>

#include "cli/target.h"

namespace cdc::cli {

namespace {

std::string hex(const std::string& bytes) {
  std::string out = "0x";
  for (unsigned char c : bytes)
    out += fmt::format("{:02x}", c);
  return out;
}

std::string row_or_absent(const std::optional<Row>& r) {
  return r ? to_string(*r) : "absent";
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
      lines.push_back(
          {c.tick, fmt::format("source  commit xid {} at {}: table {} key {}: {} -> {}",
                               c.xid.value(), to_string(c.commit_lsn), k.table, hex(k.key),
                               row_or_absent(k.before), row_or_absent(k.after))});
    }
  }
  for (const auto& d : h.decoded) {
    lines.push_back({d.tick, fmt::format("decode  xid {} commit {}: {} changes", d.xid.value(),
                                         to_string(d.commit_lsn), d.changes)});
  }
  for (const auto& c : h.chunks) {
    std::string keys;
    for (const auto& r : c.rows)
      keys += " " + hex(r.key) + (r.emitted ? "" : "(filtered)");
    lines.push_back(
        {c.tick, fmt::format("chunk   {} after {} snapshot {}{}{}:{}", c.state_key,
                             c.after ? hex(*c.after) : "start", to_string(c.snapshot_lsn),
                             c.failed ? " failed" : "", c.final_chunk ? " final" : "", keys)});
  }
  for (const auto& t : h.collection_txns) {
    for (const auto& d : t.docs) {
      lines.push_back(
          {t.tick, fmt::format("collect txn {} {} key {} op {} lsn {}{} {}", t.seq, d.state_key,
                               hex(d.key), static_cast<char>(d.op), to_string(d.lsn),
                               d.snapshot ? " snapshot" : "", to_string(d.fields))});
    }
    lines.push_back({t.tick, fmt::format("collect txn {} commits, checkpoint cursor {}", t.seq,
                                         to_string(t.checkpoint_cursor))});
  }
  for (const auto& t : h.destination_txns) {
    for (const auto& r : t.upserts) {
      lines.push_back({t.tick, fmt::format("dest    binding {}{} upsert {} op {} {}", t.binding,
                                           t.truncated_first ? " (after truncate)" : "", hex(r.key),
                                           static_cast<char>(r.op), to_string(r.fields))});
    }
    for (const auto& k : t.deletes) {
      lines.push_back({t.tick, fmt::format("dest    binding {} delete {}", t.binding, hex(k))});
    }
  }
  for (const auto& e : h.events)
    lines.push_back({e.tick, "event   " + e.what});
  std::stable_sort(lines.begin(), lines.end(),
                   [](const Line& a, const Line& b) { return a.tick < b.tick; });
  for (const Line& l : lines)
    fmt::print("tick {:>6}  {}\n", l.tick, l.text);
}

int run_replay(const ReplayArgs& a) {
  std::variant<Target, std::string> loaded = command_target(a.file, a.cell, a.seed);
  if (const auto* err = std::get_if<std::string>(&loaded)) {
    fmt::print(stderr, "error: {}\n", *err);
    return 2;
  }
  const Target& t = std::get<Target>(loaded);
  fmt::print("{}\n", t.replay_command());
  const sim::RunResult r = sim::run_world(t.options);
  const history::History& h = r.history;
  if (a.trace) print_trace(h);
  fmt::print("source commits: {}; collection txns: {}; destination txns: {}; drained: {}\n",
             h.source_commits.size(), h.collection_txns.size(), h.destination_txns.size(),
             h.drain.reached ? "yes" : "no");
  for (const Finding& f : judge(t, h)) {
    fmt::print("  {} {}: {}\n", f.unexpected ? "FAILED " : "allowed", f.verdict.property, f.why);
    if (f.verdict.violated()) fmt::print("      {}\n", f.verdict.explanation);
    for (const std::string& w : f.verdict.witness)
      fmt::print("      - {}\n", w);
  }
  fmt::print("fingerprint: {}\n", r.fingerprint);
  if (a.fingerprint.empty()) return 0;
  if (a.fingerprint != r.fingerprint) {
    fmt::print("NOT reproduced: expected fingerprint {}\n", a.fingerprint);
    return 1;
  }
  fmt::print("reproduced bit for bit\n");
  return 0;
}

}  // namespace cdc::cli
