#include "model/collation.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "model/assert.h"

namespace cdc {
namespace {

// ---------------------------------------------------------------------------
// UTF-8 decoding
// ---------------------------------------------------------------------------

// A byte that does not start a well-formed UTF-8 sequence decodes, on its own,
// to kInvalidByteBase + byte. These values are lone low surrogates, which a
// well-formed sequence can never produce, so they are unambiguous.
constexpr char32_t kInvalidByteBase = 0xDC00;

unsigned char byte_at(std::string_view s, size_t i) {
  return static_cast<unsigned char>(s[i]);
}

bool is_continuation(unsigned char b) {
  return (b & 0xC0) == 0x80;
}

// Length of the well-formed UTF-8 sequence (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF) that starts at s[pos], or 0 if the bytes
// there do not form one. REQUIRES: pos < s.size().
size_t sequence_length(std::string_view s, size_t pos) {
  CDC_ASSERT(pos < s.size(), "a sequence starts inside the string");
  const unsigned char lead = byte_at(s, pos);
  if (lead < 0x80) return 1;
  size_t len = 0;
  unsigned char second_lo = 0x80;
  unsigned char second_hi = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    len = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    len = 3;
    if (lead == 0xE0) second_lo = 0xA0;  // overlong
    if (lead == 0xED) second_hi = 0x9F;  // surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    len = 4;
    if (lead == 0xF0) second_lo = 0x90;  // overlong
    if (lead == 0xF4) second_hi = 0x8F;  // above U+10FFFF
  } else {
    return 0;  // stray continuation byte, C0, C1 or F5..FF
  }
  if (s.size() - pos < len) return 0;
  const unsigned char second = byte_at(s, pos + 1);
  if (second < second_lo || second > second_hi) return 0;
  for (size_t i = 2; i < len; ++i) {
    if (!is_continuation(byte_at(s, pos + i))) return 0;
  }
  CDC_ASSERT(len >= 2 && len <= 4 && pos + len <= s.size(), "a multi-byte sequence fits");
  return len;
}

// Decodes the code point at s[*pos] and advances *pos past it. Never fails: a
// malformed byte is consumed alone (see kInvalidByteBase).
// REQUIRES: *pos < s.size().
char32_t next_code_point(std::string_view s, size_t* pos) {
  CDC_ASSERT(*pos < s.size(), "a code point starts inside the string");
  const size_t len = sequence_length(s, *pos);
  const unsigned char lead = byte_at(s, *pos);
  if (len == 0) {
    *pos += 1;
    return kInvalidByteBase + lead;
  }
  static constexpr std::array<unsigned char, 5> kLeadMask = {0, 0x7F, 0x1F, 0x0F, 0x07};
  char32_t cp = lead & kLeadMask[len];
  for (size_t i = 1; i < len; ++i)
    cp = (cp << 6) | (byte_at(s, *pos + i) & 0x3Fu);
  *pos += len;
  CDC_ASSERT(cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF),
             "a well-formed sequence decodes to a scalar value");
  return cp;
}

// ---------------------------------------------------------------------------
// Collation elements of kLocale
// ---------------------------------------------------------------------------

// Secondary weights, in collation order (ICU's root order of these accents).
// All are >= 1 so that 0x00 can end the secondary section of a sort key.
enum Accent : uint8_t {
  kNoAccent = 1,
  kAcute,
  kGrave,
  kCircumflex,
  kRing,
  kDiaeresis,
  kTilde,
  kCedilla,
};

// Tertiary weights (>= 1, same reason).
enum Case : uint8_t { kLower = 1, kUpper = 2 };

// Primary weights are 24-bit values whose top byte is >= 1, laid out so that
// the groups of collation.h sort in order and never overlap.
constexpr uint32_t kPunctuationPrimary = 0x010000;  // + punctuation_rank()
constexpr uint32_t kDigitPrimary = 0x010100;        // + digit value
constexpr uint32_t kLetterPrimary = 0x010200;       // + index of the letter in a..z
constexpr uint32_t kOtherPrimary = 0x020000;        // + code point (<= 0x12FFFF)

struct Element {
  uint32_t primary;
  uint8_t secondary;
  uint8_t tertiary;
};

// A Latin-1 capital: its base letter ('\0' if it is not an accented letter
// that kLocale knows) and its accent.
struct Latin1Letter {
  char base;
  Accent accent;
};

