// Conformance workloads: explicit steps with concrete values that both the
// model and PostgreSQL run.
//
// A step is a session's statement (sim::Statement: begin, commit, abort,
// savepoint, rollback to / release of the innermost savepoint, insert,
// update by key or by old values, delete, TRUNCATE) or a maintenance command
// run outside any transaction (VACUUM FREEZE, VACUUM FULL of one table).
//
// The tables (conformance_schemas):
//   accounts(id bigint PK, balance bigint, note text TOASTable)   DEFAULT
//   tags(name text COLLATE locale, region text COLLATE "C", n bigint,
//        note text TOASTable, PK (name, region))                   FULL
//   codes(code text COLLATE "C" PK, v bigint)                      DEFAULT or FULL
//   events(payload text, n bigint), no primary key                 DEFAULT or FULL
// (the two identities drawn from the seed). A TOASTable value is either short
// ("v<n>") or `toast_bytes` random lowercase letters: long and incompressible,
// so PostgreSQL stores it out of line (its threshold is ~2 kB; the model's
// toast_threshold_bytes is 2000) and no value falls between the two.
//
// Text keys are drawn from kKeyAlphabet, an alphabet on which the model's
// locale collation and PostgreSQL's ICU root collation ("und-x-icu") agree
// (see model/collation.h and tests/conformance/collation_test.cc).
//
// generate_workload() decides each step from the state of a model database it
// runs the steps on, as sim::SourceWorkload does (updates and deletes mostly
// name rows that exist, inserts keys that may collide; some updates and
// deletes pick a key blindly); PostgreSQL runs the same steps.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/schema.h"
#include "sim/prng.h"
#include "sim/schedule.h"

namespace cdc::conformance {

struct Step {
  enum class Kind : uint8_t { kStatement, kVacuumFreeze, kVacuumFull };
  Kind kind = Kind::kStatement;
  sim::Statement statement;  // kStatement
  uint32_t table = 0;        // kVacuumFreeze, kVacuumFull: index into the schemas

  bool operator==(const Step&) const = default;
};

struct WorkloadOptions {
  uint32_t steps = 60;
  uint32_t sessions = 3;
  int64_t key_space = 12;            // int keys: key_space values around 0 (negative too)
  uint32_t text_key_length_max = 2;  // text keys: 1..max symbols of kKeyAlphabet
  uint32_t toast_bytes = 3000;       // length of a TOASTed value
  sim::Ratio end_transaction{1, 5};  // an open transaction commits or aborts
  sim::Ratio abort_instead{1, 5};    // ... and aborts rather than commits
  sim::Ratio maintenance{1, 25};     // a VACUUM FREEZE / VACUUM FULL step
  sim::Ratio savepoint{1, 10};
  sim::Ratio rollback_to_savepoint{1, 3};
  sim::Ratio release_savepoint{1, 3};
  sim::Ratio truncate{1, 70};
  sim::Ratio key_change{1, 5};
  sim::Ratio blind_write{1, 12};  // UPDATE/DELETE of a random key, present or not
  sim::Ratio delete_row{1, 5};
  sim::Ratio toasted_value{1, 3};
  sim::Ratio keep_toasted_column{2, 3};
};

struct Workload {
  uint64_t seed = 0;
  WorkloadOptions options;
  std::vector<TableSchema> schemas;
  std::vector<Step> steps;
};

// The symbols text keys are made of (UTF-8 strings of one character each).
extern const std::vector<std::string> kKeyAlphabet;

// The workload tables; the REPLICA IDENTITY of codes and events from `prng`.
std::vector<TableSchema> conformance_schemas(sim::Prng& prng);

// A random key value for column `c` (int or text key alphabet).
Value random_key_value(const ColumnDef& c, const WorkloadOptions& o, sim::Prng& prng);

Workload generate_workload(uint64_t seed, const WorkloadOptions& options);

// One line per step for reports, e.g.
//   "s1 UPDATE accounts SET (3,-5,'v7') WHERE key (3)", "VACUUM FULL tags".
std::string to_string(const Step& step, const std::vector<TableSchema>& schemas);

}  // namespace cdc::conformance
