// `osharness <command> --help`: every output a command writes, and its own exit codes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/cli/tests/osharness_process.h"

namespace osh::cli::testing {
namespace {

using ::testing::HasSubstr;

// The help text, joined into one line (CLI11 wraps descriptions at its own width).
std::string help(const std::string& command) {
  TempDir dir;
  const auto f = run_osharness({command, "--help"}, dir.path(), std::chrono::seconds(30));
  EXPECT_EQ(f.status.code, 0) << f.err;
  std::string text;
  bool space = false;
  for (const char c : f.out) {
    const bool blank = c == ' ' || c == '\n';
    if (blank && !space) text += ' ';
    if (!blank) text += c;
    space = blank;
  }
  return text;
}

TEST(Help, RunListsEveryOutputItWrites) {
  const auto text = help("run");
  for (const char* output : {"journal.jsonl", "report.json", "junit.xml", "summary.md",
                             "report.html", "console.log", "console.times", "qemu.stdout.log",
                             "qemu.stderr.log", "repro.json", "replay.bin", "disk images"})
    EXPECT_THAT(text, HasSubstr(output)) << output;
  EXPECT_THAT(text, HasSubstr("Exit codes: 0 PASS, 1 FAIL, 2 CRASH"));
}

TEST(Help, ReproHasItsOwnExitCodesNotARunsVerdicts) {
  const auto text = help("repro");
  EXPECT_THAT(text, HasSubstr("Exit codes: 0 every rerun reproduced the failure"));
  EXPECT_THAT(text, HasSubstr("reproduction.json"));
  EXPECT_THAT(text, ::testing::Not(HasSubstr("2 CRASH")));
}

TEST(Help, EveryCommandSaysItsExitCodes) {
  for (const char* command : {"run", "repro", "parse", "diff", "report", "merge", "gate"})
    EXPECT_THAT(help(command), HasSubstr("Exit codes: 0 ")) << command;
}

}  // namespace
}  // namespace osh::cli::testing