// U+00C0..U+00DE. The lowercase forms are exactly 0x20 higher (U+00E0..U+00FE).
constexpr std::array<Latin1Letter, 31> kLatin1Capitals = {{
    {'a', kGrave},      {'a', kAcute}, {'a', kCircumflex}, {'a', kTilde},       // C0-C3
    {'a', kDiaeresis},  {'a', kRing},  {'\0', kNoAccent},  {'c', kCedilla},     // C4-C7
    {'e', kGrave},      {'e', kAcute}, {'e', kCircumflex}, {'e', kDiaeresis},   // C8-CB
    {'i', kGrave},      {'i', kAcute}, {'i', kCircumflex}, {'i', kDiaeresis},   // CC-CF
    {'\0', kNoAccent},  {'n', kTilde}, {'o', kGrave},      {'o', kAcute},       // D0-D3
    {'o', kCircumflex}, {'o', kTilde}, {'o', kDiaeresis},  {'\0', kNoAccent},   // D4-D7
    {'\0', kNoAccent},  {'u', kGrave}, {'u', kAcute},      {'u', kCircumflex},  // D8-DB
    {'u', kDiaeresis},  {'y', kAcute}, {'\0', kNoAccent},                       // DC-DE
}};

// ASCII space, punctuation and symbols in ICU's root order (non-ignorable),
// as PostgreSQL's "und-x-icu" sorts them.
constexpr std::string_view kIcuPunctuationOrder = " _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$";

// The punctuation group's weight of an ASCII code that is not a letter or a
// digit: printable ones in ICU's order, after the control codes (which ICU
// ignores; the model sorts them first, by code).
constexpr uint32_t punctuation_rank(char32_t cp) {
  const size_t at = kIcuPunctuationOrder.find(static_cast<char>(cp));
  return at == std::string_view::npos ? cp : 0x80 + static_cast<uint32_t>(at);
}

constexpr Element letter_element(char base, Accent accent, Case letter_case) {
  return {kLetterPrimary + static_cast<uint32_t>(base - 'a'), accent, letter_case};
}

// The collation element of an ASCII code point. REQUIRES: cp < 0x80.
constexpr Element ascii_element(char32_t cp) {
  if (cp >= 'a' && cp <= 'z') return letter_element(static_cast<char>(cp), kNoAccent, kLower);
  if (cp >= 'A' && cp <= 'Z') {
    return letter_element(static_cast<char>(cp - 'A' + 'a'), kNoAccent, kUpper);
  }
  if (cp >= '0' && cp <= '9') return {kDigitPrimary + (cp - '0'), kNoAccent, kLower};
  return {kPunctuationPrimary + punctuation_rank(cp), kNoAccent, kLower};
}

// ascii_element of every ASCII code, built when compiling: most keys are
// ASCII, and a byte below 0x80 is a whole UTF-8 sequence.
constexpr std::array<Element, 0x80> kAsciiElements = [] {
  std::array<Element, 0x80> t{};
  for (char32_t cp = 0; cp < 0x80; ++cp)
    t[cp] = ascii_element(cp);
  return t;
}();
// Every weight's first byte is nonzero (see append_level), checked here for
// the table as next_element checks it for the other code points.
static_assert(std::all_of(kAsciiElements.begin(), kAsciiElements.end(), [](const Element& e) {
  return e.primary >= 0x010000 && e.primary <= 0xFFFFFF && e.secondary >= 1 && e.tertiary >= 1;
}));

// The collation element of one code point (a scalar value, or a lone byte
// mapped to kInvalidByteBase + byte).
Element element_of(char32_t cp) {
  CDC_ASSERT(cp <= 0x10FFFF, "a code point is at most U+10FFFF");
  if (cp < 0x80) return kAsciiElements[cp];
  if (cp == 0xFF) return letter_element('y', kDiaeresis, kLower);   // ÿ
  if (cp == 0x178) return letter_element('y', kDiaeresis, kUpper);  // Ÿ
  const bool capital = cp >= 0xC0 && cp <= 0xDE;
  const bool small = cp >= 0xE0 && cp <= 0xFE;
  if (capital || small) {
    const Latin1Letter& l = kLatin1Capitals[(cp & ~char32_t{0x20}) - 0xC0];
    if (l.base != '\0') return letter_element(l.base, l.accent, capital ? kUpper : kLower);
  }
  return {kOtherPrimary + cp, kNoAccent, kLower};
}

// Decodes the next code point of s at *pos (advancing it) into its element.
Element next_element(std::string_view s, size_t* pos) {
  CDC_ASSERT(*pos < s.size(), "an element starts inside the string");
  const unsigned char lead = byte_at(s, *pos);
  if (lead < 0x80) {  // a whole sequence: next_code_point would decode it to `lead`
    *pos += 1;
    return kAsciiElements[lead];
  }
  const Element e = element_of(next_code_point(s, pos));
  // Every weight's first byte is nonzero (see append_level).
  CDC_ASSERT(e.primary >= 0x010000 && e.primary <= 0xFFFFFF && e.secondary >= 1 && e.tertiary >= 1,
             "collation weights stay in their ranges");
  return e;
}

enum class Level { kPrimary, kSecondary, kTertiary };

