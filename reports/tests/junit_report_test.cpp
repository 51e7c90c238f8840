#include "reports/junit_report.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <pugixml.hpp>
#include <sstream>

#include "reports/tests/junit_schema.h"
#include "reports/tests/report_fixtures.h"

namespace osh::reports {
namespace {

using campaign::Verdict;
using testing::GuestBytes;
using ::testing::HasSubstr;

std::string render(const campaign::CampaignOutcome& outcome) {
  std::ostringstream out;
  JunitReport().write(outcome, out);
  return out.str();
}

testing::JunitValidation validate_outcome(const campaign::CampaignOutcome& outcome,
                                          const std::filesystem::path& dir) {
  const auto path = dir / "junit.xml";
  std::ofstream(path, std::ios::binary) << render(outcome);
  return testing::validate_junit(path, dir);
}

std::string property(pugi::xml_node testcase, const char* name) {
  return testcase.child("properties")
      .find_child_by_attribute("property", "name", name)
      .attribute("value")
      .value();
}

// The testcases of a junit.xml as "classname / name".
std::vector<std::string> testcase_ids(const std::string& xml) {
  pugi::xml_document doc;
  EXPECT_TRUE(doc.load_string(xml.c_str()));
  std::vector<std::string> ids;
  for (const auto suite : doc.child("testsuites").children("testsuite"))
    for (const auto tc : suite.children("testcase"))
      ids.push_back(std::string(tc.attribute("classname").value()) + " / " +
                    tc.attribute("name").value());
  std::sort(ids.begin(), ids.end());
  return ids;
}

class JunitReportTest : public ::testing::Test {
 protected:
  testing::TempDir dir_;
};

TEST_F(JunitReportTest, TwoNightsWithOtherSeedsAndOrderHaveTheSameTestcases) {
  auto night1 = testing::synthetic_outcome(dir_.path(), GuestBytes::Escaped);
  for (auto& r : night1.runs) r.repeats = 3, r.repeat = r.index % 3;
  auto night2 = night1;
  for (auto& r : night2.runs) {
    r.seed = r.seed * 7 + 11;
    r.index += 5;  // a spec was added in front
    r.console_log = "runs/other-" + std::to_string(r.seed) + "/console.log";
  }
  std::reverse(night2.runs.begin(), night2.runs.end());
  const auto ids = testcase_ids(render(night1));
  EXPECT_EQ(ids, testcase_ids(render(night2)));
  EXPECT_TRUE(std::adjacent_find(ids.begin(), ids.end()) == ids.end()) << "ids not unique";
  // The repeat is in the name only when the spec repeats.
  EXPECT_THAT(ids, ::testing::Contains(HasSubstr(" (repeat 2)")));
  for (auto& r : night1.runs) r.repeats = 1, r.repeat = 0;
  for (const auto& id : testcase_ids(render(night1)))
    EXPECT_EQ(id.find("repeat"), std::string::npos) << id;
}

TEST_F(JunitReportTest, RunPropertiesAndGuestClassnamesFromTheSchemaPrefix) {
  auto outcome = testing::synthetic_outcome(dir_.path(), GuestBytes::Escaped);
  outcome.info.harness_version = "0.3.0+abc";
  for (auto& r : outcome.runs) r.marker_prefix = "LNXGUEST", r.accel = "tcg";
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(render(outcome).c_str()));
  int guest_cases = 0, failed_cases = 0;
  for (const auto suite : doc.child("testsuites").children("testsuite"))
    for (const auto tc : suite.children("testcase")) {
      const std::string classname = tc.attribute("classname").value();
      if (classname.rfind("osharness.", 0) != 0) {
        EXPECT_EQ(classname.rfind("lnxguest.", 0), 0u) << classname;
        ++guest_cases;
        continue;
      }
      EXPECT_EQ(property(tc, "accel"), "tcg");
      EXPECT_EQ(property(tc, "harness_version"), "0.3.0+abc");
      EXPECT_EQ(property(tc, "run_folder").rfind("runs/", 0), 0u) << property(tc, "run_folder");
      const bool failed = !tc.child("failure").empty() || !tc.child("error").empty();
      EXPECT_EQ(property(tc, "signature").empty(), !failed) << tc.attribute("name").value();
      failed_cases += failed;
    }
  EXPECT_GT(guest_cases, 0);
  EXPECT_GT(failed_cases, 0);
  EXPECT_TRUE(validate_outcome(outcome, dir_.path()).valid);
}

TEST_F(JunitReportTest, OneTestcasePerRunAndPerGuestTestWithVerdictsMapped) {
  const auto outcome = testing::synthetic_outcome(dir_.path(), GuestBytes::Escaped);
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(render(outcome).c_str()));
  std::map<int, const campaign::RunResult*> by_index;
  for (const auto& r : outcome.runs) by_index[r.index] = &r;

