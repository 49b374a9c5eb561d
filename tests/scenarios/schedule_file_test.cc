// Scenario files with explicit schedules: the writer and the loader agree
// (every catalogue file survives write -> load with its fingerprint), shrunk
// schedules round-trip through YAML, and bad schedules are rejected with a
// position.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "properties/checkers.h"
#include "scenarios/loader.h"
#include "scenarios/writer.h"
#include "sim/shrink.h"

namespace cdc::scenarios {
namespace {

Scenario loaded(const LoadResult& r) {
  if (const auto* e = std::get_if<LoadError>(&r)) ADD_FAILURE() << e->to_string();
  return std::holds_alternative<Scenario>(r) ? std::get<Scenario>(r) : Scenario{};
}

LoadError error_of(const std::string& yaml) {
  const LoadResult r = load_scenario_text(yaml, "bad.yaml");
  EXPECT_TRUE(std::holds_alternative<LoadError>(r)) << yaml;
  return std::holds_alternative<LoadError>(r) ? std::get<LoadError>(r) : LoadError{};
}

std::vector<std::string> catalogue() {
  std::vector<std::string> files;
  for (const auto& e :
       std::filesystem::directory_iterator(CDCSIM_SOURCE_DIR "/scenarios/catalogue")) {
    if (e.path().extension() == ".yaml") files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

const properties::Verdict* verdict_of(const std::vector<properties::Verdict>& vs,
                                      const std::string& property) {
  for (const properties::Verdict& v : vs) {
    if (v.property == property) return &v;
  }
  return nullptr;
}

TEST(ScheduleFileTest, EveryCatalogueFileSurvivesWritingAndLoading) {
  for (const std::string& f : catalogue()) {
    const Scenario sc = loaded(load_scenario_file(f));
    const std::string text = scenario_yaml(sc);
    const Scenario back = loaded(load_scenario_text(text, f + " (written)"));
    EXPECT_EQ(sim::run_world(back.options).fingerprint, sim::run_world(sc.options).fingerprint)
        << f << "\n"
        << text;
    EXPECT_EQ(back.expect.holds, sc.expect.holds) << f;
    EXPECT_EQ(back.expect.violated, sc.expect.violated) << f;
  }
}

// A generated scenario with a bulk initial load keeps it through the writer.
TEST(ScheduleFileTest, ABulkInitialLoadIsWrittenAndReadBack) {
  const Scenario sc =
      loaded(load_scenario_text("initial_rows: 40\ninitial_load: bulk\n", "bulk.yaml"));
  const std::string text = scenario_yaml(sc);
  EXPECT_NE(text.find("initial_load: bulk"), std::string::npos) << text;
  const Scenario back = loaded(load_scenario_text(text, "bulk.yaml (written)"));
  EXPECT_EQ(back.options.initial_load, sim::WorldOptions::InitialLoad::kBulk);
  EXPECT_EQ(sim::run_world(back.options).fingerprint, sim::run_world(sc.options).fingerprint);
  const Scenario plain = loaded(load_scenario_text("initial_rows: 40\n", "plain.yaml"));
  EXPECT_EQ(scenario_yaml(plain).find("initial_load"), std::string::npos);
}

// load -> run -> shrink -> save -> load -> run: the same verdict and fingerprint.
TEST(ScheduleFileTest, AShrunkFailureRoundTripsThroughYaml) {
  const Scenario sc = loaded(load_scenario_file(
      CDCSIM_SOURCE_DIR "/scenarios/catalogue/slot-failure-recovery-loses-deletes.yaml"));
  auto violates = [](const sim::RunResult& r) {
    const auto vs = properties::check_all(r.history);
    return verdict_of(vs, "convergence")->violated();
  };
  ASSERT_TRUE(violates(sim::run_world(sc.options)));
  const sim::ShrinkResult s = sim::shrink(sc.options, violates);
  ASSERT_LT(s.steps_after, s.steps_before);
  Scenario shrunk;
  shrunk.name = "shrunk";
  shrunk.options = s.options;
  shrunk.expect.violated = {"convergence"};
  const Scenario back = loaded(load_scenario_text(scenario_yaml(shrunk), "shrunk.yaml"));
  ASSERT_TRUE(back.options.schedule.has_value());
  EXPECT_EQ(*back.options.schedule, *s.options.schedule);
  const sim::RunResult again = sim::run_world(back.options);
  EXPECT_EQ(again.fingerprint, s.run.fingerprint);
  const auto before = properties::check_all(s.run.history);
  const auto after = properties::check_all(again.history);
  EXPECT_EQ(verdict_of(after, "convergence")->explanation,
            verdict_of(before, "convergence")->explanation);
}

TEST(ScheduleFileTest, ScheduleStepsAreReadWithTheirValues) {
  const Scenario sc = loaded(load_scenario_text(R"(
bindings: [{table: accounts}, {table: events, mode: WithoutPrimaryKey}]
schedule:
  capture_choices: [1, 0]
  initial:
    - {session: 0, do: insert, table: accounts, row: [1, 10, "a"]}
  steps:
    - {at: 3, session: 1, do: update, table: accounts, key: [1], row: [1, 11, null]}
    - {at: 4, fault: xid_burn, amount: 1000}
    - {at: 2, session: 1, do: insert, table: events, row: ["p", 5]}
    - {at: 5, session: 1, do: delete, table: events, match: ["p", 5], ctid: [0, 1]}
    - {at: 6, session: 1, do: commit}
    - {at: 7, fault: backfill_one, binding: events}
)",
                                                "ok.yaml"));
  ASSERT_TRUE(sc.options.schedule.has_value());
  const sim::Schedule& s = *sc.options.schedule;
  ASSERT_EQ(s.statements.size(), 4u);
  EXPECT_EQ(s.statements[0].tick, 2u);  // sorted by tick
  EXPECT_EQ(s.statements[1].row[2], Value::null());
  EXPECT_EQ(s.statements[2].ctid, (Ctid{0, 1}));
  ASSERT_EQ(s.faults.size(), 2u);
  EXPECT_EQ(s.faults[0].amount, 1000u);
  EXPECT_EQ(s.faults[1].binding, 1u);
  EXPECT_EQ(s.capture_choices, (std::vector<uint32_t>{1, 0}));
  EXPECT_FALSE(sim::run_world(sc.options).history.source_commits.empty());
}

TEST(ScheduleFileTest, BadSchedulesAreRejectedWithAPosition) {
  const LoadError kind = error_of("schedule:\n  steps:\n    - {at: 1, do: upsert}\n");
  EXPECT_NE(kind.message.find("unknown statement \"upsert\""), std::string::npos);
  EXPECT_EQ(kind.line, 3);
  EXPECT_NE(error_of("schedule:\n  steps:\n    - {at: 1, do: update, table: accounts, row: [1, 2, "
                     "\"x\"]}\n")
                .message.find("needs its \"key\""),
            std::string::npos);
  EXPECT_NE(error_of("schedule:\n  steps:\n    - {at: 1, do: insert, table: accounts, row: [1, "
                     "2]}\n")
                .message.find("list of 3 values"),
            std::string::npos);
  EXPECT_NE(error_of("schedule:\n  steps:\n    - {at: 1, do: insert, table: accounts, row: [x, 2, "
                     "\"y\"]}\n")
                .message.find("must be an integer"),
            std::string::npos);
  const LoadError bulk =
      error_of("initial_load: bulk\nschedule:\n  steps:\n    - {at: 1, do: commit}\n");
  EXPECT_NE(bulk.message.find("\"initial_load\" configures the generator"), std::string::npos);
  EXPECT_EQ(bulk.line, 1);
  EXPECT_NE(error_of("schedule:\n  steps:\n    - {at: 1, do: commit, table: accounts}\n")
                .message.find("does not apply to commit"),
            std::string::npos);
  EXPECT_NE(error_of("schedule:\n  steps:\n    - {at: 1, fault: vacuum_full}\n")
                .message.find("needs \"table\""),
            std::string::npos);
  EXPECT_NE(error_of("schedule:\n  steps:\n    - {at: 1, fault: checkpoint, amount: 3}\n")
                .message.find("does not apply to fault checkpoint"),
            std::string::npos);
  // A crash's amount names the capture step it waits for: 0..5.
  EXPECT_NE(error_of("schedule:\n  steps:\n    - {at: 1, fault: crash, amount: 6}\n")
                .message.find("amount"),
            std::string::npos);
  EXPECT_NE(
      error_of("schedule:\n  steps:\n    - {at: 1, fault: min_backfill_xid, binding: accounts, "
               "amount: 2}\n")
          .message.find("a normal xid"),
      std::string::npos);
  EXPECT_NE(error_of("schedule:\n  steps:\n    - {at: 1, fault: max_backfill_xid, amount: 1}\n")
                .message.find("max_backfill_xid amount must be 0 (the next xid) or a normal xid"),
            std::string::npos);
  EXPECT_NE(error_of("schedule:\n  steps:\n    - {at: 1, fault: max_backfill_xid, binding: "
                     "accounts}\n")
                .message.find("does not apply to fault max_backfill_xid"),
            std::string::npos);
  EXPECT_NE(error_of("schedule:\n  steps:\n    - {at: 1, fault: crsh}\n")
                .message.find("did you mean \"crash\""),
            std::string::npos);
  EXPECT_NE(error_of("schedule:\n  initial:\n    - {at: 1, do: begin}\n").message.find("no \"at\""),
            std::string::npos);
  const LoadError mix = error_of("faults: {crash: 1}\nschedule: {}\n");
  EXPECT_NE(mix.message.find("explicit schedule"), std::string::npos);
  EXPECT_EQ(mix.line, 1);
}

TEST(ScheduleFileTest, OperationSettingsThatDoNotApplyAreRejected) {
  EXPECT_NE(error_of("operations:\n  - {at: 5, do: dataflow_backfill, mode: Normal}\n")
                .message.find("only for capture_backfill"),
            std::string::npos);
  EXPECT_NE(error_of("operations:\n  - {at: 5, do: upgrade, ticks: 3}\n")
                .message.find("only for stall_capture"),
            std::string::npos);
  EXPECT_NE(error_of("operations:\n  - {at: 5, do: stall_capture}\n").message.find("needs"),
            std::string::npos);
}

TEST(ScheduleFileTest, OperationsMayNameABindingAddedEarlier) {
  const Scenario sc = loaded(load_scenario_text(R"(
bindings: [{table: accounts}]
operations:
  - {at: 50, do: capture_backfill, bindings: [tags], mode: OnlyChanges}
  - {at: 10, do: add_binding, table: tags}
)",
                                                "ok.yaml"));
  ASSERT_EQ(sc.options.script.size(), 2u);
  EXPECT_EQ(sc.options.script[1].bindings, (std::vector<uint32_t>{1}));
  EXPECT_NE(error_of("bindings: [{table: accounts}]\noperations:\n  - {at: 5, do: "
                     "capture_backfill, bindings: [tags]}\n  - {at: 10, do: add_binding, table: "
                     "tags}\n")
                .message.find("no binding for table \"tags\""),
            std::string::npos);
}

}  // namespace
}  // namespace cdc::scenarios
