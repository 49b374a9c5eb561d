#include "model/collation.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace cdc {
namespace {

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

int sign(int x) {
  return (x > 0) - (x < 0);
}

// Bytewise three-way comparison of two byte strings, -1, 0 or 1.
int compare_bytes(std::string_view a, std::string_view b) {
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    const auto x = static_cast<unsigned char>(a[i]);
    const auto y = static_cast<unsigned char>(b[i]);
    if (x != y) return x < y ? -1 : 1;
  }
  return sign(static_cast<int>(a.size() > b.size()) - static_cast<int>(a.size() < b.size()));
}

// Checks, for a != b with ab = collate_compare(c, a, b), that their keys order
// as ab whatever bytes follow them: the lesser key followed by a long run of
// 0xFF still sorts below the greater key alone. (A first difference inside
// both keys is the only way this can hold.)
bool keys_order_for_all_suffixes(const std::string& key_a, const std::string& key_b, int ab) {
  const std::string high(key_a.size() + key_b.size() + 1, '\xFF');
  if (ab < 0) return compare_bytes(key_a + high, key_b) < 0;
  if (ab > 0) return compare_bytes(key_a, key_b + high) > 0;
  return false;
}

std::string sort_key(Collation c, std::string_view s) {
  std::string key;
  append_sort_key(c, s, &key);
  return key;
}

// ---------------------------------------------------------------------------
// A direct reference implementation of kLocale for the test alphabet. It is
// written independently of model/collation.cc: symbols are looked up by their
// UTF-8 spelling and compared level by level as vectors.
// ---------------------------------------------------------------------------

// Secondary ranks in the order collation.h states (ICU's root order).
enum RefAccent { kNone, kAcute, kGrave, kCircumflex, kRing, kDiaeresis, kTilde, kCedilla };

struct RefSymbol {
  int group;       // 0 punctuation/space, 1 digits, 2 letters, 3 other
  uint32_t rank;   // position inside the group
  int accent;      // RefAccent
  bool uppercase;  // tertiary
};

RefSymbol ascii_symbol(char ch) {
  if (ch >= 'a' && ch <= 'z') return {2, static_cast<uint32_t>(ch - 'a'), kNone, false};
  if (ch >= 'A' && ch <= 'Z') return {2, static_cast<uint32_t>(ch - 'A'), kNone, true};
  if (ch >= '0' && ch <= '9') return {1, static_cast<uint32_t>(ch - '0'), kNone, false};
  // Space, punctuation and symbols in ICU's root order, after control codes.
  const std::string_view icu_order = " _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$";
  const size_t at = icu_order.find(ch);
  if (at == std::string_view::npos) return {0, static_cast<uint32_t>(ch), kNone, false};
  return {0, 0x80 + static_cast<uint32_t>(at), kNone, false};
}

RefSymbol letter(char base, int accent, bool uppercase) {
  return {2, static_cast<uint32_t>(base - 'a'), accent, uppercase};
}

// The non-ASCII symbols of the test alphabet and how kLocale treats them.
const std::map<std::string, RefSymbol>& non_ascii_symbols() {
  static const auto* table = new std::map<std::string, RefSymbol>{
      {"é", letter('e', kAcute, false)},     {"É", letter('e', kAcute, true)},
      {"è", letter('e', kGrave, false)},     {"ê", letter('e', kCircumflex, false)},
      {"à", letter('a', kGrave, false)},     {"á", letter('a', kAcute, false)},
      {"Å", letter('a', kRing, true)},       {"ü", letter('u', kDiaeresis, false)},
      {"Ü", letter('u', kDiaeresis, true)},  {"ç", letter('c', kCedilla, false)},
      {"Ç", letter('c', kCedilla, true)},    {"ñ", letter('n', kTilde, false)},
      {"ÿ", letter('y', kDiaeresis, false)}, {"ß", {3, 0xDF, kNone, false}},
      {"Ω", {3, 0x3A9, kNone, false}},       {"€", {3, 0x20AC, kNone, false}},
      {"😀", {3, 0x1F600, kNone, false}},
  };
  return *table;
}

