// InternedText: a short string held once per process and referred to by
// address.
//
// Millions of documents name one of a few backfill instances ("items.v2").
// A std::string per document costs 32 bytes and a copy; an InternedText is
// one pointer into a process-wide pool, so copying it is free and equal
// texts compare by address.
//
// Contract: an InternedText reads like a const std::string (str(), an
// implicit conversion, empty(), size(), comparisons with strings and
// literals, concatenation). Equal texts always share one pool entry, so
// equality is the equality of their bytes. The pool only grows: intern only
// what a run has few of (instance names, not keys or values). Nothing
// iterates the pool, so its hash order never reaches output.
//
// Invariants: s_ is never null and points at a string that lives until the
// process ends; the empty text is one static string.
#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>

namespace cdc {

class InternedText {
 public:
  InternedText() noexcept : s_(&empty_text()) {}
  // Implicit: an InternedText takes the place of a string member.
  InternedText(std::string_view s);  // NOLINT(google-explicit-constructor)
  InternedText(const std::string& s) : InternedText(std::string_view(s)) {}  // NOLINT
  InternedText(const char* s) : InternedText(std::string_view(s)) {}         // NOLINT

  const std::string& str() const { return *s_; }
  operator const std::string&() const { return *s_; }  // NOLINT(google-explicit-constructor)
  bool empty() const { return s_->empty(); }
  size_t size() const { return s_->size(); }

  friend bool operator==(InternedText a, InternedText b) { return a.s_ == b.s_; }
  friend bool operator==(InternedText a, const std::string& b) { return *a.s_ == b; }
  friend bool operator==(InternedText a, std::string_view b) { return *a.s_ == b; }
  friend bool operator==(InternedText a, const char* b) { return *a.s_ == b; }
  // By bytes, like the strings it stands for (never by address).
  friend bool operator<(InternedText a, InternedText b) { return *a.s_ < *b.s_; }
  friend std::string operator+(const std::string& a, InternedText b) { return a + *b.s_; }
  friend std::string operator+(const char* a, InternedText b) { return a + *b.s_; }
  friend std::string operator+(InternedText a, const std::string& b) { return *a.s_ + b; }
  friend std::string operator+(InternedText a, const char* b) { return *a.s_ + b; }
  friend std::ostream& operator<<(std::ostream& out, InternedText t) { return out << *t.s_; }

 private:
  static const std::string& empty_text();
  const std::string* s_;
};

}  // namespace cdc
