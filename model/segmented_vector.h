// A growable array stored in segments of 2^kShift elements, for a store
// that grows to millions of elements (a table's tuple headers).
//
// A std::vector that doubles copies everything it holds at each doubling and
// faults its pages in again into the new buffer; a segmented array never
// moves what it holds, so each element is written once and each page is
// faulted once. The first segment grows as a vector does, so a small store
// (the common case in the simulator's small worlds) stays one small buffer;
// every later segment is reserved whole.
//
// Choose segments large enough that the allocator returns a freed one to
// the system (docs/performance, "The eleventh round": smaller segments
// freed by a finished run stayed resident while the checkers ran).
//
// Indices: element i lives at segments_[i >> kShift][i & kMask]; nothing
// moves an element once appended.
//
// Invariants: every segment but the last holds exactly kSegment elements;
// size() is the sum of the segments' sizes.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

#include "model/assert.h"

namespace cdc {

template <typename T, unsigned kShift>
class SegmentedVector {
 public:
  static_assert(kShift >= 4 && kShift <= 24, "a segment of 16 to 16M elements");
  static constexpr size_t kSegment = size_t{1} << kShift;
  static constexpr size_t kMask = kSegment - 1;

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  // REQUIRES: i < size().
  T& operator[](size_t i) {
    CDC_ASSERT(i < size_, "segmented index out of range");
    return segments_[i >> kShift][i & kMask];
  }
  const T& operator[](size_t i) const {
    CDC_ASSERT(i < size_, "segmented index out of range");
    return segments_[i >> kShift][i & kMask];
  }
  // REQUIRES: !empty().
  T& back() { return (*this)[size_ - 1]; }
  const T& back() const { return (*this)[size_ - 1]; }

  void push_back(const T& v) { push_back(T(v)); }
  void push_back(T&& v) {
    if (segments_.empty() || segments_.back().size() == kSegment) {
      segments_.emplace_back();
      if (segments_.size() > 1) segments_.back().reserve(kSegment);
    }
    segments_.back().push_back(std::move(v));
    ++size_;
    CDC_ASSERT(segments_.size() == ((size_ - 1) >> kShift) + 1,
               "every segment but the last is full");
  }

  // Elements the segments have room for (memory estimates).
  size_t capacity() const {
    size_t n = 0;
    for (const std::vector<T>& s : segments_)
      n += s.capacity();
    return n;
  }

 private:
  std::vector<std::vector<T>> segments_;
  size_t size_ = 0;
};

}  // namespace cdc
