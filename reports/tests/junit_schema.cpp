#include "reports/tests/junit_schema.h"

#include <gtest/gtest.h>

#include "harness/base/subprocess.h"
#include "reports/tests/report_fixtures.h"

namespace osh::reports::testing {

JunitValidation validate_junit(const std::filesystem::path& xml, const std::filesystem::path& dir) {
  if (!find_executable("xmllint")) {
    ADD_FAILURE() << "xmllint not found: run scripts/setup (it installs Debian's libxml2-utils)";
    return {};
  }
  const auto log = dir / "xmllint.log";
  auto p = Subprocess::spawn({"xmllint", "--noout", "--schema", OSH_JUNIT_XSD, xml.string()},
                             {.stderr_to = Redirect::file(log)});
  const auto& status = p.wait_for(std::chrono::seconds(30));
  if (!status) {
    p.kill_group();
    ADD_FAILURE() << "xmllint did not finish within 30 s";
    return {};
  }
  return {!status->signaled && status->code == 0, read_file(log)};
}

}  // namespace osh::reports::testing
