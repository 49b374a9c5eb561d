// `cdcsim costs [--seeds N] [--jobs J] [--out DIR] [--catalogue DIR]
// [--row R]...`: runs the decision-table scenarios (campaign/which_backfill.h)
// and writes the "which backfill should I use" page: DIR/README.md and
// DIR/costs.json (every run's numbers). Exit 0, or 2 on bad input or when a
// file cannot be written. The page holds no timing: the same catalogue and
// seeds give the same bytes.
#include <fmt/core.h>

#include <algorithm>
#include <filesystem>

#include "campaign/which_backfill.h"
#include "cli/commands.h"
#include "reports/atomic_file.h"

namespace cdc::cli {

namespace {

struct CostsArgs {
  uint64_t seeds = 5;
  uint32_t jobs = 1;
  std::string out = "docs/which-backfill";
  std::string catalogue = "scenarios/catalogue";
  std::vector<uint32_t> rows;  // empty: all
};

int costs(const CostsArgs& a) {
  if (a.seeds == 0 || a.jobs == 0) return bad_input("--seeds and --jobs must be at least 1");
  campaign::WhichBackfillOptions o;
  o.catalogue_dir = a.catalogue;
  o.seeds = a.seeds;
  o.jobs = a.jobs;
  o.command = fmt::format("cdcsim costs --seeds {}", a.seeds);
  for (const campaign::DecisionRow& r : campaign::decision_rows()) {
    if (a.rows.empty() || std::find(a.rows.begin(), a.rows.end(), r.row) != a.rows.end())
      o.rows.push_back(r);
  }
  if (o.rows.empty()) return bad_input("--row names no row of the table (1-10)");
  for (uint32_t r : a.rows)
    o.command += fmt::format(" --row {}", r);
  std::variant<reports::WhichBackfillPage, std::string> page = campaign::which_backfill(o);
  if (const auto* err = std::get_if<std::string>(&page)) return bad_input(*err);
  const reports::WhichBackfillPage& p = std::get<reports::WhichBackfillPage>(page);
  std::error_code ec;
  std::filesystem::create_directories(a.out, ec);
  if (ec) return bad_input(a.out + ": " + ec.message());
  for (const auto& [name, text] : {std::pair{"README.md", reports::which_backfill_markdown(p)},
                                   std::pair{"costs.json", reports::which_backfill_json(p)}}) {
    if (Status st = reports::write_file_atomically(a.out + "/" + name, text); !st.is_ok())
      return bad_input(st.message());
  }
  for (const reports::DecisionRowRuns& r : p.rows) {
    fmt::print("row {}: {} alternatives, same workload: {}\n", r.row, r.alternatives.size(),
               reports::same_workloads(r) ? "yes" : "NO");
  }
  fmt::print("wrote {}/README.md and {}/costs.json\n", a.out, a.out);
  return 0;
}

}  // namespace

Command add_costs(CLI::App& app) {
  auto a = std::make_shared<CostsArgs>();
  CLI::App* c = app.add_subcommand(
      "costs",
      "Run the decision-table scenarios and write the 'which backfill should I use' page "
      "(what each backfill costs: rows read, documents, destination writes, downtime, "
      "duplicates, and which properties hold)");
  c->add_option("--seeds", a->seeds, "Seeds per scenario, from the row's first file's seed")
      ->capture_default_str();
  c->add_option("--jobs", a->jobs, "Runs in parallel")->capture_default_str();
  c->add_option("--out", a->out, "Directory for README.md and costs.json")->capture_default_str();
  c->add_option("--catalogue", a->catalogue, "Directory of the scenario files")
      ->capture_default_str();
  c->add_option("--row", a->rows, "Only these rows of the table (repeatable)");
  return {c, [a] { return costs(*a); }};
}

}  // namespace cdc::cli
