#include "model/shared_row.h"

#include <algorithm>
#include <memory>
#include <new>
#include <string>

namespace cdc {

SharedRow::Block SharedRow::none_{{0}, 0};

SharedRow::Block* SharedRow::allocate(size_t n) {
  static_assert(sizeof(Block) == bytes_for(0) && alignof(Value) <= 8,
                "the values follow the header, aligned");
  CDC_ASSERT(n > 0 && n <= UINT32_MAX, "a row of at least one column, its width fits 32 bits");
  void* mem = ::operator new(bytes_for(n));
  return new (mem) Block{{1}, static_cast<uint32_t>(n)};
}

SharedRow::SharedRow(const Row& row) : SharedRow(row.data(), row.data() + row.size()) {}

SharedRow::SharedRow(Row&& row) {
  if (row.empty()) return;
  block_ = allocate(row.size());
  std::uninitialized_move(row.begin(), row.end(), block_->values());
}

SharedRow::SharedRow(std::initializer_list<Value> values)
    : SharedRow(values.begin(), values.end()) {}

SharedRow::SharedRow(const Value* first, const Value* last) {
  if (first == last) return;
  block_ = allocate(static_cast<size_t>(last - first));
  std::uninitialized_copy(first, last, block_->values());
}

void SharedRow::release() noexcept {
  if (block_ == nullptr) return;
  if (block_->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    const size_t bytes = bytes_for(block_->size);
    std::destroy_n(block_->values(), block_->size);
    block_->~Block();
    ::operator delete(static_cast<void*>(block_), bytes);
  }
  block_ = nullptr;
}

bool SharedRow::operator==(const SharedRow& o) const {
  return block_ == o.block_ || std::equal(begin(), end(), o.begin(), o.end());
}

bool SharedRow::operator==(const Row& row) const {
  return std::equal(begin(), end(), row.begin(), row.end());
}

}  // namespace cdc
