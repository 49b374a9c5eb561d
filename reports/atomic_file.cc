#include "reports/atomic_file.h"

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace cdc::reports {

Status write_file_atomically(const std::string& path, const std::string& content) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return Error{ErrorCode::kInvalidArgument, "cannot write " + tmp};
    out << content;
    out.flush();
    if (!out) {
      std::remove(tmp.c_str());
      return Error{ErrorCode::kInvalidArgument, "cannot write " + tmp};
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::remove(tmp.c_str());
    return Error{ErrorCode::kInvalidArgument,
                 "cannot rename " + tmp + " to " + path + ": " + ec.message()};
  }
  return Status::ok();
}

}  // namespace cdc::reports
