#include "harness/vm/qemu/accel_probe.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>

#include "harness/base/atomic_write.h"
#include "harness/base/clock.h"
#include "harness/base/errors.h"
#include "harness/base/escape.h"
#include "harness/base/paths.h"
#include "harness/base/unique_fd.h"
#include "harness/vm/qemu/deadline.h"
#include "harness/vm/qemu/qemu_binary.h"
#include "harness/vm/qemu/qemu_vm.h"

namespace osh::vm::qemu {

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr auto kTcgLimit = 60'000ms;
constexpr auto kMinKvmLimit = 1'000ms;
constexpr int kKvmLimitFactor = 3;
constexpr int kCacheVersion = 1;

class ConsoleCollector : public VmListener {
 public:
  void on_console(int, std::string_view bytes, int64_t) override { text.append(bytes); }
  void on_vm_event(const VmEvent&) override {}
  std::string text;
};

std::string read_first_line(const fs::path& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

// What a cached decision is valid for.
struct CacheKey {
  std::string qemu;
  int64_t qemu_mtime_ns = 0;
  std::string boot_id;
};

CacheKey cache_key(const fs::path& qemu, const fs::path& boot_id_file) {
  std::error_code ec;
  const fs::path real = fs::canonical(qemu, ec);
  CacheKey key;
  key.qemu = (ec ? qemu : real).string();
  struct stat st;
  if (::stat(key.qemu.c_str(), &st) == 0) {
    key.qemu_mtime_ns = int64_t(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  }
  key.boot_id = read_first_line(boot_id_file);
  return key;
}

std::string format_ms(double ms) { return fmt::format("{:.1f} ms", ms); }

std::string reason_for(const AccelProbeResult& r) {
  const std::string tcg = r.tcg_ms ? format_ms(*r.tcg_ms) : "?";
  if (!r.kvm_ms) {
    return fmt::format("tcg: the probe took {} under TCG; KVM {}", tcg, r.kvm_note);
  }
  if (r.chosen == Accel::Kvm) {
    return fmt::format("kvm: the probe took {} under KVM vs {} under TCG", format_ms(*r.kvm_ms),
                       tcg);
  }
  return fmt::format("tcg: the probe took {} under TCG vs {} under KVM", tcg, format_ms(*r.kvm_ms));
}

std::optional<AccelProbeResult> load_cache(const fs::path& file, const CacheKey& key) {
  std::ifstream in(file);
  if (!in) return std::nullopt;
  const auto json = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object() || json.value("version", 0) != kCacheVersion ||
      json.value("qemu", "") != key.qemu ||
      json.value("qemu_mtime_ns", int64_t(-1)) != key.qemu_mtime_ns ||
      json.value("boot_id", "") != key.boot_id || key.boot_id.empty()) {
    return std::nullopt;
  }
  const auto chosen = json.value("chosen", "");
  const auto tcg = json.find("tcg_ms");
  const auto kvm = json.find("kvm_ms");
  if ((chosen != "tcg" && chosen != "kvm") || tcg == json.end() || !tcg->is_number() ||
      kvm == json.end() || !(kvm->is_number() || kvm->is_null())) {
    return std::nullopt;
  }
  AccelProbeResult result;
  result.chosen = chosen == "kvm" ? Accel::Kvm : Accel::Tcg;
  result.tcg_ms = tcg->get<double>();
  if (kvm->is_number()) result.kvm_ms = kvm->get<double>();
  result.kvm_note = json.value("kvm_note", "");
  result.cached = true;
  result.reason = reason_for(result) + " (cached in " + file.string() + " for this QEMU and boot)";
  return result;
}

// Returns an error text, empty on success.
std::string save_cache(const fs::path& file, const CacheKey& key, const AccelProbeResult& r) {
  const nlohmann::json json = {
      {"version", kCacheVersion},
      {"qemu", key.qemu},
      {"qemu_mtime_ns", key.qemu_mtime_ns},
      {"boot_id", key.boot_id},
      {"chosen", std::string(to_string(r.chosen))},
      {"tcg_ms", *r.tcg_ms},
      {"kvm_ms", r.kvm_ms ? nlohmann::json(*r.kvm_ms) : nlohmann::json()},
      {"kvm_note", r.kvm_note},
  };
  std::error_code ec;
  fs::create_directories(file.parent_path(), ec);
  if (ec) return "cannot create " + file.parent_path().string() + ": " + ec.message();
  try {
    atomic_write(file, json.dump(2) + '\n');
  } catch (const InfraError& e) {
    return e.what();
  }
  return "";
}

// The probe's line "osh-accel-probe <iterations> <checksum>" (hex), checked against the loop.
std::string check_probe_output(const std::string& console) {
  static constexpr std::string_view kTag = "osh-accel-probe ";
  // "<8 hex> <8 hex>" then CR LF or LF.
  const auto hex8 = [](std::string_view s, uint32_t& out) {
    if (s.size() < 8 ||
        s.substr(0, 8).find_first_not_of("0123456789abcdef") != std::string_view::npos)
      return false;
    std::from_chars(s.data(), s.data() + 8, out, 16);
    return true;
  };
  uint32_t iterations = 0, checksum = 0;
  bool found = false;
  for (size_t at = console.find(kTag); at != std::string::npos && !found;
       at = console.find(kTag, at + 1)) {
    const std::string_view rest = std::string_view(console).substr(at + kTag.size());
    found = rest.size() >= 18 && hex8(rest, iterations) && rest[8] == ' ' &&
            hex8(rest.substr(9), checksum) &&
            (rest.substr(17, 1) == "\n" || rest.substr(17, 2) == "\r\n");
  }
  if (!found) {
    return "the probe printed no result line (console: \"" + escape_text_truncated(console, 200) +
           "\")";
  }
  if (checksum != probe_checksum(iterations)) {
    return fmt::format("the probe's checksum {:08x} is wrong for {} iterations (expected {:08x})",
                       checksum, iterations, probe_checksum(iterations));
  }
  return "";
}

}  // namespace

uint32_t probe_checksum(uint32_t iterations) {
  uint32_t x = 1;
  for (uint32_t i = 0; i < iterations; ++i) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
  }
  return x;
}

