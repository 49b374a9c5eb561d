// Writes a report atomically: the content goes to a temporary file beside the
// target, which is then renamed over it, so an interrupted run never leaves a
// half-written report behind.
#pragma once

#include <string>

#include "model/status.h"

namespace cdc::reports {

Status write_file_atomically(const std::string& path, const std::string& content);

}  // namespace cdc::reports
