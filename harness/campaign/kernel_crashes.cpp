#include "harness/campaign/kernel_crashes.h"

#include "harness/base/escape.h"

namespace osh::campaign {

WarningPolicy warning_policy(const std::string& text) {
  if (text == "crash") return WarningPolicy::Crash;
  if (text == "ignore") return WarningPolicy::Ignore;
  return WarningPolicy::Fail;
}

KernelCrashes::KernelCrashes(const oslog::CrashTable& table, WarningPolicy warnings)
    : scanner_(table), warnings_(warnings) {}

bool KernelCrashes::is_crash(const oslog::KernelReport& report) const {
  return report.verdict == oslog::ReportVerdict::Crash || warnings_ == WarningPolicy::Crash;
}

void KernelCrashes::on_line(const marker::ConsoleLine& line) {
  if (line.kind != marker::LineKind::Noise && !scanner_.in_report()) return;
  if (scanner_.add_line(line.line_no, line.text) && is_crash(scanner_.reports().back()))
    crash_ended_ = true;
}

const std::vector<oslog::KernelReport>& KernelCrashes::close() {
  scanner_.finish();
  return scanner_.reports();
}

void KernelCrashes::finish(RunResult& result) {
  const auto& reports = close();
  if (reports.empty()) return;
  result.analysis["kernel_reports"] = kernel_reports_json(reports);
  for (const auto& report : reports) {
    const std::string title = escape_text(report.title);
    const std::string where = " (console lines " + std::to_string(report.first_line) + "-" +
                              std::to_string(report.last_line) + ")";
    if (is_crash(report)) {
      result.findings.push_back(
          {Verdict::Crash, "kernel crash: " + title + where, "CRASH " + title});
      if (!result.crash) {
        CrashInfo info{report.kind, title, {}};
        for (size_t i = 0; i < report.frames.size(); ++i)
          info.frames.push_back({static_cast<int>(i), report.frames[i].address,
                                 escape_text(report.frames[i].function)});
        result.crash = std::move(info);
      }
    } else if (warnings_ == WarningPolicy::Fail) {
      result.findings.push_back(
          {Verdict::Fail, "kernel warning: " + title + where, "FAIL " + title});
    }
  }
}

nlohmann::json kernel_reports_json(const std::vector<oslog::KernelReport>& reports) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : reports) {
    nlohmann::json frames = nlohmann::json::array();
    for (const auto& f : r.frames) frames.push_back(escape_text(f.function));
    std::string text;
    for (const auto& line : r.text) text += escape_text(line) + "\n";
    out.push_back({{"title", escape_text(r.title)},
                   {"class", r.kind},
                   {"verdict", r.verdict == oslog::ReportVerdict::Crash ? "crash" : "warning"},
                   {"guilty_frame", escape_text(r.guilty)},
                   {"first_line", r.first_line},
                   {"last_line", r.last_line},
                   {"frames", frames},
                   {"text", text}});
  }
  return out;
}

}  // namespace osh::campaign