// Length of the UTF-8 sequence that starts with `lead` (valid input only).
size_t utf8_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead < 0xE0) return 2;
  if (lead < 0xF0) return 3;
  return 4;
}

// Splits a string of the test alphabet into its symbols. Unknown symbols are
// reported through `ok`.
std::vector<RefSymbol> ref_symbols(std::string_view s, bool* ok) {
  std::vector<RefSymbol> out;
  size_t i = 0;
  while (i < s.size()) {
    const size_t len = utf8_length(static_cast<unsigned char>(s[i]));
    const std::string spelling(s.substr(i, len));
    i += len;
    if (len == 1) {
      out.push_back(ascii_symbol(spelling[0]));
      continue;
    }
    const auto it = non_ascii_symbols().find(spelling);
    if (it == non_ascii_symbols().end()) {
      *ok = false;
      return out;
    }
    out.push_back(it->second);
  }
  return out;
}

template <typename T>
int compare_vectors(const std::vector<T>& a, const std::vector<T>& b) {
  if (a < b) return -1;
  if (b < a) return 1;
  return 0;
}

// Reference three-way comparison (-1, 0, 1) of strings of the test alphabet.
int reference_compare(Collation c, std::string_view a, std::string_view b, bool* ok) {
  if (c == Collation::kC) return compare_bytes(a, b);
  const std::vector<RefSymbol> sa = ref_symbols(a, ok);
  const std::vector<RefSymbol> sb = ref_symbols(b, ok);
  std::vector<std::tuple<int, uint32_t>> pa, pb;
  std::vector<int> secondary_a, secondary_b, tertiary_a, tertiary_b;
  for (const RefSymbol& s : sa) {
    pa.emplace_back(s.group, s.rank);
    secondary_a.push_back(s.accent);
    tertiary_a.push_back(s.uppercase ? 1 : 0);
  }
  for (const RefSymbol& s : sb) {
    pb.emplace_back(s.group, s.rank);
    secondary_b.push_back(s.accent);
    tertiary_b.push_back(s.uppercase ? 1 : 0);
  }
  if (const int r = compare_vectors(pa, pb); r != 0) return r;
  if (const int r = compare_vectors(secondary_a, secondary_b); r != 0) return r;
  if (const int r = compare_vectors(tertiary_a, tertiary_b); r != 0) return r;
  return compare_bytes(a, b);
}

// ---------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------

// ASCII letters, digits, space, punctuation and the non-ASCII symbols above.
std::vector<std::string> full_alphabet() {
  std::vector<std::string> out;
  for (char ch = 'a'; ch <= 'z'; ++ch)
    out.emplace_back(1, ch);
  for (char ch = 'A'; ch <= 'Z'; ++ch)
    out.emplace_back(1, ch);
  for (char ch = '0'; ch <= '9'; ++ch)
    out.emplace_back(1, ch);
  for (const char* p : {" ", ".", ",", "-", "_", "!", "'", "~", "/"})
    out.emplace_back(p);
  for (const auto& [spelling, symbol] : non_ascii_symbols())
    out.push_back(spelling);
  return out;
}

// Groups of symbols that share a primary weight, so that strings built from
// them differ only in accents or case.
const std::vector<std::vector<std::string>>& families() {
  static const auto* table = new std::vector<std::vector<std::string>>{
      {"a", "A", "à", "á", "Å"}, {"e", "E", "é", "É", "è", "ê"},
      {"u", "U", "ü", "Ü"},      {"c", "C", "ç", "Ç"},
      {"n", "N", "ñ"},           {"y", "Y", "ÿ"},
  };
  return *table;
}

// A few symbols, many of them tying at the primary level.
std::vector<std::string> dense_alphabet() {
  return {"e", "E", "é", "É", "è", "ê", "f", "a", "à", "á", "Å", "u", "ü", " ", "1"};
}

std::string join(const std::vector<std::string>& parts) {
  std::string s;
  for (const std::string& p : parts)
    s += p;
  return s;
}