uint32_t weight_at(const Element& e, Level level) {
  switch (level) {
    case Level::kPrimary:
      return e.primary;
    case Level::kSecondary:
      return e.secondary;
    case Level::kTertiary:
      return e.tertiary;
  }
  CDC_ASSERT(false, "unknown collation level");
  return 0;
}

// Three-way comparison of the sequences of `level` weights of a and b,
// left to right; a sequence that is a proper prefix of the other sorts first.
int compare_level(std::string_view a, std::string_view b, Level level) {
  size_t i = 0;
  size_t j = 0;
  while (i < a.size() && j < b.size()) {
    const uint32_t wa = weight_at(next_element(a, &i), level);
    const uint32_t wb = weight_at(next_element(b, &j), level);
    if (wa != wb) return wa < wb ? -1 : 1;
  }
  CDC_ASSERT(i <= a.size() && j <= b.size(), "decoding stops at the end of each string");
  return static_cast<int>(i < a.size()) - static_cast<int>(j < b.size());
}

// Bytewise three-way comparison (unsigned bytes, then length), -1, 0 or 1.
int compare_bytes(std::string_view a, std::string_view b) {
  const size_t n = a.size() < b.size() ? a.size() : b.size();
  const int c = n == 0 ? 0 : std::memcmp(a.data(), b.data(), n);
  if (c != 0) return c < 0 ? -1 : 1;
  if (a.size() == b.size()) return 0;
  return a.size() < b.size() ? -1 : 1;
}

int compare_locale(std::string_view a, std::string_view b) {
  for (Level level : {Level::kPrimary, Level::kSecondary, Level::kTertiary}) {
    if (const int c = compare_level(a, b, level); c != 0) return c;
  }
  return compare_bytes(a, b);
}

// ---------------------------------------------------------------------------
// Sort keys
// ---------------------------------------------------------------------------

// Appends the escaped bytes of s (0x00 becomes 0x00 0xFF) and the terminator
// 0x00 0x00. The terminator sorts below every escaped byte, so the result is
// prefix-free and ordered as compare_bytes.
void append_escaped_bytes(std::string_view s, std::string* out) {
  if (s.find('\0') == std::string_view::npos) {
    out->append(s);
  } else {
    for (char ch : s) {
      out->push_back(ch);
      if (ch == '\0') out->push_back('\xFF');
    }
  }
  out->append(2, '\0');
}

// Appends the three levels of s: each level is the weight of each character
// of s (3 bytes big-endian for primary weights, 1 byte otherwise) and then a
// 0x00 terminator. The first byte of every weight is nonzero, so a shorter
// weight sequence that is a prefix of a longer one sorts first, whatever
// follows the terminator. One decoding pass: the primary weights go straight
// to `out`, the one-byte weights wait in `low` until the primary level ends.
void append_levels(std::string_view s, std::string* out) {
  CDC_ASSERT(out != nullptr, "append_levels needs an output string");
  constexpr size_t kOnStack = 64;  // characters whose one-byte weights fit on the stack
  std::array<char, 2 * kOnStack> on_stack;
  std::string on_heap;
  char* low = on_stack.data();
  const size_t cap = std::max(s.size(), kOnStack);  // a character is at least one byte
  if (s.size() > kOnStack) {
    on_heap.resize(2 * cap);
    low = on_heap.data();
  }
  const size_t start = out->size();
  out->resize(start + 3 * s.size());
  char* primary = out->data() + start;
  size_t n = 0;
  size_t pos = 0;
  while (pos < s.size()) {  // bounded: each element consumes at least one byte
    CDC_ASSERT(n < s.size(), "at most one element per byte");
    const Element e = next_element(s, &pos);
    primary[3 * n] = static_cast<char>((e.primary >> 16) & 0xFF);
    primary[3 * n + 1] = static_cast<char>((e.primary >> 8) & 0xFF);
    primary[3 * n + 2] = static_cast<char>(e.primary & 0xFF);
    low[n] = static_cast<char>(e.secondary);
    low[cap + n] = static_cast<char>(e.tertiary);
    ++n;
  }
  out->resize(start + 3 * n);
  out->push_back('\0');
  out->append(low, n);
  out->push_back('\0');
  out->append(low + cap, n);
  out->push_back('\0');
}

}  // namespace

const char* to_string(Collation c) {
  switch (c) {
    case Collation::kC:
      return "C";
    case Collation::kLocale:
      return "locale";
  }
  CDC_ASSERT(false, "unknown collation");
  return "?";
}

int collate_compare(Collation c, std::string_view a, std::string_view b) {
  return c == Collation::kC ? compare_bytes(a, b) : compare_locale(a, b);
}

void append_sort_key(Collation c, std::string_view s, std::string* out) {
  CDC_ASSERT(out != nullptr, "append_sort_key needs an output string");
  if (c == Collation::kLocale) append_levels(s, out);
  append_escaped_bytes(s, out);
}

}  // namespace cdc
