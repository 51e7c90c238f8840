#include "harness/oslog/crash_scanner.h"

#include <gtest/gtest.h>

#include "harness/base/errors.h"

namespace osh::oslog {
namespace {

const CrashTable& linux_table() { return *CrashTable::builtin("linux"); }

TEST(NormalizeTitle, NumbersAndAddressesButNotIdentifiers) {
  EXPECT_EQ(normalize_title("kernel panic: unknown-block(0,0)"),
            "kernel panic: unknown-block(NUM,NUM)");
  EXPECT_EQ(normalize_title("BUG at 0xffff8801 in ip6_output"), "BUG at ADDR in ip6_output");
  EXPECT_EQ(normalize_title("x 64bit"), "x 64bit");
}

TEST(CrashScanner, PanicEndsAtItsEndLineNotAtTheEndOfTheConsole) {
  CrashScanner s(linux_table());
  EXPECT_FALSE(s.add_line(1, "[    1.0] Kernel panic - not syncing: VFS: Unable to mount root fs"));
  EXPECT_TRUE(s.in_report());
  EXPECT_FALSE(s.add_line(2, "[    1.1] CPU: 0 PID: 1 Comm: swapper/0 Not tainted 6.1.0 #1"));
  EXPECT_TRUE(s.add_line(3, "[    1.2] ---[ end Kernel panic - not syncing: VFS: Unable ]---"));
  ASSERT_EQ(s.reports().size(), 1u);
  const auto& r = s.reports()[0];
  EXPECT_EQ(r.title, "kernel panic: VFS: Unable to mount root fs");
  EXPECT_EQ(r.kind, "PANIC");
  EXPECT_EQ(r.first_line, 1u);
  EXPECT_EQ(r.last_line, 3u);
  EXPECT_EQ(r.text.front(), "Kernel panic - not syncing: VFS: Unable to mount root fs");
  EXPECT_FALSE(s.finish());
}

TEST(CrashScanner, GuiltyFrameSkipsHelpersAndUnreliableFrames) {
  CrashScanner s(linux_table());
  for (const char* line :
       {"BUG: kernel NULL pointer dereference, address: 0000000000000000",
        "RIP: 0010:strlen+0x4/0x20", "Call Trace:", " <TASK>", " ? foo_helper+0x1/0x2",
        " strlen+0x4/0x20", " osh_demo_write.isra.3+0x10/0x40", " vfs_write+0x1/0x2",
        "---[ end trace 0000000000000000 ]---"})
    s.add_line(1, line);
  ASSERT_EQ(s.reports().size(), 1u);
  EXPECT_EQ(s.reports()[0].title,
            "BUG: unable to handle kernel NULL pointer dereference in osh_demo_write");
  ASSERT_EQ(s.reports()[0].frames.size(), 3u);  // the "?" frame is left out
  EXPECT_EQ(s.reports()[0].frames[1].function, "osh_demo_write.isra.3");
}

TEST(CrashScanner, WarningIsItsOwnVerdictAndSuppressedLinesAreNotReports) {
  CrashScanner s(linux_table());
  s.add_line(1, "[ 5.0] INFO: lockdep is turned off.");
  EXPECT_FALSE(s.in_report());
  s.add_line(2, "[ 5.1] WARNING: CPU: 0 PID: 1 at drivers/x.c:12 x_probe+0x1/0x2");
  s.add_line(3, "[ 5.2] RIP: 0010:x_probe+0x1/0x2");
  EXPECT_TRUE(s.finish());
  ASSERT_EQ(s.reports().size(), 1u);
  EXPECT_EQ(s.reports()[0].title, "WARNING in x_probe");
  EXPECT_EQ(s.reports()[0].verdict, ReportVerdict::Warning);
}

TEST(CrashTable, BadRegexNamesTheField) {
  const auto table =
      nlohmann::json::parse(R"({"os": "x", "line_prefix": "(", "frame": "", "trace_start": "",
    "rip": "", "at": "", "interrupt_frame": "", "report_open": "", "report_close": ""})");
  try {
    CrashTable::parse(table, "t.json");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("t.json: line_prefix: bad regular expression"),
              std::string::npos)
        << e.what();
  }
  EXPECT_EQ(CrashTable::builtin("plan9"), nullptr);
}

// The built-in tables compile each expression when it is first used (the build compiled them all,
// check_crash_tables.cpp): a bad one read that way is still an error naming the file and the
// field, when it is used.
TEST(CrashTable, ABadRegexCompiledOnFirstUseNamesTheFieldThen) {
  const auto table =
      nlohmann::json::parse(R"({"os": "x", "line_prefix": "^\\[", "frame": "", "trace_start": "",
    "rip": "", "at": "", "interrupt_frame": "", "report_open": "", "report_close": "",
    "groups": [{"trigger": "BUG:", "formats": [{"start": "BUG: (", "title": "t", "class": "BUG"}]}]})");
  const CrashTable t = CrashTable::parse(table, "t.json", CrashTable::Compile::OnFirstUse);
  try {
    t.groups[0].formats[0].start.regex();
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(
                  "t.json: groups[0].formats[0].start: bad regular expression \"BUG: (\""),
              std::string::npos)
        << e.what();
  }
  EXPECT_THROW(CrashTable::parse(table, "t.json"), InputError);
}

}  // namespace
}  // namespace osh::oslog