rc::Gen<std::vector<std::string>> symbols_from(std::vector<std::string> alphabet, int max_symbols) {
  return rc::gen::mapcat(rc::gen::inRange(0, max_symbols + 1),
                         [alphabet = std::move(alphabet)](int n) {
                           return rc::gen::container<std::vector<std::string>>(
                               static_cast<size_t>(n), rc::gen::elementOf(alphabet));
                         });
}

// Symbol sequences of the test alphabet: either short and dense (many ties at
// the upper levels) or longer over the whole alphabet.
rc::Gen<std::vector<std::string>> gen_symbols() {
  return rc::gen::oneOf(symbols_from(dense_alphabet(), 4), symbols_from(full_alphabet(), 10));
}

rc::Gen<std::string> gen_text() {
  return rc::gen::map(gen_symbols(), join);
}

// Draws a symbol that shares its primary weight with `symbol` (itself if it
// belongs to no family).
std::string draw_sibling(const std::string& symbol) {
  for (const std::vector<std::string>& family : families()) {
    for (const std::string& member : family) {
      if (member == symbol) return *rc::gen::elementOf(family);
    }
  }
  return symbol;
}

// The same letter in the other case (only case differs, so only the tertiary
// weight changes); `symbol` itself if it has no case.
std::string swap_case(const std::string& symbol) {
  static const auto* pairs = new std::map<std::string, std::string>{
      {"é", "É"}, {"É", "é"}, {"ü", "Ü"}, {"Ü", "ü"}, {"ç", "Ç"}, {"Ç", "ç"}};
  if (symbol.size() == 1) {
    const char ch = symbol[0];
    if (ch >= 'a' && ch <= 'z') return std::string(1, static_cast<char>(ch - 'a' + 'A'));
    if (ch >= 'A' && ch <= 'Z') return std::string(1, static_cast<char>(ch - 'A' + 'a'));
    return symbol;
  }
  const auto it = pairs->find(symbol);
  return it == pairs->end() ? symbol : it->second;
}

enum class Edit { kKeep, kSwapCase, kSibling, kReplace };
enum class EndEdit { kNone, kDropLast, kAppend };

// Draws symbols close to `symbols`: most symbols are kept or change only in
// case or accent, a few are replaced, and the end may be cut or extended by
// one symbol. Such pairs often tie at the primary or secondary level.
std::vector<std::string> draw_related(std::vector<std::string> symbols) {
  for (std::string& symbol : symbols) {
    const Edit edit = *rc::gen::weightedElement<Edit>(
        {{6, Edit::kKeep}, {2, Edit::kSwapCase}, {2, Edit::kSibling}, {1, Edit::kReplace}});
    if (edit == Edit::kSwapCase) symbol = swap_case(symbol);
    if (edit == Edit::kSibling) symbol = draw_sibling(symbol);
    if (edit == Edit::kReplace) symbol = *rc::gen::elementOf(full_alphabet());
  }
  const EndEdit end = *rc::gen::weightedElement<EndEdit>(
      {{6, EndEdit::kNone}, {1, EndEdit::kDropLast}, {1, EndEdit::kAppend}});
  if (end == EndEdit::kDropLast && !symbols.empty()) symbols.pop_back();
  if (end == EndEdit::kAppend) symbols.push_back(*rc::gen::elementOf(dense_alphabet()));
  return symbols;
}

// Draws a pair of strings that are equal, closely related or independent.
std::pair<std::string, std::string> draw_pair() {
  const std::vector<std::string> a = *gen_symbols();
  const int kind = *rc::gen::inRange(0, 4);
  if (kind == 0) return {join(a), join(a)};
  if (kind == 1) return {join(a), *gen_text()};
  return {join(a), join(draw_related(a))};
}

rc::Gen<Collation> gen_collation() {
  return rc::gen::element(Collation::kC, Collation::kLocale);
}

