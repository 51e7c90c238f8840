#include "harness/campaign/repro_bundle.h"

#include <fstream>

#include "harness/base/atomic_write.h"
#include "harness/base/errors.h"
#include "harness/base/escape.h"
#include "harness/base/gzip.h"
#include "harness/base/json_reader.h"
#include "harness/base/paths.h"
#include "harness/base/sha256.h"
#include "harness/campaign/version.h"

namespace osh::campaign {

std::string run_console_tail(const std::string& console_log, const std::filesystem::path& out_dir,
                             size_t max_bytes) {
  if (console_log.empty() || !path_within(out_dir / console_log, out_dir)) return "";
  return console_tail(out_dir / console_log, max_bytes);
}

std::string console_tail(const std::filesystem::path& path, size_t max_bytes) {
  std::string text;
  size_t start = 0;
  if (is_gzip_file(path)) {
    // A compressed log is read from its start: gzip cannot seek to its end.
    try {
      text = read_maybe_gzip(path);
    } catch (const InputError&) {
      return "";
    }
    start = text.size() > max_bytes ? text.size() - max_bytes : 0;
    text.erase(0, start);
  } else {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) return "";
    const auto size = static_cast<size_t>(in.tellg());
    start = size > max_bytes ? size - max_bytes : 0;
    text.resize(size - start);
    in.seekg(static_cast<std::streamoff>(start));
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
  }
  if (start > 0) {
    if (const auto nl = text.find('\n'); nl != std::string::npos) text.erase(0, nl + 1);
  }
  // Line breaks stay readable; everything else the guest printed is escaped.
  std::string out;
  size_t begin = 0;
  while (begin < text.size()) {
    const size_t nl = text.find('\n', begin);
    const size_t end = nl == std::string::npos ? text.size() : nl;
    out += escape_text(std::string_view(text).substr(begin, end - begin));
    out += '\n';
    begin = end + 1;
  }
  return out;
}

ReproBundle make_bundle(const Spec& spec, const RunResult& run,
                        const std::filesystem::path& console_log,
                        const std::filesystem::path& bundle_dir) {
  ReproBundle b;
  b.harness_version = kHarnessVersion;
  Spec fixed = spec;
  fixed.seed = run.seed;
  fixed.repeat = 1;
  // Absolute: a spec's relative paths were relative to the directory osharness ran in, and the
  // bundle is read from anywhere (relative paths in a bundle are the bundle folder's).
  const auto absolute = [](const std::filesystem::path& p) {
    return p.empty() ? p : std::filesystem::absolute(p).lexically_normal();
  };
  fixed.guest.kernel = absolute(fixed.guest.kernel);
  fixed.guest.initrd = absolute(fixed.guest.initrd);
  if (fixed.guest.schema != "rayos" && fixed.guest.schema != "none")
    fixed.guest.schema = absolute(fixed.guest.schema).string();
  b.spec = to_json(fixed);
  b.seed = run.seed;
  // An image that is gone (that may be the failure itself) has no hash.
  const auto hash = [](const std::filesystem::path& image) {
    try {
      return sha256_file(image);
    } catch (const InputError&) {
      return std::string();
    }
  };
  b.kernel_path = spec.guest.kernel.string();
  b.kernel_sha256 = hash(spec.guest.kernel);
  if (!spec.guest.initrd.empty()) {
    b.initrd_path = spec.guest.initrd.string();
    b.initrd_sha256 = hash(spec.guest.initrd);
  }
  b.command_line = run.command_line;
  for (const auto& [name, config] : spec.hooks)
    if (run.analysis.contains(name)) b.hooks[name] = run.analysis[name];
  b.console_log = std::filesystem::relative(console_log, bundle_dir).string();
  b.console_tail = console_tail(console_log, 4096);
  b.verdict = run.verdict;
  b.reason = run.reason;
  b.signature = run.signature;
  return b;
}

void write_bundle(const ReproBundle& b, const std::filesystem::path& path) {
  nlohmann::json j = {
      {"bundle_version", ReproBundle::kVersion},
      {"harness_version", b.harness_version},
      {"seed", b.seed},
      {"spec", b.spec},
      {"kernel", {{"path", b.kernel_path}, {"sha256", b.kernel_sha256}}},
      {"command_line", b.command_line},
      {"hooks", b.hooks},
      {"console_log", b.console_log},
      {"console_tail", b.console_tail},
      {"failure",
       {{"verdict", to_string(b.verdict)}, {"reason", b.reason}, {"signature", b.signature}}},
  };
  if (!b.initrd_path.empty()) j["initrd"] = {{"path", b.initrd_path}, {"sha256", b.initrd_sha256}};
  atomic_write_private(path,
                       j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + '\n');
}

ReproBundle read_bundle(const std::filesystem::path& path) {
  const auto json = load_json_file(path.string());
  JsonReader r(json, path.string());
  const auto version = r.required(r.integer("bundle_version", 1, 1000), "bundle_version");
  if (version > ReproBundle::kVersion)
    r.fail("bundle_version", "this osharness reads versions 1 to " +
                                 std::to_string(ReproBundle::kVersion) +
                                 ", the bundle is version " + std::to_string(version) +
                                 "; use the osharness that wrote it, or a newer one");
  ReproBundle b;
  b.harness_version = r.string("harness_version").value_or("");
  b.seed = r.required(r.unsigned_integer("seed"), "seed");
  const auto* spec = r.raw("spec");
  if (!spec) r.fail("spec", "required field is missing");
  b.spec = *spec;
  auto kernel = r.object("kernel");
  if (!kernel) r.fail("kernel", "required object is missing");
  b.kernel_path = kernel->required(kernel->string("path"), "path");
  b.kernel_sha256 = kernel->string("sha256").value_or("");
  if (auto initrd = r.object("initrd")) {
    b.initrd_path = initrd->required(initrd->string("path"), "path");
    b.initrd_sha256 = initrd->string("sha256").value_or("");
  }
  b.command_line = r.strings("command_line").value_or(std::vector<std::string>{});
  r.raw("fault_schedule");  // version 1: always empty
  if (const auto* hooks = r.raw("hooks"); hooks && hooks->is_object()) b.hooks = *hooks;
  b.console_log = r.string("console_log").value_or("");
  b.console_tail = r.string("console_tail").value_or("");
  auto failure = r.object("failure");
  if (!failure) r.fail("failure", "required object is missing");
  const auto verdict = failure->required(failure->string("verdict"), "verdict");
  const auto v = verdict_from_string(verdict);
  if (!v) failure->fail("verdict", "unknown verdict \"" + verdict + "\"");
  b.verdict = *v;
  b.reason = failure->string("reason").value_or("");
  b.signature = failure->required(failure->string("signature"), "signature");
  return b;
}

}  // namespace osh::campaign
