// Text for HTML pages: escaping that is safe in element content, in quoted
// attribute values and inside inline SVG.
#pragma once

#include <string>
#include <string_view>

namespace cdc::reports {

// Replaces & < > " ' with character references, invalid UTF-8 and control
// characters other than tab, newline and carriage return with U+FFFD, and
// leaves everything else (valid UTF-8 included) as it is.
std::string html_escape(std::string_view text);

}  // namespace cdc::reports