// Arbitrary bytes, mixed with fragments of valid and malformed UTF-8.
rc::Gen<std::string> gen_bytes() {
  const std::vector<std::string> fragments = {std::string(1, '\0'),
                                              "a",
                                              "Z",
                                              "é",
                                              "\xC3",
                                              "\xA9",
                                              "\xE2\x82",
                                              "\xED\xA0\x80",
                                              "\xF4\x90\x80\x80",
                                              "\xC0\x80",
                                              "\xFF",
                                              "\xF0\x9F\x98\x80",
                                              "\xE0\x80\xAF",
                                              "\xDC\x80",
                                              "\x80\x80"};
  const auto fragment = rc::gen::oneOf(rc::gen::elementOf(fragments),
                                       rc::gen::map(rc::gen::inRange(0, 256), [](int b) {
                                         return std::string(1, static_cast<char>(b));
                                       }));
  return rc::gen::map(rc::gen::container<std::vector<std::string>>(fragment), join);
}

// ---------------------------------------------------------------------------
// Unit tests
// ---------------------------------------------------------------------------

// Checks that `ordered` is strictly increasing under `c`, pairwise.
void expect_strictly_increasing(Collation c, const std::vector<std::string>& ordered) {
  for (size_t i = 0; i < ordered.size(); ++i) {
    for (size_t j = i + 1; j < ordered.size(); ++j) {
      EXPECT_LT(collate_compare(c, ordered[i], ordered[j]), 0)
          << "'" << ordered[i] << "' vs '" << ordered[j] << "' under " << to_string(c);
      EXPECT_GT(collate_compare(c, ordered[j], ordered[i]), 0)
          << "'" << ordered[j] << "' vs '" << ordered[i] << "' under " << to_string(c);
      EXPECT_LT(compare_bytes(sort_key(c, ordered[i]), sort_key(c, ordered[j])), 0)
          << "sort keys of '" << ordered[i] << "' and '" << ordered[j] << "'";
    }
  }
}

TEST(CollationTest, NamesAreStable) {
  EXPECT_STREQ(to_string(Collation::kC), "C");
  EXPECT_STREQ(to_string(Collation::kLocale), "locale");
}

TEST(CollationTest, LocaleSortsLowercaseBeforeUppercaseOfTheSameLetter) {
  expect_strictly_increasing(Collation::kLocale, {"a", "A", "b", "B"});
  EXPECT_LT(collate_compare(Collation::kLocale, "a", "Z"), 0);
  EXPECT_GT(collate_compare(Collation::kLocale, "Z", "a"), 0);
}

TEST(CollationTest, CSortsUppercaseBeforeLowercase) {
  EXPECT_LT(collate_compare(Collation::kC, "B", "a"), 0);
  expect_strictly_increasing(Collation::kC, {"A", "B", "a", "b"});
}

TEST(CollationTest, LocalePutsAccentedLettersNextToTheirBase) {
  expect_strictly_increasing(Collation::kLocale, {"e", "é", "f"});
  expect_strictly_increasing(Collation::kLocale, {"e", "E", "é", "É", "f"});
}

TEST(CollationTest, CPutsAccentedLettersAfterAscii) {
  EXPECT_GT(collate_compare(Collation::kC, "é", "f"), 0);
  EXPECT_GT(collate_compare(Collation::kC, "é", "z"), 0);
}

TEST(CollationTest, ResumeOrdering) {
  // Accents outrank case: both spellings of "resume" come before "résumé".
  expect_strictly_increasing(Collation::kLocale, {"resume", "Resume", "résumé", "Résumé"});
  expect_strictly_increasing(Collation::kC, {"Resume", "Résumé", "resume", "résumé"});
}

TEST(CollationTest, LocaleAccentOrder) {
  // none < acute < grave < circumflex < ring < diaeresis < tilde (a has no cedilla).
  expect_strictly_increasing(Collation::kLocale, {"a", "á", "à", "â", "å", "ä", "ã", "b"});
  expect_strictly_increasing(Collation::kLocale, {"c", "ç", "Ç", "d"});
  expect_strictly_increasing(Collation::kLocale, {"n", "ñ", "Ñ", "o"});
  expect_strictly_increasing(Collation::kLocale, {"y", "ý", "ÿ", "Ÿ", "z"});
}

