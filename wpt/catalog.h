#pragma once
// The WPT tests rayos can run, built from the pinned data (wpt/data) exactly as WPT's own test
// files would build them: the test IDs (/url/url-constructor.any.html?include=file), the
// subtests in their order with WPT's names ("Parsing: <input> against <base>"), and for each
// subtest the case the guest runs (os/core/wpt/image_format.h). One mapping per WPT directory
// (url_suites.cpp, mimesniff_suites.cpp, data_url_suites.cpp): adding a data-driven directory
// is a mapping here and a case kind in the guest (docs/wpt.md).
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "os/core/wpt/image_format.h"

namespace osh::wpt {

// What the image carries for one subtest: its kind and tagged fields, bytes as WPT has them.
struct GuestCase {
  rayos::wpt::CaseKind kind = rayos::wpt::CaseKind::kLoad;
  std::vector<std::pair<rayos::wpt::FieldTag, std::string>> fields;

  GuestCase& add(rayos::wpt::FieldTag tag, std::string value = {}) {
    fields.emplace_back(tag, std::move(value));
    return *this;
  }
  // An expected attribute value (FieldTag::kExpect).
  GuestCase& expect(const std::string& attribute, const std::string& value);
};

struct Subtest {
  std::string name;
  GuestCase guest;
};

struct WptTest {
  std::string id;  // "/url/url-origin.any.html"
  std::vector<Subtest> subtests;
};

// "/url/url-origin.any.html" -> "/url/"; what the dashboard groups by.
std::string test_directory(const std::string& test_id);

// A mapping of one WPT directory: where its data lives under wpt/data, and how its tests are
// made from it.
struct SuiteMapping {
  std::string directory;  // "/url/"
  std::function<std::vector<WptTest>(const std::filesystem::path& data_dir)> tests;
};

const std::vector<SuiteMapping>& suite_mappings();
// Each defined in its own file.
SuiteMapping url_suite();
SuiteMapping mimesniff_suite();
SuiteMapping data_url_suite();

// Every test of every mapping, in mapping order. Throws osh::InputError for missing or broken
// data files.
std::vector<WptTest> load_catalog(const std::filesystem::path& data_dir);

// The tests whose ID equals one of `selection` or starts with one that ends in '/' (a
// directory); an empty selection selects all. Throws osh::InputError naming `origin` for an
// entry that selects nothing.
std::vector<WptTest> select_tests(std::vector<WptTest> catalog,
                                  const std::vector<std::string>& selection,
                                  const std::string& origin);

// Splits `tests` over `shards` VMs, balancing subtests (a test stays whole: WPT reports tests,
// and wpt.fyi refuses one reported twice); deterministic. Returns the tests of `shard`.
std::vector<WptTest> shard_tests(const std::vector<WptTest>& tests, int shards, int shard);

}  // namespace osh::wpt
