#pragma once
// The seam between results and report formats: each format is one ReportWriter, and every
// writer works from the campaign outcome alone (so `osharness report` can regenerate all of
// them from the journal).
#include <filesystem>
#include <memory>
#include <ostream>
#include <string_view>
#include <vector>

#include "harness/campaign/campaign.h"

namespace osh::reports {

class ReportWriter {
 public:
  virtual ~ReportWriter() = default;
  virtual std::string_view file_name() const = 0;  // "report.json"
  virtual void write(const campaign::CampaignOutcome& outcome, std::ostream& out) const = 0;
};

// Every report format, in the order they are written.
std::vector<std::unique_ptr<ReportWriter>> all_writers();

// Writes every report into `dir`, each through a temporary file and a rename so that a reader
// never sees half a report. Returns the paths written. InfraError on a write failure.
std::vector<std::filesystem::path> write_reports(const campaign::CampaignOutcome& outcome,
                                                 const std::filesystem::path& dir);

// The worst verdict of the campaign (PASS when it has no runs... and no interruption).
campaign::Verdict overall_verdict(const campaign::CampaignOutcome& outcome);

}  // namespace osh::reports
