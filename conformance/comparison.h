// The result type of every comparison, and the pair of sides the probes run
// on (with a stopwatch per side).
//
// A Difference is a disagreement between the model and PostgreSQL, with the
// length of the workload prefix at which it first shows (for end-of-run
// probes: the prefix the run executed; the shrinker makes it minimal).
// Notes state, in every report, what a comparison deliberately does not
// compare because the model simplifies it, and how often that happened.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "conformance/side.h"
#include "conformance/trace.h"

namespace cdc::conformance {

struct Difference {
  std::string comparison;
  size_t prefix = 0;
  std::string what;
};

struct Comparison {
  std::string name;
  std::vector<Difference> differences;
  std::vector<std::string> notes;
};

// Runs calls on the two sides and adds up the time each side takes.
class Sides {
 public:
  Sides(Side* model, Side* pg) : model_(model), pg_(pg) {}

  template <typename F>
  auto on_model(F&& f) {
    return timed(*model_, &model_seconds_, f);
  }
  template <typename F>
  auto on_pg(F&& f) {
    return timed(*pg_, &pg_seconds_, f);
  }
  // Runs f on both sides into out->model / out->pg (Result<T> -> Sided<T>).
  template <typename T, typename F>
  void both(PerSide<T>* out, F&& f) {
    store(on_model(f), &out->model);
    store(on_pg(f), &out->pg);
  }

  Side& model() { return *model_; }
  double model_seconds() const { return model_seconds_; }
  double pg_seconds() const { return pg_seconds_; }

 private:
  template <typename F>
  static auto timed(Side& side, double* seconds, F& f) {
    const auto start = std::chrono::steady_clock::now();
    auto result = f(side);
    *seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
  }
  template <typename T>
  static void store(Result<T> r, Sided<T>* out) {
    if (r.is_ok()) {
      out->value = std::move(r).value();
    } else {
      out->error = r.error().message;
    }
  }

  Side* model_;
  Side* pg_;
  double model_seconds_ = 0;
  double pg_seconds_ = 0;
};

}  // namespace cdc::conformance
