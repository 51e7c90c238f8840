#pragma once
// junit.xml for CI servers (Jenkins/GitLab/GitHub test reporters): one testsuite per spec, one
// testcase per run, and one testcase per test the guest ran itself. FAIL, CRASH, HANG, TIMEOUT
// are <failure>s with the verdict as type; INFRA_ERROR is an <error> (not the product's fault).
#include "reports/report_writer.h"

namespace osh::reports {

class JunitReport final : public ReportWriter {
 public:
  std::string_view file_name() const override { return "junit.xml"; }
  void write(const campaign::CampaignOutcome& outcome, std::ostream& out) const override;
};

}  // namespace osh::reports
