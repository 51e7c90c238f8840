#include "wpt/data_manifest.h"

#include "harness/base/errors.h"
#include "harness/base/json_reader.h"
#include "harness/base/sha256.h"

namespace osh::wpt {

DataManifest load_data_manifest(const std::filesystem::path& data_dir) {
  const auto path = data_dir / "manifest.json";
  const nlohmann::json json = load_json_file(path.string());
  JsonReader root(json, path.string());
  DataManifest manifest;
  manifest.revision = root.required(root.string("revision"), "revision");
  root.string("description");
  root.string("licence");
  root.string("revision_note");
  auto directories = root.required(root.object("directories"), "directories");
  for (const auto& [name, value] : json.at("directories").items()) {
    auto dir = directories.required(directories.object(name), name);
    // Required, but null says the source did not record it (raw() cannot tell null from absent).
    dir.raw("wpt_commit");
    const auto commit = value.find("wpt_commit");
    if (commit == value.end() || !(commit->is_null() || commit->is_string()))
      dir.fail("wpt_commit", "expected the WPT commit (a string) or null when not recorded");
    manifest.directory_commits[name] =
        commit->is_null() ? std::nullopt : std::optional(commit->get<std::string>());
    dir.string("source");
    dir.string("note");
    auto files = dir.required(dir.object("files"), "files");
    for (const auto& [file, sha] : value.at("files").items()) {
      const std::string expected = files.required(files.string(file), file);
      const std::string actual = sha256_file(data_dir / file);
      if (actual != expected)
        throw InputError((data_dir / file).string() + ": SHA-256 " + actual + " differs from the " +
                         expected + " that " + path.string() +
                         " pins; restore the file, or update the manifest if the data was "
                         "updated on purpose (wpt/data/README.md)");
    }
    files.reject_unknown();
    dir.reject_unknown();
  }
  directories.reject_unknown();
  root.reject_unknown();
  return manifest;
}

}  // namespace osh::wpt
