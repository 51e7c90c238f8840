#include "e2e/bless_command.h"

#include <fmt/format.h>

#include <filesystem>
#include <iostream>
#include <set>

#include "harness/base/errors.h"
#include "harness/base/escape.h"
#include "harness/campaign/campaign.h"

namespace osh::e2e {
namespace {

namespace fs = std::filesystem;

constexpr const char* kUsage = "usage: osharness e2e bless OUT_DIR";

int bless(const fs::path& out_dir) {
  const fs::path journal = out_dir / "journal.jsonl";
  if (!fs::exists(journal)) {
    throw InputError(out_dir.string() +
                     " holds no journal.jsonl: give the output folder of an `osharness run`");
  }
  const campaign::CampaignOutcome outcome = campaign::read_campaign(journal);
  std::set<std::string> done;
  for (const auto& run : outcome.runs) {
    const auto s = run.analysis.find("screenshots");
    if (s == run.analysis.end() || !s->is_object()) continue;
    for (const auto& shot : s->value("shots", nlohmann::json::array())) {
      const std::string actual = shot.value("actual", std::string());
      const fs::path golden = shot.value("golden_source", std::string());
      if (actual.empty() || golden.extension() != ".png" || !done.insert(golden).second) continue;
      fs::create_directories(golden.parent_path());
      fs::copy_file(out_dir / actual, golden, fs::copy_options::overwrite_existing);
      std::cout << escape_text(fmt::format("blessed {} <- {}", golden.string(), actual)) << "\n";
    }
  }
  std::cout << done.size() << " golden(s) written\n";
  return 0;
}

}  // namespace

campaign::CommandInfo e2e_command() {
  return {"e2e", "end-to-end scenarios: `e2e bless OUT_DIR` makes a run's screenshots the goldens",
          [](const std::vector<std::string>& args) {
            if (args.size() != 2 || args[0] != "bless") throw UsageError(kUsage);
            return bless(args[1]);
          }};
}

}  // namespace osh::e2e
