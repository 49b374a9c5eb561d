#include "sim/shrink.h"

#include <algorithm>
#include <map>
#include <string>

namespace cdc::sim {

namespace {

// Index ranges [begin, end) of `statements` that form one transaction of one
// session each: from its first statement through its commit or abort.
std::vector<std::vector<size_t>> transactions(const std::vector<Statement>& statements) {
  std::vector<std::vector<size_t>> out;
  std::vector<std::optional<size_t>> open;  // per session: index into `out`
  for (size_t i = 0; i < statements.size(); ++i) {
    const Statement& st = statements[i];
    if (st.session >= open.size()) open.resize(st.session + 1);
    if (!open[st.session]) {
      open[st.session] = out.size();
      out.emplace_back();
    }
    out[*open[st.session]].push_back(i);
    if (st.kind == Statement::Kind::kCommit || st.kind == Statement::Kind::kAbort)
      open[st.session].reset();
  }
  return out;
}

// Removes, in chunks of halving size, elements of `items` while `test` of
// the remaining list holds. Returns whether anything was removed.
template <typename T>
bool remove_chunks(std::vector<T>* items, const std::function<bool(const std::vector<T>&)>& test) {
  bool removed = false;
  for (size_t chunk = std::max<size_t>(items->size() / 2, 1); chunk >= 1; chunk /= 2) {
    for (size_t at = 0; at < items->size();) {
      std::vector<T> candidate;
      candidate.reserve(items->size());
      candidate.insert(candidate.end(), items->begin(), items->begin() + at);
      candidate.insert(candidate.end(), items->begin() + std::min(at + chunk, items->size()),
                       items->end());
      if (test(candidate)) {
        *items = std::move(candidate);
        removed = true;
      } else {
        at += chunk;
      }
    }
    if (chunk == 1) break;
  }
  return removed;
}

class Shrinker {
 public:
  Shrinker(WorldOptions o, const std::function<bool(const RunResult&)>& still_fails,
           const ShrinkOptions& opts)
      : best_(std::move(o)), still_fails_(still_fails), opts_(opts) {}

  bool out_of_budget() const {
    return runs_ >= opts_.max_runs || (opts_.out_of_time && opts_.out_of_time());
  }

  // Runs `candidate`; keeps it as the best when it still fails.
  bool try_options(const WorldOptions& candidate) {
    if (out_of_budget()) return false;
    ++runs_;
    RunResult r = run_world(candidate);
    if (!still_fails_(r)) return false;
    best_ = candidate;
    best_run_ = std::move(r);
    return true;
  }

  bool pass_script() {
    std::function<bool(const std::vector<ScriptedOp>&)> test = [&](const auto& ops) {
      WorldOptions c = best_;
      c.script = ops;
      return try_options(c);
    };
    std::vector<ScriptedOp> ops = best_.script;
    return remove_chunks(&ops, test);
  }

  bool pass_faults() {
    std::function<bool(const std::vector<FaultStep>&)> test = [&](const auto& faults) {
      WorldOptions c = best_;
      c.schedule->faults = faults;
      return try_options(c);
    };
    std::vector<FaultStep> faults = best_.schedule->faults;
    return remove_chunks(&faults, test);
  }

  // Whole transactions of `initial` or `statements`.
  bool pass_transactions(bool initial) {
    auto list = [initial](WorldOptions& w) -> std::vector<Statement>& {
      return initial ? w.schedule->initial : w.schedule->statements;
    };
    const std::vector<Statement> all = list(best_);
    std::vector<std::vector<size_t>> txns = transactions(all);
    std::function<bool(const std::vector<std::vector<size_t>>&)> test = [&](const auto& kept) {
      std::vector<size_t> keep;
      for (const auto& t : kept)
        keep.insert(keep.end(), t.begin(), t.end());
      std::sort(keep.begin(), keep.end());
      WorldOptions c = best_;
      list(c).clear();
      for (size_t i : keep)
        list(c).push_back(all[i]);
      return try_options(c);
    };
    return remove_chunks(&txns, test);
  }

  bool pass_statements(bool initial) {
    auto list = [initial](WorldOptions& w) -> std::vector<Statement>& {
      return initial ? w.schedule->initial : w.schedule->statements;
    };
    std::function<bool(const std::vector<Statement>&)> test = [&](const auto& sts) {
      WorldOptions c = best_;
      list(c) = sts;
      return try_options(c);
    };
    std::vector<Statement> sts = list(best_);
    return remove_chunks(&sts, test);
  }

