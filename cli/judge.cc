// `cdcsim judge HISTORY.jsonl`: judges a history recorded outside the harness
// (docs/history-format/README.md) with every checker it can support; the
// others say unknown. Exit 0 when no property is violated, 1 when one is, 2
// when the file cannot be read (the error names its line and column).
#include <fmt/core.h>

#include "cli/commands.h"
#include "outside/history_reader.h"
#include "outside/support.h"

namespace cdc::cli {

namespace {

struct JudgeArgs {
  std::string file;
};

void print_summary(const outside::OutsideHistory& o) {
  const history::History& h = o.history;
  size_t docs = 0;
  for (const history::CollectionTxn& t : h.collection_txns)
    docs += t.docs.size();
  fmt::print(
      "{} records: {} tables, {} bindings, {} materializations; {} source commits, {} collection "
      "documents in {} transactions, {} destination transactions{}; drained: {}\n",
      o.lines, o.tables.size(), h.bindings.size(), h.materializations.size(),
      h.source_commits.size(), docs, h.collection_txns.size(), h.destination_txns.size(),
      o.has_destination_dump ? ", destination dumps" : "",
      h.drain.reached ? "at " + to_string(h.drain.source_flush_lsn) : std::string("no"));
}

}  // namespace

int judge_history_file(const std::string& file) {
  Result<outside::OutsideHistory> read = outside::read_outside_history_file(file);
  if (!read.is_ok()) return bad_input(read.error().message);
  const outside::OutsideHistory& o = read.value();
  print_summary(o);
  const std::vector<properties::Verdict> verdicts = outside::judge_outside(o.history);
  size_t violated = 0;
  for (const properties::Verdict& v : verdicts) {
    fmt::print("  {:<28} {}", v.property, properties::to_string(v.outcome));
    if (!v.holds() && !v.violated()) fmt::print("  ({})", v.explanation);
    fmt::print("\n");
    if (!v.violated()) continue;
    ++violated;
    fmt::print("      {}\n", v.explanation);
    for (const std::string& w : v.witness)
      fmt::print("      - {}\n", w);
  }
  if (violated > 0) {
    fmt::print("{} properties violated by {}\n", violated, file);
    return 1;
  }
  fmt::print("no property violated by {}\n", file);
  return 0;
}

namespace {

int judge(const JudgeArgs& a) {
  return judge_history_file(a.file);
}

}  // namespace

Command add_judge(CLI::App& app) {
  auto a = std::make_shared<JudgeArgs>();
  CLI::App* c = app.add_subcommand(
      "judge",
      "Judge a history recorded outside the harness (JSON lines, docs/history-format) with "
      "every checker it supports; the others say unknown");
  c->add_option("history", a->file, "The history file (JSON lines; - for standard input)")
      ->required();
  return {c, [a] { return judge(*a); }};
}

}  // namespace cdc::cli
