// A key's timeline (reports/key_timeline.h) as JSON, for the failure
// report's JSON rendering: every lane with typed fields, the end state, and
// the flattened entries (reports/timeline_entries.h) as the pictures show
// them.
//
// Encoding: keys and order keys as "key_text" (reports' rendering: "k1" in
// quotes, or 0x… hex) and "key_hex" (the exact bytes); LSNs as PostgreSQL
// style strings ("0/12C"); rows as their SQL-literal-like text (null when
// absent); xids as numbers. Text may hold invalid UTF-8: dump with
// nlohmann::json::error_handler_t::replace.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "reports/key_timeline.h"

namespace cdc::reports {

nlohmann::json key_timeline_json(const KeyTimeline& t);

// Lower-case hex of the bytes, without a prefix.
std::string hex_bytes(std::string_view bytes);

}  // namespace cdc::reports