AccelProbeOptions default_accel_probe_options() {
  AccelProbeOptions options;
  options.probe_kernel = install_dir() / "osh-accel-probe.elf";
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  const char* home = std::getenv("HOME");
  if (xdg != nullptr && xdg[0] == '/') {
    options.cache_file = fs::path(xdg) / "osharness" / "accel.json";
  } else if (home != nullptr && home[0] == '/') {
    options.cache_file = fs::path(home) / ".cache" / "osharness" / "accel.json";
  }
  if (const char* accel = std::getenv("OSH_ACCEL")) options.override_accel = accel;
  return options;
}

AccelProbeResult measured_accel() {
  static std::mutex mutex;
  static std::optional<AccelProbeResult> measured;
  std::lock_guard lock(mutex);
  if (!measured) measured = choose_accel(default_accel_probe_options());
  return *measured;
}

ProbeRun run_accel_probe(const fs::path& qemu, const fs::path& kernel, Accel accel,
                         std::chrono::milliseconds limit) {
  VmConfig config;
  config.name = fmt::format("accel-probe-{}", to_string(accel));
  config.kernel = kernel;
  config.memory = "16M";
  QemuOptions options;
  options.accel = std::string(to_string(accel));
  QemuHost host;
  host.qemu = qemu;
  host.startup_timeout = limit;
  QemuVm vm(config, options, host);
  const std::string timed_out = fmt::format("timed out after {} ms", limit.count());
  try {
    vm.start();
  } catch (const InfraError& e) {
    const bool spawned = vm.spawn_ns() != 0;
    if (spawned && monotonic_ns() - vm.spawn_ns() >= int64_t(limit.count()) * 1'000'000) {
      return {{}, timed_out};
    }
    return {{}, std::string("failed: ") + e.what()};
  }
  ConsoleCollector console;
  const int64_t deadline = vm.spawn_ns() + int64_t(limit.count()) * 1'000'000;
  while (!vm.exit() && poll_ms_until(deadline) > 0) {
    vm.pump(std::chrono::milliseconds(poll_ms_until(deadline)), console, -1);
  }
  if (!vm.exit()) {
    vm.kill();
    return {{}, timed_out};
  }
  const VmExit& exit = *vm.exit();
  if (exit.guest_exit_code != 0) {
    return {{},
            fmt::format("failed: QEMU exited with status {} (guest exit code expected 0){}",
                        exit.status, exit.stderr_tail.empty() ? "" : ": " + exit.stderr_tail)};
  }
  if (const std::string problem = check_probe_output(console.text); !problem.empty()) {
    return {{}, "failed: " + problem};
  }
  return {double(exit.host_ns - vm.spawn_ns()) / 1e6, ""};
}

AccelProbeResult choose_accel(const AccelProbeOptions& options) {
  AccelProbeResult result;
  if (!options.override_accel.empty()) {
    if (options.override_accel != "tcg" && options.override_accel != "kvm") {
      throw InputError(fmt::format(
          "OSH_ACCEL=\"{}\" is not an accelerator; use tcg or kvm, or unset it to measure",
          options.override_accel));
    }
    result.chosen = options.override_accel == "kvm" ? Accel::Kvm : Accel::Tcg;
    result.kvm_note = "not measured";
    result.reason = fmt::format("{}: set by OSH_ACCEL (not measured)", options.override_accel);
    return result;
  }
  const fs::path qemu = options.qemu.empty() ? find_qemu() : options.qemu;
  const CacheKey key = cache_key(qemu, options.boot_id_file);
  if (!options.cache_file.empty()) {
    if (auto cached = load_cache(options.cache_file, key)) return *cached;
  }

  const ProbeRun tcg = run_accel_probe(qemu, options.probe_kernel, Accel::Tcg, kTcgLimit);
  if (!tcg.ms) throw InfraError("the accelerator probe cannot run under TCG: " + tcg.failure);
  result.tcg_ms = tcg.ms;

  UniqueFd kvm(::open(options.kvm_device.c_str(), O_RDWR | O_CLOEXEC));
  if (!kvm) {
    result.kvm_note = errno_message(
        "not tried: cannot open " + options.kvm_device.string() + " read-write", errno);
  } else {
    kvm.reset();
    const auto limit = std::max(
        kMinKvmLimit, std::chrono::milliseconds(int64_t(std::ceil(*tcg.ms * kKvmLimitFactor))));
    const ProbeRun run = run_accel_probe(qemu, options.probe_kernel, Accel::Kvm, limit);
    result.kvm_ms = run.ms;
    if (!run.ms) result.kvm_note = run.failure + " (limit: 3 x the TCG time, at least 1 s)";
  }
  result.chosen = result.kvm_ms && *result.kvm_ms < *result.tcg_ms ? Accel::Kvm : Accel::Tcg;
  result.reason = reason_for(result);
  if (!options.cache_file.empty()) {
    if (const std::string error = save_cache(options.cache_file, key, result); !error.empty()) {
      result.reason += " (not cached: " + error + ")";
    }
  }
  return result;
}

}  // namespace osh::vm::qemu
