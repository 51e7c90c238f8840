#pragma once
// wptreport.json as wptrunner's wptreport formatter writes it and wpt.fyi's results processor
// reads it: run_info (product, browser_version, os, revision, and each pinned directory's WPT
// commit), time_start / time_end in ms since the epoch, and results[] with test, subsuite,
// status, message, duration and subtests[] (name, status, message), `expected` and
// `known_intermittent` only where a result was unexpected. Registered by the wpt plug-in, written
// only for campaigns with WPT runs.
#include "harness/campaign/report_writer.h"

namespace osh::wpt {

class WptReportWriter final : public campaign::ReportWriter {
 public:
  std::string_view file_name() const override { return "wptreport.json"; }
  bool applies(const campaign::CampaignOutcome& outcome) const override;
  void write(const campaign::CampaignOutcome& outcome, std::ostream& out) const override;
};

}  // namespace osh::wpt
