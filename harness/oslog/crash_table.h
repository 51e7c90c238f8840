#pragma once
// A table of kernel crash-report formats for one OS (harness/oslog/formats/<os>.json, read at
// build time; docs/bring-your-own-os.md, "Crash formats"): how a report starts, how its
// one-line title is made, where its guilty frame is, which helper frames to look past, how the
// report ends. Adding a format is a table edit, not code.
#include <cstddef>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <vector>

namespace osh::oslog {

enum class ReportVerdict { Crash, Warning };

// Where a title's {frame} comes from, tried in the format's order.
struct FrameSource {
  enum class Kind { Header, Rip, Trace, At, AfterInterrupt } kind;
  int group = 0;  // Header: the start expression's group holding the function
};

struct CrashFormat {
  std::regex start;
  std::string start_text;  // for messages
  std::regex more;         // searched in the report's lines; empty pattern: none
  bool has_more = false;
  std::string title;
  std::string kind;  // the class of report: KASAN, HANG, LOCKDEP, PANIC, WARNING...
  ReportVerdict verdict = ReportVerdict::Crash;
  std::vector<FrameSource> frames;
  std::vector<std::regex> skip;  // besides the table's own
};

struct FormatGroup {
  std::string trigger;  // a literal every start line of the group holds: a cheap first test
  std::vector<std::regex> suppress;
  std::vector<CrashFormat> formats;
};

struct Rename {
  std::regex match;
  std::string replace;
};

struct CrashTable {
  std::string os;
  std::regex line_prefix;  // timestamps and log levels before the text
  std::regex frame;        // groups: 1 address, 2 "? " (unreliable), 3 function
  std::regex trace_start;
  std::regex rip;  // group 1: the function at the faulting instruction
  std::regex at;   // group 1: a function named by "at: " (lockdep)
  std::regex interrupt_frame;
  std::vector<Rename> function_renames;
  std::regex report_open;   // a line that may open a report just before its start line
  std::regex report_close;  // closes a report that such a line opened
  std::vector<std::regex> report_end;
  size_t max_report_lines = 200;
  std::vector<std::regex> skip;
  std::vector<FormatGroup> groups;

  // Throws osh::InputError naming `origin`, the field path and the problem (a bad regex too).
  static CrashTable parse(const nlohmann::json& json, const std::string& origin);
  // A table built into osharness by OS name ("linux"); nullptr when there is none.
  static const CrashTable* builtin(const std::string& os);
  // The names builtin() knows, for messages.
  static std::string builtin_names();
};

}  // namespace osh::oslog
