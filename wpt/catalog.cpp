#include "wpt/catalog.h"

#include <algorithm>
#include <numeric>

#include "harness/base/errors.h"

namespace osh::wpt {

GuestCase& GuestCase::expect(const std::string& attribute, const std::string& value) {
  std::string data(1, static_cast<char>(attribute.size()));
  data += attribute;
  data += value;
  return add(rayos::wpt::FieldTag::kExpect, std::move(data));
}

std::string test_directory(const std::string& test_id) {
  const size_t slash = test_id.rfind('/', test_id.find('?'));
  return slash == std::string::npos ? "/" : test_id.substr(0, slash + 1);
}

const std::vector<SuiteMapping>& suite_mappings() {
  static const std::vector<SuiteMapping> mappings = {url_suite(), mimesniff_suite(),
                                                     data_url_suite()};
  return mappings;
}

std::vector<WptTest> load_catalog(const std::filesystem::path& data_dir) {
  std::vector<WptTest> all;
  for (const auto& mapping : suite_mappings())
    for (auto& test : mapping.tests(data_dir)) all.push_back(std::move(test));
  return all;
}

std::vector<WptTest> select_tests(std::vector<WptTest> catalog,
                                  const std::vector<std::string>& selection,
                                  const std::string& origin) {
  if (selection.empty()) return catalog;
  std::vector<bool> used(selection.size(), false);
  std::vector<WptTest> chosen;
  for (auto& test : catalog) {
    bool take = false;
    for (size_t i = 0; i < selection.size(); ++i) {
      const std::string& s = selection[i];
      const bool match = s.ends_with('/') ? test.id.starts_with(s) : test.id == s;
      if (match) used[i] = take = true;
    }
    if (take) chosen.push_back(std::move(test));
  }
  for (size_t i = 0; i < selection.size(); ++i)
    if (!used[i])
      throw InputError(origin + ": \"" + selection[i] +
                       "\" selects no WPT test rayos runs (a test ID such as "
                       "/url/url-origin.any.html, or a directory ending in '/' such as /url/; "
                       "docs/wpt.md lists them)");
  return chosen;
}

std::vector<WptTest> shard_tests(const std::vector<WptTest>& tests, int shards, int shard) {
  // Largest test first onto the lightest shard; ties by catalog order.
  std::vector<size_t> order(tests.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return tests[a].subtests.size() > tests[b].subtests.size();
  });
  std::vector<size_t> load(static_cast<size_t>(shards), 0);
  std::vector<int> owner(tests.size(), 0);
  for (const size_t t : order) {
    const auto lightest = std::min_element(load.begin(), load.end()) - load.begin();
    owner[t] = static_cast<int>(lightest);
    load[static_cast<size_t>(lightest)] += tests[t].subtests.size();
  }
  std::vector<WptTest> mine;
  for (size_t t = 0; t < tests.size(); ++t)
    if (owner[t] == shard) mine.push_back(tests[t]);
  return mine;
}

}  // namespace osh::wpt
