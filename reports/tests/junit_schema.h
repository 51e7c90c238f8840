#pragma once
// A JUnit XML file checked against the Jenkins junit.xsd (reports/tests/data/junit.xsd) with
// Debian's xmllint, for every test of a JUnit writer: the campaign's junit.xml and the gate's.
#include <filesystem>
#include <string>

namespace osh::reports::testing {

struct JunitValidation {
  bool valid = false;
  std::string messages;  // xmllint's, naming each element and attribute it refused
};

// `xmllint --noout --schema junit.xsd <xml>`, its messages in `dir`/xmllint.log. A missing
// xmllint or one that hangs is a test failure (ADD_FAILURE), never a pass.
JunitValidation validate_junit(const std::filesystem::path& xml, const std::filesystem::path& dir);

}  // namespace osh::reports::testing
