// Renders the guarantee matrix as JSON (schema_version 1) and as Markdown.
#pragma once

#include <string>

#include "sim/matrix.h"

namespace cdc::reports {

std::string matrix_json(const sim::Matrix& m);
std::string matrix_markdown(const sim::Matrix& m);

}  // namespace cdc::reports
