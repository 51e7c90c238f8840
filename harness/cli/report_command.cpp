#include "harness/cli/report_command.h"

#include "harness/cli/campaign_session.h"

namespace osh::cli {

int report_command(const std::filesystem::path& out_dir, const campaign::Plugins& plugins) {
  const auto outcome = read_out_dir(out_dir);
  report_and_summarise(outcome, plugins);
  return session_exit_code(outcome);
}

}  // namespace osh::cli