TEST(CollationTest, LevelsAreConsultedInOrder) {
  // Primary beats secondary and tertiary: the first difference in base letters wins.
  expect_strictly_increasing(Collation::kLocale, {"éa", "Eb"});
  // Secondary beats tertiary, wherever the accent is.
  expect_strictly_increasing(Collation::kLocale, {"Ee", "eé"});
  // Left to right within a level.
  expect_strictly_increasing(Collation::kLocale, {"eé", "ée"});
  expect_strictly_increasing(Collation::kLocale, {"aA", "Aa"});
  // A proper prefix sorts first at the primary level.
  expect_strictly_increasing(Collation::kLocale, {"E", "ea"});
}

TEST(CollationTest, GroupsOrderPunctuationDigitsLettersOthers) {
  expect_strictly_increasing(Collation::kLocale,
                             {" ", "_", "-", "!", ".", "/", "~", "0", "1", "9", "a", "Z", "ß", "Ω",
                              "€", "\xEF\xBF\xBD" /* U+FFFD */, "😀"});
  expect_strictly_increasing(Collation::kLocale, {"10", "9a", "a1", "a9", "aa"});
  // Under kC digits also precede letters, but uppercase precedes lowercase.
  expect_strictly_increasing(Collation::kC, {"0", "9", "A", "Z", "_", "a", "z"});
}

TEST(CollationTest, OnlyIdenticalStringsCompareEqual) {
  const std::vector<std::string> strings = {
      "",     "a",   "A", "á", "Á", "resume", "Resume", "résumé", "a ", " a", std::string("a\0", 2),
      "\xFF", "\xC3"};
  for (Collation c : {Collation::kC, Collation::kLocale}) {
    for (const std::string& a : strings) {
      for (const std::string& b : strings) {
        EXPECT_EQ(collate_compare(c, a, b) == 0, a == b)
            << "'" << a << "' vs '" << b << "' under " << to_string(c);
      }
    }
  }
}

TEST(CollationTest, CSortKeyEscapesZeroBytes) {
  EXPECT_EQ(sort_key(Collation::kC, std::string("a\0b", 3)), std::string("a\0\xFF"
                                                                         "b\0\0",
                                                                         6));
  EXPECT_EQ(sort_key(Collation::kC, ""), std::string("\0\0", 2));
  expect_strictly_increasing(Collation::kC, {"", std::string("\0", 1), std::string("\0\0", 2),
                                             "\x01", "a", std::string("a\0", 2), "a\x01"});
}

TEST(CollationTest, LocaleSortKeyLayout) {
  // Primary 3 bytes per character, secondary and tertiary 1 byte each, every
  // section terminated by 0x00, then the escaped bytes and 0x00 0x00.
  const std::string key = sort_key(Collation::kLocale, "a");
  ASSERT_EQ(key.size(), 3u + 1 + 1 + 1 + 1 + 1 + 1 + 2);
  EXPECT_NE(key[0], '\0');
  EXPECT_EQ(key[3], '\0');
  EXPECT_EQ(key[5], '\0');
  EXPECT_EQ(key[7], '\0');
  EXPECT_EQ(key.substr(8), std::string("a\0\0", 3));
}

TEST(CollationTest, MalformedUtf8IsOrderedDeterministically) {
  // Each malformed byte is a character of its own that sorts after z.
  expect_strictly_increasing(Collation::kLocale, {"z", "\xC3", "\xFF"});
  expect_strictly_increasing(Collation::kLocale, {"e", "é", "\xC3"});
  // Overlong forms, surrogates and code points above U+10FFFF are malformed
  // too: each of their bytes counts, so a proper prefix sorts first.
  expect_strictly_increasing(Collation::kLocale, {"\xC0", "\xC0\x80"});
  expect_strictly_increasing(Collation::kLocale, {"\xE0\x80", "\xE0\x80\xAF"});
  expect_strictly_increasing(Collation::kLocale, {"\xED\xA0", "\xED\xA0\x80"});
  expect_strictly_increasing(Collation::kLocale, {"\xF4\x90\x80", "\xF4\x90\x80\x80"});
  // Malformed bytes differ at the primary level, by byte value.
  expect_strictly_increasing(Collation::kLocale, {"\xC3"
                                                  "b",
                                                  "\xFF"
                                                  "a"});
  // A truncated sequence is two malformed bytes, not one code point.
  EXPECT_NE(collate_compare(Collation::kLocale, "\xE2\x82", "€"), 0);
  expect_strictly_increasing(Collation::kLocale, {"€", "\xE2\x82"});
}

