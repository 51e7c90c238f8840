#pragma once
// wpt/data/manifest.json: where each pinned WPT directory comes from, the revision wptreport.json
// names, and the SHA-256 of every data file, which is checked before the files are used so that
// a result always belongs to known data.
#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace osh::wpt {

struct DataManifest {
  std::string revision;  // run_info.revision by default
  // "/url/" -> the WPT commit of that directory's data (nullopt: not recorded).
  std::map<std::string, std::optional<std::string>> directory_commits;
};

// Reads `data_dir`/manifest.json and checks every file it lists against its SHA-256. Throws
// osh::InputError naming the file and what to do.
DataManifest load_data_manifest(const std::filesystem::path& data_dir);

}  // namespace osh::wpt
