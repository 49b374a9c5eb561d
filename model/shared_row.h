// SharedRow: an immutable row held by reference.
//
// A document's row passes from the capture to its collection, to every
// destination that stores it, and to the history that records each of those
// steps. A SharedRow lets all of them hold one copy: the values lie in one
// reference-counted block (a count, a width, then the values), and copying a
// SharedRow shares the block. A row that must change is copied out with
// to_row(), changed, and wrapped again.
//
// Contract: a SharedRow reads like a const Row (size, operator[], begin/end,
// equality by values with another SharedRow or a Row), and is a contiguous
// range: a function that reads a row's values takes a std::span<const Value>
// and so takes a Row and a SharedRow alike. Nothing observable
// depends on the sharing: equality compares values, never addresses. The
// default SharedRow is the row of no columns.
//
// Invariants: a block's values never change after it is built; its count is
// the number of SharedRows that point at it, and the last one to go destroys
// the values and frees the block. The count is atomic for the same reason as
// a long text's (model/value.h): runs on several threads may copy the same
// options.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <utility>

#include "model/assert.h"
#include "model/value.h"

namespace cdc {

class SharedRow {
 public:
  SharedRow() noexcept = default;
  // Implicit: every place that built a Row for a document keeps doing so.
  SharedRow(const Row& row);  // NOLINT(google-explicit-constructor)
  SharedRow(Row&& row);       // NOLINT(google-explicit-constructor)
  SharedRow(std::initializer_list<Value> values);
  SharedRow(const SharedRow& o) noexcept : block_(o.block_) { retain(); }
  SharedRow(SharedRow&& o) noexcept : block_(std::exchange(o.block_, nullptr)) {}
  SharedRow& operator=(const SharedRow& o) noexcept {
    SharedRow copy(o);
    swap(copy);
    return *this;
  }
  SharedRow& operator=(SharedRow&& o) noexcept {
    SharedRow moved(std::move(o));
    swap(moved);
    return *this;
  }
  ~SharedRow() {
    if (block_ != nullptr) release();  // moved-from rows and the row of no columns: no call
  }

  size_t size() const { return block_ == nullptr ? 0 : block_->size; }
  bool empty() const { return size() == 0; }
  const Value* begin() const { return block_ == nullptr ? nullptr : block_->values(); }
  const Value* end() const { return begin() + size(); }
  // REQUIRES: i < size().
  const Value& operator[](size_t i) const {
    CDC_ASSERT(i < size(), "a SharedRow column within its width");
    return block_->values()[i];
  }
  std::span<const Value> values() const { return {begin(), size()}; }
  Row to_row() const { return Row(begin(), end()); }
  // How many SharedRows hold this one's block (0 for the row of no columns):
  // what lets a measurement count a shared block once over its holders.
  uint32_t use_count() const {
    return block_ == nullptr ? 0 : block_->refs.load(std::memory_order_relaxed);
  }
  // The bytes of a block of `n` values: its header, then the values.
  static constexpr size_t bytes_for(size_t n) { return 8 + n * sizeof(Value); }
  // Asks the processor to fetch the block ahead of a read: rows shared
  // between layers lie where their first holder made them, not next to
  // every later holder, so a walk over many rows overlaps their misses.
  void prefetch() const { __builtin_prefetch(block_); }
  // Fetches the blocks of the row's long texts. Reads the row's own block:
  // call it once that has arrived (some time after prefetch()).
  void prefetch_texts() const {
    for (const Value& v : values())
      v.prefetch();
  }
  // As prefetch(), for a write: the block's count is about to change.
  void prefetch_for_release() const { __builtin_prefetch(block_, 1); }
  // Drops this row's hold on its block and holds the row of no columns.
  void reset() noexcept {
    if (block_ != nullptr) release();
  }
  // Whether both hold the same block (so equal without comparing values).
  bool shares_block_with(const SharedRow& o) const { return block_ == o.block_; }

  bool operator==(const SharedRow& o) const;
  bool operator==(const Row& row) const;

  void swap(SharedRow& o) noexcept { std::swap(block_, o.block_); }

 private:
  friend class OptionalRow;
  struct Block {
    std::atomic<uint32_t> refs;
    uint32_t size;
    Value* values() { return reinterpret_cast<Value*>(this + 1); }
  };
  // What an OptionalRow holding no row points at: no SharedRow outside an
  // OptionalRow ever holds it, and nothing reads or counts it.
  static Block none_;

  // A block for `n` values, with one reference; its values are not yet
  // constructed (each constructor builds them in place).
  static Block* allocate(size_t n);
  SharedRow(const Value* first, const Value* last);  // copies [first, last)
  void retain() const noexcept {
    if (block_ != nullptr) block_->refs.fetch_add(1, std::memory_order_relaxed);
  }
  void release() noexcept;

