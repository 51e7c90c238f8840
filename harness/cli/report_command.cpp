#include "harness/cli/report_command.h"

#include "harness/cli/campaign_session.h"

namespace osh::cli {

int report_command(const std::filesystem::path& out_dir, const std::string& report_url,
                   const campaign::Plugins& plugins) {
  auto outcome = read_out_dir(out_dir);
  outcome.info.report_url = report_url;
  report_and_summarise(outcome, plugins);
  return session_exit_code(outcome);
}

}  // namespace osh::cli
