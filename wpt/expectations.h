#pragma once
// Expectations in wptrunner's metadata format (wptmanifest): meta/<dir>/<test file>.ini holds a
// section per test ID ([url-constructor.any.html?include=file]) and a subsection per subtest,
// each with `expected: STATUS` or `expected: [STATUS, INTERMITTENT...]`, optionally conditional
// (`if os == "rayos": FAIL` lines, then a default), and `disabled: reason`; meta/<dir>/__dir__.ini
// may disable a whole directory. What is not written is expected to be OK (tests) or PASS
// (subtests), as in wptrunner.
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "wpt/results.h"

namespace osh::wpt {

// The values conditions test (run_info): product, os, debug, ...
using RunInfo = std::map<std::string, nlohmann::json>;

class Expectations {
 public:
  // Every .ini under `meta_dir` (none when the folder does not exist). Throws osh::InputError
  // naming the file and line of anything malformed or unsupported.
  static Expectations load(const std::filesystem::path& meta_dir, const RunInfo& run_info);

  // The expected status first, then the known intermittent ones.
  std::vector<std::string> for_test(const std::string& test_id) const;
  std::vector<std::string> for_subtest(const std::string& test_id, const std::string& name) const;
  // Why the test is disabled, if it is.
  std::optional<std::string> disabled(const std::string& test_id) const;
  size_t file_count() const { return files_; }

 private:
  struct Test {
    std::vector<std::string> expected;
    std::optional<std::string> disabled;
    std::map<std::string, std::vector<std::string>> subtests;
  };
  std::map<std::string, Test> tests_;
  std::map<std::string, std::string> disabled_directories_;  // "/url/" -> reason
  size_t files_ = 0;
};

// The metadata file of a test ID, relative to the meta folder, and its section name:
// "/url/url-constructor.any.html?include=file" -> "url/url-constructor.any.js.ini",
// "url-constructor.any.html?include=file".
std::filesystem::path metadata_file(const std::string& test_id);
std::string metadata_section(const std::string& test_id);

// wptmanifest's escaping of a section heading (\\, \], and C0 controls as \t \n \r \xNN).
std::string escape_heading(const std::string& name);

// Rewrites the metadata of every test in `runs` (results of one or more runs: a status seen
// in some runs only becomes an intermittent list, the most frequent first) under `meta_dir`,
// keeping the sections of other tests and every `disabled:` as they were. Returns the files
// written. Throws osh::InputError for an existing file it cannot parse.
std::vector<std::filesystem::path> update_expectations(
    const std::filesystem::path& meta_dir, const std::vector<std::vector<TestResult>>& runs);

}  // namespace osh::wpt
