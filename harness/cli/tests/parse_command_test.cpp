// `osharness parse` on logs of another OS: kernel crash reports beside the marker counts, and
// --format ktap.
#include "harness/cli/parse_command.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "harness/base/errors.h"
#include "harness/base/testing/temp_dir.h"

namespace osh::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class ParseCommand : public ::testing::Test {
 protected:
  std::filesystem::path write(const std::string& text) {
    const auto path = dir_.path() / "console.log";
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  test_support::TempDir dir_;
};

constexpr const char* kPanicLog =
    "LNXGUEST_BOOT:START:6.1\n"
    "LNXGUEST_BOOT:READY\n"
    "[    3.2] sysrq: Trigger a crash\n"
    "[    3.2] Kernel panic - not syncing: sysrq triggered crash\n"
    "[    3.2] Call Trace:\n"
    "[    3.2]  <TASK>\n"
    "[    3.2]  dump_stack_lvl+0x44/0x5c\n"
    "[    3.2]  panic+0x118/0x2ed\n"
    "[    3.2]  sysrq_handle_crash+0x16/0x20\n"
    "[    3.2] ---[ end Kernel panic - not syncing: sysrq triggered crash ]---\n";

TEST_F(ParseCommand, ListsKernelReportsAndIsNotCleanWithThem) {
  ParseArgs args;
  args.log = write(kPanicLog);
  args.schema = "none";
  args.marker_prefix = "LNXGUEST";
  std::ostringstream out;
  EXPECT_EQ(run_parse(args, out), 1);
  EXPECT_THAT(out.str(), HasSubstr("BOOT:READY           1"));
  EXPECT_THAT(out.str(), HasSubstr("kernel reports (1):\n  lines 4-10: CRASH kernel panic: "
                                   "sysrq triggered crash [PANIC]\n    #0 dump_stack_lvl\n"));

  args.json = true;
  std::ostringstream json;
  run_parse(args, json);
  const auto j = nlohmann::json::parse(json.str());
  EXPECT_EQ(j["kernel_reports"][0]["title"], "kernel panic: sysrq triggered crash");
  EXPECT_EQ(j["kernel_reports"][0]["frames"].size(), 3u);

  args.json = false;
  args.crash_reports = "none";
  std::ostringstream none;
  EXPECT_EQ(run_parse(args, none), 0);
  EXPECT_THAT(none.str(), Not(HasSubstr("kernel reports")));
}

TEST_F(ParseCommand, KtapFormatPrintsTheTreeAndKunitToolsCounts) {
  ParseArgs args;
  args.log = write(
      "[ 1.0] KTAP version 1\n[ 1.0] 1..1\n[ 1.0]     # Subtest: list\n[ 1.0]     1..2\n"
      "[ 1.0]     ok 1 add\n[ 1.0]     not ok 2 del\n[ 1.0] not ok 1 list\n");
  args.schema = "none";
  args.format = "ktap";
  std::ostringstream out;
  EXPECT_EQ(run_parse(args, out), 1);
  EXPECT_THAT(out.str(), HasSubstr("[FAILURE] list\n  [SUCCESS] add\n  [FAILURE] del\n"));
  EXPECT_THAT(out.str(), HasSubstr("KTAP: FAILURE; 1 passed, 1 failed, 0 crashed"));
}

TEST_F(ParseCommand, UnknownFormatOrCrashTableIsAUsageError) {
  ParseArgs args;
  args.log = write("");
  args.schema = "none";
  args.format = "junit";
  std::ostringstream out;
  EXPECT_THROW(run_parse(args, out), UsageError);
  args.format = "markers";
  args.crash_reports = "plan9";
  EXPECT_THROW(run_parse(args, out), UsageError);
}

TEST_F(ParseCommand, TimesListEveryLineWithItsHostTime) {
  ParseArgs args;
  args.log = write("RAYOS_BOOT:START:1.0\n<b>\x1b\nlast");
  std::ofstream(dir_.path() / "console.times") << "5000000000\n5001500000\n7000000000\n";
  args.schema = "none";
  args.times = true;
  std::ostringstream out;
  run_parse(args, out);
  EXPECT_THAT(out.str(), HasSubstr("console lines with their host times (s after the first "
                                   "line):\n  +0.000000  RAYOS_BOOT:START:1.0\n  +0.001500  "
                                   "<b>\\x1b\n  +2.000000  last\n"));
}

TEST_F(ParseCommand, TimesOfAnotherLogAreRefusedNamingTheFile) {
  ParseArgs args;
  args.log = write("one\ntwo\n");
  args.schema = "none";
  args.times = true;
  std::ofstream(dir_.path() / "console.times") << "1\n";
  std::ostringstream out;
  try {
    run_parse(args, out);
    FAIL() << "accepted";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("console.times: 1 times for the 2 lines of"));
  }
  std::ofstream(dir_.path() / "console.times") << "1\nsoon\n";
  try {
    run_parse(args, out);
    FAIL() << "accepted";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("console.times:2: \"soon\" is not a time in ns"));
  }
  args.json = true;
  EXPECT_THROW(run_parse(args, out), UsageError);
}

}  // namespace
}  // namespace osh::cli
