#include "harness/cli/report_command.h"

#include "harness/base/errors.h"
#include "harness/campaign/campaign.h"
#include "harness/cli/campaign_session.h"

namespace osh::cli {

int report_command(const std::filesystem::path& out_dir, const campaign::Plugins& plugins) {
  const auto journal = out_dir / "journal.jsonl";
  if (!std::filesystem::exists(journal))
    throw InputError(out_dir.string() +
                     " holds no journal.jsonl: give the output folder of an "
                     "`osharness run`");
  const auto outcome = campaign::read_campaign(journal);
  report_and_summarise(outcome, plugins);
  return session_exit_code(outcome);
}

}  // namespace osh::cli
