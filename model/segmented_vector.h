// A growable array stored in segments of 2^kShift elements, for stores that
// grow to millions of elements (heap tuple headers, WAL records).
//
// A std::vector that doubles copies everything it holds at each doubling and
// faults its pages in again into the new buffer; a segmented array never
// moves what it holds, so each element is written once and each page is
// faulted once. The first segment grows as a vector does, so a small store
// (the common case in the simulator's small worlds) stays one small buffer;
// every later segment is reserved whole.
//
// Indices: element i lives at segments_[i >> kShift][i & kMask]. The front
// can be dropped a whole segment at a time (drop_segments_before), which
// destroys those segments' elements and renumbers the rest down by the count
// dropped; nothing else moves an element.
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
      if (!spares_.empty()) {
        segments_.push_back(std::move(spares_.back()));
        spares_.pop_back();
        CDC_ASSERT(segments_.back().empty(), "a spare segment holds nothing");
      } else {
        segments_.emplace_back();
        if (segments_.size() > 1) segments_.back().reserve(kSegment);
      }
    }
    segments_.back().push_back(std::move(v));
    ++size_;
    CDC_ASSERT(segments_.size() == ((size_ - 1) >> kShift) + 1,
               "every segment but the last is full");
  }

  // Drops the whole segments that lie before element `first_kept` (their
  // memory is freed or kept as a spare for later segments) and
  // returns the number of elements dropped (a multiple of kSegment); element
  // i (i >= that number) is element i - dropped afterwards.
  // REQUIRES: first_kept <= size().
  size_t drop_segments_before(size_t first_kept) {
    CDC_ASSERT(first_kept <= size_, "dropping past the end");
    size_t whole = first_kept >> kShift;
    if (whole > 0 && whole == segments_.size()) --whole;  // keep the last segment to append to
    if (whole == 0) return 0;
    for (size_t i = 0; i < whole; ++i) {
      if (spares_.size() == kMaxSpares) break;
      segments_[i].clear();  // destroys the elements, keeps the memory
      spares_.push_back(std::move(segments_[i]));
    }
    segments_.erase(segments_.begin(), segments_.begin() + static_cast<std::ptrdiff_t>(whole));
    const size_t dropped = whole << kShift;
    size_ -= dropped;
    CDC_ASSERT(segments_.size() == ((size_ + kMask) >> kShift) || size_ == 0,
               "the kept segments hold the kept elements");
    return dropped;
  }

  void clear() {
    segments_.clear();
    spares_.clear();
    size_ = 0;
  }

  // Elements the segments, spares included, have room for (memory estimates).
  size_t capacity() const {
    size_t n = 0;
    for (const std::vector<T>& s : segments_)
      n += s.capacity();
    for (const std::vector<T>& s : spares_)
      n += s.capacity();
    return n;
  }

 private:
  // Up to kMaxSpares dropped segments, emptied with their memory kept: a
  // store that drops its front as it appends (the WAL) reuses them instead
  // of faulting fresh pages in for every new segment.
  static constexpr size_t kMaxSpares = 2;
  std::vector<std::vector<T>> segments_;
  std::vector<std::vector<T>> spares_;
  size_t size_ = 0;
};

}  // namespace cdc
