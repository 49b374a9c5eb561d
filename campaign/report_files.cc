#include "campaign/report_files.h"

#include "reports/algorithm_comparison.h"

#include <fmt/core.h>

#include <filesystem>

#include "model/assert.h"
#include "reports/atomic_file.h"
#include "reports/matrix_report.h"

namespace cdc::campaign {

namespace {

reports::JUnitSuite suite_of(const std::string& name, uint64_t runs,
                             const std::map<std::string, sim::PropertyTally>& tallies,
                             const std::vector<std::string>& properties) {
  reports::JUnitSuite suite{name, {}};
  if (runs == 0) {
    suite.cases.push_back({"all properties", name, false, true, ""});
    return suite;
  }
  for (const std::string& p : properties) {
    const auto it = tallies.find(p);
    if (it == tallies.end()) continue;
    const sim::PropertyTally& t = it->second;
    reports::JUnitCase c{p, name, t.violated_unexpected > 0, false, ""};
    if (c.failed) {
      c.message = fmt::format("{} of {} runs failed; first at seed {}: {}", t.violated_unexpected,
                              runs, *t.first_unexpected_seed, t.unexpected_explanation);
    }
    suite.cases.push_back(std::move(c));
  }
  return suite;
}

}  // namespace

std::vector<reports::JUnitSuite> junit_suites(const reports::ExploreReport& r) {
  std::vector<reports::JUnitSuite> out;
  for (const reports::FileRow& f : r.file_rows) {
    std::vector<std::string> props;
    for (const auto& [p, t] : f.properties)
      props.push_back(p);
    out.push_back(suite_of("scenario " + f.file, f.runs, f.properties, props));
  }
  if (r.matrix) {
    for (const sim::MatrixRow& row : r.matrix->rows) {
      out.push_back(suite_of("matrix " + sim::cell_spec(row.cell), row.runs, row.properties,
                             r.matrix->property_names));
    }
  }
  CDC_ASSERT(out.size() == r.file_rows.size() + (r.matrix ? r.matrix->rows.size() : 0),
             "one suite per row");
  return out;
}

Status write_report(const reports::ExploreReport& r, const std::string& out_dir,
                    const std::string& junit) {
  std::error_code ec;
  std::filesystem::create_directories(out_dir + "/shrunk", ec);
  if (ec)
    return Error{ErrorCode::kInvalidArgument, "cannot create " + out_dir + ": " + ec.message()};
  for (const reports::ReportCase& c : r.cases) {
    if (c.shrunk_path.empty()) continue;
    const Status st = reports::write_file_atomically(out_dir + "/" + c.shrunk_path, c.shrunk_yaml);
    if (!st.is_ok()) return st;
  }
  for (const auto& [name, text] : {std::pair{"explore.json", reports::report_json(r)},
                                   std::pair{"explore.md", reports::report_markdown(r)},
                                   std::pair{"explore.html", reports::report_html(r)}}) {
    const Status st = reports::write_file_atomically(out_dir + "/" + name, text);
    if (!st.is_ok()) return st;
  }
  if (r.matrix) {
    for (const auto& [name, text] : {std::pair{"matrix.json", reports::matrix_json(*r.matrix)},
                                     std::pair{"matrix.md", reports::matrix_markdown(*r.matrix)}}) {
      const Status st = reports::write_file_atomically(out_dir + "/" + name, text);
      if (!st.is_ok()) return st;
    }
    const std::string comparison = reports::comparison_markdown(*r.matrix);
    if (!comparison.empty()) {
      const Status st = reports::write_file_atomically(
          out_dir + "/comparison.md", "# Capture algorithms compared\n\n" + comparison);
      if (!st.is_ok()) return st;
    }
  }
  if (junit.empty()) return Status::ok();
  return reports::write_file_atomically(junit, reports::junit_xml(junit_suites(r)));
}

}  // namespace cdc::campaign
