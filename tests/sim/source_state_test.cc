// The recorder's committed source state (sim/source_state.h) against a map
// of rows kept by hand: commits that write and delete keys of two tables,
// rewrites that give one table's rows new keys, and keys another holder
// numbers in the state's dictionary leave both saying the same for every
// key, while the history they refer into grows (and its commits move in
// memory).
#include "sim/source_state.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cdc::sim {
namespace {

using Reference = std::map<std::pair<uint32_t, std::string>, SharedRow>;

// Every key either table may hold, rewritten ones included.
std::vector<std::string> all_keys() {
  std::vector<std::string> keys;
  for (int k = 0; k < 10; ++k)
    keys.push_back("ctid:(0," + std::to_string(k) + ")");
  return keys;
}

void check_agrees(const SourceState& state, const history::History& h, const Reference& want) {
  for (uint32_t table : {0u, 1u}) {
    SourceRows expected;
    for (const std::string& key : all_keys()) {
      const SharedRow* got = state.find(h, table, key);
      const auto it = want.find({table, key});
      RC_ASSERT((got != nullptr) == (it != want.end()));
      if (got == nullptr) continue;
      RC_ASSERT(*got == it->second);
      expected.emplace(key, it->second);
    }
    RC_ASSERT(state.rows_of(h, table) == expected);
  }
}

// One commit of a few changes (each key once), or of many (8 to 23 drawn
// among 20 keys, repeats dropped: mostly eight or more, which take the
// grouped additions), recorded and applied.
void commit(SourceState* state, history::History* h, Reference* want) {
  history::SourceCommit c;
  std::map<std::pair<uint32_t, std::string>, bool> seen;
  const size_t changes = *rc::gen::inRange(0, 3) == 0 ? *rc::gen::inRange<size_t>(8, 24)
                                                      : *rc::gen::inRange<size_t>(1, 4);
  for (size_t i = 0; i < changes; ++i) {
    const uint32_t table = *rc::gen::inRange<uint32_t>(0, 2);
    const std::string key = *rc::gen::elementOf(all_keys());
    if (!seen.emplace(std::pair(table, key), true).second) continue;
    history::SourceKeyChange ch;
    ch.table = table;
    ch.key = key;
    if (*rc::gen::inRange(0, 3) != 0) {
      ch.after = Row{Value::int64(*rc::gen::inRange<int64_t>(0, 100))};
      (*want)[{table, key}] = *ch.after;
    } else {
      want->erase({table, key});
    }
    c.changes.push_back(std::move(ch));
  }
  h->source_commits.push_back(std::move(c));
  state->apply_last_commit(*h);
}

// A rewrite of table 1: its rows move to keys rotated by a random offset (so
// a row may land on a key another row leaves); rows no move names go.
void rewrite(SourceState* state, Reference* want) {
  const std::vector<std::string> keys = all_keys();
  const size_t offset = *rc::gen::inRange<size_t>(0, keys.size());
  std::vector<std::pair<std::string, std::string>> moves;
  Reference moved;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (*rc::gen::inRange(0, 3) == 0) continue;  // this row is not named: it goes
    const std::string& to = keys[(i + offset) % keys.size()];
    moves.emplace_back(keys[i], to);
    if (const auto it = want->find({1u, keys[i]}); it != want->end()) moved[{1u, to}] = it->second;
  }
  std::erase_if(*want, [](const auto& entry) { return entry.first.first == 1u; });
  want->insert(moved.begin(), moved.end());
  state->rekey(1, moves);
}

// Another holder of the same keys (the cost meter) numbers some in the
// state's dictionary, one at a time or in a group: ids that name no row,
// which neither find() nor rows_of() may take for one, and which a later
// commit or rewrite of the key must give its row. The keys live as long as
// the test (a holder's keys outlive the state).
void add_foreign_keys(SourceState* state) {
  static const std::vector<std::string> kKeys = all_keys();
  const uint32_t table = *rc::gen::inRange<uint32_t>(0, 2);
  const size_t n = *rc::gen::inRange<size_t>(1, 20);
  std::vector<std::string_view> keys;
  for (size_t i = 0; i < n; ++i)  // views of kKeys' strings, not of a drawn copy
    keys.push_back(kKeys[*rc::gen::inRange<size_t>(0, kKeys.size())]);
  if (*rc::gen::inRange(0, 2) == 0) {
    for (std::string_view key : keys)
      state->shared_ids()->add(table, key);
  } else {
    std::vector<uint32_t> ids(keys.size());
    state->shared_ids()->add_many(table, keys, ids);
  }
}

RC_GTEST_PROP(SourceStateProps, AgreesWithAMapOfCommittedRows, ()) {
  SourceState state;
  history::History h;
  Reference want;
  const size_t steps = *rc::gen::inRange<size_t>(1, 60);
  for (size_t i = 0; i < steps; ++i) {
    const int step = *rc::gen::inRange(0, 6);
    if (step == 0) {
      rewrite(&state, &want);
    } else if (step == 1) {
      add_foreign_keys(&state);
    } else {
      commit(&state, &h, &want);
    }
    check_agrees(state, h, want);
  }
  state.clear();
  check_agrees(state, h, {});
}

}  // namespace
}  // namespace cdc::sim
