#include "properties/key_text.h"

#include "model/assert.h"
#include "properties/helpers.h"

namespace cdc::properties::detail {

bool KeyTexts::maybe_wanted(std::string_view key) const {
  if (key.size() >= kLengthBits) return long_wanted_;
  if (!wanted_lengths_.test(key.size())) return false;
  return key.empty() || wanted_last_bytes_.test(static_cast<unsigned char>(key.back()));
}

void KeyTexts::add(const history::History& h, uint32_t binding, std::string_view key,
                   std::string_view as) {
  if (wanted_ && (!maybe_wanted(key) || wanted_->count(key) == 0)) return;
  const std::string rendered = render_key(key);
  if (typed_.count(rendered) != 0) return;
  const std::string typed = render_key(h, binding, as);
  if (typed != render_key(as)) typed_.emplace(rendered, typed);
}

KeyTexts::KeyTexts(const history::History& h) {
  add_all(h);
}

void KeyTexts::add_all(const history::History& h) {
  for (const history::CollectionTxn& t : h.collection_txns) {
    for (const history::Document& d : t.docs)
      add(h, d.binding, d.key, d.key);
  }
  for (const history::Chunk& c : h.chunks) {
    for (size_t i = 0; i < c.rows.size(); ++i) {
      add(h, c.binding, c.rows[i].key, c.rows[i].key);
      add(h, c.binding, c.order_key(i), c.rows[i].key);  // an order key shows as its row's key
    }
  }
  for (const history::SourceCommit& c : h.source_commits) {
    for (const history::SourceKeyChange& k : c.changes) {
      for (const history::Binding& b : h.bindings) {
        if (b.table_id == k.table) add(h, b.id, k.key, k.key);
      }
    }
  }
}

namespace {

// The first position from `i` on where a rendering may start (a '0' or a
// '"'), or s.size().
size_t next_start(std::string_view s, size_t i) {
  while (i < s.size() && s[i] != '0' && s[i] != '"')
    ++i;
  return i;
}

// Where the rendering that starts at `i` ends (one past it), or i when none
// starts there: 0x and hex digits, or a double-quoted run without quotes.
// Only a '0' or a '"' starts one.
size_t rendering_end(std::string_view s, size_t i) {
  if (s[i] == '0' && i + 1 < s.size() && s[i + 1] == 'x') {
    const size_t j = s.find_first_not_of("0123456789abcdef", i + 2);
    const size_t end = j == std::string::npos ? s.size() : j;
    return end > i + 2 ? end : i;
  }
  if (s[i] == '"') {
    const size_t close = s.find('"', i + 1);
    return close == std::string::npos ? i : close + 1;
  }
  return i;
}

// The key bytes whose render_key() is text[i, end), if it is one.
std::optional<std::string> rendered_bytes(std::string_view text, size_t i, size_t end) {
  if (text[i] == '"') return std::string(text.substr(i + 1, end - i - 2));
  if ((end - i) % 2 != 0) return std::nullopt;  // "0x" and whole bytes
  std::string bytes;
  for (size_t j = i + 2; j < end; j += 2) {
    const auto nibble = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
    bytes += static_cast<char>(nibble(text[j]) * 16 + nibble(text[j + 1]));
  }
  return bytes;
}

}  // namespace

KeyTexts::KeyTexts(const history::History& h, const std::vector<std::string_view>& texts) {
  wanted_.emplace();
  for (std::string_view text : texts) {
    // Every position, as rewrite() also looks inside a rendering it keeps.
    for (size_t i = next_start(text, 0); i < text.size(); i = next_start(text, i + 1)) {
      const size_t end = rendering_end(text, i);
      if (end == i) continue;
      if (std::optional<std::string> bytes = rendered_bytes(text, i, end)) {
        wanted_->insert(std::move(*bytes));
      }
    }
  }
  for (const std::string& key : *wanted_) {
    if (key.size() >= kLengthBits) {
      long_wanted_ = true;  // every long key passes the filter
      continue;
    }
    wanted_lengths_.set(key.size());
    if (!key.empty()) wanted_last_bytes_.set(static_cast<unsigned char>(key.back()));
  }
  if (!wanted_->empty()) add_all(h);
}

std::string KeyTexts::rewrite(const std::string& text) const {
  if (typed_.empty()) return text;
  const std::string_view in = text;
  std::string out;
  out.reserve(in.size());
  size_t i = 0;
  while (i < in.size()) {
    const size_t start = next_start(in, i);
    out.append(in, i, start - i);  // no rendering starts in between
    i = start;
    if (i == in.size()) break;
    const size_t end = rendering_end(in, i);
    const auto it = end == i ? typed_.end() : typed_.find(in.substr(i, end - i));
    if (it == typed_.end()) {
      out += in[i++];  // not a key: go on inside it
      continue;
    }
    out += it->second;
    i = end;
  }
  return out;
}

void KeyTexts::rewrite(Verdict* v) const {
  CDC_ASSERT(v != nullptr, "a verdict to rewrite");
  v->explanation = rewrite(v->explanation);
  for (std::string& w : v->witness)
    w = rewrite(w);
}

}  // namespace cdc::properties::detail
