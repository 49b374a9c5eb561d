// JUnit XML for the CI gate: one test suite per matrix cell or scenario file,
// one test case per property; an unexpected violation is a <failure>.
#pragma once

#include <string>
#include <vector>

namespace cdc::reports {

struct JUnitCase {
  std::string name;
  std::string classname;
  bool failed = false;
  bool skipped = false;
  std::string message;  // failure message
};

struct JUnitSuite {
  std::string name;
  std::vector<JUnitCase> cases;
};

std::string junit_xml(const std::vector<JUnitSuite>& suites);

}  // namespace cdc::reports
