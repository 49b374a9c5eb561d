// Keys as people read them. Checkers render keys with detail::render_key
// (quoted text or 0x-hex of the encoded bytes); KeyTexts rewrites such
// renderings in a verdict's explanation and witness into typed values, e.g.
// 0x8000000000000035 into (53) and a locale order key into ('Zoë', 7), using
// the key types of the history's bindings.
//
// Contract: pure; a rendering that no key of the history produces is left as
// it is, so a rewrite never invents a key. Keyless bindings' synthetic keys
// are already text and stay as they are.
#pragma once

#include <bitset>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "properties/history.h"
#include "properties/verdict.h"

namespace cdc::properties::detail {

class KeyTexts {
 public:
  // Every key and order key the history records, by its rendering.
  explicit KeyTexts(const history::History& h);
  // The same, for only the keys whose rendering appears in `texts`: what
  // rewriting those texts needs, without rendering every key of the history.
  KeyTexts(const history::History& h, const std::vector<std::string_view>& texts);

  // `text` with each rendered key replaced by its typed values.
  std::string rewrite(const std::string& text) const;
  // The explanation and every witness line of `v`, rewritten.
  void rewrite(Verdict* v) const;

  size_t size() const { return typed_.size(); }

 private:
  void add_all(const history::History& h);
  void add(const history::History& h, uint32_t binding, std::string_view key, std::string_view as);
  // A filter before the set: false when `key` is surely not wanted (its
  // length or its last byte is no wanted key's).
  bool maybe_wanted(std::string_view key) const;

  static constexpr size_t kLengthBits = 256;
  std::map<std::string, std::string, std::less<>> typed_;  // render_key(bytes) -> typed text
  // When set, only these keys (raw bytes) are added.
  std::optional<std::set<std::string, std::less<>>> wanted_;
  std::bitset<kLengthBits> wanted_lengths_;  // sizes of the wanted keys shorter than 256
  std::bitset<256> wanted_last_bytes_;       // last bytes of those keys
  bool long_wanted_ = false;                 // a wanted key is 256 bytes or longer
};

}  // namespace cdc::properties::detail
