#pragma once
// The seam between results and report formats: each format is one ReportWriter, registered by
// the composition root (plugins/), and every writer works from the campaign outcome alone, so
// that `osharness report` can regenerate all of them from the journal.
#include <ostream>
#include <string_view>

namespace osh::campaign {

struct CampaignOutcome;  // campaign.h, which reaches this header through the runner's plug-ins

class ReportWriter {
 public:
  virtual ~ReportWriter() = default;
  virtual std::string_view file_name() const = 0;  // "report.json"
  // Whether this campaign gets the file at all (wptreport.json only for WPT campaigns).
  virtual bool applies(const CampaignOutcome& /*outcome*/) const { return true; }
  virtual void write(const CampaignOutcome& outcome, std::ostream& out) const = 0;
};

}  // namespace osh::campaign
