// Runs the decision-table scenarios for the "which backfill should I use"
// page (reports/which_backfill.h): for each row of the documentation's "If I
// want to... Then I should..." table, every alternative scenario file at the
// same seeds (the first seed is the documented file's own), in parallel,
// each run's costs (history::Costs) and verdicts collected in a fixed order.
//
// Same world: the alternatives of a row share tables, workload settings and
// ticks and differ only in their backfill operations. Each run's source
// workload (every change to a captured table, by tick) is digested so the
// page can show that the alternatives wrote the same rows.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "reports/which_backfill.h"

namespace cdc::campaign {

struct DecisionAlternative {
  std::string file;   // a file of the catalogue directory
  std::string label;  // what the user does, e.g. "capture backfill (every binding)"
  bool documented = false;
  bool no_backfill = false;  // run the file with its backfill operations removed
};

struct DecisionRow {
  uint32_t row = 0;
  std::string want, should, note;
  std::vector<DecisionAlternative> alternatives;
};

// The ten rows of the documentation's table with the catalogue's files.
const std::vector<DecisionRow>& decision_rows();

struct WhichBackfillOptions {
  std::string catalogue_dir;                      // where the files are
  std::string shown_dir = "scenarios/catalogue";  // how the page names their folder
  std::vector<DecisionRow> rows;
  uint64_t seeds = 5;  // per alternative
  uint32_t jobs = 1;
  std::string command;
};

// An error message when a file does not load. REQUIRES: seeds >= 1.
std::variant<reports::WhichBackfillPage, std::string> which_backfill(const WhichBackfillOptions& o);

// The digest of a history's source workload: every change of a captured
// table (tick, table, key, after image), in commit order, as hex.
std::string workload_digest(const history::History& h);

}  // namespace cdc::campaign
