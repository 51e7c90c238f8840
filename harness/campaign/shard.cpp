#include "harness/campaign/shard.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <numeric>

#include "harness/base/errors.h"
#include "harness/base/sha256.h"

namespace osh::campaign {
namespace {

constexpr int kMaxShards = 10000;

std::optional<int> parse_int(std::string_view text) {
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// A guest file by its contents: the same image under another path is the same campaign.
nlohmann::json file_identity(const std::filesystem::path& path) {
  try {
    return {{"sha256", sha256_file(path)}};
  } catch (const InputError&) {
    // Its runs end in INFRA_ERROR, which say why; the campaign is still the one named here.
    return {{"unreadable", path.filename().string()}};
  }
}

}  // namespace

Shard parse_shard(std::string_view text) {
  const auto slash = text.find('/');
  const auto index = parse_int(text.substr(0, slash));
  const auto count =
      slash == std::string_view::npos ? std::nullopt : parse_int(text.substr(slash + 1));
  if (!index || !count || *count < 1 || *count > kMaxShards || *index < 1 || *index > *count)
    throw UsageError("--shard \"" + std::string(text) + "\": expected i/n with 1 <= i <= n <= " +
                     std::to_string(kMaxShards) + ", e.g. 2/3 for the second of three shards");
  return {*index, *count};
}

std::vector<bool> shard_selection(const std::vector<Spec>& specs, Shard shard) {
  struct Run {
    std::string_view name;
    int repeat;
    size_t index;  // in the campaign's order
  };
  std::vector<Run> runs;
  std::map<std::string_view, const Spec*> by_name;
  for (const Spec& spec : specs) {
    if (shard.count > 1) {
      const auto [it, fresh] = by_name.emplace(spec.name, &spec);
      if (!fresh)
        throw UsageError("two specs are named \"" + spec.name + "\" (" + it->second->origin +
                         " and " + spec.origin +
                         "): --shard tells runs apart by spec name; give each spec its own name");
    }
    for (int r = 0; r < spec.repeat; ++r) runs.push_back({spec.name, r, runs.size()});
  }
  std::vector<Run> dealt = runs;
  std::stable_sort(dealt.begin(), dealt.end(), [](const Run& a, const Run& b) {
    return a.name != b.name ? a.name < b.name : a.repeat < b.repeat;
  });
  std::vector<bool> selected(runs.size(), false);
  for (size_t k = 0; k < dealt.size(); ++k)
    selected[dealt[k].index] =
        static_cast<int>(k % static_cast<size_t>(shard.count)) + 1 == shard.index;
  return selected;
}

nlohmann::json campaign_identity(const std::vector<Spec>& specs, Shard shard) {
  nlohmann::json entries = nlohmann::json::array();
  for (const Spec& spec : specs) {
    nlohmann::json j = to_json(spec);
    auto& guest = j["guest"];
    guest["kernel"] = file_identity(spec.guest.kernel);
    if (!spec.guest.initrd.empty()) guest["initrd"] = file_identity(spec.guest.initrd);
    if (spec.guest.schema != "rayos" && spec.guest.schema != "none")
      guest["schema"] = file_identity(spec.guest.schema);
    if (auto libvirt = guest.find("libvirt"); libvirt != guest.end() && libvirt->is_object())
      libvirt->erase("uri");
    entries.push_back({{"name", spec.name}, {"repeat", spec.repeat}, {"spec", std::move(j)}});
  }
  return {{"shards", {{"count", shard.count}, {"covered", {shard.index}}}}, {"specs", entries}};
}

}  // namespace osh::campaign
