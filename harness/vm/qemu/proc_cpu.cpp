#include "harness/vm/qemu/proc_cpu.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace osh::vm::qemu {

namespace {

std::optional<std::string> slurp(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The `index`-th (0-based) space-separated field of `text`, parsed as a non-negative integer.
std::optional<int64_t> field(std::string_view text, size_t index) {
  size_t pos = 0;
  for (size_t i = 0;; ++i) {
    pos = text.find_first_not_of(' ', pos);
    if (pos == std::string_view::npos) return std::nullopt;
    size_t end = text.find_first_of(" \n", pos);
    if (end == std::string_view::npos) end = text.size();
    if (i == index) {
      int64_t value = 0;
      const auto [ptr, ec] = std::from_chars(text.data() + pos, text.data() + end, value);
      if (ec != std::errc() || ptr != text.data() + end || value < 0) return std::nullopt;
      return value;
    }
    pos = end;
  }
}

UniqueFd open_proc(const std::filesystem::path& path) {
  return UniqueFd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
}

// The whole file from its start (/proc files are generated on each read from offset 0).
std::optional<std::string> reread(const UniqueFd& fd) {
  if (!fd) return std::nullopt;
  char buf[4096];
  const ssize_t n = ::pread(fd.get(), buf, sizeof buf, 0);
  if (n <= 0) return std::nullopt;
  return std::string(buf, size_t(n));
}

}  // namespace

std::optional<int64_t> stat_cpu_ticks(std::string_view stat) {
  const size_t paren = stat.rfind(')');
  if (paren == std::string_view::npos) return std::nullopt;
  const std::string_view rest = stat.substr(paren + 1);  // field 3 (state) is rest's field 0
  const auto utime = field(rest, 14 - 3);
  const auto stime = field(rest, 15 - 3);
  if (!utime || !stime) return std::nullopt;
  return *utime + *stime;
}

std::optional<int64_t> schedstat_run_delay_ns(std::string_view schedstat) {
  return field(schedstat, 1);
}

bool is_vcpu_thread_name(std::string_view comm) {
  return comm.starts_with("CPU ") && comm.find('/') != std::string_view::npos;
}

std::optional<int64_t> read_run_delay_ns(pid_t tid) {
  const auto schedstat = slurp("/proc/" + std::to_string(tid) + "/schedstat");
  return schedstat ? schedstat_run_delay_ns(*schedstat) : std::nullopt;
}

std::optional<CpuUsage> ProcCpuReader::read() {
  const std::string proc = "/proc/" + std::to_string(pid_);
  if (!stat_) stat_ = open_proc(proc + "/stat");
  const auto stat = reread(stat_);
  if (!stat) return std::nullopt;
  const auto ticks = stat_cpu_ticks(*stat);
  if (!ticks) return std::nullopt;
  static const int64_t ticks_per_second = ::sysconf(_SC_CLK_TCK);
  CpuUsage usage;
  usage.cpu_ns = *ticks * (1'000'000'000 / ticks_per_second);
  // The guest makes progress only on its vCPU threads ("CPU 0/TCG", "CPU 1/KVM"): their run
  // delay is the starvation that matters. Summing every thread would count one wait once per
  // waiting thread; other threads count only if QEMU has no named vCPU thread.
  if (vcpu_schedstats_.empty()) {
    usage.run_delay_ns = any_thread_run_delay_ns().value_or(0);
    return usage;
  }
  for (const auto& schedstat : vcpu_schedstats_) {
    if (const auto text = reread(schedstat))
      usage.run_delay_ns = std::max(usage.run_delay_ns, schedstat_run_delay_ns(*text).value_or(0));
  }
  return usage;
}

// Keeps the vCPU threads' schedstat files open once it finds them.
std::optional<int64_t> ProcCpuReader::any_thread_run_delay_ns() {
  const std::filesystem::path task_dir = "/proc/" + std::to_string(pid_) + "/task";
  int64_t any_delay = 0;
  std::error_code ec;
  for (const auto& task : std::filesystem::directory_iterator(task_dir, ec)) {
    UniqueFd schedstat = open_proc(task.path() / "schedstat");
    const auto text = reread(schedstat);
    if (!text) continue;
    any_delay = std::max(any_delay, schedstat_run_delay_ns(*text).value_or(0));
    if (const auto comm = slurp(task.path() / "comm"); comm && is_vcpu_thread_name(*comm))
      vcpu_schedstats_.push_back(std::move(schedstat));
  }
  if (ec) return std::nullopt;
  return any_delay;
}

}  // namespace osh::vm::qemu
