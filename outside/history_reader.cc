#include "outside/history_reader.h"

#include <fstream>
#include <iostream>
#include <map>
#include <optional>

#include "model/xid.h"
#include "outside/json_fields.h"
#include "outside/records.h"

namespace cdc::outside {

namespace {

using detail::BadField;
using detail::json;

// "FILE:LINE:COL: message"; COL is where `key` first appears in the line
// (the start of the line when it does not).
Error located(const std::string& file, uint64_t line_no, const std::string& line,
              const BadField& e) {
  size_t col = 1;
  if (!e.key.empty()) {
    const size_t at = line.find("\"" + e.key + "\"");
    if (at != std::string::npos) col = at + 2;
  }
  return Error{ErrorCode::kInvalidArgument,
               file + ":" + std::to_string(line_no) + ":" + std::to_string(col) + ": " + e.message};
}

bool blank(const std::string& line) {
  return line.find_first_not_of(" \t\r") == std::string::npos;
}

}  // namespace

Result<OutsideHistory> read_outside_history(std::istream& in, const std::string& file) {
  OutsideHistory out;
  detail::Records records(&out);
  std::string line;
  uint64_t line_no = 0;
  for (; line_no < kMaxLines && std::getline(in, line);) {
    ++line_no;
    if (line.size() > kMaxLineBytes) {
      return located(
          file, line_no, line,
          BadField{"", "a line is longer than " + std::to_string(kMaxLineBytes) + " bytes"});
    }
    if (blank(line)) continue;
    json record;
    try {
      record = json::parse(line);
    } catch (const json::parse_error& e) {
      return Error{ErrorCode::kInvalidArgument, file + ":" + std::to_string(line_no) + ":" +
                                                    std::to_string(e.byte) +
                                                    ": not JSON: " + std::string(e.what())};
    }
    try {
      records.read(record, line_no);
    } catch (const BadField& e) {
      return located(file, line_no, line, e);
    }
    ++out.lines;
  }
  if (line_no >= kMaxLines && std::getline(in, line)) {
    return Error{ErrorCode::kInvalidArgument, file + ":" + std::to_string(line_no + 1) +
                                                  ":1: more than " + std::to_string(kMaxLines) +
                                                  " lines"};
  }
  try {
    records.finish(line_no + 1);
  } catch (const BadField& e) {
    return located(file, line_no, "", e);
  }
  return out;
}

Result<OutsideHistory> read_outside_history_file(const std::string& path) {
  if (path == "-") return read_outside_history(std::cin, "<stdin>");
  std::ifstream in(path);
  if (!in) return Error{ErrorCode::kInvalidArgument, path + ": cannot open the history file"};
  return read_outside_history(in, path);
}

}  // namespace cdc::outside
