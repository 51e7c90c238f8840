#include "harness/campaign/repro_pack.h"

#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "harness/base/atomic_write.h"
#include "harness/base/errors.h"
#include "harness/base/gzip.h"
#include "harness/base/private_files.h"
#include "harness/base/sha256.h"
#include "harness/campaign/repro_bundle.h"
#include "harness/campaign/runner.h"

namespace osh::campaign {
namespace {

constexpr const char* kFormat = "osharness-repro-pack";
constexpr int kPackVersion = 1;

std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string() + ": cannot be read");
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

nlohmann::json binary(const std::string& bytes) {
  return nlohmann::json::binary(std::vector<uint8_t>(bytes.begin(), bytes.end()));
}

// The files a bundle names, by the name each has in a pack: (spec field, recorded SHA-256).
struct Image {
  const char* name;   // in the pack and the unpacked folder
  const char* field;  // in spec.guest
};
constexpr Image kImages[] = {{"kernel", "kernel"}, {"initrd", "initrd"}, {"schema.json", "schema"}};

std::filesystem::path in_dir(const std::filesystem::path& dir, const std::string& p) {
  const std::filesystem::path path(p);
  return path.is_absolute() ? path : dir / path;
}

std::string recorded_sha(const ReproBundle& b, const std::string& field) {
  return field == "kernel" ? b.kernel_sha256 : field == "initrd" ? b.initrd_sha256 : "";
}

}  // namespace

void pack_bundle(const std::filesystem::path& bundle_path, const std::filesystem::path& pack_path) {
  const ReproBundle bundle = read_bundle(bundle_path);
  const auto dir = std::filesystem::absolute(bundle_path).parent_path();
  const auto& guest = bundle.spec.at("guest");
  nlohmann::json files = nlohmann::json::object();
  for (const auto& image : kImages) {
    const auto it = guest.find(image.field);
    if (it == guest.end() || !it->is_string() || it->get<std::string>().empty() || *it == "rayos" ||
        *it == "none")
      continue;
    const auto path = in_dir(dir, it->get<std::string>());
    const std::string where =
        bundle_path.string() + ": spec.guest." + image.field + " " + path.string();
    if (!std::filesystem::is_regular_file(path))
      throw InputError(where + " is gone: a pack carries the image that failed; rebuild it");
    const std::string sha = recorded_sha(bundle, image.field);
    if (!sha.empty() && sha256_file(path) != sha)
      throw InputError(where + " changed since the failure (its SHA-256 is not " + sha +
                       "): a pack carries the image that failed; pack right after the run");
    files[image.name] = binary(read_bytes(path));
  }
  // The console log and a recording travel with it when they are there (--keep none drops the
  // log).
  if (!bundle.console_log.empty() && std::filesystem::is_regular_file(dir / bundle.console_log))
    files["console.log"] = binary(read_maybe_gzip(dir / bundle.console_log));
  if (std::filesystem::is_regular_file(dir / kReplayLog))
    files[kReplayLog] = binary(read_bytes(dir / kReplayLog));
  const nlohmann::json pack = {{"format", kFormat},
                               {"version", kPackVersion},
                               {"bundle", load_json_file(bundle_path.string())},
                               {"files", files}};
  const auto bytes = nlohmann::json::to_cbor(pack);
  atomic_write(pack_path,
               std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

bool is_pack(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  const int first = in.get();
  return first >= 0xa0 && first <= 0xbf;  // CBOR: a map
}

std::filesystem::path unpack_bundle(const std::filesystem::path& pack_path,
                                    const std::filesystem::path& dir) {
  const std::string bytes = read_bytes(pack_path);
  nlohmann::json pack;
  try {
    pack = nlohmann::json::from_cbor(bytes);
  } catch (const nlohmann::json::exception& e) {
    throw InputError(pack_path.string() + ": not a repro pack (" + e.what() + ")");
  }
  const auto bad = [&](const std::string& what) {
    throw InputError(pack_path.string() + ": " + what +
                     "; make it with `osharness repro --pack BUNDLE -o FILE`");
  };
  if (!pack.is_object() || pack.value("format", nlohmann::json()) != kFormat)
    bad("not a repro pack (no \"format\": \"" + std::string(kFormat) + "\")");
  if (pack.value("version", nlohmann::json()) != kPackVersion)
    bad("pack version " + pack.value("version", nlohmann::json()).dump() +
        ", this osharness reads version " + std::to_string(kPackVersion));
  if (!pack.contains("bundle") || !pack["bundle"].is_object() || !pack.contains("files") ||
      !pack["files"].is_object())
    bad("\"bundle\" and \"files\" must be objects");
  nlohmann::json bundle = pack["bundle"];
  if (!bundle.contains("spec") || !bundle["spec"].is_object() ||
      !bundle["spec"].contains("guest") || !bundle["spec"]["guest"].is_object())
    bad("its bundle has no spec.guest");
  make_private_directory(dir);
  const auto& files = pack["files"];
  const auto write = [&](const std::string& name) {
    const auto it = files.find(name);
    if (it == files.end()) return false;
    if (!it->is_binary()) bad("files." + name + " is not a byte string");
    const auto& data = it->get_binary();
    atomic_write(dir / name,
                 std::string_view(reinterpret_cast<const char*>(data.data()), data.size()));
    return true;
  };
  auto& guest = bundle["spec"]["guest"];
  for (const auto& image : kImages) {
    if (!write(image.name)) {
      // A file the pack does not carry is not read from this host's disk in its place.
      const auto it = guest.find(image.field);
      if (it != guest.end() && *it != "rayos" && *it != "none") guest.erase(it);
      continue;
    }
    guest[image.field] = image.name;  // relative: the unpacked folder's
    const auto record = bundle.find(image.field);
    if (record != bundle.end() && record->is_object()) {
      const std::string sha = record->value("sha256", "");
      if (!sha.empty() && sha256_file(dir / image.name) != sha)
        bad(std::string("files.") + image.name + " is not the image of the failure (SHA-256 " +
            sha + " recorded)");
      (*record)["path"] = image.name;
    }
  }
  if (write("console.log")) bundle["console_log"] = "console.log";
  write(kReplayLog);
  const auto bundle_path = dir / "repro.json";
  atomic_write(bundle_path, bundle.dump(2) + "\n");
  read_bundle(bundle_path);  // the same checks as any bundle's
  return bundle_path;
}

}  // namespace osh::campaign
