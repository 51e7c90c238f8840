#include "wpt/expectations.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "harness/base/errors.h"

namespace osh::wpt {
namespace {

class MetaDir : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("wpt-meta-" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void write(const std::string& rel, const std::string& text) {
    std::filesystem::create_directories((dir_ / rel).parent_path());
    std::ofstream(dir_ / rel) << text;
  }
  std::string read(const std::string& rel) {
    std::ifstream in(dir_ / rel);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  std::string load_error(const RunInfo& info = {}) {
    try {
      Expectations::load(dir_, info);
    } catch (const InputError& e) {
      return e.what();
    }
    return "";
  }
  std::filesystem::path dir_;
};

TEST(Metadata, FilesAndSectionsFollowWptrunner) {
  EXPECT_EQ(metadata_file("/url/url-constructor.any.html?include=file"),
            "url/url-constructor.any.js.ini");
  EXPECT_EQ(metadata_section("/url/url-constructor.any.html?include=file"),
            "url-constructor.any.html?include=file");
  EXPECT_EQ(metadata_file("/url/percent-encoding.window.html"),
            "url/percent-encoding.window.js.ini");
  EXPECT_EQ(metadata_file("/mimesniff/mime-types/parsing.any.html"),
            "mimesniff/mime-types/parsing.any.js.ini");
  EXPECT_EQ(metadata_file("/dom/historical.html"), "dom/historical.html.ini");
  // A query holding '/' does not move the section.
  EXPECT_EQ(metadata_section("/a/b.any.html?x=/y"), "b.any.html?x=/y");
}

TEST_F(MetaDir, ReadsStatusesListsConditionsAndDisabled) {
  write("url/toascii.any.js.ini", R"(# a comment
[toascii.any.html]
  expected: ERROR
  [xn--a (using URL)]
    expected: PRECONDITION_FAILED  # IDNA
  [a\]b\\c\x01 (using URL.host)]
    expected: [FAIL, PASS]
  [conditional]
    expected:
      if os == "linux" and not debug: FAIL
      if (product == "rayos") or (os == 'x'): TIMEOUT
      PASS
)");
  write("url/url-origin.any.js.ini", "[url-origin.any.html]\n  disabled: too slow\n");
  write("fetch/__dir__.ini", "disabled:\n  if product == \"rayos\": no fetch yet\n");
  const auto e =
      Expectations::load(dir_, {{"product", "rayos"}, {"os", "rayos"}, {"debug", false}});
  EXPECT_EQ(e.file_count(), 3u);
  EXPECT_EQ(e.for_test("/url/toascii.any.html"), std::vector<std::string>{"ERROR"});
  EXPECT_EQ(e.for_test("/url/other.any.html"), std::vector<std::string>{"OK"});
  EXPECT_EQ(e.for_subtest("/url/toascii.any.html", "xn--a (using URL)"),
            std::vector<std::string>{"PRECONDITION_FAILED"});
  EXPECT_EQ(e.for_subtest("/url/toascii.any.html", "a]b\\c\x01 (using URL.host)"),
            (std::vector<std::string>{"FAIL", "PASS"}));
  EXPECT_EQ(e.for_subtest("/url/toascii.any.html", "conditional"),
            std::vector<std::string>{"TIMEOUT"});
  EXPECT_EQ(e.for_subtest("/url/toascii.any.html", "unlisted"), std::vector<std::string>{"PASS"});
  EXPECT_EQ(e.disabled("/url/url-origin.any.html"), "too slow");
  EXPECT_EQ(e.disabled("/fetch/data-urls/base64.any.html"), "no fetch yet");
  EXPECT_FALSE(e.disabled("/url/toascii.any.html"));
  // Under another run_info the first condition holds.
  const auto linux =
      Expectations::load(dir_, {{"product", "x"}, {"os", "linux"}, {"debug", false}});
  EXPECT_EQ(linux.for_subtest("/url/toascii.any.html", "conditional"),
            std::vector<std::string>{"FAIL"});
  EXPECT_FALSE(linux.disabled("/fetch/data-urls/base64.any.html"));
}

TEST_F(MetaDir, ErrorsNameFileAndLine) {
  write("url/toascii.any.js.ini", "[toascii.any.html]\n  expected: GREEN\n");
  EXPECT_NE(load_error().find("toascii.any.js.ini:2: \"GREEN\" is not a status here"),
            std::string::npos)
      << load_error();
  write("url/toascii.any.js.ini",
        "[toascii.any.html]\n  [sub]\n    expected:\n      if os =~ 1: FAIL\n");
  EXPECT_NE(load_error().find(":3: condition \"os =~ 1\""), std::string::npos) << load_error();
  write("url/toascii.any.js.ini", "[url-origin.any.html]\n  expected: ERROR\n");
  EXPECT_NE(load_error().find(":1: [url-origin.any.html] belongs in url/url-origin.any.js.ini"),
            std::string::npos)
      << load_error();
  write("url/toascii.any.js.ini", "[toascii.any.html\n");
  EXPECT_NE(load_error().find(":1: a section heading must end with ']'"), std::string::npos);
  write("url/toascii.any.js.ini", "[toascii.any.html]\n\tflaky: yes\n");
  EXPECT_NE(load_error().find(":2: indent with spaces"), std::string::npos);
  write("url/toascii.any.js.ini", "[toascii.any.html]\n  bug: 123\n");
  EXPECT_NE(load_error().find(":2: unknown key \"bug\""), std::string::npos);
}

TEST_F(MetaDir, UpdateWritesWhatRanKeepsDisabledAndOtherTestsAndReadsBack) {
  write("url/toascii.any.js.ini", "[toascii.any.html]\n  disabled: keep me\n  expected: ERROR\n");
  write("url/url-origin.any.js.ini", "[url-origin.any.html]\n  [kept]\n    expected: FAIL\n");
  const std::vector<TestResult> run1 = {
      {"/url/toascii.any.html",
       "OK",
       {},
       1,
       {{"a]b\n", "PRECONDITION_FAILED", {}}, {"p", "PASS", {}}}},
      {"/url/url-setters.any.html?include=file", "OK", {}, 1, {{"x", "FAIL", {}}}}};
  std::vector<TestResult> run2 = run1;
  run2[1].subtests[0].status = "PASS";
  const auto written = update_expectations(dir_, {run1, run2, run1});
  EXPECT_EQ(written.size(), 2u);
  EXPECT_EQ(
      read("url/toascii.any.js.ini"),
      "[toascii.any.html]\n  disabled: keep me\n  [a\\]b\\n]\n    expected: PRECONDITION_FAILED\n");
  EXPECT_EQ(read("url/url-setters.any.js.ini"),
            "[url-setters.any.html?include=file]\n  [x]\n    expected: [FAIL, PASS]\n");
  EXPECT_EQ(read("url/url-origin.any.js.ini"),
            "[url-origin.any.html]\n  [kept]\n    expected: FAIL\n");
  const auto e = Expectations::load(dir_, {});
  EXPECT_EQ(e.for_subtest("/url/toascii.any.html", "a]b\n"),
            std::vector<std::string>{"PRECONDITION_FAILED"});
  EXPECT_EQ(e.for_subtest("/url/url-setters.any.html?include=file", "x"),
            (std::vector<std::string>{"FAIL", "PASS"}));
  EXPECT_EQ(e.disabled("/url/toascii.any.html"), "keep me");
}

TEST_F(MetaDir, UpdateRemovesAFileThatHasNothingLeftToSay) {
  write("url/toascii.any.js.ini", "[toascii.any.html]\n  [a]\n    expected: FAIL\n");
  update_expectations(dir_, {{{"/url/toascii.any.html", "OK", {}, 1, {{"a", "PASS", {}}}}}});
  EXPECT_FALSE(std::filesystem::exists(dir_ / "url/toascii.any.js.ini"));
}

}  // namespace
}  // namespace osh::wpt