  bool pass_choices() {
    if (best_.schedule->capture_choices.empty()) return false;
    WorldOptions c = best_;
    c.schedule->capture_choices.clear();
    if (try_options(c)) return true;
    std::function<bool(const std::vector<uint32_t>&)> test = [&](const auto& choices) {
      WorldOptions w = best_;
      w.schedule->capture_choices = choices;
      return try_options(w);
    };
    std::vector<uint32_t> choices = best_.schedule->capture_choices;
    return remove_chunks(&choices, test);
  }

  // Replaces every text value longer than 16 bytes by a short one, the same
  // replacement for the same value everywhere (rows, keys, matches), so that
  // statements still find the rows they referred to. All or nothing.
  bool pass_short_values() {
    std::map<std::string, std::string> short_of;
    auto shorten = [&](Row& row) {
      for (Value& v : row) {
        if (!v.is_text() || v.as_text().size() <= 16) continue;
        auto [it, fresh] = short_of.try_emplace(std::string(v.as_text()), "");
        if (fresh) it->second = "s" + std::to_string(short_of.size());
        v = Value::text(it->second);
      }
    };
    WorldOptions c = best_;
    for (auto* list : {&c.schedule->initial, &c.schedule->statements}) {
      for (Statement& st : *list) {
        shorten(st.row);
        shorten(st.key);
        shorten(st.match);
      }
    }
    return !short_of.empty() && try_options(c);
  }

  // Ends the safety phase soon after the last step, if the run still fails.
  bool pass_ticks() {
    uint64_t last = 0;
    for (const Statement& st : best_.schedule->statements)
      last = std::max(last, st.tick);
    for (const FaultStep& f : best_.schedule->faults)
      last = std::max(last, f.tick);
    for (const ScriptedOp& op : best_.script)
      last = std::max(last, op.tick);
    if (last + 1 >= best_.safety_ticks) return false;
    WorldOptions c = best_;
    c.safety_ticks = last + 1;
    return try_options(c);
  }

  void run() {
    bool progress = true;
    while (progress && !out_of_budget()) {
      progress = false;
      progress |= pass_script();
      progress |= pass_faults();
      progress |= pass_transactions(false);
      progress |= pass_transactions(true);
      progress |= pass_statements(false);
      progress |= pass_statements(true);
      progress |= pass_choices();
      progress |= pass_short_values();
      progress |= pass_ticks();
    }
    complete_ = !progress;
  }

  WorldOptions best_;
  RunResult best_run_;
  uint64_t runs_ = 0;
  bool complete_ = false;

 private:
  const std::function<bool(const RunResult&)>& still_fails_;
  const ShrinkOptions& opts_;
};

}  // namespace

WorldOptions explicit_options(const WorldOptions& o, const Schedule& s) {
  WorldOptions e = o.swarm ? swarm(o) : o;
  const WorldOptions defaults;
  e.swarm = false;
  e.faults = defaults.faults;
  e.fault_per_tick = defaults.fault_per_tick;
  e.write_per_tick = defaults.write_per_tick;
  e.workload = defaults.workload;
  e.initial_rows = defaults.initial_rows;
  e.initial_load = defaults.initial_load;
  e.record_schedule = false;
  e.schedule = s;
  return e;
}

size_t schedule_steps(const WorldOptions& o) {
  return o.script.size() + (o.schedule ? o.schedule->steps() : 0);
}

ShrinkResult shrink(const WorldOptions& failing,
                    const std::function<bool(const RunResult&)>& still_fails,
                    const ShrinkOptions& options) {
  WorldOptions recording = failing;
  recording.record_schedule = true;
  RunResult first = run_world(recording);
  ShrinkResult out;
  out.options = explicit_options(failing, first.schedule);
  out.steps_before = schedule_steps(out.options);
  out.runs = 1;
  if (!still_fails(first)) {
    out.run = std::move(first);
    out.steps_after = out.steps_before;
    return out;
  }
  Shrinker s(out.options, still_fails, options);
  s.best_run_ = std::move(first);
  s.run();
  out.options = std::move(s.best_);
  out.run = std::move(s.best_run_);
  out.run.schedule = *out.options.schedule;
  out.steps_after = schedule_steps(out.options);
  out.runs += s.runs_;
  out.complete = s.complete_;
  return out;
}

}  // namespace cdc::sim
