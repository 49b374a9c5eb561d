#include "conformance/side.h"

#include <cstdio>

namespace cdc::conformance {

const char* to_string(Outcome o) {
  switch (o) {
    case Outcome::kOk:
      return "ok";
    case Outcome::kUniqueViolation:
      return "unique_violation";
    case Outcome::kLockNotAvailable:
      return "lock_not_available";
    case Outcome::kRowNotFound:
      return "row_not_found";
    case Outcome::kOther:
      return "other error";
  }
  return "?";
}

std::string render_value(const Value& v) {
  if (v.is_null()) return "NULL";
  if (v.is_int64()) return std::to_string(v.as_int64());
  const std::string_view s = v.as_text();
  constexpr size_t kShown = 40;
  std::string quoted;
  const size_t shown = s.size() <= kShown ? s.size() : 12;
  for (size_t i = 0; i < shown; ++i) {
    if (s[i] == '\'') quoted += '\'';
    quoted += s[i];
  }
  if (s.size() <= kShown) return "'" + quoted + "'";
  uint64_t h = 1469598103934665603ULL;  // FNV-1a: tells long values apart
  for (unsigned char ch : s)
    h = (h ^ ch) * 1099511628211ULL;
  char tail[64];
  std::snprintf(tail, sizeof tail, "...'[%zu bytes #%08x]", s.size(),
                static_cast<unsigned>(h & 0xffffffffu));
  return "'" + quoted + tail;
}

std::string row_id(const TableSchema& s, std::span<const Value> row) {
  std::string out = "(";
  if (s.has_primary_key()) {
    for (size_t i = 0; i < s.primary_key.size(); ++i) {
      if (i) out += ",";
      out += render_value(row[s.primary_key[i]]);
    }
  } else {
    for (size_t i = 0; i < row.size(); ++i) {
      if (i) out += ",";
      out += render_value(row[i]);
    }
  }
  return out + ")";
}

std::string to_string(const Query& q, const TableSchema& s) {
  std::string out;
  switch (q.kind) {
    case Query::Kind::kKeyset: {
      out = "keyset " + s.name + " after ";
      if (q.after) {
        out += "(";
        for (size_t i = 0; i < q.after->size(); ++i)
          out += (i ? "," : "") + render_value((*q.after)[i]);
        out += ")";
      } else {
        out += "start";
      }
      out += " limit " + std::to_string(q.limit) +
             (q.order == KeyOrder::kBytewise ? " order C" : " order database");
      break;
    }
    case Query::Kind::kCtidRange:
      out = "ctid range " + s.name + " (" + to_string(q.ctid_after) + ", " +
            to_string(q.ctid_upto) + "]";
      break;
    case Query::Kind::kScan:
      out = "scan " + s.name;
      break;
  }
  if (q.filter) out += " WHERE " + q.filter->sql();
  return out;
}

}  // namespace cdc::conformance
