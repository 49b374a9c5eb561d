#include "reports/junit.h"

namespace cdc::reports {

namespace {
std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        // Control characters are not allowed in XML 1.0.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') {
          out += ' ';
        } else {
          out += c;
        }
    }
  }
  return out;
}
}  // namespace

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
    out += "  <testsuite name=\"" + escape(s.name) + "\" tests=\"" +
           std::to_string(s.cases.size()) + "\" failures=\"" + std::to_string(f) + "\" skipped=\"" +
           std::to_string(k) + "\">\n";
    for (const JUnitCase& c : s.cases) {
      out +=
          "    <testcase name=\"" + escape(c.name) + "\" classname=\"" + escape(c.classname) + "\"";
      if (!c.failed && !c.skipped) {
        out += "/>\n";
        continue;
      }
      out += ">\n";
      if (c.failed) {
        out += "      <failure message=\"" + escape(c.message) + "\">" + escape(c.message) +
               "</failure>\n";
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