TEST(CollationTest, ExhaustiveShortStringsMatchReference) {
  // Every string of up to two symbols over letters that tie at the upper
  // levels: all combinations of accent and case differences get compared.
  const std::vector<std::string> symbols = {"a", "A", "á", "à", "Å", "e", "E", "é",
                                            "É", "è", "ê", "f", " ", "1", "ç", "Ç"};
  std::vector<std::string> strings = {""};
  for (const std::string& x : symbols) {
    strings.push_back(x);
    for (const std::string& y : symbols)
      strings.push_back(x + y);
  }
  for (Collation c : {Collation::kC, Collation::kLocale}) {
    std::vector<std::string> keys;
    for (const std::string& s : strings)
      keys.push_back(sort_key(c, s));
    int mismatches = 0;
    for (size_t i = 0; i < strings.size(); ++i) {
      for (size_t j = 0; j < strings.size(); ++j) {
        bool ok = true;
        const int expected = reference_compare(c, strings[i], strings[j], &ok);
        const bool agrees = ok && sign(collate_compare(c, strings[i], strings[j])) == expected &&
                            compare_bytes(keys[i], keys[j]) == expected;
        if (!agrees && ++mismatches <= 5) {
          ADD_FAILURE() << "'" << strings[i] << "' vs '" << strings[j] << "' under " << to_string(c)
                        << ": expected " << expected;
        }
      }
    }
    EXPECT_EQ(mismatches, 0);
  }
}

TEST(CollationTest, LongStringsSortKeysMatchReference) {
  // Past 64 characters the locale key's one-byte weights wait on the heap,
  // not the stack: long keys still order as the reference does, pairs that
  // differ only at the secondary or tertiary level included.
  const std::string a70(70, 'a');
  std::string accents;
  for (int i = 0; i < 40; ++i)
    accents += "é";  // 80 bytes, 40 characters
  const std::vector<std::string> strings = {a70,
                                            a70 + "a",
                                            a70 + "A",
                                            a70 + "á",
                                            a70 + "b",
                                            accents,
                                            accents + "e",
                                            accents + "É",
                                            std::string(200, 'e'),
                                            std::string(199, 'e') + "E",
                                            std::string(199, 'e') + "é"};
  for (const std::string& x : strings) {
    for (const std::string& y : strings) {
      bool ok = true;
      const int expected = reference_compare(Collation::kLocale, x, y, &ok);
      ASSERT_TRUE(ok);
      EXPECT_EQ(compare_bytes(sort_key(Collation::kLocale, x), sort_key(Collation::kLocale, y)),
                expected)
          << x.size() << "-byte vs " << y.size() << "-byte string";
    }
  }
  // Byte for byte: a long key is its characters' one-character keys taken
  // apart, level by level (a one-character key is [primary 3][0][secondary]
  // [0][tertiary][0][bytes][0 0]).
  const std::vector<std::string> symbols = {"a", "A", "á", "É", "z", "1", " "};
  std::string s;
  std::string primary, secondary, tertiary;
  for (int i = 0; i < 90; ++i) {
    const std::string& c = symbols[static_cast<size_t>(i * 5 + i / 7) % symbols.size()];
    const std::string one = sort_key(Collation::kLocale, c);
    ASSERT_EQ(one.size(), 3u + 1 + 1 + 1 + 1 + 1 + c.size() + 2);
    s += c;
    primary += one.substr(0, 3);
    secondary += one.substr(4, 1);
    tertiary += one.substr(6, 1);
  }
  const std::string zero(1, '\0');
  EXPECT_EQ(sort_key(Collation::kLocale, s),
            primary + zero + secondary + zero + tertiary + zero + s + zero + zero);
}

// ---------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------

RC_GTEST_PROP(CollationProps, MatchesReferenceImplementation, ()) {
  const Collation c = *gen_collation();
  const auto [a, b] = draw_pair();
  bool ok = true;
  const int expected = reference_compare(c, a, b, &ok);
  RC_ASSERT(ok);
  RC_ASSERT(sign(collate_compare(c, a, b)) == expected);
}

