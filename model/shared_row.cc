#include "model/shared_row.h"

#include <algorithm>
#include <new>
#include <string>

namespace cdc {

SharedRow::Block* SharedRow::allocate(size_t n) {
  CDC_ASSERT(n <= UINT32_MAX, "a row's width fits 32 bits");
  void* mem = ::operator new(sizeof(Block) + n * sizeof(Value));
  Block* b = new (mem) Block{{1}, static_cast<uint32_t>(n)};
  std::uninitialized_value_construct_n(b->values(), n);
  return b;
}

SharedRow::SharedRow(const Row& row) {
  if (row.empty()) return;
  block_ = allocate(row.size());
  std::copy(row.begin(), row.end(), block_->values());
}

SharedRow::SharedRow(Row&& row) {
  if (row.empty()) return;
  block_ = allocate(row.size());
  std::move(row.begin(), row.end(), block_->values());
}

SharedRow::SharedRow(std::initializer_list<Value> values) {
  if (values.size() == 0) return;
  block_ = allocate(values.size());
  std::copy(values.begin(), values.end(), block_->values());
}

void SharedRow::release() noexcept {
  if (block_ == nullptr) return;
  if (block_->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    const size_t bytes = sizeof(Block) + block_->size * sizeof(Value);
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
