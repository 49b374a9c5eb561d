// Scenario files: strict loading with file:line:column errors, ranges drawn
// from the seed, and the catalogue meeting its own expectations.
#include "scenarios/loader.h"

#include "scenarios/expect.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "properties/checkers.h"

namespace cdc::scenarios {
namespace {

LoadError error_of(const std::string& yaml) {
  const LoadResult r = load_scenario_text(yaml, "test.yaml");
  EXPECT_TRUE(std::holds_alternative<LoadError>(r)) << yaml;
  return std::holds_alternative<LoadError>(r) ? std::get<LoadError>(r) : LoadError{};
}

TEST(LoaderTest, UnknownKeySuggestsTheNearestAndPointsAtIt) {
  const LoadError e = error_of("name: x\nbindngs:\n  - {table: accounts}\n");
  EXPECT_EQ(e.line, 2);
  EXPECT_EQ(e.column, 1);
  EXPECT_NE(e.message.find("unknown key \"bindngs\""), std::string::npos);
  EXPECT_NE(e.message.find("did you mean \"bindings\"?"), std::string::npos);
  EXPECT_EQ(e.to_string().rfind("test.yaml:2:1: ", 0), 0u);
}

TEST(LoaderTest, WrongTypesAndOutOfRangeValues) {
  EXPECT_NE(error_of("chunk_size: lots\n").message.find("must be an integer"), std::string::npos);
  const LoadError range = error_of("chunk_size: 0\n");
  EXPECT_NE(range.message.find("between 1 and 100000"), std::string::npos);
  EXPECT_EQ(range.line, 1);
  EXPECT_EQ(range.column, 13);
  EXPECT_NE(error_of("swarm: maybe\n").message.find("true or false"), std::string::npos);
  EXPECT_NE(error_of("fault_per_tick: 3/2\n").message.find("not a probability"), std::string::npos);
  EXPECT_NE(error_of("initial_rows: [9, 3]\n").message.find("empty"), std::string::npos);
  EXPECT_NE(
      error_of("materialization: {strategy: upsert}\n").message.find("unknown value \"upsert\""),
      std::string::npos);
}

// initial_load names how the rows are written; a wrong name is refused where
// it is written, and a scenario with an explicit schedule cannot have it.
TEST(LoaderTest, InitialLoadIsWorkloadOrBulk) {
  const LoadResult bulk = load_scenario_text("initial_load: bulk\n", "bulk.yaml");
  ASSERT_TRUE(std::holds_alternative<Scenario>(bulk));
  EXPECT_EQ(std::get<Scenario>(bulk).options.initial_load, sim::WorldOptions::InitialLoad::kBulk);
  const LoadResult plain = load_scenario_text("name: x\n", "plain.yaml");
  ASSERT_TRUE(std::holds_alternative<Scenario>(plain));
  EXPECT_EQ(std::get<Scenario>(plain).options.initial_load,
            sim::WorldOptions::InitialLoad::kWorkload);
  const LoadError wrong = error_of("name: x\ninitial_load: copy\n");
  EXPECT_EQ(wrong.line, 2);
  EXPECT_EQ(wrong.column, 15);
  EXPECT_NE(wrong.message.find("unknown value \"copy\""), std::string::npos);
}

// A table of 10 million rows loads; a value past the rows a run can hold in
// memory is refused where it is written, also as a product over the tables.
TEST(LoaderTest, TenMillionRowsLoadAndMoreThanMemoryHoldsIsRefused) {
  const std::string one_table =
      "tables:\n  - name: big\n    columns:\n      - {name: id, type: int64}\n"
      "    primary_key: [id]\nbindings:\n  - {table: big}\n";
  const LoadResult ok = load_scenario_text(one_table + "initial_rows: 10000000\n", "big.yaml");
  ASSERT_TRUE(std::holds_alternative<Scenario>(ok));
  EXPECT_EQ(std::get<Scenario>(ok).options.initial_rows, 10'000'000u);

  const LoadError absurd = error_of(one_table + "initial_rows: 1000000000000\n");
  EXPECT_EQ(absurd.line, 8);
  EXPECT_EQ(absurd.column, 15);
  EXPECT_NE(absurd.message.find("between 0 and 20000000"), std::string::npos);

  // Three demo tables of 10 million rows each: 30 million in all.
  const LoadError product = error_of("initial_rows: 10000000\n");
  EXPECT_EQ(product.line, 1);
  EXPECT_NE(product.message.find("3 tables exceed the 20000000 rows"), std::string::npos);
}

TEST(LoaderTest, ReferencesToMissingTablesBindingsAndProperties) {
  const LoadError t = error_of("bindings:\n  - {table: acounts}\n");
  EXPECT_NE(t.message.find("no table named \"acounts\" (did you mean \"accounts\"?)"),
            std::string::npos);
  EXPECT_EQ(t.line, 2);
  const LoadError b = error_of(
      "bindings:\n  - {table: accounts}\noperations:\n  - {at: 5, do: capture_backfill, bindings: "
      "[tags]}\n");
  EXPECT_NE(b.message.find("no binding for table \"tags\""), std::string::npos);
  EXPECT_EQ(b.line, 4);
  EXPECT_NE(
      error_of("expect: {holds: [convergance]}\n").message.find("did you mean \"convergence\""),
      std::string::npos);
  EXPECT_NE(
      error_of("operations:\n  - {at: 5, do: reboot}\n").message.find("unknown value \"reboot\""),
      std::string::npos);
  EXPECT_NE(
      error_of(
          "tables:\n  - name: t\n    columns: [{name: a, type: int64}]\n    primary_key: [b]\n")
          .message.find("missing column \"b\""),
      std::string::npos);
}

TEST(LoaderTest, ReadOnlyBelongsToDebeziumOnly) {
  const LoadError e = error_of("capture: {algorithm: flink, read_only: true}\n");
  EXPECT_NE(e.message.find("read_only applies to the debezium algorithm only"), std::string::npos);
  EXPECT_EQ(e.line, 1);
  EXPECT_EQ(e.column, 40);
  EXPECT_NE(
      error_of("capture: {algorithm: debezium, read_only: often}\n").message.find("true or false"),
      std::string::npos);
  const LoadResult ok =
      load_scenario_text("capture: {algorithm: debezium, read_only: true}\n", "test.yaml");
  EXPECT_FALSE(std::holds_alternative<LoadError>(ok));
}

TEST(LoaderTest, MalformedYamlAndUnreadableFiles) {
  const LoadError e = error_of("name: [unclosed\n");
  EXPECT_GT(e.line, 0);
  EXPECT_EQ(error_of("- just\n- a list\n").message, "a scenario must be a mapping of keys");
  const LoadResult missing = load_scenario_file("/nonexistent/scenario.yaml");
  ASSERT_TRUE(std::holds_alternative<LoadError>(missing));
  EXPECT_EQ(std::get<LoadError>(missing).message, "cannot read the file");
}

TEST(LoaderTest, RangesAreDrawnFromTheSeed) {
  const std::string yaml = "seed: 7\ninitial_rows: [1, 1000]\nticks: {safety: [10, 500]}\n";
  const Scenario a = std::get<Scenario>(load_scenario_text(yaml, "r.yaml"));
  const Scenario b = std::get<Scenario>(load_scenario_text(yaml, "r.yaml"));
  EXPECT_EQ(a.options.initial_rows, b.options.initial_rows);
  EXPECT_EQ(a.options.safety_ticks, b.options.safety_ticks);
  EXPECT_GE(a.options.initial_rows, 1u);
  EXPECT_LE(a.options.initial_rows, 1000u);
  bool differs = false;
  for (uint64_t s = 1; s < 20 && !differs; ++s) {
    const Scenario c = std::get<Scenario>(load_scenario_text(yaml, "r.yaml", s));
    differs = c.options.initial_rows != a.options.initial_rows;
  }
  EXPECT_TRUE(differs);
}

TEST(LoaderTest, ExplicitTablesBindingsAndOperations) {
  const Scenario sc = std::get<Scenario>(load_scenario_text(R"(
name: custom
seed: 3
tables:
  - name: orders
    columns:
      - {name: id, type: int64}
      - {name: sku, type: text, collation: locale}
    primary_key: [id, sku]
    replica_identity: full
bindings:
  - {table: orders, mode: Precise, priority: 2}
operations:
  - {at: 50, do: stall_capture, ticks: 10}
  - {at: 20, do: capture_backfill, mode: OnlyChanges}
expect: {holds: [exactly_once]}
)",
                                                            "c.yaml"));
  ASSERT_EQ(sc.options.tables.size(), 1u);
  EXPECT_EQ(sc.options.tables[0].primary_key, (std::vector<uint32_t>{0, 1}));
  EXPECT_EQ(sc.options.tables[0].columns[1].collation, Collation::kLocale);
  EXPECT_EQ(sc.options.bindings[0].mode, BackfillMode::kPrecise);
  ASSERT_EQ(sc.options.script.size(), 2u);
  EXPECT_EQ(sc.options.script[0].tick, 20u);  // sorted by tick
  EXPECT_EQ(sc.options.script[1].ticks, 10u);
  EXPECT_EQ(sc.expect.holds, std::vector<std::string>{"exactly_once"});
}

// Every scenario file in `dir` loads and meets its own expectations; returns
// how many there were.
size_t expect_files_meet_expectations(const std::string& dir) {
  size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".yaml") continue;
    ++files;
    const LoadResult r = load_scenario_file(entry.path().string());
    EXPECT_TRUE(std::holds_alternative<Scenario>(r)) << std::get<LoadError>(r).to_string();
    if (!std::holds_alternative<Scenario>(r)) continue;
    const Scenario& sc = std::get<Scenario>(r);
    const sim::RunResult run = sim::run_world(sc.options);
    for (const properties::Verdict& v : properties::check_all(run.history)) {
      const ExpectCheck c = check_expectation(sc.expect, v);
      EXPECT_TRUE(c.met) << sc.name << ": " << c.message;
    }
  }
  return files;
}

TEST(CatalogueTest, EveryScenarioMeetsItsExpectations) {
  EXPECT_GE(expect_files_meet_expectations(CDCSIM_SOURCE_DIR "/scenarios/catalogue"), 5u);
}

// The shrunk schedules of docs/findings still show what the findings say.
TEST(CatalogueTest, EveryFindingStillReproduces) {
  EXPECT_GE(expect_files_meet_expectations(CDCSIM_SOURCE_DIR "/docs/findings"), 11u);
}

}  // namespace
}  // namespace cdc::scenarios