RC_GTEST_PROP(CollationProps, IsAntisymmetricAndDeterministic, ()) {
  const Collation c = *gen_collation();
  const auto [a, b] = draw_pair();
  RC_ASSERT(sign(collate_compare(c, a, b)) == -sign(collate_compare(c, b, a)));
  RC_ASSERT((collate_compare(c, a, b) == 0) == (a == b));
  RC_ASSERT(collate_compare(c, a, a) == 0);
}

RC_GTEST_PROP(CollationProps, IsTransitive, ()) {
  const Collation c = *gen_collation();
  // Chains of related strings, so that the three often tie at some levels.
  const std::vector<std::string> symbols_a = *gen_symbols();
  const std::vector<std::string> symbols_b = draw_related(symbols_a);
  const std::vector<std::string> symbols_d = draw_related(symbols_b);
  const std::string a = join(symbols_a);
  const std::string b = join(symbols_b);
  const std::string d = join(symbols_d);
  const int ab = collate_compare(c, a, b);
  const int bd = collate_compare(c, b, d);
  const int ad = collate_compare(c, a, d);
  if (ab <= 0 && bd <= 0) RC_ASSERT(ad <= 0);
  if (ab >= 0 && bd >= 0) RC_ASSERT(ad >= 0);
  if ((ab < 0 && bd <= 0) || (ab <= 0 && bd < 0)) RC_ASSERT(ad < 0);
}

RC_GTEST_PROP(CollationProps, SortKeyOrderMatchesCompareWhateverFollows, ()) {
  const Collation c = *gen_collation();
  const auto [a, b] = draw_pair();
  const std::string suffix_a = *gen_bytes();
  const std::string suffix_b = *gen_bytes();
  const std::string key_a = sort_key(c, a);
  const std::string key_b = sort_key(c, b);
  const int expected = sign(collate_compare(c, a, b));
  RC_ASSERT(compare_bytes(key_a, key_b) == expected);
  if (a != b) {
    RC_ASSERT(compare_bytes(key_a + suffix_a, key_b + suffix_b) == expected);
    RC_ASSERT(keys_order_for_all_suffixes(key_a, key_b, expected));
  }
  // The sort key is appended: existing content of the output is kept.
  std::string out = suffix_a;
  append_sort_key(c, a, &out);
  RC_ASSERT(out == suffix_a + key_a);
}

RC_GTEST_PROP(CollationProps, ArbitraryBytesAreHandledConsistently, ()) {
  const Collation c = *gen_collation();
  const std::string a = *gen_bytes();
  // b is independent, equal, an extension of a (possibly by NULs) or a
  // prefix of a: the last three
  // stress the escaping and terminators of the keys.
  const std::string b =
      *rc::gen::oneOf(gen_bytes(), rc::gen::just(a),
                      rc::gen::map(gen_bytes(), [a](const std::string& tail) { return a + tail; }),
                      rc::gen::map(rc::gen::inRange<size_t>(1, 4),
                                   [a](size_t n) { return a + std::string(n, '\0'); }),
                      rc::gen::map(rc::gen::inRange<size_t>(0, a.size() + 1),
                                   [a](size_t n) { return a.substr(0, n); }));
  const std::string suffix_a = *gen_bytes();
  const std::string suffix_b = *gen_bytes();
  const int ab = collate_compare(c, a, b);
  RC_ASSERT(sign(ab) == -sign(collate_compare(c, b, a)));
  RC_ASSERT((ab == 0) == (a == b));
  const std::string key_a = sort_key(c, a);
  const std::string key_b = sort_key(c, b);
  RC_ASSERT(compare_bytes(key_a, key_b) == sign(ab));
  if (a != b) {
    RC_ASSERT(compare_bytes(key_a + suffix_a, key_b + suffix_b) == sign(ab));
    RC_ASSERT(keys_order_for_all_suffixes(key_a, key_b, sign(ab)));
  }
}

}  // namespace
}  // namespace cdc
