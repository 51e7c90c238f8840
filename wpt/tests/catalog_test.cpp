#include "wpt/catalog.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "harness/base/errors.h"
#include "wpt/data_manifest.h"

namespace osh::wpt {
namespace {

const std::filesystem::path kData = std::filesystem::path(OSH_WPT_DIR) / "data";

nlohmann::json read(const std::string& rel) {
  std::ifstream in(kData / rel);
  return nlohmann::json::parse(in, nullptr, true, false);
}

const WptTest& find(const std::vector<WptTest>& tests, const std::string& id) {
  for (const auto& t : tests)
    if (t.id == id) return t;
  throw std::runtime_error("no test " + id);
}

TEST(Catalog, TheManifestPinsEveryFileItsCatalogReads) {
  const DataManifest m = load_data_manifest(kData);
  EXPECT_EQ(m.revision.size(), 40u);
  EXPECT_EQ(m.directory_commits.size(), 3u);
  std::set<std::string> dirs;
  for (const auto& t : load_catalog(kData)) dirs.insert(test_directory(t.id));
  for (const auto& d : dirs) EXPECT_TRUE(m.directory_commits.contains(d)) << d;
}

TEST(Catalog, AChangedDataFileIsRefusedWithItsChecksum) {
  const auto dir = std::filesystem::temp_directory_path() / "wpt-catalog-test";
  std::filesystem::remove_all(dir);
  std::filesystem::copy(kData, dir, std::filesystem::copy_options::recursive);
  std::ofstream(dir / "url/resources/toascii.json", std::ios::app) << " ";
  try {
    load_data_manifest(dir);
    FAIL() << "a changed file was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("toascii.json: SHA-256"), std::string::npos) << e.what();
  }
  std::filesystem::remove_all(dir);
}

TEST(Catalog, UrlConstructorVariantsSplitTheCasesByKeyAsSubsetTestsByKeyDoes) {
  const auto tests = load_catalog(kData);
  // Every object of urltestdata.json and the JavaScript-only file, counted from the files.
  size_t cases = 0, empty_key = 0;
  for (const char* file : {"url/resources/urltestdata.json"}) {
    for (const auto& e : read(file)) {
      if (!e.is_object()) continue;
      ++cases;
      const std::string input = e["input"].get<std::string>();
      if (e.value("failure", false) && input.substr(0, input.find(':')).empty()) ++empty_key;
    }
  }
  size_t js_only = 0;
  // The JavaScript-only file holds lone surrogates, which nlohmann refuses: count its objects.
  std::ifstream in(kData / "url/resources/urltestdata-javascript-only.json");
  for (std::string line; std::getline(in, line);)
    js_only += line.find("\"input\"") != std::string::npos;
  size_t in_variants = 0;
  for (const char* v : {"?include=file", "?include=javascript", "?include=mailto",
                        "?exclude=(file|javascript|mailto)"})
    in_variants +=
        find(tests, std::string("/url/url-constructor.any.html") + v).subtests.size() - 1;
  // A case with an empty key runs in all four variants.
  EXPECT_EQ(in_variants, cases + js_only + 3 * empty_key);
  for (const auto& s : find(tests, "/url/url-constructor.any.html?include=file").subtests)
    // The empty input fails with an empty key, which subset-tests-by-key runs in every variant.
    if (s.name != "Loading data\xE2\x80\xA6" && s.name != "Parsing: <> without base") {
      EXPECT_NE(s.name.find("<file:"), std::string::npos) << s.name;
    }
}

TEST(Catalog, NamesAreWptsOwn) {
  const auto tests = load_catalog(kData);
  const auto& other = find(tests, "/url/url-constructor.any.html?exclude=(file|javascript|mailto)");
  EXPECT_EQ(other.subtests[0].name, "Loading data\xE2\x80\xA6");
  EXPECT_EQ(other.subtests[1].name,
            "Parsing: <http://example\t.\norg> against <http://example.org/foo/bar>");
  bool without_base = false;
  for (const auto& s : other.subtests)
    without_base |= s.name == "Parsing: <lolscheme:x x#x x> without base";
  EXPECT_TRUE(without_base);
  // The JavaScript-only file's lone surrogates, as wptreport.json writes them.
  bool surrogate = false;
  for (const auto& s : other.subtests)
    surrogate |= s.name.starts_with("Parsing: <http://example.com/U+d800\xF0\x90\x9F\xBEU+dfff");
  EXPECT_TRUE(surrogate);
  const auto& setters = find(tests, "/url/url-setters.any.html?exclude=(file|javascript|mailto)");
  EXPECT_EQ(setters.subtests[1].name,
            "URL: Setting <a://example.net>.protocol = '' The empty string is not a valid scheme. "
            "Setter leaves the URL unchanged.");
  const auto& data = find(tests, "/fetch/data-urls/processing.any.html");
  EXPECT_EQ(data.subtests[0].name, "Setup.");
  EXPECT_EQ(data.subtests[1].name, "\"data://test/,X\"");
  const auto& mime = find(tests, "/mimesniff/mime-types/parsing.any.html");
  EXPECT_EQ(mime.subtests[1].name.substr(mime.subtests[1].name.size() - 12), " (Blob/File)");
}

TEST(Catalog, SelectionTakesIdsAndDirectoriesAndRefusesWhatSelectsNothing) {
  const auto all = load_catalog(kData);
  EXPECT_EQ(select_tests(all, {}, "spec").size(), all.size());
  const auto url = select_tests(all, {"/url/"}, "spec");
  for (const auto& t : url) EXPECT_TRUE(t.id.starts_with("/url/"));
  EXPECT_EQ(select_tests(all, {"/url/toascii.any.html", "/fetch/data-urls/"}, "spec").size(), 3u);
  EXPECT_THROW(select_tests(all, {"/url/nope.html"}, "spec"), InputError);
  EXPECT_THROW(select_tests(all, {"/url"}, "spec"), InputError);  // a directory ends in '/'
}

TEST(Catalog, ShardsCoverEveryTestOnceAndBalanceSubtests) {
  const auto all = load_catalog(kData);
  for (int shards : {1, 2, 3, 5}) {
    std::map<std::string, int> seen;
    size_t biggest = 0, smallest = SIZE_MAX, largest_test = 0;
    for (const auto& t : all) largest_test = std::max(largest_test, t.subtests.size());
    for (int s = 0; s < shards; ++s) {
      size_t subtests = 0;
      for (const auto& t : shard_tests(all, shards, s)) {
        ++seen[t.id];
        subtests += t.subtests.size();
      }
      biggest = std::max(biggest, subtests);
      smallest = std::min(smallest, subtests);
    }
    EXPECT_EQ(seen.size(), all.size());
    for (const auto& [id, n] : seen) EXPECT_EQ(n, 1) << id;
    // Greedy on the largest test first: no shard exceeds another by more than a test.
    EXPECT_LE(biggest - smallest, largest_test);
  }
}

}  // namespace
}  // namespace osh::wpt
