#pragma once
// report.json: the stable, documented machine-readable report (docs/report-json.md).
#include <optional>

#include "reports/report_writer.h"

namespace osh::reports {

inline constexpr int kReportSchemaVersion = 1;
// report.json's "$schema": the $id of schemas/report.schema.json, installed as
// share/osharness/schemas/report.schema.json. A name, not a place, so that the report of a run
// is the same bytes on every host and from every install prefix.
inline constexpr const char* kReportSchemaId = "urn:osharness:schema:report:1";

class JsonReport final : public ReportWriter {
 public:
  std::string_view file_name() const override { return "report.json"; }
  void write(const campaign::CampaignOutcome& outcome, std::ostream& out) const override;
};

nlohmann::json report_json(const campaign::CampaignOutcome& outcome);

// Spread of spawn-to-BOOT:READY times over the runs that got there.
struct BootSummary {
  size_t runs = 0;
  double min = 0, median = 0, max = 0;
};
std::optional<BootSummary> boot_summary(const campaign::CampaignOutcome& outcome);

}  // namespace osh::reports
