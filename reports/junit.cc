#include "reports/junit.h"

#include "reports/html.h"

namespace cdc::reports {

// Text is escaped with html_escape: its output is valid XML 1.0 too
// (character references, U+FFFD for the control characters XML forbids).

std::string junit_xml(const std::vector<JUnitSuite>& suites) {
  size_t tests = 0, failures = 0, skipped = 0;
  for (const JUnitSuite& s : suites) {
    for (const JUnitCase& c : s.cases) {
      ++tests;
      failures += c.failed;
      skipped += c.skipped;
    }
  }
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<testsuites name=\"cdcsim gate\" tests=\"" + std::to_string(tests) + "\" failures=\"" +
         std::to_string(failures) + "\" skipped=\"" + std::to_string(skipped) + "\">\n";
  for (const JUnitSuite& s : suites) {
    size_t f = 0, k = 0;
    for (const JUnitCase& c : s.cases) {
      f += c.failed;
      k += c.skipped;
    }
    out += "  <testsuite name=\"" + html_escape(s.name) + "\" tests=\"" +
           std::to_string(s.cases.size()) + "\" failures=\"" + std::to_string(f) + "\" skipped=\"" +
           std::to_string(k) + "\">\n";
    for (const JUnitCase& c : s.cases) {
      out += "    <testcase name=\"" + html_escape(c.name) + "\" classname=\"" +
             html_escape(c.classname) + "\"";
      if (!c.failed && !c.skipped) {
        out += "/>\n";
        continue;
      }
      out += ">\n";
      if (c.failed) {
        out += "      <failure message=\"" + html_escape(c.message) + "\">" +
               html_escape(c.message) + "</failure>\n";
      } else {
        out += "      <skipped/>\n";
      }
      out += "    </testcase>\n";
    }
    out += "  </testsuite>\n";
  }
  return out + "</testsuites>\n";
}

}  // namespace cdc::reports