  int tests = 0, failures = 0, errors = 0, run_cases = 0;
  for (const auto suite : doc.child("testsuites").children("testsuite")) {
    for (const auto tc : suite.children("testcase")) {
      ++tests;
      const auto failure = tc.child("failure"), error = tc.child("error");
      failures += !failure.empty();
      errors += !error.empty();
      const std::string classname = tc.attribute("classname").value();
      if (classname.rfind("osharness.", 0) != 0) continue;
      ++run_cases;
      const std::string name = tc.attribute("name").value();
      const int index = std::stoi(property(tc, "campaign_index"));
      const auto& run = *by_index.at(index);
      EXPECT_EQ(property(tc, "seed"), std::to_string(run.seed));
      EXPECT_EQ(name.find("seed"), std::string::npos) << name;  // seeds change every night
      switch (run.verdict) {
        case Verdict::Pass:
          EXPECT_TRUE(failure.empty() && error.empty()) << name;
          break;
        case Verdict::InfraError:  // not the product's fault: an error, not a failure
          EXPECT_TRUE(failure.empty()) << name;
          EXPECT_STREQ(error.attribute("type").value(), "INFRA_ERROR");
          break;
        default:
          ASSERT_FALSE(failure.empty()) << name;
          EXPECT_EQ(failure.attribute("type").value(), campaign::to_string(run.verdict));
          if (run.reason.find("\xEF\xBF\xBF") == std::string::npos) {
            EXPECT_EQ(failure.attribute("message").value(), run.reason);
          } else {  // U+FFFF is no XML character
            EXPECT_THAT(failure.attribute("message").value(), HasSubstr(" \\xef\\xbf\\xbf end"));
          }
          EXPECT_THAT(failure.text().get(), HasSubstr("seed " + std::to_string(run.seed)));
      }
    }
  }
  size_t guest_tests = 0;
  for (const auto& r : outcome.runs) guest_tests += r.guest_tests.size();
  EXPECT_EQ(run_cases, static_cast<int>(outcome.runs.size()));
  EXPECT_EQ(tests, static_cast<int>(outcome.runs.size() + guest_tests));
  const auto root = doc.child("testsuites");
  EXPECT_EQ(root.attribute("tests").as_int(), tests);
  EXPECT_EQ(root.attribute("failures").as_int(), failures);
  EXPECT_EQ(root.attribute("errors").as_int(), errors);
  EXPECT_EQ(errors, 1);
}

TEST_F(JunitReportTest, CrashFramesReproCommandAndConsoleTailAreInTheFailure) {
  const auto outcome = testing::synthetic_outcome(dir_.path(), GuestBytes::Escaped);
  const auto xml = render(outcome);
  EXPECT_THAT(xml, HasSubstr("  #0 0xffffffff80101234 rayos_fault_null_dereference+0x1a\n"));
  EXPECT_THAT(xml, HasSubstr("reproduce with: osharness repro " +
                             (dir_.path() / "runs/2-fault-null/repro.json").string()));
  EXPECT_THAT(xml, HasSubstr("<system-out>RAYOS_BOOT:START:0.1 #0\n&lt;script&gt;"));
}

// A journal is anyone's file: a console log path out of the output folder (by "..", an absolute
// path or a link) is not read into the report.
TEST_F(JunitReportTest, ReadsNoConsoleLogOutsideTheOutputFolder) {
  const auto out = dir_.path() / "out";
  auto o = testing::synthetic_outcome(out, GuestBytes::Escaped);
  std::filesystem::create_directories(out / "runs");
  std::ofstream(dir_.path() / "secret.log") << "do not show\n";
  std::filesystem::create_symlink(dir_.path() / "secret.log", out / "runs" / "link.log");
  for (auto& r : o.runs) r.verdict = Verdict::Fail;
  o.runs[0].console_log = "../secret.log";
  o.runs[1].console_log = (dir_.path() / "secret.log").string();
  o.runs[2].console_log = "runs/link.log";
  EXPECT_THAT(render(o), ::testing::Not(HasSubstr("do not show")));
}

