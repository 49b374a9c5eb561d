// The mutant catalogue (model/mutants.h): well-formed names and descriptions,
// lookup by name, and no effect at all once a mutant is switched off again.
#include "model/mutants.h"

#include <gtest/gtest.h>

#include <cctype>
#include <set>
#include <string>
#include <vector>

#include "sim/configurations.h"
#include "sim/world.h"

namespace cdc {
namespace {

bool kebab_case(const std::string& s) {
  if (s.empty() || s.front() == '-' || s.back() == '-') return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '-' ? s[i - 1] == '-'
                 : !(std::islower(static_cast<unsigned char>(c)) ||
                     std::isdigit(static_cast<unsigned char>(c)))) {
      return false;
    }
  }
  return true;
}

TEST(MutantsTest, NamesAreUniqueKebabCaseAndEveryMutantIsDescribed) {
  const std::vector<MutantInfo>& all = mutants();
  EXPECT_GE(all.size(), 18u);
  std::set<std::string> names;
  for (const MutantInfo& m : all) {
    EXPECT_NE(m.mutant, Mutant::kNone);
    EXPECT_TRUE(kebab_case(m.name)) << m.name;
    EXPECT_TRUE(names.insert(m.name).second) << "duplicate name " << m.name;
    const std::string description = m.description;
    EXPECT_GE(description.size(), 40u) << m.name;
    EXPECT_EQ(description.back(), '.') << m.name;
  }
}

TEST(MutantsTest, EveryComponentHasMutants) {
  std::set<std::string> components;
  for (const MutantInfo& m : mutants())
    components.insert(m.component);
  EXPECT_EQ(components,
            (std::set<std::string>{"source model", "capture", "collections", "materializations"}));
}

TEST(MutantsTest, LookupByNameFindsEveryMutantAndNothingElse) {
  for (const MutantInfo& m : mutants()) {
    ASSERT_EQ(mutant_named(m.name), m.mutant) << m.name;
    EXPECT_EQ(std::string(mutant_info(m.mutant).name), m.name);
  }
  EXPECT_FALSE(mutant_named("bogus").has_value());
  EXPECT_FALSE(mutant_named("").has_value());
  EXPECT_FALSE(mutant_named("Merge-Delete-Ignored").has_value());
  EXPECT_EQ(active_mutant(), Mutant::kNone);  // off by default
}

std::vector<std::string> fingerprints() {
  using properties::BackfillType;
  using properties::FaultClass;
  const std::vector<sim::WorldOptions> worlds = {
      sim::configured_world(1, BackfillMode::kAutomatic, FaultClass::kCrashes,
                            BackfillType::kCapture, UpdateStrategy::kMerge),
      sim::configured_world(2, BackfillMode::kNormal, FaultClass::kRetention,
                            BackfillType::kMaterialization, UpdateStrategy::kDelta),
      sim::configured_world(3, BackfillMode::kWithoutPrimaryKey, FaultClass::kSlotLossUpgrade,
                            BackfillType::kDataFlow, UpdateStrategy::kMerge),
  };
  std::vector<std::string> out;
  for (sim::WorldOptions o : worlds) {
    o.safety_ticks = 120;
    out.push_back(sim::run_world(o).fingerprint);
  }
  return out;
}

TEST(MutantsTest, SwitchingAMutantOffAgainLeavesNoTrace) {
  const std::vector<std::string> before = fingerprints();
  bool some_mutant_changed_a_run = false;
  for (const MutantInfo& m : mutants()) {
    set_active_mutant(m.mutant);
    ASSERT_TRUE(mutant_active(m.mutant));
    some_mutant_changed_a_run |= fingerprints() != before;
    set_active_mutant(Mutant::kNone);
    ASSERT_FALSE(mutant_active(m.mutant));
  }
  EXPECT_TRUE(some_mutant_changed_a_run);  // the switch reaches the model
  EXPECT_EQ(fingerprints(), before);
}

TEST(MutantsDeathTest, TheMutantCannotChangeWhileARunReadsIt) {
  EXPECT_DEATH(
      {
        const MutantRunScope running;
        set_active_mutant(Mutant::kMergeDeleteIgnored);
      },
      "no run is in progress");
}

}  // namespace
}  // namespace cdc
