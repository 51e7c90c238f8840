// KTAP/TAP parsing against the kernel's own kunit_tool test logs (shared/corpora/ktap/test_data).
// Each expectation below is the one the corpus states for that log (shared/corpora/README.md,
// "Oracles": what kunit_tool_test.py asserts), not this parser's output.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "harness/oslog/ktap.h"

namespace osh::oslog {
namespace {

const std::filesystem::path kDir = std::filesystem::path(OSH_SHARED_CORPORA) / "ktap/test_data";

struct Parsed {
  KtapTest test;
  std::vector<KtapExtractor::Line> lines;
};

Parsed parse_log(const std::string& name) {
  std::ifstream in(kDir / name, std::ios::binary);
  EXPECT_TRUE(in) << name;
  KtapExtractor extractor;
  std::string line;
  uint64_t n = 0;
  while (std::getline(in, line)) extractor.add_line(++n, line);
  return {parse_ktap(extractor.lines()), extractor.lines()};
}

class KtapCorpus : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::is_directory(kDir))
      GTEST_SKIP() << kDir << " is missing: configure with -DOSH_SHARED_CORPORA=<shared/corpora>";
  }
};

TEST_F(KtapCorpus, OverallStatuses) {
  const std::pair<const char*, KtapStatus> expected[] = {
      {"test_is_test_passed-all_passed.log", KtapStatus::Success},
      {"test_is_test_passed-all_passed_nested.log", KtapStatus::Success},
      {"test_is_test_passed-kselftest.log", KtapStatus::Success},
      {"test_is_test_passed-failure.log", KtapStatus::Failure},
      {"test_is_test_passed-missing_plan.log", KtapStatus::Success},
      {"test_is_test_passed-no_tests_run_with_header.log", KtapStatus::NoTests},
      {"test_skip_tests.log", KtapStatus::Success},
      {"test_skip_all_tests.log", KtapStatus::Skipped},
      {"test_strip_hyphen.log", KtapStatus::Success},
      {"test_config_printk_time.log", KtapStatus::Success},
      {"test_multiple_prefixes.log", KtapStatus::Success},
      {"test_interrupted_tap_output.log", KtapStatus::Success},
      {"test_pound_sign.log", KtapStatus::Success},
      {"test_pound_no_prefix.log", KtapStatus::Success},
      {"test_kernel_panic_interrupt.log", KtapStatus::Crashed},
  };
  for (const auto& [name, status] : expected)
    EXPECT_EQ(to_string(parse_log(name).test.status), to_string(status)) << name;
}

TEST_F(KtapCorpus, NoKtapAtAll) {
  for (const char* name :
       {"test_is_test_passed-no_tests_run_no_header.log", "test_insufficient_memory.log"}) {
    const auto p = parse_log(name);
    EXPECT_EQ(p.test.status, KtapStatus::FailureToParse) << name;
    EXPECT_TRUE(p.test.subtests.empty()) << name;
  }
  EXPECT_TRUE(parse_log("test_is_test_passed-no_tests_run_with_header.log").test.subtests.empty());
}

TEST_F(KtapCorpus, MissingPlanCountsTenPassesWithoutErrors) {
  const auto t = parse_log("test_is_test_passed-missing_plan.log").test;
  EXPECT_EQ(t.counts.total(), 10);
  EXPECT_EQ(t.counts.passed, 10);
  EXPECT_EQ(t.counts.errors, 0);
}

TEST_F(KtapCorpus, NestedSuiteWithoutTestsIsNoTestsWithOneError) {
  const auto t = parse_log("test_is_test_passed-no_tests_no_plan.log").test;
  ASSERT_EQ(t.subtests.size(), 1u);
  ASSERT_EQ(t.subtests[0].subtests.size(), 1u);
  EXPECT_TRUE(t.subtests[0].subtests[0].subtests.empty());
  EXPECT_EQ(t.subtests[0].subtests[0].status, KtapStatus::NoTests);
  EXPECT_EQ(t.counts.errors, 1);
}