TEST_F(JunitReportTest, IsValidAgainstTheJenkinsSchemaWhateverTheGuestPrinted) {
  for (const auto bytes : {GuestBytes::Raw, GuestBytes::Escaped}) {
    const auto v = validate_outcome(testing::synthetic_outcome(dir_.path(), bytes), dir_.path());
    EXPECT_TRUE(v.valid) << v.messages;
  }
}

// A KTAP "# SKIP" is a <skipped> testcase, neither passed silently nor failed, and the report
// stays valid.
TEST_F(JunitReportTest, ASkippedGuestTestIsSkipped) {
  auto outcome = testing::synthetic_outcome(dir_.path(), GuestBytes::Escaped);
  outcome.runs[0].guest_tests.push_back(
      {"list.del", Verdict::Pass, "SKIP not on this arch", 0, /*skipped=*/true});
  const auto xml = render(outcome);
  EXPECT_THAT(xml, HasSubstr("name=\"list.del\""));
  EXPECT_THAT(xml, HasSubstr("<skipped message=\"SKIP not on this arch\" />"));
  const auto v = validate_outcome(outcome, dir_.path());
  EXPECT_TRUE(v.valid) << v.messages;
}

TEST_F(JunitReportTest, EmptyAndInterruptedCampaignsAreValid) {
  campaign::CampaignOutcome empty;
  auto v = validate_outcome(empty, dir_.path());
  EXPECT_TRUE(v.valid) << v.messages;
  auto interrupted = testing::synthetic_outcome(dir_.path(), GuestBytes::Raw);
  interrupted.runs.resize(3);
  interrupted.info.interrupted = true;
  interrupted.runs[1].duration_ms = -1;  // a hand-edited journal: the time is left out
  v = validate_outcome(interrupted, dir_.path());
  EXPECT_TRUE(v.valid) << v.messages;
}

// Each spec's suite says whether its runs were deterministic, and why not when it asked to be.
TEST_F(JunitReportTest, SuitePropertiesSayWhetherTheRunsWereDeterministic) {
  auto outcome = testing::synthetic_outcome(dir_.path(), GuestBytes::Escaped);
  const std::string name = outcome.runs.at(0).name;
  for (auto& r : outcome.runs) {
    r.deterministic = r.name == name;
    r.determinism = r.name == name ? "" : "faults: applied at host <times>";
  }
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(render(outcome).c_str()));
  int suites = 0;
  for (const auto suite : doc.child("testsuites").children("testsuite")) {
    if (std::string(suite.attribute("name").value()).find("guest tests") != std::string::npos)
      continue;
    ++suites;
    const auto props = suite.child("properties");
    const bool mine = suite.attribute("name").value() == name;
    EXPECT_STREQ(props.find_child_by_attribute("property", "name", "deterministic")
                     .attribute("value")
                     .value(),
                 mine ? "true" : "false");
    EXPECT_STREQ(
        props.find_child_by_attribute("property", "name", "determinism").attribute("value").value(),
        mine ? "" : "faults: applied at host <times>");
  }
  EXPECT_GE(suites, 2) << "the fixture has runs of several specs";
  const auto v = validate_outcome(outcome, dir_.path());
  EXPECT_TRUE(v.valid) << v.messages;
}

// The check above means something only if the schema rejects what CI servers reject.
TEST_F(JunitReportTest, TheSchemaRejectsBrokenReports) {
  const char* broken[] = {
      // a testcase without a name
      R"(<testsuites><testsuite name="a" tests="1" failures="0" errors="0"><testcase/></testsuite></testsuites>)",
      // a count that is not a number
      R"(<testsuites><testsuite name="a" tests="x" failures="0" errors="0"/></testsuites>)",
      // a suite without its counts
      R"(<testsuites><testsuite name="a"/></testsuites>)",
      // an element the format does not have
      R"(<testsuites><testsuite name="a" tests="0" failures="0" errors="0"><verdict/></testsuite></testsuites>)",
      // a negative time
      R"(<testsuites><testsuite name="a" tests="0" failures="0" errors="0" time="-1.0"/></testsuites>)",
  };
  for (const char* xml : broken) {
    const auto path = dir_.path() / "broken.xml";
    std::ofstream(path) << xml;
    const auto v = testing::validate_junit(path, dir_.path());
    EXPECT_FALSE(v.valid) << xml;
    EXPECT_THAT(v.messages, HasSubstr("fails to validate")) << xml;
  }
}

}  // namespace
}  // namespace osh::reports
