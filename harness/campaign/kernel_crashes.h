#pragma once
// Kernel crash reports in the console of a guest that prints them the Linux way (panics, oopses,
// BUG:, WARNING:, KASAN/KCSAN/UBSAN, lockdep, RCU stalls, hung tasks), found with the crash
// table the spec names (guest.crash_reports; harness/oslog/formats/). The first report that is a
// crash gives the run's CRASH with its title; the runner stops the run as soon as that report
// has ended instead of waiting for an idle limit. Warnings give FAIL (guest.kernel_warnings).
#include <string>

#include "harness/campaign/run_result.h"
#include "harness/marker/marker_stream.h"
#include "harness/oslog/crash_scanner.h"

namespace osh::campaign {

enum class WarningPolicy { Fail, Crash, Ignore };
// guest.kernel_warnings ("fail", "crash", "ignore"; checked by the spec parser) as a policy.
WarningPolicy warning_policy(const std::string& text);

class KernelCrashes : public marker::MarkerObserver {
 public:
  KernelCrashes(const oslog::CrashTable& table, WarningPolicy warnings);

  void on_marker(const marker::MarkerEvent& /*event*/) override {}
  bool wants_markers() const override { return false; }
  void on_line(const marker::ConsoleLine& line) override;
  // Between reports only lines with a trigger word matter: feed_file keeps both threads.
  std::vector<std::string> line_words() const override { return scanner_.triggers(); }
  bool quiet() const override { return !scanner_.in_report(); }

  // True once a report that makes the run a CRASH has ended: nothing the guest prints after it
  // changes the verdict.
  bool crash_ended() const { return crash_ended_; }

  // Ends the console (a report still open ends at its last line); returns every report.
  const std::vector<oslog::KernelReport>& close();
  // close(), then the findings, the crash info and analysis["kernel_reports"].
  void finish(RunResult& result);

 private:
  bool is_crash(const oslog::KernelReport& report) const;

  oslog::CrashScanner scanner_;
  WarningPolicy warnings_;
  bool crash_ended_ = false;
};

// The reports as JSON for analysis["kernel_reports"] and `osharness parse`: title, class,
// verdict, console lines, frames and the report's text, escaped.
nlohmann::json kernel_reports_json(const std::vector<oslog::KernelReport>& reports);

}  // namespace osh::campaign