TEST_F(KtapCorpus, SuiteNamesWithAndWithoutHyphen) {
  const auto t = parse_log("test_strip_hyphen.log").test;
  ASSERT_EQ(t.subtests.size(), 2u);
  EXPECT_EQ(t.subtests[0].name, "sysctl_test");
  EXPECT_EQ(t.subtests[1].name, "example");
}

TEST_F(KtapCorpus, PrefixesAndTimestampsAreStripped) {
  for (const char* name : {"test_config_printk_time.log", "test_multiple_prefixes.log",
                           "test_interrupted_tap_output.log", "test_pound_sign.log",
                           "test_pound_no_prefix.log", "test_kernel_panic_interrupt.log"}) {
    const auto t = parse_log(name).test;
    ASSERT_FALSE(t.subtests.empty()) << name;
    EXPECT_EQ(t.subtests[0].name, "kunit-resource-test") << name;
  }
}

TEST_F(KtapCorpus, KtapNestedWithoutSubtestHeaders) {
  const auto t = parse_log("test_parse_ktap_output.log").test;
  EXPECT_EQ(t.counts.passed, 3);
  ASSERT_EQ(t.subtests.size(), 1u);
  EXPECT_EQ(t.subtests[0].name, "suite");
  ASSERT_GE(t.subtests[0].subtests.size(), 2u);
  EXPECT_EQ(t.subtests[0].subtests[0].name, "case_1");
  EXPECT_EQ(t.subtests[0].subtests[1].name, "case_2");
}

TEST_F(KtapCorpus, SubtestHeaderAnnouncesItsPlan) {
  const auto t = parse_log("test_parse_subtest_header.log").test;
  ASSERT_EQ(t.subtests.size(), 1u);
  EXPECT_EQ(t.subtests[0].name, "suite");
  EXPECT_EQ(t.subtests[0].expected_count, 1);
}

TEST_F(KtapCorpus, KtapLinesAreIsolatedFromTheKernelLog) {
  for (const char* name :
       {"test_output_isolated_correctly.log", "test_output_with_prefix_isolated_correctly.log"}) {
    const auto p = parse_log(name);
    ASSERT_FALSE(p.lines.empty()) << name;
    EXPECT_TRUE(p.lines.front().text.starts_with("TAP version") ||
                p.lines.front().text.starts_with("KTAP version"))
        << name << ": " << p.lines.front().text;
    for (const auto& line : p.lines) {
      EXPECT_EQ(line.text.find("Linux version"), std::string::npos) << name;
      EXPECT_FALSE(line.text.starts_with("[")) << name << ": timestamp left in " << line.text;
    }
  }
}

TEST(Ktap, CrashMidSuiteMakesTheMissingPlanItemsCrashed) {
  KtapExtractor e;
  uint64_t n = 0;
  for (const char* line : {"KTAP version 1", "1..1", "    KTAP version 1", "    # Subtest: s",
                           "    1..3", "    ok 1 a", "    not ok 2 b # TODO not done",
                           "[  1.0] Kernel panic - not syncing: VFS: x"})
    e.add_line(++n, line);
  const auto t = parse_ktap(e.lines());
  EXPECT_EQ(t.status, KtapStatus::Crashed);
  EXPECT_EQ(t.counts.passed, 1);
  EXPECT_EQ(t.counts.skipped, 1) << "a TODO failure is not a failure";
  EXPECT_EQ(t.counts.crashed, 1);
  ASSERT_EQ(t.subtests.size(), 1u);
  ASSERT_EQ(t.subtests[0].subtests.size(), 3u);
  EXPECT_EQ(t.subtests[0].subtests[1].directive, "TODO not done");
  EXPECT_EQ(t.subtests[0].subtests[2].status, KtapStatus::Crashed);
}

}  // namespace
}  // namespace osh::oslog
