// Keeping a vector sorted while runs are appended to it.
//
// Contract: after merge_appended_run(v, start), v is sorted, given that
// v[0, start) was sorted before; v[start, end) is the appended run, which is
// sorted first if it is not already. The result is the order std::sort would
// give when no two elements are equivalent. Linear when the run arrives in
// order (the common case: items recorded in tick or id order).
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

#include "model/assert.h"

namespace cdc {

// REQUIRES: start <= v->size(); v[0, start) sorted.
template <class T>
void merge_appended_run(std::vector<T>* v, size_t start) {
  CDC_ASSERT(v != nullptr && start <= v->size(), "a run appended to the vector");
  const auto run = v->begin() + static_cast<std::ptrdiff_t>(start);
  if (!std::is_sorted(run, v->end())) std::sort(run, v->end());
  std::inplace_merge(v->begin(), run, v->end());
}

}  // namespace cdc