  Block* block_ = nullptr;
};

// How many rows ahead release_rows() fetches: enough to keep several
// misses in flight, few enough that the fetched blocks are still cached
// when their turn comes.
inline constexpr size_t kReleaseAhead = 8;
// The fewest rows release_rows() releases: a shorter range's blocks are few
// and mostly still cached, and the walk would cost more than it saves (a
// small world frees thousands of such ranges).
inline constexpr size_t kReleaseAtLeast = 64;

// Releases the row of each item of [first, last) in order (row_of(item) is
// the item's SharedRow&), fetching the block kReleaseAhead items on first,
// when the range holds at least kReleaseAtLeast items; a shorter range is
// left as it is, for its container to release. A release is an atomic
// decrement, which waits for its block's line before anything after it
// starts; freeing a container of rows whose blocks lie scattered (the rows
// are shared with other layers) would otherwise pay one miss after
// another. Containers of millions of rows call this before they are
// destroyed. REQUIRES: random-access iterators.
template <typename It, typename RowOf>
void release_rows(It first, It last, RowOf row_of) {
  if (last - first < static_cast<std::ptrdiff_t>(kReleaseAtLeast)) return;
  It ahead = first;  // the next item whose block to fetch
  for (size_t i = 0; i < kReleaseAhead && ahead != last; ++i, ++ahead)
    row_of(*ahead).prefetch_for_release();
  for (; first != last; ++first) {
    if (ahead != last) {
      row_of(*ahead).prefetch_for_release();
      ++ahead;
    }
    row_of(*first).reset();
  }
}

// OptionalRow: a SharedRow or none, in one word where std::optional<SharedRow>
// takes two. A history holds a before and an after image for each source
// change, tens of millions of them at scale.
//
// Contract: reads and assigns like std::optional<SharedRow> (has_value,
// operator bool, operator*, operator->, value, reset, comparison with
// another and with std::nullopt, assignment from a SharedRow, a Row or
// std::nullopt); the row of no columns is a value, distinct from none. A
// moved-from OptionalRow that held a row holds the row of no columns, as a
// moved-from std::optional<SharedRow> does.
//
// Representation: the SharedRow's block pointer, which is SharedRow::none_
// when there is no row. Invariant: row_.block_ == &SharedRow::none_ exactly
// when has_value() is false; the destructor clears it before row_'s own
// destructor runs, so none_ is never released.
class OptionalRow {
 public:
  OptionalRow() noexcept { row_.block_ = &SharedRow::none_; }
  // Implicit, as std::optional<SharedRow>'s: every place that assigned or
  // passed a row, a Row or none to a change's image keeps doing so.
  OptionalRow(std::nullopt_t) noexcept : OptionalRow() {}  // NOLINT(google-explicit-constructor)
  // NOLINTNEXTLINE(google-explicit-constructor)
  OptionalRow(SharedRow row) noexcept : row_(std::move(row)) {}
  OptionalRow(const Row& row) : row_(row) {}        // NOLINT(google-explicit-constructor)
  OptionalRow(Row&& row) : row_(std::move(row)) {}  // NOLINT(google-explicit-constructor)
  OptionalRow(const std::optional<SharedRow>& o)    // NOLINT(google-explicit-constructor)
      : OptionalRow(o ? OptionalRow(*o) : OptionalRow()) {}
  OptionalRow(std::optional<Row>&& o)  // NOLINT(google-explicit-constructor)
      : OptionalRow(o ? OptionalRow(std::move(*o)) : OptionalRow()) {}
  OptionalRow(const std::optional<Row>& o)  // NOLINT(google-explicit-constructor)
      : OptionalRow(o ? OptionalRow(*o) : OptionalRow()) {}
  OptionalRow(const OptionalRow& o) noexcept {
    row_.block_ = o.row_.block_;
    if (has_value()) row_.retain();
  }
  OptionalRow(OptionalRow&& o) noexcept {
    row_.block_ = o.row_.block_;
    if (has_value()) o.row_.block_ = nullptr;
  }
  OptionalRow& operator=(OptionalRow o) noexcept {
    swap(o);
    return *this;
  }
  // Assigning a row or none in place, as the recorder does for every change.
  OptionalRow& operator=(const SharedRow& row) noexcept {
    if (!has_value()) row_.block_ = nullptr;  // a plain SharedRow again: assignable
    row_ = row;
    return *this;
  }
  OptionalRow& operator=(const Row& row) { return *this = SharedRow(row); }
  OptionalRow& operator=(Row&& row) { return *this = SharedRow(std::move(row)); }
  OptionalRow& operator=(std::nullopt_t) noexcept {
    reset();
    return *this;
  }
  ~OptionalRow() {
    if (!has_value()) row_.block_ = nullptr;
  }

  bool has_value() const noexcept { return row_.block_ != &SharedRow::none_; }
  explicit operator bool() const noexcept { return has_value(); }
  // REQUIRES: has_value().
  const SharedRow& operator*() const {
    CDC_ASSERT(has_value(), "an OptionalRow read holds a row");
    return row_;
  }
  const SharedRow* operator->() const { return &**this; }
  const SharedRow& value() const { return **this; }
  void reset() noexcept {
    if (!has_value()) return;
    row_ = SharedRow();  // releases the block
    row_.block_ = &SharedRow::none_;
  }
  operator std::optional<SharedRow>() const {  // NOLINT(google-explicit-constructor)
    return has_value() ? std::optional<SharedRow>(row_) : std::nullopt;
  }

  bool operator==(const OptionalRow& o) const {
    return has_value() == o.has_value() && (!has_value() || row_ == o.row_);
  }
  bool operator==(std::nullopt_t) const { return !has_value(); }

  void swap(OptionalRow& o) noexcept { std::swap(row_.block_, o.row_.block_); }

 private:
  SharedRow row_;
};

}  // namespace cdc
