#include "harness/cli/history_command.h"

#include <cstdio>

#include "harness/base/atomic_write.h"
#include "harness/base/errors.h"
#include "harness/base/escape.h"
#include "harness/base/private_files.h"
#include "harness/cli/campaign_session.h"
#include "reports/history_report.h"

namespace osh::cli {

namespace fs = std::filesystem;

int history_command(const std::vector<fs::path>& dirs, const fs::path& out) {
  std::vector<std::pair<std::string, campaign::CampaignOutcome>> campaigns;
  for (const auto& dir : dirs) {
    if (!fs::is_directory(dir))
      throw InputError(dir.string() + " is not a folder: give output folders of `osharness run`");
    auto outcome = read_out_dir(dir);
    // A trend over a campaign cut short would show a drop that never happened.
    std::string why;
    if (outcome.info.interrupted) why = "it was interrupted by a signal";
    for (const auto& reason : outcome.info.incomplete) why += (why.empty() ? "" : "; ") + reason;
    if (!why.empty())
      throw InputError(dir.string() + " holds an incomplete campaign (" + escape_text(why) +
                       "): finish it with `osharness run --resume " + dir.string() +
                       "`, or leave it out of --history");
    campaigns.emplace_back(dir.string(), std::move(outcome));
  }
  const auto history = reports::build_history(campaigns);

  make_private_directory(out);
  const fs::path html = out / "history.html", md = out / "history.md", json = out / "history.json";
  atomic_write_private(html, [&](std::ostream& o) { reports::write_history_html(history, o); });
  atomic_write_private(md, [&](std::ostream& o) { reports::write_history_markdown(history, o); });
  atomic_write_private(json, [&](std::ostream& o) {
    o << reports::history_json(history).dump(2, ' ', false,
                                             nlohmann::json::error_handler_t::replace)
      << '\n';
  });
  std::printf("osharness: history of %zu campaign%s, %zu spec%s\n  reports: %s %s %s\n",
              history.campaigns.size(), history.campaigns.size() == 1 ? "" : "s",
              history.specs.size(), history.specs.size() == 1 ? "" : "s", html.c_str(), md.c_str(),
              json.c_str());
  return 0;
}

}  // namespace osh::cli
