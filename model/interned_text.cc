#include "model/interned_text.h"

#include <functional>
#include <mutex>
#include <unordered_set>

namespace cdc {

namespace {
// Hashing and comparing by string_view lets the pool find a text without
// building a string.
struct TextHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
};
struct TextEqual {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const { return a == b; }
};
using Pool = std::unordered_set<std::string, TextHash, TextEqual>;
}  // namespace

const std::string& InternedText::empty_text() {
  static const std::string* empty = new std::string;  // never destroyed, like the pool
  return *empty;
}

InternedText::InternedText(std::string_view s) : s_(&empty_text()) {
  if (s.empty()) return;
  // Never destroyed: texts must outlive every static that holds one. Node
  // based, so an entry never moves.
  static std::mutex* mu = new std::mutex;
  static Pool* pool = new Pool;
  std::lock_guard<std::mutex> lock(*mu);
  auto it = pool->find(s);
  if (it == pool->end()) it = pool->emplace(s).first;
  s_ = &*it;
}

}  // namespace cdc
