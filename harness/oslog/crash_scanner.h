#pragma once
// Finds kernel crash reports in console lines as they arrive, with a CrashTable: the report's
// text cut from the console (timestamps stripped), its frames, its class and a one-line title in
// the style of syzkaller's ("KASAN: use-after-free Read in foo"). A report ends at the table's
// end lines ("---[ end trace", a closing "====" line, "Rebooting in"), after max_report_lines,
// or at the end of the console.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/base/word_sieve.h"
#include "harness/oslog/crash_table.h"

namespace osh::oslog {

struct KernelFrame {
  std::string function;  // as printed, without "+0x..": "tabledist.part.0"
  uint64_t address = 0;  // 0 when the trace prints none
};

struct KernelReport {
  std::string title;
  std::string kind;  // the format's class
  ReportVerdict verdict = ReportVerdict::Crash;
  std::string guilty;       // the frame the title names; empty when none was found
  uint64_t first_line = 0;  // console line numbers, 1-based
  uint64_t last_line = 0;
  std::vector<std::string> text;    // the report's lines, prefixes stripped (raw bytes)
  std::vector<KernelFrame> frames;  // the first call trace, reliable frames only
};

class CrashScanner {
 public:
  explicit CrashScanner(const CrashTable& table, size_t max_reports = 16);

  // One console line without its EOL. Returns true when the line ended a report.
  bool add_line(uint64_t line_no, std::string_view line);
  // End of the console: a report still open ends with its last line. True when one did.
  bool finish();

  bool in_report() const { return open_.has_value(); }
  // Out of a report, a line that holds none of these only becomes the line before the next.
  std::vector<std::string> triggers() const;
  const std::vector<KernelReport>& reports() const { return reports_; }

 private:
  struct Open {
    const CrashFormat* format;
    std::vector<std::string> captures;
    bool close_on_rule;  // opened by a report_close-style line: ends at the next one
    KernelReport report;
  };
  bool has_trigger(std::string_view line) const;
  std::string_view strip(std::string_view line) const;
  const CrashFormat* match_start(std::string_view text, std::vector<std::string>& captures) const;
  void close();
  std::string title_of(const Open& open, std::string& guilty) const;
  std::optional<std::string> guilty_frame(const Open& open) const;
  std::string function_name(std::string name) const;
  bool skipped(const CrashFormat& format, const std::string& function) const;

  const CrashTable& table_;
  WordSieve triggers_;  // the groups' trigger words
  size_t max_reports_;
  std::optional<Open> open_;
  std::string previous_;  // the last line (raw, cut), which may open the next report
  std::vector<KernelReport> reports_;
};

// "0x1f" -> "ADDR", "42" -> "NUM" where a number stands alone (not inside an identifier such as
// ip6_output): titles of the same bug compare equal across runs.
std::string normalize_title(const std::string& title);

}  // namespace osh::oslog
