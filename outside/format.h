// The objects of the outside-history format (docs/history-format/README.md)
// and the keys each may hold: the one list the reader checks records
// against and the JSON Schema (docs/history-format/history.schema.json) is
// tested against. Records are named by their "type"; objects inside records
// by what they are ("column", "change", "document", "row").
#pragma once

#include <map>
#include <string>
#include <vector>

namespace cdc::outside {

// Object name -> its keys, in the order the documentation lists them.
const std::map<std::string, std::vector<std::string>>& format_objects();

// The record types, in the order the documentation lists them.
const std::vector<std::string>& record_types();

}  // namespace cdc::outside
