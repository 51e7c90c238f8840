#pragma once
// The `wpt` section of a campaign spec and the run hook that owns it (docs/wpt.md): at spec load
// it reads the pinned data (checked against its manifest), selects the tests and reads the
// expectations; per run it builds the guest's data image for the run's shard and boots it as
// the initrd, maps the WPT markers back to test IDs and subtest names, judges them against the
// expectations and stores everything the reports need in the run's analysis["wpt"].
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "harness/campaign/run_hook.h"
#include "wpt/catalog.h"
#include "wpt/data_manifest.h"
#include "wpt/expectations.h"

namespace osh::wpt {

struct WptConfig final : campaign::HookConfig {
  std::vector<std::string> selection;  // test IDs and directories; empty: every test
  int shards = 1;
  std::filesystem::path data_dir;  // wpt/data
  std::filesystem::path meta_dir;  // wpt/meta
  std::string product = "rayos";
  std::string os;                       // defaults to the product
  std::optional<std::string> revision;  // overrides the data manifest's
  bool fail_on_unexpected_pass = true;  // false: an unexpected PASS does not fail the run

  // What the section led to, read once at spec load.
  DataManifest manifest;
  Expectations expectations;
  std::vector<WptTest> tests;  // selected and not disabled, in catalog order
  std::vector<std::pair<std::string, std::string>> disabled;  // test ID, reason
  std::map<std::string, uint64_t> pinned_subtests;  // per directory, over the whole catalog

  nlohmann::json to_json() const override;
  RunInfo run_info() const;
};

// Parses the section; `origin` is the spec file (relative paths are relative to its folder).
// Throws osh::InputError naming the file and field, an expectations file and line, or a data
// file whose checksum differs from the manifest.
std::shared_ptr<const WptConfig> parse_wpt_config(const nlohmann::json& section,
                                                  const std::string& origin);

// Which shard a run with this seed runs: seed mod shards, so that a spec's `repeat` runs with
// consecutive seeds cover every shard, and a repro (same seed) reruns the same one.
int shard_of(uint64_t seed, int shards);

campaign::RunHookInfo wpt_hook_info();

}  // namespace osh::wpt
