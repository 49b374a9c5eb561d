// Renders the guarantee matrix as JSON (schema_version 1) and as Markdown.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "sim/matrix.h"

namespace cdc::reports {

// One property's tally as JSON (the matrix's cells and the report's file rows).
nlohmann::json property_tally_json(const sim::PropertyTally& t);

std::string matrix_json(const sim::Matrix& m);
std::string matrix_markdown(const sim::Matrix& m);

}  // namespace cdc::reports
