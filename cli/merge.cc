// `cdcsim merge REPORT.json… [--out-dir D] [--junit F]`: combines the
// explore.json reports of `cdcsim explore --shard I/N` runs (every I from 0
// to N-1, the same files, cells, seeds and mutant) into the report one
// unsharded exploration would have written, in every format, and exits as
// that explore would: 0, 1 when some run failed, 2 on bad input.
#include <fmt/core.h>

#include <fstream>
#include <sstream>

#include "campaign/merge.h"
#include "campaign/report_files.h"
#include "cli/commands.h"

namespace cdc::cli {

namespace {

struct MergeArgs {
  std::vector<std::string> reports;
  std::string out_dir = "out";
  std::string junit;
};

std::variant<campaign::NamedReport, std::string> read(const std::string& path) {
  std::ifstream in(path);
  if (!in) return path + ": cannot read";
  std::stringstream text;
  text << in.rdbuf();
  std::variant<reports::ExploreReport, std::string> r = campaign::read_report(text.str(), path);
  if (const auto* err = std::get_if<std::string>(&r)) return *err;
  return campaign::NamedReport{path, std::get<reports::ExploreReport>(std::move(r))};
}

int merge(const MergeArgs& a) {
  std::vector<campaign::NamedReport> shards;
  std::string command = "cdcsim merge";
  for (const std::string& path : a.reports) {
    std::variant<campaign::NamedReport, std::string> r = read(path);
    if (const auto* err = std::get_if<std::string>(&r)) return bad_input(*err);
    shards.push_back(std::get<campaign::NamedReport>(std::move(r)));
    command += " " + path;
  }
  std::variant<reports::ExploreReport, std::string> m = campaign::merge_reports(shards, command);
  if (const auto* err = std::get_if<std::string>(&m)) return bad_input(*err);
  fmt::print("{}: {} shards\n", command, shards.size());
  return finish_report(std::get<reports::ExploreReport>(m), a.out_dir, a.junit);
}

}  // namespace

Command add_merge(CLI::App& app) {
  auto a = std::make_shared<MergeArgs>();
  CLI::App* c = app.add_subcommand(
      "merge", "Combine the explore.json reports of explore --shard I/N runs into one report");
  c->add_option("REPORT", a->reports, "explore.json of each shard")->required();
  c->add_option("--out-dir", a->out_dir, "Where the merged report goes")->capture_default_str();
  c->add_option("--junit", a->junit, "Also write the merged report as JUnit XML");
  return {c, [a] { return merge(*a); }};
}

}  // namespace cdc::cli
