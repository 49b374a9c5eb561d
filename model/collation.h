// Text collations of the source model.
//
// kC       bytewise comparison of the UTF-8 bytes, as PostgreSQL's "C" collation
//          (and `COLLATE "C"`).
// kLocale  an ICU-like, locale-style collation that disagrees with kC on case
//          and accents. Comparison is multi-level, like ICU's root collation
//          with default strength:
//            1. primary:   base characters, case and accents ignored. Groups
//                          in order: control codes (by code), space and
//                          punctuation in ICU's root order
//                            _ - , ; : ! ? . ' " ( ) [ ] { } @ * / \ & # % ` ^ + < = > | ~ $
//                          digits, Latin letters a..z, any other code point
//                          (by code point value);
//            2. secondary: accents (none < acute < grave < circumflex < ring <
//                          diaeresis < tilde < cedilla), left to right;
//            3. tertiary:  case, lowercase before uppercase, left to right;
//            4. tie-break: bytewise, as PostgreSQL's deterministic collations
//                          do, so that distinct strings never compare equal.
//          Hence: "a" < "A" < "b" < "B", "e" < "é" < "f", "Z" < "a" is false.
//          The accented letters known are the Latin-1 letters with the accents
//          above (à á â ä ã å ç è é ê ë ì í î ï ñ ò ó ô ö õ ù ú û ü ý ÿ and their
//          capitals); other non-ASCII code points sort after z by code point.
//
//          Agreement with PostgreSQL. On printable ASCII and the accented
//          letters above, kLocale orders strings exactly as PostgreSQL 15's
//          ICU root collation "und-x-icu" (tests/conformance/collation_test.cc
//          checks it against the real server; the conformance workloads draw
//          their text keys from this alphabet). Outside it they disagree: ICU
//          ignores control codes, sorts æ ð ø þ as letters of their own after
//          a, d, o and z, ß as "ss", × and ÷ among the symbols, and every other
//          code point by its own tables.
#pragma once

#include <string>
#include <string_view>

namespace cdc {

enum class Collation : unsigned char { kC, kLocale };

const char* to_string(Collation c);

// Three-way comparison of two strings under the collation: <0, 0 or >0.
// Returns 0 only for byte-identical strings (deterministic collation).
int collate_compare(Collation c, std::string_view a, std::string_view b);

// Appends to `out` a sort key for `s` such that, for any strings a, b and any
// suffixes appended after the key, bytewise comparison of
//   key(a) + suffix_a  vs  key(b) + suffix_b
// has the sign of collate_compare(c, a, b) whenever a != b (the key is
// prefix-free). For kC this is the escaped bytes of s followed by a terminator.
void append_sort_key(Collation c, std::string_view s, std::string* out);

}  // namespace cdc
