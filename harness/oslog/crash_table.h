#pragma once
// A table of kernel crash-report formats for one OS (harness/oslog/formats/<os>.json, read at
// build time; docs/bring-your-own-os.md, "Crash formats"): how a report starts, how its
// one-line title is made, where its guilty frame is, which helper frames to look past, how the
// report ends. Adding a format is a table edit, not code.
#include <cstddef>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <vector>

namespace osh::oslog {

enum class ReportVerdict { Crash, Warning };

// A regular expression of a table, compiled the first time it is used: compiling all 207 of
// linux.json's took 3.4 ms the first time in a process, an empty log needs none of them, and a
// format group's are only needed once its trigger word is seen (docs/performance.md, "A short
// start"). Copies share one compiled expression; regex() may be called from several threads.
class Pattern {
 public:
  Pattern() = default;
  // `where`: "<file>: <field path>", for the error a bad expression gives.
  Pattern(std::string text, std::string where);
  // Throws osh::InputError "<where>: bad regular expression ..." when it does not compile.
  const std::regex& regex() const;
  const std::string& text() const { return text_; }

 private:
  struct Compiled {
    std::once_flag once;
    std::regex regex;
  };
  std::string text_, where_;
  std::shared_ptr<Compiled> compiled_ = std::make_shared<Compiled>();
};

// Where a title's {frame} comes from, tried in the format's order.
struct FrameSource {
  enum class Kind { Header, Rip, Trace, At, AfterInterrupt } kind;
  int group = 0;  // Header: the start expression's group holding the function
};

struct CrashFormat {
  Pattern start;
  Pattern more;  // searched in the report's lines; empty pattern: none
  bool has_more = false;
  std::string title;
  std::string kind;  // the class of report: KASAN, HANG, LOCKDEP, PANIC, WARNING...
  ReportVerdict verdict = ReportVerdict::Crash;
  std::vector<FrameSource> frames;
  std::vector<Pattern> skip;  // besides the table's own
};

struct FormatGroup {
  std::string trigger;  // a literal every start line of the group holds: a cheap first test
  std::vector<Pattern> suppress;
  std::vector<CrashFormat> formats;
};

struct Rename {
  Pattern match;
  std::string replace;
};

struct CrashTable {
  std::string os;
  Pattern line_prefix;  // timestamps and log levels before the text
  Pattern frame;        // groups: 1 address, 2 "? " (unreliable), 3 function
  Pattern trace_start;
  Pattern rip;  // group 1: the function at the faulting instruction
  Pattern at;   // group 1: a function named by "at: " (lockdep)
  Pattern interrupt_frame;
  std::vector<Rename> function_renames;
  Pattern report_open;   // a line that may open a report just before its start line
  Pattern report_close;  // closes a report that such a line opened
  std::vector<Pattern> report_end;
  size_t max_report_lines = 200;
  std::vector<Pattern> skip;
  std::vector<FormatGroup> groups;

  // When the regular expressions are compiled: all at once (what a table's check does), or
  // each when first used (the built-in tables, checked when osharness was built).
  enum class Compile { AtLoad, OnFirstUse };
  // Throws osh::InputError naming `origin`, the field path and the problem (a bad regex too,
  // with Compile::AtLoad; when it is first used otherwise).
  static CrashTable parse(const nlohmann::json& json, const std::string& origin,
                          Compile when = Compile::AtLoad);
  // A table built into osharness by OS name ("linux"); nullptr when there is none. Its
  // expressions compile on first use: check_crash_tables.cpp compiled them all at build time.
  static const CrashTable* builtin(const std::string& os);
  // The names builtin() knows, for messages.
  static std::string builtin_names();
};

}  // namespace osh::oslog
